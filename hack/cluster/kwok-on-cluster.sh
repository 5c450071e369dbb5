#!/usr/bin/env bash
# Equips the cluster KUBECONFIG names (kind, minikube, ...) with what the local control plane has
# built in: kwok (controller, CRDs, fast stages, the resource Metric), tainted fake nodes, and
# metrics-server able to scrape them. Charts and manifests come from the pinned Go modules of kwok
# and metrics-server; the cluster pulls their images from registry.k8s.io.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/config.sh"

[[ -n ${KUBECONFIG:-} ]] || die "set KUBECONFIG to the cluster to equip (this script never touches the local control plane)"
KUBECTL="$(command -v kubectl || tool_path kubectl)"
HELM="$(command -v helm || tool_path helm)"
[[ -x $KUBECTL && -x $HELM ]] || die "kubectl and helm are needed (on PATH, or built with: make cluster-tools)"

kwok_dir="$(kwok_module_dir)"
metrics_server_dir="$(GOTOOLCHAIN=local go mod download -json "sigs.k8s.io/metrics-server@$METRICS_SERVER_VERSION" |
  sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"

log "kwok $KWOK_VERSION: CRDs, controller, fast stages, resource metrics"
"$KUBECTL" apply --server-side --force-conflicts -f "$kwok_dir/kustomize/crd/bases/" >/dev/null
# Host network, as kwok's chart advises for kind: the fake kubelets answer on the node's address.
"$HELM" upgrade --install kwok "$kwok_dir/charts/kwok" --namespace kube-system \
  --set hostNetwork=true --set image.tag="$KWOK_VERSION" --wait --timeout 5m
"$HELM" upgrade --install kwok-stage-fast "$kwok_dir/charts/stage-fast" --wait --timeout 2m
"$KUBECTL" apply --server-side --force-conflicts -f "$kwok_dir/kustomize/metrics/resource/metrics-resource.yaml" >/dev/null

log "$FAKE_NODES fake nodes (tainted kwok.x-k8s.io/node=fake:NoSchedule)"
fake_nodes_manifest taint | "$KUBECTL" apply --server-side -f - >/dev/null
"$KUBECTL" wait --for=condition=Ready node -l type=kwok --timeout=120s

log "metrics-server $METRICS_SERVER_VERSION"
# kind's kubelets serve self-signed certificates; kwok's fake kubelets tell their port in node status.
"$HELM" upgrade --install metrics-server "$metrics_server_dir/charts/metrics-server" --namespace kube-system \
  --set 'args={--kubelet-insecure-tls}' --wait --timeout 5m
for _ in $(seq 1 90); do
  served="$("$KUBECTL" get --raw /apis/metrics.k8s.io/v1beta1/nodes 2>/dev/null | grep -o '"name":"kwok-node-[0-9]*"' | sort -u | wc -l)"
  if ((served >= FAKE_NODES)); then
    log "ready: metrics.k8s.io serves the fake nodes; run KUBECONFIG=$KUBECONFIG make e2e"
    exit 0
  fi
  sleep 2
done
die "metrics.k8s.io does not list the fake nodes yet; see: $KUBECTL -n kube-system logs deploy/metrics-server"
