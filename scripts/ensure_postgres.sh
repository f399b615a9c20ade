#!/usr/bin/env bash
# Install Debian's PostgreSQL for the scale-out tests when it is missing (needs root or sudo).
# The tests start their own throwaway cluster with initdb/pg_ctl; no system service is used.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "PostgreSQL is missing; install it as root: apt-get install -y postgresql" >&2; exit 1; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq postgresql
