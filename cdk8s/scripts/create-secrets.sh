#!/usr/bin/env bash
# Creates the platform Secret the manifests reference (keys: internal-token, jwt-public-key,
# jwt-private-key, payment-link-secret, postgres-password, redis-password, and smtp-url when SMTP_URL is set: the relay notification uses
# when the mail catcher is off) unless it exists. Values are random per cluster; keys are
# Ed25519 (PKCS#8 private, SPKI public) as CONTRIBUTING.md asks for PEM keys.
# Usage: create-secrets.sh <namespace> [secret-name]
set -euo pipefail
namespace=${1:?usage: create-secrets.sh <namespace> [secret-name]}
name=${2:-tourkit-secrets}

if kubectl -n "$namespace" get secret "$name" >/dev/null 2>&1; then
  # A Secret made before Redis required a password, or before booking signed payment links, gains
  # the missing key; every other key is kept as it is.
  added=""
  for key in redis-password payment-link-secret; do
    if [ -z "$(kubectl -n "$namespace" get secret "$name" -o jsonpath="{.data.$key}")" ]; then
      bytes=24
      [ "$key" = payment-link-secret ] && bytes=32
      kubectl -n "$namespace" patch secret "$name" --type=merge \
        -p "{\"stringData\":{\"$key\":\"$(openssl rand -hex $bytes)\"}}" >/dev/null
      added+=" $key"
    fi
  done
  if [ -n "$added" ]; then
    echo "secret $namespace/$name exists; added:$added"
  else
    echo "secret $namespace/$name exists; keeping it"
  fi
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl genpkey -algorithm ed25519 -out "$work/jwt-private-key" 2>/dev/null
openssl pkey -in "$work/jwt-private-key" -pubout -out "$work/jwt-public-key"
openssl rand -hex 32 | tr -d '\n' >"$work/internal-token"
openssl rand -hex 32 | tr -d '\n' >"$work/payment-link-secret"
openssl rand -hex 24 | tr -d '\n' >"$work/postgres-password"
openssl rand -hex 24 | tr -d '\n' >"$work/redis-password"
kubectl -n "$namespace" create secret generic "$name" \
  --from-file=internal-token="$work/internal-token" \
  --from-file=payment-link-secret="$work/payment-link-secret" \
  --from-file=jwt-private-key="$work/jwt-private-key" \
  --from-file=jwt-public-key="$work/jwt-public-key" \
  --from-file=postgres-password="$work/postgres-password" \
  --from-file=redis-password="$work/redis-password" \
  ${SMTP_URL:+--from-literal=smtp-url="$SMTP_URL"}
