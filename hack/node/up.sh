#!/usr/bin/env bash
# Starts the real node: containerd + kubelet + kube-proxy with CNI bridge networking, inside their
# own network namespace (as kind runs a node inside a container), joined to the local control plane
# (started first if needed), and CoreDNS for Service names. A node already running (pids recorded
# under ${TOURKIT_CACHE}/node/run) is kept; what a killed run left behind is removed first. On a
# machine that cannot run a node it says why before changing anything.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

STARTED_AT=$(date +%s)
since_start() { echo "$(($(date +%s) - STARTED_AT))s"; }
NODE_TOOLS=(containerd containerd-shim-runc-v2 ctr bridge host-local loopback portmap crictl kubelet kube-proxy kubectl)

# ---------------------------------------------------------------------------------------------
# Checks: decide whether this machine can run the node, before anything is changed.

# Debian packages the node needs, by the command that shows they are there.
declare -A DEBIAN_PACKAGES=([runc]=runc [iptables]=iptables [socat]=socat [nsenter]=util-linux)

# Prints one line per reason this machine cannot run the node; prints nothing when it can.
node_blockers() {
  if [[ $(id -u) != 0 ]]; then
    echo "not root: the node needs root for its network namespace, mounts and cgroups (run as root, or use kind on a Docker host)"
    return
  fi
  local controller
  for controller in cpu cpuacct memory pids; do
    if [[ ! -d /sys/fs/cgroup/$controller ]] && ! grep -qw "${controller%acct}" /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
      echo "no $controller cgroup controller under /sys/fs/cgroup: the kubelet cannot limit pods"
    fi
  done
  [[ -d /proc/sys/net/bridge ]] ||
    echo "no bridge netfilter (/proc/sys/net/bridge): load br_netfilter so Services work between pods of the node"
  local command
  for command in "${!DEBIAN_PACKAGES[@]}"; do
    command -v "$command" >/dev/null ||
      echo "$command is missing and could not be installed (Debian package ${DEBIAN_PACKAGES[$command]})"
  done
  # The veth's addresses must be free on the host (they are ours when our namespace exists).
  if ! ip netns list 2>/dev/null | grep -qw "$NODE_NETNS"; then
    local holder
    holder="$(ip -o addr show to "$NODE_HOST_IP" 2>/dev/null | awk '{ print $2 }')"
    [[ -z $holder ]] || echo "address $NODE_HOST_IP is already on $holder: set TOURKIT_NODE_HOST_IP and TOURKIT_NODE_IP to a free /30"
    ip link show "$NODE_VETH_HOST" >/dev/null 2>&1 &&
      echo "a link named $NODE_VETH_HOST exists and is not this node's: set TOURKIT_NODE_VETH"
  fi
  # The forwarder listens on the API server's port at the veth's host end.
  if ! node_running_pid apiserver-forwarder >/dev/null &&
    ss -Hltn "sport = :$APISERVER_PORT" 2>/dev/null | awk '{ print $4 }' | grep -qE "^($NODE_HOST_IP|0\.0\.0\.0|\*|\[::\]):"; then
    echo "port $APISERVER_PORT is taken on $NODE_HOST_IP (or on every address): the node's way to the API server"
  fi
}

install_missing_packages() {
  [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || return 0
  local missing=() command
  for command in "${!DEBIAN_PACKAGES[@]}"; do
    command -v "$command" >/dev/null || missing+=("${DEBIAN_PACKAGES[$command]}")
  done
  ((${#missing[@]})) || return 0
  log "installing Debian packages the node needs: ${missing[*]} (runc runs the containers, iptables holds kube-proxy's rules, socat relays to the API server)"
  local output
  # A fresh machine may have no package lists yet: read them once and try again.
  output="$(DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" 2>&1)" ||
    output="$(DEBIAN_FRONTEND=noninteractive apt-get update -q 2>&1 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" 2>&1)" ||
    log "apt-get install failed: $(tail -3 <<<"$output")"
}

ensure_tools() {
  local missing=() tool
  for tool in "${NODE_TOOLS[@]}"; do
    [[ -x $(tool_path "$tool") ]] || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    log "building missing tools: ${missing[*]}"
    "$HACK_DIR/tools/build.sh" "${missing[@]}"
  fi
}

# ---------------------------------------------------------------------------------------------
# State: running, absent, or left over from a run that was killed.

node_running() {
  local component
  for component in "${NODE_COMPONENTS[@]}"; do node_running_pid "$component" >/dev/null || return 1; done
  ip netns list | grep -qw "$NODE_NETNS"
}

node_leftovers() {
  ip netns list 2>/dev/null | grep -qw "$NODE_NETNS" && return 0
  compgen -G "$NODE_RUN_DIR/*.pid" >/dev/null && return 0
  grep -qF " $NODE_DIR/" /proc/self/mountinfo && return 0
  [[ -d /sys/fs/cgroup/memory$NODE_CGROUP_ROOT || -d /sys/fs/cgroup$NODE_CGROUP_ROOT/kubepods ]] && return 0
  [[ -f $NODE_RUN_DIR/sysctl.saved ]]
}

# ---------------------------------------------------------------------------------------------
# Actions.

save_host_sysctls() {
  local key
  for key in "${KUBELET_SYSCTLS[@]}"; do echo "$key=$(sysctl -n "$key")"; done >"$NODE_RUN_DIR/sysctl.saved"
}

# Directories outside the cache that up creates (ip netns add creates and mounts /run/netns;
# containerd's shims need /run/containerd/s): recorded when absent, so down removes only those.
record_host_dirs() {
  local dir
  for dir in "$@"; do [[ -e $dir ]] || echo "$dir" >>"$NODE_RUN_DIR/host-dirs"; done
}

create_network() {
  record_host_dirs /run/netns
  ip netns add "$NODE_NETNS"
  ip link add "$NODE_VETH_HOST" type veth peer name "$NODE_VETH_NODE" netns "$NODE_NETNS"
  ip addr add "$NODE_HOST_IP/$NODE_NET_PREFIX" dev "$NODE_VETH_HOST"
  ip link set "$NODE_VETH_HOST" up
  node_exec ip link set lo up
  node_exec ip addr add "$NODE_IP/$NODE_NET_PREFIX" dev "$NODE_VETH_NODE"
  node_exec ip link set "$NODE_VETH_NODE" up
  node_exec ip route add default via "$NODE_HOST_IP"
  # Routing between pods and Services happens inside the namespace only; the host keeps its own
  # ip_forward (and so never routes the node's traffic anywhere else).
  node_exec sysctl -qw net.ipv4.ip_forward=1
  # Pod -> Service -> pod on the same bridge needs bridged traffic to pass iptables (per namespace).
  node_exec sysctl -qw net.bridge.bridge-nf-call-iptables=1
  log "network namespace $NODE_NETNS: node $NODE_IP, host end $NODE_HOST_IP on $NODE_VETH_HOST ($(since_start))"
}

# start <component> <command...>: detached, in its own session, pid recorded; fails at once when
# the process exits at start.
start() {
  local name=$1; shift
  [[ -f $NODE_LOG_DIR/$name.log ]] && mv -f "$NODE_LOG_DIR/$name.log" "$NODE_LOG_DIR/$name.previous.log"
  setsid "$@" >"$NODE_LOG_DIR/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$NODE_RUN_DIR/$name.pid"
  started "$name"
}

# started <component>: waits until the recorded process runs the component's binary (nsenter and
# setsid exec it), or fails with the end of its log when it exits first.
started() {
  local name=$1 pid; pid="$(<"$NODE_RUN_DIR/$name.pid")"
  for _ in $(seq 1 100); do
    if node_running_pid "$name" >/dev/null; then
      log "$name started (pid $pid, log $NODE_LOG_DIR/$name.log)"
      return
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$NODE_LOG_DIR/$name.log" >&2
  die "$name exited at start (log: $NODE_LOG_DIR/$name.log)"
}

# wait_until <component> <description> <timeout-seconds> <command...>
wait_until() {
  local component=$1 what=$2 timeout=$3; shift 3
  local deadline=$(($(date +%s) + timeout)) next_note=$(($(date +%s) + 15))
  until "$@" >/dev/null 2>&1; do
    if ! node_running_pid "$component" >/dev/null; then
      tail -10 "$NODE_LOG_DIR/$component.log" >&2
      die "$component exited while waiting for $what (log: $NODE_LOG_DIR/$component.log)"
    fi
    (($(date +%s) > deadline)) && die "timed out after ${timeout}s waiting for $what (logs: $NODE_LOG_DIR)"
    if (($(date +%s) >= next_note)); then
      log "still waiting for $what ($(since_start))"
      next_note=$(($(date +%s) + 15))
    fi
    sleep 1
  done
  log "$what ($(since_start))"
}

write_configs() {
  mkdir -p "$NODE_CONFIG_DIR" "$CNI_CONF_DIR" "$CNI_STATE_DIR" "$KUBELET_ROOT" "$CONTAINERD_ROOT" "$CONTAINERD_STATE"
  local runc; runc="$(command -v runc)"
  cat >"$NODE_CONFIG_DIR/containerd.toml" <<EOF
# Generated by hack/node/up.sh.
version = 3
root = '$CONTAINERD_ROOT'
state = '$CONTAINERD_STATE'

[grpc]
  address = '$CONTAINERD_SOCKET'

[ttrpc]
  address = '$CONTAINERD_SOCKET.ttrpc'

[plugins]
  # Nothing of containerd's outside the node's own directories.
  [plugins.'io.containerd.internal.v1.opt']
    path = '$CONTAINERD_ROOT/opt'
  [plugins.'io.containerd.nri.v1.nri']
    disable = true

  [plugins.'io.containerd.cri.v1.images']
    snapshotter = 'overlayfs'
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = '$SANDBOX_IMAGE'

  [plugins.'io.containerd.cri.v1.runtime']
    # No CAP_SYS_RESOURCE here: containers may not get a lower oom_score_adj than containerd's.
    restrict_oom_score_adj = true
    # Pods' network namespaces are bind-mounted under the state directory, not /run/netns.
    netns_mounts_under_state_dir = true
    cdi_spec_dirs = []
    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      default_runtime_name = 'runc'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
        runtime_type = 'io.containerd.runc.v2'
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
          BinaryName = '$runc'
          SystemdCgroup = false
          # runc's state with the node's, not in /run/containerd/runc where another containerd keeps its own.
          Root = '$CONTAINERD_STATE/runc'
    [plugins.'io.containerd.cri.v1.runtime'.cni]
      bin_dirs = ['$(tool_dir cni-plugins)']
      conf_dir = '$CNI_CONF_DIR'

  [plugins.'io.containerd.grpc.v1.cri']
    stream_server_address = '127.0.0.1'
EOF

  cat >"$CNI_CONF_DIR/10-tourkit.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "tourkit",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$NODE_BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$CNI_STATE_DIR/ipam",
        "ranges": [[{ "subnet": "$NODE_POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true }, "snat": true }
  ]
}
EOF

  printf 'runtime-endpoint: unix://%s\nimage-endpoint: unix://%s\ntimeout: 30\n' "$CONTAINERD_SOCKET" "$CONTAINERD_SOCKET" \
    >"$NODE_CONFIG_DIR/crictl.yaml"

  # Pods resolve through CoreDNS; this file is what CoreDNS itself and dnsPolicy: Default pods
  # get. The node has no upstream resolver (no way out of the namespace), so it names none.
  echo "options ndots:1" >"$NODE_CONFIG_DIR/resolv.conf"

  cat >"$NODE_CONFIG_DIR/kubelet.yaml" <<EOF
# Generated by hack/node/up.sh.
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This host mounts cgroup v1 (a hybrid layout whose v2 hierarchy holds no controller).
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $NODE_CGROUP_ROOT
containerRuntimeEndpoint: unix://$CONTAINERD_SOCKET
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $PKI_DIR/kubelet-$NODE_NAME-serving.crt
tlsPrivateKeyFile: $PKI_DIR/kubelet-$NODE_NAME-serving.key
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $PKI_DIR/ca.crt }
authorization: { mode: Webhook }
clusterDNS: [$CLUSTER_DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: $NODE_CONFIG_DIR/resolv.conf
# Container logs under the node's directory (the kubelet still links them from /var/log/containers).
podLogsDir: $NODE_DIR/pod-logs
registerWithTaints:
  - { key: $NODE_TAINT_KEY, value: "true", effect: NoSchedule }
failSwapOn: false
# Images are built here and cannot be pulled again: never collect them, whatever the disk use.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# Evict only when the disk is really full (the cache shares the host's disk).
evictionHard: { memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2% }
serializeImagePulls: false
maxPods: 110
EOF

  cat >"$NODE_CONFIG_DIR/kube-proxy.yaml" <<EOF
# Generated by hack/node/up.sh.
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
hostnameOverride: $NODE_NAME
clientConnection: { kubeconfig: $PKI_DIR/kube-proxy.kubeconfig }
clusterCIDR: $NODE_POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# conntrack limits are global to the host: leave them as they are.
conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
EOF
}

start_containerd() {
  # Containers inherit containerd's open-files limit; more than this host's hard limit fails.
  local nofile=$NODE_NOFILE_LIMIT hard; hard="$(ulimit -Hn)"
  [[ $hard != unlimited ]] && ((hard < nofile)) && nofile=$hard
  # containerd's shim sockets; libcni's result cache (no setting moves it); the kubelet's links
  # to container logs.
  record_host_dirs "$(dirname "$SHIM_SOCKET_DIR")" "$SHIM_SOCKET_DIR" /var/lib/cni /var/lib/cni/results /var/log/containers
  mkdir -p "$SHIM_SOCKET_DIR"
  (
    ulimit -n "$nofile"
    # The built shim first: Debian's containerd package has an older one in /usr/bin.
    PATH="$(tool_dir containerd):$PATH" exec setsid nsenter --net="/run/netns/$NODE_NETNS" -- \
      "$(tool_path containerd)" --config "$NODE_CONFIG_DIR/containerd.toml"
  ) >"$NODE_LOG_DIR/containerd.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$NODE_RUN_DIR/containerd.pid"
  started containerd
  wait_until containerd "containerd serving CRI on $CONTAINERD_SOCKET" 60 \
    "$(tool_path crictl)" --config "$NODE_CONFIG_DIR/crictl.yaml" info
  ensure_image "$SANDBOX_IMAGE" pause "no pod can start" || true
}

node_has_image() { "$(tool_path ctr)" --address "$CONTAINERD_SOCKET" -n k8s.io images ls -q 2>/dev/null | grep -qxF "$1"; }

# ensure_image <name> <hack/images target> <what is missing without it>: images are built here
# (hack/images), never pulled; a missing one is built into the node's store when hack/images exists.
ensure_image() {
  local image=$1 target=$2 consequence=$3
  node_has_image "$image" && return 0
  if [[ -x $HACK_DIR/images/build.sh ]]; then
    log "building the image $image into the node (hack/images/build.sh $target)"
    CONTAINERD_ADDRESS="$CONTAINERD_SOCKET" "$HACK_DIR/images/build.sh" "$target" && node_has_image "$image" && return 0
  fi
  log "warning: $image is not in the node's image store: $consequence (build it: hack/images/build.sh $target)"
  return 1
}

# The kubelet wants its cgroup root to exist in every hierarchy; a new cpuset cgroup starts with no
# CPUs and no memory nodes, so it gets its parent's.
create_cgroups() {
  local hierarchy
  for hierarchy in /sys/fs/cgroup/*/; do
    mountpoint -q "$hierarchy" || continue
    mkdir -p "$hierarchy${NODE_CGROUP_ROOT#/}"
  done
  if [[ -f /sys/fs/cgroup/cpuset/cpuset.cpus ]]; then
    cp /sys/fs/cgroup/cpuset/cpuset.cpus "/sys/fs/cgroup/cpuset$NODE_CGROUP_ROOT/cpuset.cpus"
    cp /sys/fs/cgroup/cpuset/cpuset.mems "/sys/fs/cgroup/cpuset$NODE_CGROUP_ROOT/cpuset.mems"
  fi
}

start_kubelet() {
  create_cgroups
  # The API server's own identity may call the kubelet (logs, exec, port-forward), as kubeadm sets up.
  kubectl_local apply --server-side --force-conflicts -f "$HACK_DIR/node/manifests/node-rbac.yaml" >/dev/null
  start kubelet nsenter --net="/run/netns/$NODE_NETNS" -- "$(tool_path kubelet)" \
    --config="$NODE_CONFIG_DIR/kubelet.yaml" \
    --kubeconfig="$PKI_DIR/kubelet-$NODE_NAME.kubeconfig" \
    --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" \
    --node-labels="$NODE_LABEL_KEY=$NODE_LABEL_VALUE" \
    --root-dir="$KUBELET_ROOT" --cert-dir="$KUBELET_ROOT/pki" \
    --v=1
  wait_until kubelet "node $NODE_NAME registered and Ready" 120 node_ready
}

node_ready() {
  [[ "$(kubectl_local get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}

start_kube_proxy() {
  start kube-proxy nsenter --net="/run/netns/$NODE_NETNS" -- "$(tool_path kube-proxy)" \
    --config="$NODE_CONFIG_DIR/kube-proxy.yaml"
  wait_until kube-proxy "kube-proxy healthy" 60 node_exec curl -fsS http://127.0.0.1:10256/healthz
}

start_forwarder() {
  start apiserver-forwarder socat \
    "TCP-LISTEN:$APISERVER_PORT,bind=$NODE_HOST_IP,reuseaddr,fork" "TCP:127.0.0.1:$APISERVER_PORT"
  wait_until apiserver-forwarder "API server reachable from the node at https://$NODE_HOST_IP:$APISERVER_PORT" 30 \
    node_exec curl -fsS --cacert "$PKI_DIR/ca.crt" "https://$NODE_HOST_IP:$APISERVER_PORT/readyz"
}

start_coredns() {
  ensure_image "$COREDNS_IMAGE" coredns "CoreDNS not deployed, Service names do not resolve" || return 0
  CLUSTER_DNS_IP="$CLUSTER_DNS_IP" CLUSTER_DOMAIN="$CLUSTER_DOMAIN" COREDNS_IMAGE="$COREDNS_IMAGE" \
    NODE_TAINT_KEY="$NODE_TAINT_KEY" NODE_LABEL_KEY="$NODE_LABEL_KEY" NODE_LABEL_VALUE="$NODE_LABEL_VALUE" \
    envsubst '${CLUSTER_DNS_IP} ${CLUSTER_DOMAIN} ${COREDNS_IMAGE} ${NODE_TAINT_KEY} ${NODE_LABEL_KEY} ${NODE_LABEL_VALUE}' \
    <"$HACK_DIR/node/manifests/coredns.yaml" | kubectl_local apply --server-side --force-conflicts -f - >/dev/null
  wait_until kubelet "CoreDNS available at $CLUSTER_DNS_IP" 180 \
    kubectl_local -n kube-system wait --for=condition=Available --timeout=5s deployment/coredns
}

# The StorageClass and PersistentVolumes the platform's StatefulSets claim (kind's `standard` class
# is a local-path provisioner; here the volumes are made in advance): hostPath directories on the
# node, open to any user since the images run as their own non-root users.
provide_volumes() {
  local i name manifest
  # A volume whose claim is gone is emptied and offered again (kind's class deletes it with its claim).
  for name in $(kubectl_local get persistentvolumes -l "$NODE_LABEL_KEY=$NODE_LABEL_VALUE" \
    -o jsonpath='{range .items[?(@.status.phase=="Released")]}{.metadata.name}{"\n"}{end}'); do
    kubectl_local delete persistentvolume "$name" >/dev/null
    rm -rf "${NODE_VOLUME_DIR:?}/$name"
  done
  manifest="apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  labels: { $NODE_LABEL_KEY: $NODE_LABEL_VALUE }
  annotations: { storageclass.kubernetes.io/is-default-class: 'true' }
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Retain
"
  for i in $(seq -w 1 "$NODE_VOLUMES"); do
    name="$NODE_NAME-pv-$i"
    mkdir -p "$NODE_VOLUME_DIR/$name"
    chmod 0777 "$NODE_VOLUME_DIR/$name"
    manifest+="---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: $name
  labels: { $NODE_LABEL_KEY: $NODE_LABEL_VALUE }
spec:
  capacity: { storage: 10Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: standard
  hostPath: { path: $NODE_VOLUME_DIR/$name, type: Directory }
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{ key: kubernetes.io/hostname, operator: In, values: [$NODE_NAME] }]
"
  done
  kubectl_local apply --server-side --force-conflicts -f - <<<"$manifest" >/dev/null
  log "$NODE_VOLUMES local volumes (StorageClass standard) under $NODE_VOLUME_DIR"
}

on_failure() {
  local status=$?
  trap - EXIT
  ((status != 0)) || return 0
  log "the node did not start; removing what this attempt started (logs kept in $NODE_LOG_DIR)"
  "$HACK_DIR/node/down.sh" --keep-logs >&2 || true
  exit "$status"
}

main() {
  # Whether this machine can run a node is decided before anything is written.
  install_missing_packages
  # `up.sh --packages`: only the Debian packages (the lifecycle test reads the host's iptables before
  # any node has run, so iptables-save must exist by then).
  [[ ${1:-} != --packages ]] || return 0
  local blockers; blockers="$(node_blockers)"
  if [[ -n $blockers ]]; then
    log "this machine cannot run the real node:"
    while read -r line; do log "  - $line"; done <<<"$blockers"
    exit 1
  fi
  mkdir -p "$NODE_RUN_DIR" "$NODE_LOG_DIR"
  exec 9>"$NODE_DIR/.up.lock"
  flock 9
  ensure_tools
  "$HACK_DIR/cluster/up.sh"
  if node_running && node_ready; then
    log "node $NODE_NAME already running (containerd pid $(node_running_pid containerd), kubelet pid $(node_running_pid kubelet))"
    provide_volumes
    start_coredns
    return
  fi
  if node_leftovers; then
    log "removing what a previous node run left behind"
    "$HACK_DIR/node/down.sh" --keep-logs
    # down removes the run directory with the rest: this start records its pids and settings there.
    mkdir -p "$NODE_RUN_DIR" "$NODE_LOG_DIR"
  fi
  trap on_failure EXIT
  log "starting node $NODE_NAME"
  "$HACK_DIR/cluster/pki.sh" node "$NODE_NAME" "$NODE_IP"
  save_host_sysctls
  write_configs
  create_network
  start_forwarder
  start_containerd
  start_kubelet
  start_kube_proxy
  provide_volumes
  start_coredns
  trap - EXIT
  log "node $NODE_NAME ready in $(since_start): kubelet $KUBE_VERSION, containerd $CONTAINERD_VERSION, node IP $NODE_IP"
  log "  pods:    kubectl get pods -A -o wide --field-selector spec.nodeName=$NODE_NAME"
  log "  crictl:  $(tool_path crictl) --config $NODE_CONFIG_DIR/crictl.yaml ps"
  log "  logs:    $NODE_LOG_DIR/<component>.log"
  log "  stop:    make node-down"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
