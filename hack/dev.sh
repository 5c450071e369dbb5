#!/usr/bin/env bash
# `make dev`: every service as a local process against this machine's Postgres and Redis, no
# cluster. Logs are pretty-printed and prefixed with the service name; Ctrl-C stops everything.
#
#   DEV_SERVICES="catalog user booking" make dev     # a subset
#   DEV_HOST=0.0.0.0 make dev                        # reachable from other machines too (default 127.0.0.1)
#   DATABASE_ADMIN_URL=postgres://me@localhost/postgres make dev
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/node-env.sh

state="${TOURKIT_CACHE:-$HOME/.cache/tourkit}/dev"
mkdir -p "$state"
pg_base="${DEV_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
# The services, their local ports and whether they own a database: services/services.json.
declare -A port=() has_db=()
all_services=""
while read -r name service_port database; do
  all_services+="${all_services:+ }$name"
  port[$name]=$service_port
  if [ "$database" = true ]; then has_db[$name]=1; fi
done < <(node -e "for (const s of require('./services/services.json').services) console.log(s.name, s.port, s.database)")
services="${DEV_SERVICES:-$all_services}"

# One signing key pair and one internal token per machine, kept between runs so tokens survive a
# restart. Ed25519 through openssl: the same algorithms the kit verifies.
if [ ! -s "$state/jwt-private.pem" ]; then
  openssl genpkey -algorithm ed25519 -out "$state/jwt-private.pem" 2>/dev/null
  openssl pkey -in "$state/jwt-private.pem" -pubout -out "$state/jwt-public.pem"
  openssl rand -hex 24 >"$state/internal-token"
fi
# Booking signs the e-mailed payment links with this key (at least 32 bytes); added on its own so a
# machine set up before it gets one without new JWT keys.
if [ ! -s "$state/payment-link-secret" ]; then
  openssl rand -hex 32 >"$state/payment-link-secret"
fi

export JWT_PRIVATE_KEY_FILE="$state/jwt-private.pem"
export JWT_PUBLIC_KEY="$(cat "$state/jwt-public.pem")"
export INTERNAL_TOKEN="$(cat "$state/internal-token")"
export PAYMENT_LINK_SECRET="$(cat "$state/payment-link-secret")"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export LOG_LEVEL="${LOG_LEVEL:-info}"
export SHUTDOWN_DRAIN_SECONDS=0
# Every service and the web app listen on the loopback interface only: a laptop on a café's network
# does not serve its platform to the room (in a pod the kit's default, every interface, stays).
export HOST="${DEV_HOST:-127.0.0.1}"
export SEED_DEMO_DATA=true
export SMTP_URL="${SMTP_URL:-smtp://127.0.0.1:1025}"
# Payment links open the traveller's web app when it runs (it forwards /v1 to the gateway).
if [[ " $services " == *" web "* ]]; then
  export PUBLIC_URL="http://127.0.0.1:${port[web]}"
else
  export PUBLIC_URL="http://127.0.0.1:${port[gateway]}"
fi
# Traces go to make dev's Jaeger (started below with Prometheus) unless DEV_OBSERVABILITY=0.
if [ "${DEV_OBSERVABILITY:-1}" != 0 ]; then
  export OTEL_EXPORTER_OTLP_ENDPOINT="${OTEL_EXPORTER_OTLP_ENDPOINT:-http://127.0.0.1:4318}"
fi
for s in $all_services; do
  upper=$(echo "$s" | tr a-z A-Z)
  export "${upper}_URL=http://127.0.0.1:${port[$s]}"
done

echo "==> building the workspaces"
npm run build --silent
if [[ " $services " == *" web "* ]]; then
  echo "==> bundling the web app (vite)"
  npm run bundle --silent --workspace services/web -- --logLevel warn
fi

runnable=()
for s in $services; do
  if [ -f "services/$s/dist/main.js" ]; then runnable+=("$s"); else echo "    (skipping $s: not built)"; fi
done

echo "==> databases"
for s in "${runnable[@]}"; do
  [ -n "${has_db[$s]:-}" ] || continue
  url="$pg_base/tourkit_$s"
  node --input-type=module -e "
    import { ensureDatabase } from '@tourkit/kit';
    const created = await ensureDatabase(process.argv[1]);
    console.log('    tourkit_$s', created ? 'created' : 'present');
  " "$url"
done

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "==> stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

prefix() { # colour per service, so interleaved logs stay readable
  local name=$1 colour=$2
  sed -u "s/^/$(printf '\033[%sm%-13s\033[0m' "$colour" "[$name]") /"
}

if [ -f hack/mail-catcher/dist/main.js ] && [[ " ${runnable[*]} " == *" notification "* ]]; then
  echo "==> mail catcher (SMTP 1025, web http://127.0.0.1:8025)"
  node hack/mail-catcher/dist/main.js 2>&1 | prefix mail 90 &
  pids+=($!)
fi

colour=31
echo "==> starting: ${runnable[*]}"
for s in "${runnable[@]}"; do
  env_for=(SERVICE_NAME="$s" PORT="${port[$s]}")
  [ -n "${has_db[$s]:-}" ] && env_for+=(DATABASE_URL="$pg_base/tourkit_$s")
  [ "$s" = user ] && env_for+=(JWT_PRIVATE_KEY="$(cat "$JWT_PRIVATE_KEY_FILE")")
  (env "${env_for[@]}" node --enable-source-maps "services/$s/dist/main.js" 2>&1 |
    node_modules/.bin/pino-pretty --colorize --singleLine --translateTime SYS:HH:MM:ss --ignore pid,hostname,service |
    prefix "$s" "$colour") &
  pids+=($!)
  colour=$((colour == 36 ? 31 : colour + 1))
done

echo "==> waiting for readiness"
for s in "${runnable[@]}"; do
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:${port[$s]}/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  if curl -fsS "http://127.0.0.1:${port[$s]}/readyz" >/dev/null 2>&1; then
    printf '    %-13s http://127.0.0.1:%s  ready\n' "$s" "${port[$s]}"
  else
    printf '    %-13s http://127.0.0.1:%s  NOT READY (see its log lines above)\n' "$s" "${port[$s]}"
  fi
done

# Prometheus, Alertmanager and Jaeger beside the services (DEV_OBSERVABILITY=0 leaves them out): the
# platform's own alert rules, alerts e-mailed to support through the mail catcher, the services' traces.
if [ "${DEV_OBSERVABILITY:-1}" != 0 ]; then
  echo "==> Prometheus, Alertmanager and Jaeger (built from their Go modules when missing)"
  hack/tools/build.sh prometheus alertmanager jaeger
  targets=()
  for s in "${runnable[@]}"; do targets+=(--target "$s=127.0.0.1:${port[$s]}"); done
  node hack/observability/dist/cli.js --dir "$state/observability" "${targets[@]}" \
    --smtp "${SMTP_URL#smtp://}" --to "${SUPPORT_EMAIL:-support@tourkit.local}" 2>&1 | prefix observe 37 &
  pids+=($!)
fi

cat <<EOF

Tourkit is running locally. The traveller's web app: http://127.0.0.1:${port[web]}
The API reference: http://127.0.0.1:${port[gateway]}/docs (the public API: /v1/openapi.json)  Or try:
  curl -s 'http://127.0.0.1:${port[catalog]}/v1/tours?destination=Paris&available=true' | head -c 600; echo
  curl -s -XPOST http://127.0.0.1:${port[user]}/v1/users -H 'content-type: application/json' \\
       -d '{"email":"ada@example.com","password":"correct horse battery","name":"Ada","country":"FR"}'
  TOKEN=\$(curl -s -XPOST http://127.0.0.1:${port[user]}/v1/auth/login -H 'content-type: application/json' \\
       -d '{"email":"ada@example.com","password":"correct horse battery"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).accessToken')
  curl -s -XPOST http://127.0.0.1:${port[booking]}/v1/bookings/quote -H "authorization: Bearer \$TOKEN" \\
       -H 'content-type: application/json' -d '{"tourId":"<an id from the search>","travellers":6,"promoCode":"SUMMER2025"}'
Health: curl -s http://127.0.0.1:${port[catalog]}/health   Metrics: curl -s http://127.0.0.1:${port[catalog]}/metrics
Prometheus: http://127.0.0.1:9090/alerts   Alertmanager: http://127.0.0.1:9093   E-mail (alerts too): http://127.0.0.1:8025
Traces: http://127.0.0.1:16686 (Jaeger; its API: /api/traces?service=gateway)
Ctrl-C stops everything.
EOF
wait
