#!/usr/bin/env bash
# `make up` with KUBECONFIG set (make up-kubeconfig): the platform on the cluster KUBECONFIG names.
# cdk8s/dist/cluster-target-cli.js decides from the current context how the images built here reach
# that cluster (cdk8s/src/cluster-target.ts: kind, minikube, or a push to REGISTRY); this script then
# builds them with Docker, loads or pushes them by that cluster's own means, and runs make deploy with
# the image names the cluster will find. Environment (from make): KUBECTL KIND MINIKUBE DOCKER TAG
# OPERATOR_IMAGE IMAGE_LOAD REGISTRY; IMAGE_SERVICES, the services with an image.
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { printf '==> %s\n' "$*"; }
die() { printf 'make up: %s\n' "$*" >&2; exit 2; }

decision="$("$KUBECTL" config view --minify -o json | node cdk8s/dist/cluster-target-cli.js)"
load='' kind_cluster='' minikube_profile='' registry=''
while IFS='=' read -r key value; do
  case "$key" in
    IMAGE_LOAD) load=$value ;;
    KIND_CLUSTER) kind_cluster=$value ;;
    MINIKUBE_PROFILE) minikube_profile=$value ;;
    REGISTRY) registry=$value ;;
  esac
done <<<"$decision"
context="$("$KUBECTL" config current-context)"
log "cluster: context $context, images by $load${kind_cluster:+ (kind cluster $kind_cluster)}${minikube_profile:+ (minikube profile $minikube_profile)}${registry:+ (registry $registry)}"

command -v "$DOCKER" >/dev/null && "$DOCKER" info >/dev/null 2>&1 ||
  die "the images are built with Docker here ($DOCKER info failed); start Docker, or build and push them yourself and run make deploy REGISTRY=... OPERATOR_IMAGE=..."
make --no-print-directory images operator-image TAG="$TAG" OPERATOR_IMAGE="$OPERATOR_IMAGE"

images=()
for svc in $IMAGE_SERVICES; do images+=("tourkit/$svc:$TAG"); done
images+=("$OPERATOR_IMAGE")
operator_image=$OPERATOR_IMAGE
case "$load" in
  kind)
    command -v "$KIND" >/dev/null || die "kind is not on PATH (KIND=$KIND)"
    for image in "${images[@]}"; do
      log "kind load docker-image $image --name $kind_cluster"
      "$KIND" load docker-image "$image" --name "$kind_cluster"
    done
    ;;
  minikube)
    command -v "$MINIKUBE" >/dev/null || die "minikube is not on PATH (MINIKUBE=$MINIKUBE)"
    for image in "${images[@]}"; do
      log "minikube image load $image --profile $minikube_profile"
      "$MINIKUBE" image load "$image" --profile "$minikube_profile"
    done
    ;;
  registry)
    # The names cdk8s gives them with TOURKIT_IMAGE_REGISTRY (options.ts, imageFor): <registry>/tourkit/<svc>:<tag>.
    operator_image="$registry/${OPERATOR_IMAGE#docker.io/}"
    for image in "${images[@]}"; do
      target="$registry/${image#docker.io/}"
      log "docker push $target"
      "$DOCKER" tag "$image" "$target"
      "$DOCKER" push "$target"
    done
    ;;
esac

# kind and minikube keep the local names (no registry); a registry push deploys the pushed names.
make --no-print-directory cluster-addons
make --no-print-directory deploy TAG="$TAG" REGISTRY="$registry" OPERATOR_IMAGE="$operator_image"
log "Tourkit is up on context $context: kubectl -n ${NAMESPACE:-tourkit} get deploy,hpa,pdb; the gateway is the NodePort Service gateway (kubectl port-forward svc/gateway 8080:80 reaches it from here)"
