#!/usr/bin/env bash
# Debian's chromium for the web page and Mermaid browser tests: installed when missing, else nothing
# (one `command -v`, so a second `make test` adds no time).
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
source "$(dirname "$0")/apt_install.sh"
apt_install chromium chromium
command -v chromium >/dev/null 2>&1 || { echo "apt-get installed chromium but it is not on PATH" >&2; exit 1; }
