#!/usr/bin/env bash
# Makes Debian's Tesseract (with French and English models) available to OCR scanned PDFs and
# images; quiet and instant when it is there. Installing needs root (apt-get). Without it the
# app still runs: scanned pages are reported as unread.
set -euo pipefail
PACKAGES="tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng"
have() { command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx fra; }
have && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure_tesseract: tesseract (with French) is missing; run 'apt-get install -y $PACKAGES' as root" >&2
  exit 1
fi
echo "ensure_tesseract: installing Debian's $PACKAGES for OCR…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
have
