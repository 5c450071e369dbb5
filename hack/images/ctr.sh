#!/usr/bin/env bash
# ctr against the image store hack/images/build.sh builds into (CONTAINERD_ADDRESS, namespace k8s.io):
#   hack/images/ctr.sh images ls      hack/images/ctr.sh run --rm -t docker.io/tourkit/catalog:dev c1 sh
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
exec "$(image_tool ctr)" --address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE" "$@"
