# Settings of the real node (hack/node): one kubelet + containerd + kube-proxy joined to the local
# control plane, run inside their own network namespace. Every value can be overridden from the
# environment.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../cluster/config.sh"

NODE_NAME="${TOURKIT_NODE_NAME:-tourkit-node}"
NODE_NETNS="${TOURKIT_NODE_NETNS:-tourkit-node}"
NODE_DIR="$TOURKIT_CACHE/node"
NODE_RUN_DIR="$NODE_DIR/run"          # one <component>.pid per process up started; sockets; saved host settings
NODE_LOG_DIR="$NODE_DIR/logs"
NODE_CONFIG_DIR="$NODE_DIR/config"    # generated configuration (containerd, kubelet, kube-proxy, CNI)
KUBELET_ROOT="$NODE_DIR/kubelet"      # pod volumes: kubelet mounts them here
CONTAINERD_ROOT="$NODE_DIR/containerd" # images and snapshots: kept by `down` unless TOURKIT_NODE_PURGE=1
CONTAINERD_STATE="$NODE_RUN_DIR/containerd"
CONTAINERD_SOCKET="$CONTAINERD_STATE/containerd.sock"
CNI_CONF_DIR="$NODE_CONFIG_DIR/cni"
CNI_STATE_DIR="$NODE_DIR/cni"         # host-local IPAM leases
# containerd 2.x puts its shims' sockets under /run/containerd/s whatever its state directory is.
SHIM_SOCKET_DIR=/run/containerd/s

# The veth pair between the host and the node's namespace: the host end is the node's way to the
# API server (a forwarder listens there), the node end is the node's InternalIP.
NODE_VETH_HOST="${TOURKIT_NODE_VETH:-tk-node0}"
NODE_VETH_NODE=eth0
# NODE_HOST_IP (hack/cluster/config.sh): the host's end, where the API server is reached.
NODE_IP="${TOURKIT_NODE_IP:-10.254.0.2}"
NODE_NET_PREFIX=30
# Real pods' addresses: apart from the 10.244.0.0/16 that kwok hands to simulated pods.
NODE_POD_CIDR="${TOURKIT_NODE_POD_CIDR:-10.245.0.0/24}"
NODE_BRIDGE=cni0
CLUSTER_DNS_IP="$(awk -F. '{ print $1 "." $2 "." $3 "." $4 + 10 }' <<<"${SERVICE_CIDR%/*}")"
CLUSTER_DOMAIN=cluster.local
# Cgroup parent of every pod (cgroupfs driver): removed by `down` once the pods are gone.
NODE_CGROUP_ROOT="/$NODE_NAME"
# The sandbox image the kubelet and containerd agree on (built here by hack/images, never pulled).
SANDBOX_IMAGE="${TOURKIT_SANDBOX_IMAGE:-registry.k8s.io/pause:3.10.2}"
COREDNS_IMAGE="${TOURKIT_COREDNS_IMAGE:-tourkit.local/coredns:$COREDNS_VERSION}"

# How workloads find (or avoid) the real node: it registers with this taint and label. The kwok
# tests' pods carry no toleration, so they never land here; a namespace annotated by
# node_namespace_annotations gets the toleration and the selector from the API server's
# PodTolerationRestriction and PodNodeSelector admission plugins, so its pods land only here.
NODE_TAINT_KEY=tourkit.dev/real-node
NODE_LABEL_KEY=tourkit.dev/node
NODE_LABEL_VALUE=real

# Local volumes, as kind's local-path provisioner gives them: a default StorageClass `standard`
# and this many pre-made PersistentVolumes, directories under the node's directory (up makes them,
# down deletes them with their data).
NODE_VOLUMES="${TOURKIT_NODE_VOLUMES:-16}"
NODE_VOLUME_DIR="$NODE_DIR/volumes"

# Open files a container may have: this host's hard limit is 20000 and a container asking for more
# fails to start, so containerd (whose limit containers inherit) runs with at most this.
NODE_NOFILE_LIMIT="${TOURKIT_NODE_NOFILE:-20000}"

# Start order; down stops them in reverse. apiserver-forwarder is a socat on the host end of the
# veth to the loopback-only API server.
NODE_COMPONENTS=(apiserver-forwarder containerd kubelet kube-proxy)

# Global host settings the kubelet changes at start (its container manager's kernel tunables);
# up records their values and down puts them back.
KUBELET_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes)

node_exec() { nsenter --net="/run/netns/$NODE_NETNS" -- "$@"; }

node_binary() {
  case "$1" in
    apiserver-forwarder | forward-*) command -v socat ;;
    *) tool_path "$1" ;;
  esac
}

# The pid recorded for a node component, if that process still runs that component's binary.
node_running_pid() {
  local pid_file="$NODE_RUN_DIR/$1.pid" pid binary
  [[ -f $pid_file ]] || return 1
  pid="$(<"$pid_file")"
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  binary="$(node_binary "$1")" || return 1
  [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == "$(readlink -m "$binary")" ]] || return 1
  echo "$pid"
}

# Annotations that pin a namespace's pods to the real node (see NODE_TAINT_KEY above).
node_namespace_annotations() {
  printf '%s\n' \
    "scheduler.alpha.kubernetes.io/node-selector=$NODE_LABEL_KEY=$NODE_LABEL_VALUE" \
    "scheduler.alpha.kubernetes.io/defaultTolerations=[{\"key\":\"$NODE_TAINT_KEY\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"
}
