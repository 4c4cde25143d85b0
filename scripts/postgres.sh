#!/usr/bin/env bash
# Throwaway PostgreSQL cluster on loopback for the tests: `postgres.sh start DIR` prints the connection string,
# `postgres.sh stop DIR` removes it. initdb/postgres refuse to run as root, so they run as the postgres user.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?directory}

pg_bin() {
  local b; b=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$b" ] && echo "$b" || { echo "postgres.sh: PostgreSQL server binaries not found" >&2; exit 1; }
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
start)
  bin=$(pg_bin)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir"
  # mktemp folders are private to root; the postgres user must be able to reach its cluster folder.
  if [ "$(id -u)" = 0 ]; then chmod a+x "$(dirname "$dir")"; chown postgres:postgres "$dir"; fi
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Tuned for a throwaway test server: durability off, enough connections for two bot instances plus Quartz.
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Include Error Detail=true"
  ;;
stop)
  bin=$(pg_bin)
  [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: postgres.sh start|stop DIR" >&2; exit 2 ;;
esac
