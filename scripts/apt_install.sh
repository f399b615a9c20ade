#!/usr/bin/env bash
# apt_install WHAT PACKAGE...: install Debian packages as root, or through sudo; one line and exit 1
# when that cannot be done (not root and no sudo, no network, no such package). Sourced by ensure_*.sh.
apt_install() {
  local what="$1"
  shift
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "$what is missing and this user cannot install it (not root, no sudo); as root run: apt-get install -y $*" >&2
      exit 1
    fi
    as_root=(sudo -n)
  fi
  local log
  log="$(mktemp -t pd-apt.XXXXXX)"
  echo "installing $what: apt-get install -y $* (log: $log)" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq "$@"; } >"$log" 2>&1; then
    echo "could not install $what with apt-get (no network or no package source?); see $log, or run as root: apt-get install -y $*" >&2
    exit 1
  fi
}
