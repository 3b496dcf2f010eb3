#!/usr/bin/env bash
# Times gw403-lsp against the tools people use today, on the same generated
# files, and prints one markdown table (whole-process wall time, min and
# median of several runs, and peak RSS, with the ratios).
#
#   bench/compare.sh              (RUNS=5 by default)
#   RUNS=9 bench/compare.sh
#
# Needs Go, Node.js with npm, and GNU time (installed with apt-get when
# missing). Installs pinned versions of httpyac and
# @stoplight/spectral-cli with npm (install scripts disabled) under
# ${XDG_CACHE_HOME:-~/.cache}/gw403-bench, never in the clone, and writes
# the generated inputs and built binaries there too. Reaches only the npm
# registry and the Go module proxy. httpyac is used through its parser API
# (bench/httpyac-parse.js): it parses, it never sends a request. Where
# `unshare -rn` works, every timed command runs without a network.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/gw403-bench
runs=${RUNS:-5}

HTTPYAC_VERSION=6.16.7
SPECTRAL_VERSION=6.16.3

export PATH=/usr/local/go/bin:$PATH
for tool in go node npm; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is required" >&2; exit 1; }
done
if [ ! -x /usr/bin/time ]; then # GNU time reports the peak RSS
  echo "==> apt-get install time" >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >&2
fi
case $cache in
"$repo" | "$repo"/*) echo "compare.sh: the cache $cache is inside the clone; set XDG_CACHE_HOME" >&2; exit 1 ;;
esac
mkdir -p "$cache/node" "$cache/bin"

installed() { # name version
  [ -f "$cache/node/node_modules/$1/package.json" ] &&
    node -e 'process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)' \
      "$cache/node/node_modules/$1/package.json" "$2"
}
if ! installed httpyac "$HTTPYAC_VERSION" || ! installed @stoplight/spectral-cli "$SPECTRAL_VERSION"; then
  echo "==> npm install httpyac@$HTTPYAC_VERSION @stoplight/spectral-cli@$SPECTRAL_VERSION (in $cache/node)" >&2
  [ -f "$cache/node/package.json" ] || echo '{"name": "gw403-bench-peers", "private": true}' >"$cache/node/package.json"
  (cd "$cache/node" && npm install --ignore-scripts --no-audit --no-fund --save-exact --loglevel=error \
    "httpyac@$HTTPYAC_VERSION" "@stoplight/spectral-cli@$SPECTRAL_VERSION" >&2)
fi

echo "==> go build gw403-lsp, yamldecode, hclparse, compare; go run ./bench/gen" >&2
(
  cd "$repo"
  # Both programs are built the way releases and the .vsix are
  # (editors/vscode/scripts/package.sh): static, without symbol tables.
  export CGO_ENABLED=0
  go build -trimpath -ldflags "-s -w" -o "$cache/bin/gw403-lsp" ./cmd/gw403-lsp
  go build -trimpath -ldflags "-s -w" -o "$cache/bin/yamldecode" ./bench/yamldecode
  go build -trimpath -ldflags "-s -w" -o "$cache/bin/hclparse" ./bench/hclparse
  go build -o "$cache/bin/compare" ./bench/compare
  rm -rf "$cache/inputs"
  go run ./bench/gen "$cache/inputs" >&2
)

netns=false
if unshare -rn true 2>/dev/null; then
  netns=true
else
  echo "compare.sh: unshare -rn is unavailable here; commands run with the network" >&2
fi

echo "==> timing ($runs runs each after a warm-up run)" >&2
"$cache/bin/compare" -runs "$runs" -netns="$netns" \
  -inputs "$cache/inputs" \
  -gw403-lsp "$cache/bin/gw403-lsp" \
  -yamldecode "$cache/bin/yamldecode" \
  -hclparse "$cache/bin/hclparse" \
  -node "$(command -v node)" \
  -time /usr/bin/time \
  -node-modules "$cache/node/node_modules" \
  -httpyac-script "$here/httpyac-parse.js" \
  -spectral-ruleset "$here/spectral.yaml"
echo
echo "Versions: $(go version | cut -d' ' -f3), node $(node --version), httpyac $HTTPYAC_VERSION, @stoplight/spectral-cli $SPECTRAL_VERSION, gw403-lsp $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown)"
