#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser tests; quiet and instant when it is there.
# Installing needs root (apt-get); Playwright's own browser download is never used.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure_chromium: $CHROMIUM is missing; run 'apt-get install -y chromium' as root" >&2
  exit 1
fi
echo "ensure_chromium: installing Debian's chromium for the browser tests…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x "$CHROMIUM" ]
