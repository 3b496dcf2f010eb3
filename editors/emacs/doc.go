// Package emacs holds the Emacs (eglot) configuration of gw403-lsp,
// gw403.el, and its headless end-to-end test.
package emacs
