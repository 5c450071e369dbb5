#!/usr/bin/env bash
# Every OpenAPI document listed in redocly.yaml under Redocly's recommended rules. Redocly exits 0
# on warnings; here a warning fails like an error (issue 18: 0 errors and 0 warnings).
set -euo pipefail
cd "$(dirname "$0")/../.."
# No usage reports and no update check: lint runs offline and says the same every time.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
status=0
out=$(npx redocly lint --format=stylish 2>&1) || status=$?
printf '%s\n' "$out"
if ((status != 0)); then exit "$status"; fi
if grep -qE 'You have [0-9]+ warnings?' <<<"$out"; then
  echo "redocly: warnings fail make lint (fix the generator in services/<svc>/src/http/openapi.ts)" >&2
  exit 1
fi
