#!/usr/bin/env bash
# `make lint-manifests`: kube-score and Trivy's config scan over what the platform deploys, four ways
# (the cdk8s app and the Helm chart, each with production and development values; the operator's
# one-off initial-HPA and handover files are left out: alone, their HPA targets nothing kube-score can
# see), every check on except those listed with their reason in hack/lint/kube-score-ignored.txt and
# hack/lint/trivy-ignored.txt. Fails on any kube-score finding above OK and on any Trivy finding.
# Trivy's scan is hack/tools/trivy-config: Trivy's own Kubernetes scanner with the checks embedded in
# the pinned Trivy module, offline, as `trivy config --misconfig-scanners kubernetes
# --skip-check-update` runs it, built from a quarter of the trivy binary's packages (hack/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/lib/common.sh
kube_score="$(tool_path kube-score)"
helm="$(tool_path helm)"
trivy="$(tool_path trivy-config)"
[[ -x $kube_score && -x $helm && -x $trivy ]] || hack/tools/build.sh kube-score helm trivy-config

ignored=()
while read -r check _; do
  [[ -z $check || $check == \#* ]] || ignored+=(--ignore-test "$check")
done <hack/lint/kube-score-ignored.txt

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Production values have no public URL (the install must give its own): an example one here.
public_url=https://tours.example.com
for values in production development; do
  url=()
  extra=()
  if [[ $values == development ]]; then
    extra=(--values charts/tourkit/values-development.yaml)
  else
    url=(TOURKIT_PUBLIC_URL="$public_url")
    extra=(--set publicUrl="$public_url")
  fi
  env "${url[@]}" TOURKIT_VALUES=$values CDK8S_OUTDIR="$work/cdk8s-$values" node cdk8s/dist/main.js >/dev/null
  "$helm" template tourkit charts/tourkit --namespace tourkit "${extra[@]}" >"$work/helm-$values.yaml"
done

status=0
for file in "$work"/cdk8s-*/tourkit.k8s.yaml "$work"/cdk8s-*/tourkit-operator.k8s.yaml "$work"/helm-*.yaml; do
  name="${file#"$work"/}"
  if out="$("$kube_score" score --output-format ci --exit-one-on-warning \
    --enable-optional-test container-ephemeral-storage-request-and-limit "${ignored[@]}" "$file")"; then
    log "kube-score: $name: no findings ($((${#ignored[@]} / 2)) checks ignored, see hack/lint/kube-score-ignored.txt)"
  else
    status=1
    log "kube-score: $name:"
    grep -E '^\[(WARNING|CRITICAL)\]' <<<"$out" >&2 || echo "$out" >&2
  fi
done

# Trivy's config scan over the same files in one run (its checks compiled once); each finding names
# its file and line. The ignore file is in Trivy's own .trivyignore format: the first word of a line is
# a check ID, the rest (the reason) is not read; `trivy config --ignorefile hack/lint/trivy-ignored.txt`
# reads it the same way.
files=("$work"/cdk8s-*/tourkit.k8s.yaml "$work"/cdk8s-*/tourkit-operator.k8s.yaml "$work"/helm-*.yaml)
if out="$(cd "$work" && "$trivy" --ignorefile "$OLDPWD/hack/lint/trivy-ignored.txt" "${files[@]#"$work"/}" 2>&1)"; then
  log "trivy: no findings in ${#files[@]} files (see hack/lint/trivy-ignored.txt for the checks ignored):"
  echo "$out" >&2
else
  status=1
  log "trivy:"
  echo "$out" >&2
fi
exit "$status"
