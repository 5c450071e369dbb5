#!/usr/bin/env bash
# Prints the real node's settings as KEY=value lines (read by @tourkit/testenv and make up), so
# hack/node/config.sh stays the one place they are defined.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"
cat <<SETTINGS
NODE_NAME=$NODE_NAME
NODE_NETNS=$NODE_NETNS
NODE_IP=$NODE_IP
NODE_HOST_IP=$NODE_HOST_IP
NODE_VETH_HOST=$NODE_VETH_HOST
NODE_DIR=$NODE_DIR
NODE_CGROUP_ROOT=$NODE_CGROUP_ROOT
NODE_POD_CIDR=$NODE_POD_CIDR
CONTAINERD_SOCKET=$CONTAINERD_SOCKET
SANDBOX_IMAGE=$SANDBOX_IMAGE
COREDNS_IMAGE=$COREDNS_IMAGE
CLUSTER_DNS_IP=$CLUSTER_DNS_IP
NODE_TAINT_KEY=$NODE_TAINT_KEY
NODE_LABEL=$NODE_LABEL_KEY=$NODE_LABEL_VALUE
KUBELET_SYSCTLS=${KUBELET_SYSCTLS[*]}
BINARIES=$(for b in containerd containerd-shim-runc-v2 ctr kubelet kube-proxy crictl; do printf '%s ' "$(tool_path "$b")"; done)$(command -v socat || true) $(command -v runc || true)
CRICTL=$(tool_path crictl)
CTR=$(tool_path ctr)
SETTINGS
node_namespace_annotations | sed 's/^/NAMESPACE_ANNOTATION=/'
