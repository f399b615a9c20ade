#!/usr/bin/env bash
# The npm packages the map acceptance tests check exports with (bpmn-moddle, mermaid, jsdom), from
# tests/js/package-lock.json; Node.js and npm from Debian when they are missing.
set -euo pipefail
folder="$(cd "$(dirname "$0")/../tests/js" && pwd)"
if [ -d "$folder/node_modules/bpmn-moddle" ] && [ -d "$folder/node_modules/mermaid" ] && [ -d "$folder/node_modules/jsdom" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  source "$(dirname "$0")/apt_install.sh"
  apt_install "Node.js and npm" nodejs npm
fi
cd "$folder"
echo "installing the npm packages of tests/js (npm ci)" >&2
if ! npm ci --no-audit --no-fund --loglevel=error >npm-ci.log 2>&1; then
  echo "npm ci failed in tests/js (no network?); see tests/js/npm-ci.log" >&2
  exit 1
fi
rm -f npm-ci.log
