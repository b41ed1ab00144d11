#!/usr/bin/env bash
# Makes sure the tests' SMTP server can run: Debian's python3-aiosmtpd, importable by Debian's own
# /usr/bin/python3 (a python3 earlier on PATH, e.g. pyenv's, lacks Debian's modules). Installs the
# package with apt when missing, as ensure-chromium.sh does for Chromium. Prints the interpreter.
set -euo pipefail

PYTHON=/usr/bin/python3
if [[ -x "$PYTHON" ]] && "$PYTHON" -c "import aiosmtpd.controller, aiosmtpd.handlers" 2>/dev/null; then
  echo "$PYTHON"
  exit 0
fi

echo "ensure-smtp: Debian's python3-aiosmtpd is missing; installing it…" >&2
SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq python3-aiosmtpd >&2
if ! "$PYTHON" -c "import aiosmtpd.controller, aiosmtpd.handlers" 2>/dev/null; then
  echo "ensure-smtp: python3-aiosmtpd was installed but $PYTHON cannot import it" >&2
  exit 1
fi
echo "$PYTHON"
