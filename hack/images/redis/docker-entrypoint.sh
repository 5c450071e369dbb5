#!/bin/sh
# Starts Redis as the official redis image does: arguments that begin with "-" (or a *.conf file)
# are redis-server's; as root, drop to the redis user; protected mode off, since the official image
# compiles it off and a pod is reached from other pods, not from loopback (the manifests' default-deny
# NetworkPolicies, not protected mode, decide who may connect). A later --protected-mode wins.
set -e

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

if [ "$1" = redis-server ]; then
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
  fi
  shift
  if [ "${1%.conf}" != "${1:-}" ] && [ -n "${1:-}" ]; then
    config=$1; shift
    set -- redis-server "$config" --protected-mode no "$@"
  else
    set -- redis-server --protected-mode no "$@"
  fi
  # Files Redis writes (RDB, AOF) readable by its user only, unless a umask was chosen.
  if [ "$(umask)" = 0022 ]; then umask 0077; fi
fi

exec "$@"
