#!/usr/bin/env bash
# Installs the Debian packages the editor tests run against, when missing:
# neovim (editors/nvim test), pre-commit (editors/precommit test), emacs-nox and
# elpa-eglot (editors/emacs test). The VS Code end-to-end test
# (editors/vscode/test/e2e.sh) installs what it needs itself.
# Needs root; idempotent; ~1–2 min on a fresh machine, nothing after.
set -euo pipefail
need=()
command -v nvim >/dev/null || need+=(neovim)
command -v pre-commit >/dev/null || need+=(pre-commit)
command -v git >/dev/null || need+=(git)
command -v emacs >/dev/null || need+=(emacs-nox)
# eglot: built into Emacs 29+, Debian's elpa-eglot for bookworm's Emacs 28.
ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null 2>&1 \
  || emacs --batch -Q --eval "(require 'eglot)" >/dev/null 2>&1 || need+=(elpa-eglot)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "editor test deps: $(nvim --version | head -1), pre-commit $(pre-commit --version | cut -d' ' -f2), $(emacs --version | head -1)"
