#!/usr/bin/env bash
# Which components of the local control plane run, their pids and resident memory.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

total_kib=0
running=0
for name in "${COMPONENTS[@]}"; do
  if pid="$(running_pid "$name")"; then
    rss_kib="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"
    total_kib=$((total_kib + rss_kib))
    running=$((running + 1))
    printf '%-24s running  pid %-8s RSS %5d MiB\n' "$name" "$pid" $((rss_kib / 1024))
  else
    printf '%-24s stopped\n' "$name"
  fi
done
printf '%-24s %d/%d running, RSS sum %d MiB\n' total "$running" "${#COMPONENTS[@]}" $((total_kib / 1024))
echo "kubeconfig: $KUBECONFIG_PATH   logs: $LOG_DIR"
((running == ${#COMPONENTS[@]}))
