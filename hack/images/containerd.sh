#!/usr/bin/env bash
# A standalone containerd for building and trying images where no local node runs (its containerd is
# the one `make up` starts): root, state and socket under ${TOURKIT_CACHE}/images/containerd/, in the
# host's network namespace, no CRI plugin. Usage: hack/images/containerd.sh start|stop|status|socket
# `start` prints the socket path (what CONTAINERD_ADDRESS takes); `stop` stops the process it started
# (by its recorded pid) and keeps the image store; `stop --purge` removes the store too.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

DIR="$TOURKIT_CACHE/images/containerd"
SOCKET="$DIR/containerd.sock"
PIDFILE="$DIR/containerd.pid"

running_pid() {
  [[ -f $PIDFILE ]] || return 1
  local pid; pid="$(cat "$PIDFILE")"
  [[ -d /proc/$pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == containerd ]] || return 1
  echo "$pid"
}

start() {
  [[ $(id -u) == 0 ]] || die "containerd needs root (it mounts overlay filesystems and runs runc)"
  local containerd; containerd="$(image_tool containerd)"
  ensure_command runc runc   # containerd's shim runs containers with it (Debian's runc works here)
  if pid="$(running_pid)"; then
    log "containerd already running (pid $pid, $SOCKET)"
    echo "$SOCKET"; return
  fi
  mkdir -p "$DIR/root" "$DIR/state"
  cat >"$DIR/config.toml" <<TOML
version = 3
root = "$DIR/root"
state = "$DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCKET"
[ttrpc]
  address = "$SOCKET.ttrpc"
TOML
  log "starting containerd ($containerd, log: $DIR/containerd.log)"
  # Its own shim first on PATH: a distribution's containerd-shim-runc-v2 may be older than the daemon.
  PATH="$(dirname "$containerd"):$PATH" setsid "$containerd" --config "$DIR/config.toml" \
    >"$DIR/containerd.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local ctr; ctr="$(image_tool ctr)"
  for _ in $(seq 1 60); do
    if "$ctr" --address "$SOCKET" version >/dev/null 2>&1; then
      log "containerd ready (pid $(cat "$PIDFILE"))"; echo "$SOCKET"; return
    fi
    running_pid >/dev/null || { tail -20 "$DIR/containerd.log" >&2; die "containerd exited at start"; }
    sleep 0.5
  done
  die "containerd did not answer on $SOCKET within 30 s (log: $DIR/containerd.log)"
}

stop() {
  if pid="$(running_pid)"; then
    log "stopping containerd (pid $pid)"
    kill "$pid"
    for _ in $(seq 1 40); do [[ -d /proc/$pid ]] || break; sleep 0.25; done
    [[ -d /proc/$pid ]] && { log "containerd still running after 10 s; killing it"; kill -9 "$pid"; }
  else
    log "containerd is not running"
  fi
  rm -f "$PIDFILE"
  # containerd 2.x mounts snapshots for its own short tasks (diffs, `ctr images mount`) under its
  # state; one can outlive the daemon. Deepest first, so nested mounts come off before their parents.
  local mount
  while read -r mount; do
    log "unmounting $mount (left by containerd)"
    umount "$mount" || umount --lazy "$mount"
  done < <(awk -v d="$DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
  if [[ ${1:-} == --purge ]]; then
    # Snapshots are overlay mounts while containers run; none should be left once the daemon is gone.
    if grep -q " $DIR/" /proc/self/mounts; then die "mounts remain under $DIR; not removing it"; fi
    rm -rf "$DIR"; log "removed $DIR"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  status) if pid="$(running_pid)"; then echo "running (pid $pid, $SOCKET)"; else echo "stopped"; exit 1; fi ;;
  socket) echo "$SOCKET" ;;
  *) die "usage: hack/images/containerd.sh start|stop [--purge]|status|socket" ;;
esac
