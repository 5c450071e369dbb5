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
  stop_component "$name" "$pid"
  rm -f "$RUN_DIR/$name.pid"
  log "$name stopped (pid $pid)"
}

for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
  stop "${COMPONENTS[i]}"
done
rm -rf "$DATA_DIR" "$RUN_DIR"
log "local control plane stopped; data removed (logs kept in $LOG_DIR)"
