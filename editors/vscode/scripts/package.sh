#!/usr/bin/env bash
# Packages the extension as a platform-specific .vsix with gw403-lsp built
# for that platform in bin/<target>/.
#
# usage: npm run package [-- TARGET [OUT.vsix]]
#   TARGET: linux-x64 (default), linux-arm64, darwin-x64, darwin-arm64,
#           win32-x64, win32-arm64, alpine-x64, alpine-arm64
# Needs Go (to cross-compile the binary) and node >= 20. GW403_LSP_BIN=path
# packages that binary instead of building one.
set -euo pipefail
TARGET=${1:-linux-x64}
EXT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$(cd "$EXT/../.." && pwd)
case "$TARGET" in
  linux-x64|alpine-x64) GOOS=linux GOARCH=amd64 ;;
  linux-arm64|alpine-arm64) GOOS=linux GOARCH=arm64 ;;
  darwin-x64) GOOS=darwin GOARCH=amd64 ;;
  darwin-arm64) GOOS=darwin GOARCH=arm64 ;;
  win32-x64) GOOS=windows GOARCH=amd64 ;;
  win32-arm64) GOOS=windows GOARCH=arm64 ;;
  *) echo "package: unknown target $TARGET" >&2; exit 2 ;;
esac
PLATFORM_DIR=${TARGET/alpine-/linux-}
EXE=gw403-lsp; [ "$GOOS" = windows ] && EXE=gw403-lsp.exe
VERSION=$(node -p "require('$EXT/package.json').version")
OUT=${2:-$EXT/gw403-lsp-$TARGET-$VERSION.vsix}

cd "$EXT"
rm -rf bin
mkdir -p "bin/$PLATFORM_DIR"
if [ -n "${GW403_LSP_BIN:-}" ]; then
  # A binary built beforehand for this target.
  cp "$GW403_LSP_BIN" "$EXT/bin/$PLATFORM_DIR/$EXE"
else
  (cd "$REPO" && CGO_ENABLED=0 GOOS=$GOOS GOARCH=$GOARCH go build -trimpath \
    -ldflags "-s -w -X main.version=$VERSION" -o "$EXT/bin/$PLATFORM_DIR/$EXE" ./cmd/gw403-lsp)
fi
npm run --silent compile
# dist/extension.js bundles the dependencies: none are packaged.
npx vsce package --no-dependencies --target "$TARGET" --out "$OUT" --skip-license
echo "packaged $OUT ($GOOS/$GOARCH gw403-lsp in bin/$PLATFORM_DIR/)"
