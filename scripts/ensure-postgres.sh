#!/usr/bin/env bash
# Makes sure PostgreSQL's server programs exist for the tests' throwaway clusters
# (scripts/pg-cluster.js): Debian's `postgresql` package, installed with apt when no
# /usr/lib/postgresql/*/bin/initdb exists, as ensure-smtp.sh does for its package. The package's
# default cluster is not wanted (the tests start their own), so a fresh install is told not to
# create one. An explicit PG_BIN (a folder holding initdb) wins. Prints the bin folder, preferring
# 15 (the version the tests are run with), else the newest.
set -euo pipefail

if [[ -n "${PG_BIN:-}" ]]; then
  if [[ ! -x "$PG_BIN/initdb" ]]; then
    echo "ensure-postgres: PG_BIN=$PG_BIN (from the environment) has no initdb" >&2
    exit 1
  fi
  echo "$PG_BIN"
  exit 0
fi

find_bin() {
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
    echo /usr/lib/postgresql/15/bin
    return 0
  fi
  local initdb
  for initdb in $(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V -r); do
    if [[ -x "$initdb" ]]; then
      dirname "$initdb"
      return 0
    fi
  done
  return 1
}

if find_bin; then exit 0; fi

echo "ensure-postgres: no PostgreSQL server found; installing Debian's postgresql package…" >&2
SUDO=""
if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
# Read by pg_createcluster through createcluster.conf's include_dir: no "main" cluster.
$SUDO mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/no-main-cluster.conf >/dev/null
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq postgresql >&2
if ! find_bin; then
  echo "ensure-postgres: postgresql was installed but no /usr/lib/postgresql/*/bin/initdb exists" >&2
  exit 1
fi
