#!/usr/bin/env bash
# Installs the Node example gateway adapter's dependencies (examples/node-gateway-adapter) exactly as
# package-lock.json pins them, with `npm ci`. Idempotent: skips the install when node_modules was
# installed from the same package-lock.json (a hash stamp inside node_modules records which).
# Exits non-zero with a clear message when node or npm is missing or too old.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
example="$repo_root/examples/node-gateway-adapter"
stamp="$example/node_modules/.onething-lock.sha256"

if ! command -v node >/dev/null 2>&1; then
  echo "node-example: node is not installed; install Node.js 20 or later (https://nodejs.org) to run the Node gateway adapter example and its conformance test." >&2
  exit 3
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "node-example: npm is not installed; install npm (it comes with Node.js 20 or later)." >&2
  exit 3
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "node-example: Node.js $(node --version) is too old; the example needs Node.js 20 or later." >&2
  exit 3
fi

want="$(sha256sum "$example/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$example/node_modules/@grpc/grpc-js" ] && [ -d "$example/node_modules/@grpc/proto-loader" ]; then
  echo "node-example: node_modules is current (package-lock.json $want); nothing to install."
  exit 0
fi

echo "node-example: npm ci in $example"
(cd "$example" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
echo "node-example: installed."
