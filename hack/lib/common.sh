# Shared by hack/tools and hack/cluster scripts: cache location, pinned versions, tool paths, logging.
# shellcheck shell=bash
HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOURKIT_CACHE="${TOURKIT_CACHE:-$HOME/.cache/tourkit}"
TOOLS_DIR="$TOURKIT_CACHE/tools"
# shellcheck source=../tools/versions.env
. "$HACK_DIR/tools/versions.env"

# Version a tool is pinned to, by binary name (or by build unit name, see tool_unit).
tool_version() {
  case "$1" in
    containerd | containerd-shim-runc-v2 | ctr) echo "$CONTAINERD_VERSION" ;;
    cni-plugins | bridge | host-local | loopback | portmap) echo "$CNI_PLUGINS_VERSION" ;;
    crictl) echo "$CRICTL_VERSION" ;;
    buildkit | buildkitd | buildctl) echo "$BUILDKIT_VERSION" ;;
    coredns) echo "$COREDNS_VERSION" ;;
    mailpit) echo "$MAILPIT_VERSION" ;;
    promtool | prometheus) echo "$PROMETHEUS_VERSION" ;;
    alertmanager) echo "$ALERTMANAGER_VERSION" ;;
    jaeger) echo "$JAEGER_VERSION" ;;
    oasdiff) echo "$OASDIFF_VERSION" ;;
    kube-score) echo "$KUBE_SCORE_VERSION" ;;
    trivy) echo "$TRIVY_VERSION" ;;
    # The config-scan-only build of Trivy (hack/tools/trivy-config): Trivy's version and the source's
    # hash, so that a change to main.go is a new build, not a cache hit.
    trivy-config) echo "$TRIVY_VERSION-$(sha256sum "$HACK_DIR/tools/trivy-config/main.go" | cut -c1-12)" ;;
    kube-apiserver | kube-controller-manager | kube-scheduler | kubectl | kubelet | kube-proxy) echo "$KUBE_VERSION" ;;
    etcd) echo "$ETCD_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    metrics-server) echo "$METRICS_SERVER_VERSION" ;;
    helm) echo "$HELM_VERSION" ;;
    k6) echo "$K6_VERSION" ;;
    *) echo "unknown tool: $1" >&2; return 1 ;;
  esac
}

# The build unit a binary comes from: one `go build` of one module may produce several binaries,
# which then share ${TOOLS_DIR}/<unit>-<version>/. Every other tool is its own unit.
tool_unit() {
  case "$1" in
    containerd-shim-runc-v2 | ctr) echo containerd ;;
    bridge | host-local | loopback | portmap) echo cni-plugins ;;
    buildkitd | buildctl) echo buildkit ;;
    *) echo "$1" ;;
  esac
}
# The binaries a build unit produces.
unit_binaries() {
  case "$1" in
    containerd) echo containerd containerd-shim-runc-v2 ctr ;;
    cni-plugins) echo bridge host-local loopback portmap ;;
    buildkit) echo buildkitd buildctl ;;
    *) echo "$1" ;;
  esac
}
tool_dir() { local unit; unit="$(tool_unit "$1")"; echo "$TOOLS_DIR/$unit-$(tool_version "$unit")"; }
tool_path() { echo "$(tool_dir "$1")/$1"; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
