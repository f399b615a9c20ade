#!/usr/bin/env bash
# Debian's PostgreSQL for the scale-out tests, installed when missing. The tests start their own
# throwaway cluster with initdb/pg_ctl; no system service is used or started.
set -euo pipefail
lib="${PD_POSTGRES_LIB:-/usr/lib/postgresql}"  # where Debian puts each version's bin/initdb
compgen -G "$lib/*/bin/initdb" >/dev/null && exit 0
source "$(dirname "$0")/apt_install.sh"
apt_install PostgreSQL postgresql
compgen -G "$lib/*/bin/initdb" >/dev/null || { echo "apt-get installed postgresql but no $lib/*/bin/initdb exists" >&2; exit 1; }
