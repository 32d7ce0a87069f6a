#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store tests and print its SQLAlchemy URL.
#
#   export MLPM_TEST_POSTGRES_URL="$(./scripts/start-postgres.sh)"
#
# Idempotent: installs Debian's postgresql when missing, initialises a cluster under /tmp on the
# first run, starts it when it is not running, creates the role and database when missing, and
# prints the URL (only the URL goes to stdout; progress goes to stderr). The server listens on
# 127.0.0.1 only (and on a Unix socket in the data folder's parent), never on other addresses.
# Run as root (initdb and the server run as the 'postgres' user). Settings, all optional:
# MLPM_PG_ROOT (default /tmp/mlpm-postgres), MLPM_PG_PORT (55432), MLPM_PG_USER (mlpm),
# MLPM_PG_PASSWORD (mlpm), MLPM_PG_DB (mlpm_test). Stop it with:
#   runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" \
#       -D /tmp/mlpm-postgres/data stop
set -euo pipefail

ROOT=${MLPM_PG_ROOT:-/tmp/mlpm-postgres}
PORT=${MLPM_PG_PORT:-55432}
ROLE=${MLPM_PG_USER:-mlpm}
PASSWORD=${MLPM_PG_PASSWORD:-mlpm}
DB=${MLPM_PG_DB:-mlpm_test}
DATA="$ROOT/data"
LOG="$ROOT/server.log"

say() { echo "start-postgres: $*" >&2; }

for name in "$ROLE" "$DB"; do  # they are spliced into SQL below
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { say "invalid name '$name'"; exit 2; }
done
[[ "$PASSWORD" =~ ^[A-Za-z0-9_.-]+$ ]] || { say "the password must be [A-Za-z0-9_.-]+"; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
    say "run as root (it installs packages and runs the server as 'postgres')"
    exit 1
fi

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bin_dir)" ] || ! id postgres >/dev/null 2>&1; then
    say "installing Debian's postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
BIN=$(bin_dir)
as_postgres() { runuser -u postgres -- "$@"; }

mkdir -p "$ROOT"
chown postgres:postgres "$ROOT"
chmod 700 "$ROOT"
if [ ! -s "$DATA/PG_VERSION" ]; then
    say "initialising a cluster in $DATA"
    rm -rf "$DATA"
    as_postgres "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >&2
fi

if as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "already running"
else
    say "starting on 127.0.0.1:$PORT (log: $LOG)"
    as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $ROOT -c max_connections=200" start >&2
fi

psql_admin() { as_postgres "$BIN/psql" -h "$ROOT" -p "$PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
    psql_admin -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
