#!/usr/bin/env bash
# Creates the platform Secret the manifests reference (keys: internal-token, jwt-public-key,
# jwt-private-key, postgres-password, and smtp-url when SMTP_URL is set: the relay notification uses
# when the mail catcher is off) unless it exists. Values are random per cluster; keys are
# Ed25519 (PKCS#8 private, SPKI public) as CONTRIBUTING.md asks for PEM keys.
# Usage: create-secrets.sh <namespace> [secret-name]
set -euo pipefail
namespace=${1:?usage: create-secrets.sh <namespace> [secret-name]}
name=${2:-tourkit-secrets}

if kubectl -n "$namespace" get secret "$name" >/dev/null 2>&1; then
  echo "secret $namespace/$name exists; keeping it"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl genpkey -algorithm ed25519 -out "$work/jwt-private-key" 2>/dev/null
openssl pkey -in "$work/jwt-private-key" -pubout -out "$work/jwt-public-key"
openssl rand -hex 32 | tr -d '\n' >"$work/internal-token"
openssl rand -hex 24 | tr -d '\n' >"$work/postgres-password"
kubectl -n "$namespace" create secret generic "$name" \
  --from-file=internal-token="$work/internal-token" \
  --from-file=jwt-private-key="$work/jwt-private-key" \
  --from-file=jwt-public-key="$work/jwt-public-key" \
  --from-file=postgres-password="$work/postgres-password" \
  ${SMTP_URL:+--from-literal=smtp-url="$SMTP_URL"}
