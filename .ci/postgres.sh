#!/usr/bin/env bash
# Install PostgreSQL from Debian packages, start a cluster on localhost, create the store test database and
# export GONGKAI_TEST_PG, so tests/store runs each store test on SQLite and on PostgreSQL.
# Sourced by .ci/run (root, non-interactive, fresh Debian); running it twice is harmless.

_gongkai_pg_setup() (
  set -euo pipefail
  export DEBIAN_FRONTEND=noninteractive
  if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    # Another job may hold the dpkg lock: wait for it rather than fail.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql >/dev/null
  fi
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$ver main" || pg_createcluster "$ver" main >/dev/null
  # No systemd in containers: pg_ctlcluster starts the server directly; "already running" is fine.
  pg_ctlcluster "$ver" main start 2>/dev/null || pg_lsclusters -h | grep -q "^$ver main .* online"
  for _ in $(seq 30); do pg_isready -q -h localhost && break; sleep 1; done
  cd /tmp  # psql as postgres must not start in a directory it cannot read
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='gongkai'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE gongkai LOGIN PASSWORD 'gongkai' CREATEDB\""
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='gongkai_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O gongkai gongkai_test"
)

if _gongkai_pg_setup; then
  export GONGKAI_TEST_PG="postgresql+psycopg://gongkai:gongkai@localhost:5432/gongkai_test"
  echo "PostgreSQL ready: GONGKAI_TEST_PG=$GONGKAI_TEST_PG"
  unset -f _gongkai_pg_setup
else
  unset -f _gongkai_pg_setup
  echo "PostgreSQL setup failed; GONGKAI_TEST_PG is not set, so the PostgreSQL store tests would be skipped" >&2
  return 1 2>/dev/null || exit 1
fi
