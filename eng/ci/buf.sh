#!/usr/bin/env bash
# Guards the contracts in protos/ with buf: lint (buf.yaml: STANDARD + COMMENTS) and breaking changes
# against the last released contracts (protos/released/onething-v1.binpb, FILE rules).
#
#   bash eng/ci/buf.sh             lint + breaking; exit status 0 only if both pass
#   bash eng/ci/buf.sh --release   cut a new baseline from the working tree (on a release), then check
#
# buf comes from npm (@bufbuild/buf, the exact version pinned in eng/ci/buf/package.json) into
# eng/ci/buf/node_modules (git-ignored); it is installed when missing or of another version, and
# reused after that. No lock file: the registry here serves the Linux binaries of that version but
# not every platform's, which `npm ci` would insist on; the exact pin stands in for it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$root/eng/ci/buf"
buf="$tools/node_modules/.bin/buf"
baseline="protos/released/onething-v1.binpb"
want_version="$(sed -n 's/.*"@bufbuild\/buf": *"\([0-9.]*\)".*/\1/p' "$tools/package.json" | head -n1)"

if [[ ! -x "$buf" ]] || [[ "$("$buf" --version 2>/dev/null || true)" != "$want_version" ]]; then
  echo "buf: installing @bufbuild/buf $want_version into eng/ci/buf/node_modules"
  log="$(mktemp)"
  if ! npm install --prefix "$tools" --no-package-lock --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
    tail -n 20 "$log"
    echo "buf: could not install @bufbuild/buf $want_version from npm"
    exit 1
  fi
  rm -f "$log"
fi

cd "$root"
echo "buf: $("$buf" --version)"

if [[ "${1:-}" == "--release" ]]; then
  # The released contracts: the protos module with its imports (so the image builds on its own),
  # without comments (breaking checks do not read them).
  "$buf" build protos --exclude-source-info -o "$baseline"
  echo "buf: new baseline $baseline cut from the working tree; commit it with the release"
fi

failed=0
if "$buf" lint; then
  echo "buf lint: passed"
else
  echo "buf lint: FAILED (see above)"
  failed=1
fi

if "$buf" breaking protos --against "$baseline"; then
  echo "buf breaking: passed (against $baseline)"
else
  echo "buf breaking: FAILED against $baseline (see above); a deliberate break needs a new major version (v2 package)"
  failed=1
fi

if [[ $failed -ne 0 ]]; then
  echo "buf: contracts check FAILED"
  exit 1
fi
echo "buf: contracts check passed"
