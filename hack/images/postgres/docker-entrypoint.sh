#!/usr/bin/env bash
# The official postgres image's start-up contract (docker-library/postgres docker-entrypoint.sh), for
# Debian's postgresql-17: on an empty PGDATA, initdb as POSTGRES_USER with POSTGRES_PASSWORD, password
# authentication for every TCP client, POSTGRES_DB created, then each /docker-entrypoint-initdb.d
# script once (*.sh executable: run; *.sh otherwise: sourced; *.sql: psql); a data directory that
# holds PG_VERSION is started as it is. Variables: POSTGRES_USER (postgres), POSTGRES_PASSWORD
# (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (POSTGRES_USER), PGDATA,
# POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (scram-sha-256), and *_FILE for the first three.
set -Eeo pipefail

# VAR_FILE=/path reads VAR from that file (Kubernetes and Docker secrets).
file_env() {
  local var=$1 file_var="${1}_FILE" def=${2:-}
  if [[ -n ${!var:-} && -n ${!file_var:-} ]]; then
    echo "error: both $var and $file_var are set (but are exclusive)" >&2; exit 1
  fi
  local value=$def
  if [[ -n ${!var:-} ]]; then value=${!var}; elif [[ -n ${!file_var:-} ]]; then value="$(<"${!file_var}")"; fi
  export "$var"="$value"
  unset "$file_var"
}

setup_env() {
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
  DATABASE_ALREADY_EXISTS=
  [[ -s $PGDATA/PG_VERSION ]] && DATABASE_ALREADY_EXISTS=true
  return 0
}

create_directories() {
  local user; user="$(id -u)"
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  if [[ $user == 0 ]]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
  fi
}

verify_minimum_env() {
  if [[ -z $POSTGRES_PASSWORD && $POSTGRES_HOST_AUTH_METHOD != trust ]]; then
    cat >&2 <<'MSG'
error: the database is uninitialized and POSTGRES_PASSWORD is not set.
       Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value for the superuser,
       or POSTGRES_HOST_AUTH_METHOD=trust to allow every connection without a password (unsafe).
MSG
    exit 1
  fi
  if [[ ${#POSTGRES_PASSWORD} -gt 100 ]]; then
    echo "warning: POSTGRES_PASSWORD is longer than 100 characters; some clients cannot send it" >&2
  fi
}

init_database_dir() {
  # initdb needs the running uid in /etc/passwd: the image's postgres (999) or root-dropped-to-postgres.
  if ! getent passwd "$(id -u)" >/dev/null; then
    echo "error: uid $(id -u) has no passwd entry; run as 999 (postgres) or as root" >&2; exit 1
  fi
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments, as upstream splits it.
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
}

setup_hba_conf() {
  # Every TCP client authenticates with the server's password encryption (scram-sha-256 by default).
  [[ ${1:-} == postgres ]] && shift
  local auth; auth="$(postgres -C password_encryption "$@")"
  : "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
  {
    printf '\n'
    [[ $POSTGRES_HOST_AUTH_METHOD == trust ]] && printf '# warning: trust is enabled for all connections\n'
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
  } >>"$PGDATA/pg_hba.conf"
}

psql_run() { # psql as POSTGRES_USER over the temporary server's socket, stopping at the first error
  PGHOST=/var/run/postgresql PGPORT="${PGPORT:-5432}" PGUSER="$POSTGRES_USER" PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}" \
    psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc "$@"
}

temp_server_start() {
  [[ ${1:-} == postgres ]] && shift
  # Unix socket only while initialising: nothing can connect over TCP before the scripts are done.
  set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
  PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

temp_server_stop() { PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -m fast -w stop; }

setup_db() {
  local exists
  exists="$(psql_run --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")"
  if [[ -z $exists ]]; then
    psql_run --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    echo "created database $POSTGRES_DB"
  fi
}

process_init_files() {
  local f
  echo
  for f in "$@"; do
    case "$f" in
      *.sh)
        if [[ -x $f ]]; then echo "$0: running $f"; "$f"
        else echo "$0: sourcing $f"; # shellcheck disable=SC1090
          . "$f"; fi ;;
      *.sql) echo "$0: running $f"; psql_run --dbname "$POSTGRES_DB" -f "$f"; echo ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | psql_run --dbname "$POSTGRES_DB"; echo ;;
      *) echo "$0: ignoring $f" ;;
    esac
  done
}

main() {
  # `docker run image -c foo=bar`: options for postgres.
  if [[ ${1:0:1} == - ]]; then set -- postgres "$@"; fi
  if [[ $1 == postgres ]] && ! printf '%s\n' "$@" | grep -qE '^(-C|--describe-config|-V|--version|--help|-\?)$'; then
    setup_env
    create_directories
    if [[ $(id -u) == 0 ]]; then
      # Root: drop to postgres and start over (upstream uses gosu; util-linux's setpriv does the same).
      exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
    fi
    if [[ -z $DATABASE_ALREADY_EXISTS ]]; then
      verify_minimum_env
      init_database_dir
      setup_hba_conf "$@"
      export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
      temp_server_start "$@"
      setup_db
      shopt -s nullglob
      process_init_files /docker-entrypoint-initdb.d/*
      shopt -u nullglob
      temp_server_stop
      unset PGPASSWORD
      echo
      echo 'PostgreSQL init process complete; ready for start up.'
      echo
    else
      echo
      echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
      echo
    fi
  fi
  exec "$@"
}

main "$@"
