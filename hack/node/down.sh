#!/usr/bin/env bash
# Stops the real node and removes everything hack/node/up.sh added to the host: its processes (by
# the pids it recorded; then the containers' shims and processes, found by our shim binary and our
# pods' cgroups), its mounts (pod volumes, container root filesystems, pod network namespaces), the
# network namespace (with the veth, the bridge and every iptables rule in it), its cgroups, the
# host settings the kubelet changed, its Node and CoreDNS objects, and its data. Logs stay; the
# image store (${TOURKIT_CACHE}/node/containerd) stays too unless TOURKIT_NODE_PURGE=1, so the
# next start does not rebuild every image. Safe to run when nothing (or half of it) is running.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

[[ $(id -u) == 0 ]] || die "the real node is root's: run make node-down as root"

api_reachable() { kubectl_local get --raw /readyz >/dev/null 2>&1; }

stop_recorded() {
  local name=$1 pid
  if pid="$(node_running_pid "$name")"; then
    stop_component "$name" "$pid"
    log "$name stopped (pid $pid)"
  fi
  rm -f "$NODE_RUN_DIR/$name.pid"
}

remove_pods() {
  local pid
  pid="$(node_running_pid containerd)" || return 0
  local crictl=("$(tool_path crictl)" --config "$NODE_CONFIG_DIR/crictl.yaml" --runtime-endpoint "unix://$CONTAINERD_SOCKET" --timeout 30s)
  local pods; mapfile -t pods < <("${crictl[@]}" pods -q 2>/dev/null || true)
  ((${#pods[@]} > 0)) || return 0
  log "stopping and removing ${#pods[@]} pod sandboxes"
  "${crictl[@]}" stopp "${pods[@]}" >/dev/null 2>&1 || true
  "${crictl[@]}" rmp -f -a >/dev/null 2>&1 || true
}

# Processes up did not record but that are the node's: containerd's shims (our binary) and
# anything left in the pods' cgroups.
kill_leftover_processes() {
  local shim pids=() pid
  shim="$(readlink -m "$(tool_path containerd-shim-runc-v2)")"
  for exe in /proc/[0-9]*/exe; do
    [[ "$(readlink "$exe" 2>/dev/null)" == "$shim" ]] && pids+=("$(basename "$(dirname "$exe")")")
  done
  local procs
  for procs in /sys/fs/cgroup/*"$NODE_CGROUP_ROOT"; do
    [[ -d $procs ]] || continue
    while read -r pid; do [[ -n $pid ]] && pids+=("$pid"); done < <(find "$procs" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  ((${#pids[@]})) || return 0
  log "killing ${#pids[@]} leftover container and shim processes (pids ${pids[*]})"
  kill -KILL "${pids[@]}" 2>/dev/null || true
  sleep 0.5
}

# Mount points under a directory, deepest first (mountinfo field 5; our paths hold no spaces).
mounts_under() { awk -v dir="$1/" 'index($5, dir) == 1 || $5 == substr(dir, 1, length(dir) - 1) { print $5 }' /proc/self/mountinfo | sort -r -u; }

unmount_all() {
  local pass mount count
  for pass in 1 2 3 4 5; do
    count=0
    while read -r mount; do
      [[ -n $mount ]] || continue
      umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true
      count=$((count + 1))
    done < <(mounts_under "$NODE_DIR")
    ((count == 0)) && return 0
    ((pass == 1)) && log "unmounted $count pod volumes, root filesystems and namespaces under $NODE_DIR"
  done
  [[ -z "$(mounts_under "$NODE_DIR")" ]]
}

remove_cgroups() {
  local root
  for root in /sys/fs/cgroup/*"$NODE_CGROUP_ROOT" "/sys/fs/cgroup$NODE_CGROUP_ROOT"; do
    [[ -d $root ]] || continue
    find "$root" -depth -type d -exec rmdir {} + 2>/dev/null || true
    [[ -d $root ]] && log "warning: cgroup $root could not be removed (processes left in it?)"
  done
  return 0
}

restore_sysctls() {
  local saved="$NODE_RUN_DIR/sysctl.saved"
  [[ -f $saved ]] || return 0
  local line
  while read -r line; do [[ -n $line ]] && sysctl -qw "$line" >/dev/null; done <"$saved"
  log "host settings the kubelet changes are back as they were: $(tr '\n' ' ' <"$saved")"
  rm -f "$saved"
}

# What the node leaves in shared host directories: libcni's cached results of its network, the
# kubelet's links to its container logs.
remove_host_files() {
  rm -f /var/lib/cni/results/tourkit-* 2>/dev/null || true
  local link
  for link in /var/log/containers/*.log; do
    [[ -L $link && "$(readlink "$link")" == "$NODE_DIR/"* ]] && rm -f "$link"
  done
  return 0
}

# Host directories up created outside the cache (recorded as it created them).
remove_host_dirs() {
  local marker="$NODE_RUN_DIR/host-dirs"
  [[ -f $marker ]] || return 0
  local dir
  while read -r dir; do
    [[ -n $dir && -d $dir ]] || continue
    if mountpoint -q "$dir" && [[ -z "$(ls -A "$dir")" ]]; then umount "$dir" 2>/dev/null || true; fi
    rmdir "$dir" 2>/dev/null || true
  done < <(sort -r "$marker")
  rm -f "$marker"
}

main() {
  mkdir -p "$NODE_RUN_DIR"
  exec 9>"$NODE_DIR/.up.lock"
  [[ ${1:-} == --keep-logs ]] || flock 9  # called from a failed up.sh, which holds the lock

  stop_recorded kubelet
  remove_pods
  local name
  for ((i = ${#NODE_COMPONENTS[@]} - 1; i >= 0; i--)); do
    [[ ${NODE_COMPONENTS[i]} == kubelet ]] || stop_recorded "${NODE_COMPONENTS[i]}"
  done
  # Processes others started against this node and recorded here (e.g. hack/images' buildkitd).
  for pid_file in "$NODE_RUN_DIR"/*.pid; do
    [[ -f $pid_file ]] || continue
    name="$(basename "$pid_file" .pid)"
    stop_recorded "$name"
  done
  kill_leftover_processes
  unmount_all || die "mounts under $NODE_DIR could not be removed; data left in place: $(mounts_under "$NODE_DIR" | tr '\n' ' ')"
  if ip netns list | grep -qw "$NODE_NETNS"; then
    ip netns del "$NODE_NETNS"
    log "network namespace $NODE_NETNS removed (veth, bridge, iptables rules with it)"
  fi
  ip link del "$NODE_VETH_HOST" 2>/dev/null || true
  remove_cgroups
  restore_sysctls
  remove_host_files
  remove_host_dirs

  if api_reachable; then
    kubectl_local delete node "$NODE_NAME" --ignore-not-found --wait=false >/dev/null
    kubectl_local -n kube-system delete deployment/coredns service/kube-dns configmap/coredns serviceaccount/coredns \
      --ignore-not-found --wait=false >/dev/null
    kubectl_local delete persistentvolumes,storageclasses -l "$NODE_LABEL_KEY=$NODE_LABEL_VALUE" \
      --ignore-not-found --wait=false >/dev/null
  fi

  rm -rf "$KUBELET_ROOT" "$CNI_STATE_DIR" "$NODE_CONFIG_DIR" "$CONTAINERD_STATE" "$NODE_DIR/pod-logs" "$NODE_VOLUME_DIR"
  if [[ ${TOURKIT_NODE_PURGE:-0} == 1 ]]; then
    rm -rf "$CONTAINERD_ROOT"
    log "image store removed (TOURKIT_NODE_PURGE=1)"
  fi
  rm -rf "$NODE_RUN_DIR"
  log "node $NODE_NAME stopped and removed (logs kept in $NODE_LOG_DIR$([[ -d $CONTAINERD_ROOT ]] && echo ", images in $CONTAINERD_ROOT"))"
}

main "$@"
