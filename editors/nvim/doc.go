// Package nvim holds the Neovim client configuration of gw403-lsp (Lua under
// lua/, lsp/ and ftdetect/) and its headless end-to-end test.
package nvim
