#!/usr/bin/env bash
# The real node's processes and their resident memory: its components (by recorded pid), the
# containerd shims, and everything running in its pods (by the pods' cgroups). With the control
# plane's (hack/cluster/status.sh) this is the whole cluster's memory.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

total_kib=0
running=0
for name in "${NODE_COMPONENTS[@]}"; do
  if pid="$(node_running_pid "$name")"; then
    kib="$(rss_kib "$pid")"
    total_kib=$((total_kib + kib))
    running=$((running + 1))
    printf '%-24s running  pid %-8s RSS %5d MiB\n' "$name" "$pid" $((kib / 1024))
  else
    printf '%-24s stopped\n' "$name"
  fi
done

shim="$(readlink -m "$(tool_path containerd-shim-runc-v2)")"
shims=0 shim_kib=0
for exe in /proc/[0-9]*/exe; do
  if [[ "$(readlink "$exe" 2>/dev/null)" == "$shim" ]]; then
    pid="$(basename "$(dirname "$exe")")"
    shims=$((shims + 1)) shim_kib=$((shim_kib + $(rss_kib "$pid")))
  fi
done
printf '%-24s %d processes        RSS %5d MiB\n' containerd-shims "$shims" $((shim_kib / 1024))

pod_pids=0 pod_kib=0
if [[ -d /sys/fs/cgroup/pids$NODE_CGROUP_ROOT ]]; then
  while read -r pid; do
    [[ -n $pid ]] || continue
    pod_pids=$((pod_pids + 1)) pod_kib=$((pod_kib + $(rss_kib "$pid")))
  done < <(find "/sys/fs/cgroup/pids$NODE_CGROUP_ROOT" -name cgroup.procs -exec cat {} +)
fi
printf '%-24s %d processes        RSS %5d MiB\n' "pods (cgroup $NODE_CGROUP_ROOT)" "$pod_pids" $((pod_kib / 1024))
total_kib=$((total_kib + shim_kib + pod_kib))
printf '%-24s %d/%d running, RSS sum %d MiB\n' total "$running" "${#NODE_COMPONENTS[@]}" $((total_kib / 1024))
((running == ${#NODE_COMPONENTS[@]}))
