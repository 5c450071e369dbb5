#!/usr/bin/env bash
# Starts the local control plane as host processes: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok (fake nodes and pods, simulated resource usage) and metrics-server.
# Components already running (pid recorded under ${TOURKIT_CACHE}/cluster/run) are kept, so a
# second start only waits for readiness again. The kubeconfig is ${TOURKIT_CACHE}/cluster/kubeconfig.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

STARTED_AT=$(date +%s)
since_start() { echo "$(($(date +%s) - STARTED_AT))s"; }

# wait_until <component> <description> <timeout-seconds> <command...>: fails at once when the
# component's process has exited, showing the end of its log.
wait_until() {
  local component=$1 what=$2 timeout=$3; shift 3
  local deadline=$(($(date +%s) + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! running_pid "$component" >/dev/null; then
      tail -5 "$LOG_DIR/$component.log" >&2
      die "$component exited while waiting for $what (log: $LOG_DIR/$component.log)"
    fi
    if (($(date +%s) > deadline)); then
      log "timed out after ${timeout}s waiting for $what; logs: $LOG_DIR"
      return 1
    fi
    sleep 1
  done
  log "$what ($(since_start))"
}

# start <component> <args...>: runs the component's binary detached, in its own session, so that
# stopping the shell (or a test runner) that started it does not stop the cluster.
start() {
  local name=$1; shift
  local pid
  if pid="$(running_pid "$name")"; then
    # A component started by an older checkout with other flags is restarted with this one's
    # (e.g. the API server gained the real node's admission plugins and advertise address).
    if [[ "$(tr '\0' '\n' <"/proc/$pid/cmdline")" == "$(printf '%s\n' "$(tool_path "$name")" "$@")" ]]; then
      log "$name already running (pid $pid)"
      return
    fi
    log "$name (pid $pid) runs with other flags than this checkout gives it; restarting it"
    stop_component "$name" "$pid"
  fi
  [[ -f $LOG_DIR/$name.log ]] && mv -f "$LOG_DIR/$name.log" "$LOG_DIR/$name.previous.log"
  # 9: hack/node/up.sh holds its lock there while it starts this control plane; a daemon that kept
  # it would hold that lock for as long as it runs.
  setsid "$(tool_path "$name")" "$@" >"$LOG_DIR/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$RUN_DIR/$name.pid"
  sleep 0.3
  if ! running_pid "$name" >/dev/null; then
    tail -20 "$LOG_DIR/$name.log" >&2
    die "$name exited at start (log: $LOG_DIR/$name.log)"
  fi
  log "$name started (pid $(<"$RUN_DIR/$name.pid"), log $LOG_DIR/$name.log)"
}

ensure_tools() {
  local missing=()
  for tool in "${COMPONENTS[@]}" kubectl; do
    [[ -x $(tool_path "$tool") ]] || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    log "building missing tools: ${missing[*]}"
    "$HACK_DIR/tools/build.sh" "${missing[@]}"
  fi
}

etcd_healthy() { curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health" | grep -q '"health":"true"'; }
apiserver_ready() { kubectl_local get --raw /readyz; }
component_healthy() { curl -fsSk "https://127.0.0.1:$1/healthz"; }
nodes_ready() {
  local ready
  ready="$(kubectl_local get nodes -l type=kwok \
    -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)"
  ((ready >= FAKE_NODES))
}
node_metrics_served() {
  local served
  served="$(kubectl_local get --raw /apis/metrics.k8s.io/v1beta1/nodes | grep -o '"name":"kwok-node-[0-9]*"' | sort -u | wc -l)"
  ((served >= FAKE_NODES))
}

start_etcd() {
  start etcd --name tourkit-local --data-dir "$DATA_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "tourkit-local=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync --quota-backend-bytes=2147483648 --log-level=warn
  wait_until etcd "etcd healthy on 127.0.0.1:$ETCD_CLIENT_PORT" 30 etcd_healthy
}

start_apiserver() {
  # Loopback only. Endpoints may not hold a loopback address, so the `kubernetes` Service's endpoint
  # is the host's end of the real node's veth (NODE_HOST_IP), where hack/node/up.sh runs a
  # forwarder to this port for the node and its pods; without a node nothing listens there and
  # nothing needs it. For the same reason the aggregator reaches metrics-server through an
  # ExternalName Service, which it resolves only without --enable-aggregator-routing (with it, it
  # wants EndpointSlices). PodNodeSelector and PodTolerationRestriction let a namespace's
  # annotations send its pods to the real node (hack/node/config.sh).
  start kube-apiserver \
    --bind-address=127.0.0.1 --advertise-address="$NODE_HOST_IP" --secure-port="$APISERVER_PORT" \
    --endpoint-reconciler-type=lease \
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --tls-cert-file="$PKI_DIR/apiserver.crt" --tls-private-key-file="$PKI_DIR/apiserver.key" \
    --client-ca-file="$PKI_DIR/ca.crt" \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction,PodNodeSelector,PodTolerationRestriction \
    --allow-privileged=true \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI_DIR/sa.pub" \
    --service-account-signing-key-file="$PKI_DIR/sa.key" \
    --kubelet-client-certificate="$PKI_DIR/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$PKI_DIR/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --requestheader-client-ca-file="$PKI_DIR/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI_DIR/front-proxy-client.crt" \
    --proxy-client-key-file="$PKI_DIR/front-proxy-client.key" \
    --enable-aggregator-routing=false \
    --profiling=false
  wait_until kube-apiserver "kube-apiserver ready at $APISERVER_URL" 120 apiserver_ready
}

start_controllers() {
  start kube-controller-manager \
    --kubeconfig="$PKI_DIR/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$PKI_DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$PKI_DIR/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$CONTROLLER_MANAGER_PORT" \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI_DIR/sa.key" \
    --root-ca-file="$PKI_DIR/ca.crt" \
    --cluster-signing-cert-file="$PKI_DIR/ca.crt" --cluster-signing-key-file="$PKI_DIR/ca.key" \
    --horizontal-pod-autoscaler-sync-period="$HPA_SYNC_PERIOD" \
    --horizontal-pod-autoscaler-downscale-stabilization="$HPA_DOWNSCALE_STABILIZATION" \
    --profiling=false
  start kube-scheduler \
    --kubeconfig="$PKI_DIR/scheduler.kubeconfig" \
    --authentication-kubeconfig="$PKI_DIR/scheduler.kubeconfig" \
    --authorization-kubeconfig="$PKI_DIR/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" \
    --leader-elect=false --profiling=false
  wait_until kube-controller-manager "kube-controller-manager healthy" 60 component_healthy "$CONTROLLER_MANAGER_PORT"
  wait_until kube-scheduler "kube-scheduler healthy" 60 component_healthy "$SCHEDULER_PORT"
}

start_kwok() {
  local kwok_dir; kwok_dir="$(kwok_module_dir)"
  [[ -d $kwok_dir ]] || die "kwok $KWOK_VERSION module not found in the Go module cache"
  # kwok's own CRDs and stages, from its Go module: nodes become Ready and keep their lease,
  # pods become Ready at once, and the Metric serves each fake kubelet's /metrics/resource.
  for crd in stages metrics resourceusages clusterresourceusages; do
    kubectl_local apply --server-side --force-conflicts -f "$kwok_dir/kustomize/crd/bases/kwok.x-k8s.io_$crd.yaml" >/dev/null
  done
  kubectl_local wait --for condition=established --timeout=60s \
    crd/stages.kwok.x-k8s.io crd/metrics.kwok.x-k8s.io \
    crd/resourceusages.kwok.x-k8s.io crd/clusterresourceusages.kwok.x-k8s.io >/dev/null
  kubectl_local apply --server-side --force-conflicts \
    -f "$kwok_dir/kustomize/stage/node/fast/node-initialize.yaml" \
    -f "$kwok_dir/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    -f "$kwok_dir/kustomize/stage/pod/fast/pod-ready.yaml" \
    -f "$kwok_dir/kustomize/stage/pod/fast/pod-complete.yaml" \
    -f "$kwok_dir/kustomize/stage/pod/fast/pod-delete.yaml" \
    -f "$kwok_dir/kustomize/metrics/resource/metrics-resource.yaml" \
    -f "$HACK_DIR/cluster/manifests/default-usage.yaml" \
    -f "$HACK_DIR/cluster/manifests/node-baseline.yaml" >/dev/null
  start kwok \
    --kubeconfig="$PKI_DIR/kwok.kubeconfig" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-ip=127.0.0.1 --node-port="$KWOK_PORT" --server-address="127.0.0.1:$KWOK_PORT" \
    --tls-cert-file="$PKI_DIR/kwok.crt" --tls-private-key-file="$PKI_DIR/kwok.key" \
    --cidr="$POD_CIDR" --node-lease-duration-seconds=40 \
    --enable-crds=Stage,Metric,ResourceUsage,ClusterResourceUsage
  fake_nodes_manifest | kubectl_local apply --server-side -f - >/dev/null
  # A Node's capacity is status, which an apply of the object leaves as it was when the Node already
  # exists (from an earlier start): apply the same manifest to the status too, so a resource added
  # later (ephemeral storage) reaches old nodes as well.
  fake_nodes_manifest | kubectl_local apply --server-side --subresource=status -f - >/dev/null
  wait_until kwok "$FAKE_NODES fake nodes Ready" 90 nodes_ready
}

start_metrics_server() {
  # Its permissions first: it reads the aggregation layer's client CA at start.
  CA_BUNDLE="$(base64 -w0 <"$PKI_DIR/ca.crt")" METRICS_SERVER_PORT="$METRICS_SERVER_PORT" \
    envsubst '${CA_BUNDLE} ${METRICS_SERVER_PORT}' <"$HACK_DIR/cluster/manifests/metrics-server.yaml" |
    kubectl_local apply --server-side --force-conflicts -f - >/dev/null
  start metrics-server \
    --kubeconfig="$PKI_DIR/metrics-server.kubeconfig" \
    --authentication-kubeconfig="$PKI_DIR/metrics-server.kubeconfig" \
    --authorization-kubeconfig="$PKI_DIR/metrics-server.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$METRICS_SERVER_PORT" \
    --tls-cert-file="$PKI_DIR/metrics-server.crt" --tls-private-key-file="$PKI_DIR/metrics-server.key" \
    --kubelet-preferred-address-types=InternalIP --kubelet-use-node-status-port \
    --kubelet-certificate-authority="$PKI_DIR/ca.crt" \
    --metric-resolution="$METRIC_RESOLUTION" --kubelet-request-timeout=5s
  wait_until metrics-server "metrics.k8s.io serving every fake node" 180 node_metrics_served
}

main() {
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"
  # Test workers may ask for the cluster at the same time: one start at a time, the others then
  # find it running.
  exec 8>"$CLUSTER_DIR/.up.lock"
  flock 8
  ensure_tools
  "$HACK_DIR/cluster/pki.sh"
  start_etcd
  start_apiserver
  start_controllers
  start_kwok
  start_metrics_server
  log "local control plane ready in $(since_start): Kubernetes $KUBE_VERSION at $APISERVER_URL"
  log "  export KUBECONFIG=$KUBECONFIG_PATH"
  log "  kubectl: $(tool_path kubectl)"
  log "  logs:    $LOG_DIR/<component>.log"
  log "  stop:    make cluster-local-down"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
