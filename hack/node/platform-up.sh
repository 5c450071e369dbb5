#!/usr/bin/env bash
# `make up` without Docker: the local control plane and the real node (hack/node/up.sh), the
# images built here (hack/images/build.sh all), then the platform from the same cdk8s manifests
# kind gets, only values differing (image names from hack/images/images.env), its namespace
# annotated so its pods land on the real node. Waits until every StatefulSet and Deployment is
# available and prints URLs on 127.0.0.1 (socat relays to the node's NodePorts, recorded by pid
# under the node's run directory, so make down stops them). A second run redoes only what changed.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

REPO_DIR="$(cd "$HACK_DIR/.." && pwd)"
NAMESPACE="${NAMESPACE:-tourkit}"
STARTED_AT=$(date +%s)
since_start() { echo "$(($(date +%s) - STARTED_AT))s"; }
step() { log "==> $* ($(since_start))"; }

# Prometheus, Alertmanager and Jaeger as pods (cdk8s observabilityStack), the services' traces sent
# to that Jaeger; TOURKIT_NODE_OBSERVABILITY=0 leaves them out (as DEV_OBSERVABILITY=0 does for make dev).
NODE_OBSERVABILITY="${TOURKIT_NODE_OBSERVABILITY:-1}"
[[ $NODE_OBSERVABILITY == 0 || $NODE_OBSERVABILITY == 1 ]] ||
  die "TOURKIT_NODE_OBSERVABILITY: expected 0 or 1, got '$NODE_OBSERVABILITY'"

# Ports on 127.0.0.1 and the NodePort each relays to (the kind config maps the same ones). The local
# ports can be moved (a second node on the same machine): TOURKIT_<NAME>_URL_PORT, e.g.
# TOURKIT_GATEWAY_URL_PORT=18080.
declare -A URL_PORTS=(
  [gateway]="${TOURKIT_GATEWAY_URL_PORT:-8080} 30080"
  [web]="${TOURKIT_WEB_URL_PORT:-8087} 30087"
  [mailpit]="${TOURKIT_MAILPIT_URL_PORT:-8025} 30825"
)
if [[ $NODE_OBSERVABILITY == 1 ]]; then
  URL_PORTS+=(
    [prometheus]="${TOURKIT_PROMETHEUS_URL_PORT:-9090} 30090"
    [alertmanager]="${TOURKIT_ALERTMANAGER_URL_PORT:-9093} 30093"
    [jaeger]="${TOURKIT_JAEGER_URL_PORT:-16686} 30686"
  )
fi
url() { echo "http://127.0.0.1:${URL_PORTS[$1]%% *}"; }

check_ports() {
  local name ports local_port taken=()
  for name in "${!URL_PORTS[@]}"; do
    read -r local_port _ <<<"${URL_PORTS[$name]}"
    node_running_pid "forward-$name" >/dev/null && continue
    ss -Hltn "sport = :$local_port" | grep -q . && taken+=("$local_port ($name)")
  done
  ((${#taken[@]} == 0)) || die "ports taken on this machine: ${taken[*]}; free them first (the URLs of make up use them)"
}

forward() { # name local-port node-port
  local name=$1 local_port=$2 node_port=$3 pid
  if pid="$(node_running_pid "forward-$name")"; then return; fi
  setsid socat "TCP-LISTEN:$local_port,bind=127.0.0.1,reuseaddr,fork" "TCP:$NODE_IP:$node_port" \
    >"$NODE_LOG_DIR/forward-$name.log" 2>&1 </dev/null &
  echo $! >"$NODE_RUN_DIR/forward-$name.pid"
}

main() {
  check_ports
  step "control plane and real node"
  "$HACK_DIR/node/up.sh"

  step "images (hack/images/build.sh all)"
  [[ -x $HACK_DIR/images/build.sh ]] || die "hack/images/build.sh is missing: the images cannot be built here"
  CONTAINERD_ADDRESS="$CONTAINERD_SOCKET" "$HACK_DIR/images/build.sh" all
  # shellcheck source=/dev/null
  . "$HACK_DIR/images/images.env"

  step "deploy to namespace $NAMESPACE (pods on node $NODE_NAME), as make deploy does on kind"
  # The namespace first, annotated so that its pods go to the real node; then the same `make deploy`
  # as on kind (synth, secrets, CRDs, the booking HPA's initial object and handover, platform, operator), with
  # this machine's image names, the development values, and CPU requests at a quarter of kind's (the
  # node has 2 CPUs; the platform asks for about 3 at full size).
  kubectl_local create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl_local apply -f - >/dev/null
  local annotations; mapfile -t annotations < <(node_namespace_annotations)
  kubectl_local annotate namespace "$NAMESPACE" --overwrite "${annotations[@]}" >/dev/null
  local stack=(TOURKIT_OBSERVABILITY_STACK=false)
  if [[ $NODE_OBSERVABILITY == 1 ]]; then
    stack=(TOURKIT_OBSERVABILITY_STACK=true TOURKIT_PROMETHEUS_IMAGE="$TOURKIT_PROMETHEUS_IMAGE"
      TOURKIT_ALERTMANAGER_IMAGE="$TOURKIT_ALERTMANAGER_IMAGE" TOURKIT_JAEGER_IMAGE="$TOURKIT_JAEGER_IMAGE"
      TOURKIT_OTLP_ENDPOINT="http://jaeger.$NAMESPACE.svc:4318")
  fi
  env "${stack[@]}" \
    PATH="$(dirname "$(tool_path kubectl)"):$PATH" KUBECONFIG="$KUBECONFIG_PATH" \
    TOURKIT_POSTGRES_IMAGE="$TOURKIT_POSTGRES_IMAGE" TOURKIT_REDIS_IMAGE="$TOURKIT_REDIS_IMAGE" \
    TOURKIT_MAIL_CATCHER_IMAGE="$TOURKIT_MAIL_CATCHER_IMAGE" TOURKIT_IMAGE_PULL_POLICY=Never \
    TOURKIT_CPU_REQUEST_PERCENT="${TOURKIT_NODE_CPU_REQUEST_PERCENT:-25}" \
    make -C "$REPO_DIR" --no-print-directory deploy VALUES=development NAMESPACE="$NAMESPACE" \
    TAG="$TOURKIT_IMAGE_TAG" REGISTRY="$TOURKIT_IMAGE_REGISTRY" OPERATOR_IMAGE="$TOURKIT_OPERATOR_IMAGE" \
    PUBLIC_URL="$(url web)"

  step "waiting for every StatefulSet and Deployment"
  kubectl_local -n "$NAMESPACE" rollout status statefulset --timeout=15m
  kubectl_local -n "$NAMESPACE" rollout status deployment --timeout=15m

  local name local_port node_port
  for name in "${!URL_PORTS[@]}"; do
    read -r local_port node_port <<<"${URL_PORTS[$name]}"
    forward "$name" "$local_port" "$node_port"
  done
  log "Tourkit is up in $(since_start) (real node $NODE_NAME, namespace $NAMESPACE):"
  log "  web      $(url web)  (the traveller's app)"
  log "  gateway  $(url gateway)/v1/tours"
  log "  API      $(url gateway)/docs  (reference of the public API, /v1/openapi.json)"
  log "  e-mail   $(url mailpit)  (Mailpit API: /api/v1/messages)"
  if [[ $NODE_OBSERVABILITY == 1 ]]; then
    log "  metrics  $(url prometheus)  (Prometheus: targets at /targets, alerts at /alerts)"
    log "  alerts   $(url alertmanager)  (Alertmanager; its e-mails go to Mailpit)"
    log "  traces   $(url jaeger)  (Jaeger API: /api/traces?service=gateway)"
  fi
  log "  kubectl  $(tool_path kubectl) --kubeconfig $KUBECONFIG_PATH -n $NAMESPACE get pods -o wide"
  log "  stop     make down"
}

main "$@"
