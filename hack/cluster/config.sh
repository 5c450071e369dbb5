# Settings of the local control plane. Every value can be overridden from the environment.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

CLUSTER_DIR="$TOURKIT_CACHE/cluster"
PKI_DIR="$CLUSTER_DIR/pki"
RUN_DIR="$CLUSTER_DIR/run"        # one <component>.pid per process this cluster started
LOG_DIR="$CLUSTER_DIR/logs"
DATA_DIR="$CLUSTER_DIR/data"      # etcd data: removed by cluster-local-down
KUBECONFIG_PATH="$CLUSTER_DIR/kubeconfig"

# Loopback ports chosen away from the usual 2379/6443/10250 so a real cluster on the host does not clash.
ETCD_CLIENT_PORT="${TOURKIT_ETCD_PORT:-12379}"
ETCD_PEER_PORT="${TOURKIT_ETCD_PEER_PORT:-12380}"
APISERVER_PORT="${TOURKIT_APISERVER_PORT:-16443}"
CONTROLLER_MANAGER_PORT="${TOURKIT_CONTROLLER_MANAGER_PORT:-16257}"
SCHEDULER_PORT="${TOURKIT_SCHEDULER_PORT:-16259}"
KWOK_PORT="${TOURKIT_KWOK_PORT:-16250}"                   # the fake kubelets' endpoint (/metrics/nodes/<node>/...)
METRICS_SERVER_PORT="${TOURKIT_METRICS_SERVER_PORT:-16451}"

FAKE_NODES="${TOURKIT_FAKE_NODES:-3}"
FAKE_NODE_CPU="${TOURKIT_FAKE_NODE_CPU:-8}"
FAKE_NODE_MEMORY="${TOURKIT_FAKE_NODE_MEMORY:-32Gi}"
# Every container of the platform requests ephemeral storage, so the fake nodes must offer some.
FAKE_NODE_EPHEMERAL_STORAGE="${TOURKIT_FAKE_NODE_EPHEMERAL_STORAGE:-100Gi}"
SERVICE_CIDR="${TOURKIT_SERVICE_CIDR:-10.96.0.0/16}"
POD_CIDR="${TOURKIT_POD_CIDR:-10.244.0.0/16}"
# Test-sized autoscaling loop: the HPA controller re-evaluates every few seconds, metrics-server
# scrapes every 10 s (its minimum), and scale-down waits 30 s unless an HPA's behavior says otherwise.
HPA_SYNC_PERIOD="${TOURKIT_HPA_SYNC_PERIOD:-5s}"
HPA_DOWNSCALE_STABILIZATION="${TOURKIT_HPA_DOWNSCALE_STABILIZATION:-30s}"
METRIC_RESOLUTION="${TOURKIT_METRIC_RESOLUTION:-10s}"

APISERVER_URL="https://127.0.0.1:$APISERVER_PORT"
# The host's end of the real node's veth (hack/node): the API server advertises this address (the
# `kubernetes` Service's endpoint, which pods use) and a forwarder there relays to the loopback
# port. Set here because the API server's flags and certificate name it even before a node exists.
NODE_HOST_IP="${TOURKIT_NODE_HOST_IP:-10.254.0.1}"
KWOK_MODULE_DIR="" # set by kwok_module_dir: kwok's manifests (CRDs, stages, metrics) come from its Go module

# Start order; down stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok metrics-server)

kwok_module_dir() {
  command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
  GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}

# fake_nodes_manifest [taint]: Nodes that kwok manages (annotation kwok.x-k8s.io/node=fake) and
# whose resource metrics it serves at the path metrics-server reads from the annotation below.
fake_nodes_manifest() {
  local taint=${1:-}
  for i in $(seq 1 "$FAKE_NODES"); do
    local name="kwok-node-$i"
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: $name
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
    metrics.k8s.io/resource-metrics-path: /metrics/nodes/$name/metrics/resource
  labels:
    type: kwok
    kubernetes.io/hostname: $name
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    node-role.kubernetes.io/agent: ""
EOF
    [[ -n $taint ]] && printf 'spec:\n  taints: [{ key: kwok.x-k8s.io/node, value: fake, effect: NoSchedule }]\n'
    cat <<EOF
status:
  allocatable: { cpu: "$FAKE_NODE_CPU", memory: $FAKE_NODE_MEMORY, ephemeral-storage: $FAKE_NODE_EPHEMERAL_STORAGE, pods: "110" }
  capacity: { cpu: "$FAKE_NODE_CPU", memory: $FAKE_NODE_MEMORY, ephemeral-storage: $FAKE_NODE_EPHEMERAL_STORAGE, pods: "110" }
  nodeInfo: { architecture: amd64, operatingSystem: linux, kubeletVersion: $KUBE_VERSION }
EOF
  done
}

kubectl_local() { "$(tool_path kubectl)" --kubeconfig "$KUBECONFIG_PATH" "$@"; }

# stop_component <name> <pid>: TERM, then KILL after 10 s.
stop_component() {
  local name=$1 pid=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  log "$name (pid $pid) did not stop within 10s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# The pid recorded for a component, if that process is still the one we started.
running_pid() {
  local pid_file="$RUN_DIR/$1.pid" pid
  [[ -f $pid_file ]] || return 1
  pid="$(<"$pid_file")"
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  # Guard against pid reuse: the process must still run our binary.
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(tool_path "$1")" || return 1
  echo "$pid"
}
