#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server started here and stopped on exit.
# initdb refuses to run as root, so the server runs as the `postgres` user with its data dir (and socket) in a
# fresh temporary directory, on a non-default port, listening on no TCP address at all.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
port="${UPSTANDER_TEST_PG_PORT:-54329}"
pgdir=$(mktemp -d /tmp/upstander-pg.XXXXXX)
run_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pgdir"
cleanup() {
  run_as_pg "'$bindir/pg_ctl' -D '$pgdir/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap cleanup EXIT
run_as_pg "'$bindir/initdb' -D '$pgdir/data' -U postgres -A trust --no-sync -E UTF8" >/dev/null
run_as_pg "'$bindir/pg_ctl' -D '$pgdir/data' -l '$pgdir/log' -w -o \"-k '$pgdir' -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null
export DATABASE_URL="postgres://postgres@/upstander?host=${pgdir}&port=${port}"
export PGHOST="$pgdir" PGPORT="$port" PGUSER=postgres
"$bindir/createdb" -h "$pgdir" -p "$port" -U postgres upstander
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on socket $pgdir port $port" >&2
"$@"
