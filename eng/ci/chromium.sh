#!/usr/bin/env bash
# Installs Chromium and chromedriver from the OS packages for the web console's browser tests
# (tests/OneThing.Tests/Browser), unless they are already there. Idempotent; needs root for the install.
# The tests look for /usr/bin/chromium and /usr/bin/chromedriver, or ONETHING_CHROMIUM / ONETHING_CHROMEDRIVER.
set -euo pipefail

browser="${ONETHING_CHROMIUM:-/usr/bin/chromium}"
driver="${ONETHING_CHROMEDRIVER:-/usr/bin/chromedriver}"

if [[ ! -x "$browser" || ! -x "$driver" ]]; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "chromium.sh: $browser or $driver is missing; run as root to install chromium and chromium-driver" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when apt does not know the packages yet (a fresh machine).
  if ! apt-cache show chromium chromium-driver >/dev/null 2>&1; then
    apt-get update -qq
  fi
  # Stale package lists can name versions the mirror no longer has: refresh them and try once more.
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }
fi

"$browser" --version
"$driver" --version
