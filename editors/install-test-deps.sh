#!/usr/bin/env bash
# Installs the Debian packages the editor tests run against, when missing:
# neovim (editors/nvim test), pre-commit (editors/precommit test). The VS Code
# end-to-end test (editors/vscode/test/e2e.sh) installs what it needs itself.
# Needs root; idempotent; takes ~1 min on a fresh machine, nothing after.
set -euo pipefail
need=()
command -v nvim >/dev/null || need+=(neovim)
command -v pre-commit >/dev/null || need+=(pre-commit)
command -v git >/dev/null || need+=(git)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "editor test deps: $(nvim --version | head -1), pre-commit $(pre-commit --version | cut -d' ' -f2)"
