# Shared by hack/tools and hack/cluster scripts: cache location, pinned versions, tool paths, logging.
# shellcheck shell=bash
HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOURKIT_CACHE="${TOURKIT_CACHE:-$HOME/.cache/tourkit}"
TOOLS_DIR="$TOURKIT_CACHE/tools"
# shellcheck source=../tools/versions.env
. "$HACK_DIR/tools/versions.env"

# Version a tool is pinned to, by binary name.
tool_version() {
  case "$1" in
    kube-apiserver | kube-controller-manager | kube-scheduler | kubectl | kubelet | kube-proxy) echo "$KUBE_VERSION" ;;
    etcd) echo "$ETCD_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    metrics-server) echo "$METRICS_SERVER_VERSION" ;;
    helm) echo "$HELM_VERSION" ;;
    k6) echo "$K6_VERSION" ;;
    *) echo "unknown tool: $1" >&2; return 1 ;;
  esac
}

tool_path() { echo "$TOOLS_DIR/$1-$(tool_version "$1")/$1"; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
