#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throwaway PostgreSQL cluster:
# initdb as the postgres user (initdb refuses root) in a temporary directory,
# listening on 127.0.0.1 only, on a spare port; stopped and removed on exit.
# Never touches the machine's own PostgreSQL service.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
datadir=$(mktemp -d /tmp/evalsite-pg.XXXXXX)
chown postgres:postgres "$datadir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_postgres() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  as_postgres "$bindir/pg_ctl" -D "$datadir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$datadir"
}
trap cleanup EXIT

as_postgres "$bindir/initdb" -D "$datadir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$datadir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
as_postgres "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE ROLE evalsite LOGIN PASSWORD 'evalsite' CREATEDB;" -c "CREATE DATABASE evalsite OWNER evalsite;"

export DATABASE_URL="postgres://evalsite:evalsite@127.0.0.1:$port/evalsite"
echo "==> PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
