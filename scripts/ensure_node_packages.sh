#!/usr/bin/env bash
# Install the npm packages the map acceptance tests check exports with (bpmn-moddle, mermaid) when they are missing.
set -euo pipefail
folder="$(cd "$(dirname "$0")/../tests/js" && pwd)"
if [ -d "$folder/node_modules/bpmn-moddle" ] && [ -d "$folder/node_modules/mermaid" ] && [ -d "$folder/node_modules/jsdom" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is missing; install Node.js 20 with npm (apt-get install -y nodejs npm)" >&2; exit 1; }
cd "$folder"
npm ci --no-audit --no-fund --loglevel=error
