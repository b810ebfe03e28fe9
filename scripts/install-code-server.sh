#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100, the newest that runs on Node 20) and Debian's
# Chromium for the end-to-end tests, following ../shared/notes/vscode-e2e.md. The install is
# cached outside the repository and reused; it prints the code-server binary's path.
set -euo pipefail
VERSION=4.100.3
CACHE="${BACKEND_ADVISOR_CACHE:-$HOME/.cache/backend-advisor}/code-server-$VERSION"
BIN="$CACHE/node_modules/.bin/code-server"
if [ -x "$BIN" ] && [ -f "$CACHE/.complete" ]; then echo "$BIN"; exit 0; fi

exec 3>&1 1>&2
if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || ! dpkg -s libkrb5-dev libxkbfile-dev libsecret-1-dev >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium >/dev/null
fi
rm -rf "$CACHE" && mkdir -p "$CACHE" && cd "$CACHE"
echo '{"name":"code-server-cache","private":true}' > package.json
# Its own postinstall insists on --unsafe-perm and downloads ripgrep, which this network cannot reach.
npm install "code-server@$VERSION" --ignore-scripts --no-audit --no-fund --loglevel=error
cd node_modules/code-server/lib/vscode
npm install --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error
mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# node-pty's optional developer step fails after pty.node is built; that failure is expected.
npm rebuild --loglevel=error || test -f node_modules/node-pty/build/Release/pty.node
npm rebuild @parcel/watcher --loglevel=error || true
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --ignore-scripts --omit=dev --no-audit --no-fund --loglevel=error)
cd "$CACHE" && npm rebuild argon2 --loglevel=error
touch "$CACHE/.complete"
echo "$BIN" >&3
