#!/usr/bin/env bash
# Makes sure a Chromium for Playwright exists, as `playwright install --with-deps` would, but from
# Debian's packages (Playwright's own browser downloads are unreachable here). An explicit
# CHROMIUM_PATH or PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH wins; otherwise /usr/bin/chromium,
# installed with apt when missing. Prints the path it settled on.
set -euo pipefail

explicit="${PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH:-${CHROMIUM_PATH:-}}"
if [[ -n "$explicit" ]]; then
  if [[ ! -x "$explicit" ]]; then
    echo "ensure-chromium: $explicit (from the environment) is not an executable" >&2
    exit 1
  fi
  echo "$explicit"
  exit 0
fi

for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [[ -x "$candidate" ]]; then
    echo "$candidate"
    exit 0
  fi
done

echo "ensure-chromium: no Chromium found; installing Debian's chromium package…" >&2
SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq chromium >&2
echo /usr/bin/chromium
