#!/usr/bin/env bash
# Stops the processes hack/cluster/up.sh started (by the pids it recorded, newest first) and
# removes the cluster's data, so the next start is a fresh cluster. Certificates and logs stay.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

stop() {
  local name=$1 pid
  if ! pid="$(running_pid "$name")"; then
    rm -f "$RUN_DIR/$name.pid"
    return
  fi
  kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) did not stop within 10s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$name.pid"
  log "$name stopped (pid $pid)"
}

for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
  stop "${COMPONENTS[i]}"
done
rm -rf "$DATA_DIR" "$RUN_DIR"
log "local control plane stopped; data removed (logs kept in $LOG_DIR)"
