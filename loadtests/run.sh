#!/usr/bin/env bash
# `make loadtest`: runs the k6 scripts against a platform that is already running (make dev, or a
# cluster's gateway port-forwarded to localhost), one after the other, with k6's own progress, and
# writes each end-of-test summary to loadtests/results/<script>.json (k6 --summary-export) and
# <script>.txt. Exits non-zero when a script's thresholds (the SLOs) fail, after running them all.
#
#   BASE_URL=http://127.0.0.1:8080 loadtests/run.sh [script ...]   (default: all three)
#   DURATION=30s and each script's own variables (RATE, PEAK_RATE, MAX_VUS, ...) pass through.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/hack/lib/common.sh"

export BASE_URL="${BASE_URL:-http://127.0.0.1:8080}"
# k6 reports anonymous usage statistics to Grafana unless told not to: a load test here sends
# nothing off the machine.
export K6_NO_USAGE_REPORT=true
results="$root/loadtests/results"
scripts=("$@")
[ ${#scripts[@]} -gt 0 ] || scripts=(catalog-read-heavy booking-peak user-steady)

for script in "${scripts[@]}"; do
  [ -f "$root/loadtests/scripts/$script.js" ] ||
    die "no such load test: $script (have: $(cd "$root/loadtests/scripts" && ls ./*.js | sed 's|^\./||; s|\.js$||' | tr '\n' ' '))"
done

host="$(sed -E 's#^[a-z]+://(\[[^]]*\]|[^/:]*).*#\1#' <<<"$BASE_URL" | tr 'A-Z' 'a-z')"
case "$host" in
  127.0.0.1 | localhost | "[::1]") ;;
  *) [ "${ALLOW_NON_LOOPBACK:-}" = 1 ] ||
    die "BASE_URL host $host is not a loopback address (127.0.0.1, localhost, ::1): port-forward the target, or set ALLOW_NON_LOOPBACK=1" ;;
esac

if ! curl -fsS --max-time 5 "$BASE_URL/readyz" >/dev/null 2>&1; then
  die "the platform is not ready at $BASE_URL (GET /readyz failed).
  Start it first, in another terminal:   make dev
  or, for a kind cluster:                kubectl -n tourkit port-forward svc/gateway 8080:8080
  (BASE_URL=... points the load tests elsewhere; only loopback addresses are allowed.)"
fi

k6="$(tool_path k6)"
if [ ! -x "$k6" ]; then
  log "k6 $K6_VERSION is not built yet: building it from Go modules (a few minutes, once)"
  "$HACK_DIR/tools/build.sh" k6
fi

mkdir -p "$results"
failed=()
started_ms=$(date +%s%3N)
for script in "${scripts[@]}"; do
  log "k6 run $script against $BASE_URL"
  # --address '': no REST API port, so parallel runs (a test, another terminal) cannot collide.
  if "$k6" run --address '' --summary-export "$results/$script.json" \
    "$root/loadtests/scripts/$script.js" | tee "$results/$script.txt"; then
    log "$script: every threshold passed"
  else
    failed+=("$script")
    log "$script: FAILED (thresholds crossed or the script stopped; see above)"
  fi
done

log "summaries in ${results#"$root/"}/: $(printf '%s.json ' "${scripts[@]}")"

# The run's window and outcome (make report draws Prometheus's data over it), and the summary page
# that links each script's k6 summary and the report.
ended_ms=$(date +%s%3N)
{
  printf '{"startedAt":%s,"endedAt":%s,"baseUrl":"%s","scripts":[' "$started_ms" "$ended_ms" "$BASE_URL"
  sep=""
  for script in "${scripts[@]}"; do
    passed=true
    [[ " ${failed[*]} " == *" $script "* ]] && passed=false
    printf '%s{"name":"%s","passed":%s}' "$sep" "$script" "$passed"
    sep=","
  done
  printf ']}\n'
} >"$results/run.json"
{
  echo "# Load test $(date -u -d "@$((started_ms / 1000))" '+%Y-%m-%d %H:%M:%S UTC') against $BASE_URL"
  echo
  for script in "${scripts[@]}"; do
    verdict="thresholds passed"
    [[ " ${failed[*]} " == *" $script "* ]] && verdict="THRESHOLDS FAILED"
    echo "- [$script]($script.txt): $verdict ([k6 JSON]($script.json))"
  done
  echo
  echo "Charts of the run (requests, errors, latency, replicas, CPU, schedule bounds, from Prometheus):"
  echo "[reports/loadtest.html](../../reports/loadtest.html), written by \`make report\`."
} >"$results/summary.md"
# make dev's Prometheus (or PROMETHEUS_URL's) has the run: draw the report now.
prometheus="${PROMETHEUS_URL:-http://127.0.0.1:9090}"
if [ -f "$root/hack/observability/dist/report-cli.js" ] && curl -fsS --max-time 5 "$prometheus/-/ready" >/dev/null 2>&1; then
  node "$root/hack/observability/dist/report-cli.js" --prometheus "$prometheus" ||
    log "the report failed (see above); make report retries it"
else
  log "no Prometheus at $prometheus (or the tools not built): make report draws the charts once it answers"
fi
log "summary: ${results#"$root/"}/summary.md"
[ ${#failed[@]} -eq 0 ] || die "thresholds failed in: ${failed[*]}"
