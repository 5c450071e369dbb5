#!/usr/bin/env bash
# `make lint`: package-lock.json is what npm resolves for the package.json files as committed, so
# `make deps` (`npm ci`) installs it as is and nothing (make dev, make test, a later npm install)
# rewrites it. npm resolves the lock alone (--package-lock-only) in a copy of the manifests, touching
# neither node_modules nor the tree; any difference is printed and fails the check.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git ls-files -- package-lock.json '*package.json' | while read -r file; do
  mkdir -p "$work/$(dirname "$file")"
  cp "$file" "$work/$file"
done
(cd "$work" && npm install --package-lock-only --ignore-scripts --prefer-offline --no-audit --no-fund \
  --loglevel=error >/dev/null)
if ! diff -u package-lock.json "$work/package-lock.json" >"$work/lock.diff"; then
  echo "package-lock.json is out of step with the package.json files: npm would rewrite it so:" >&2
  head -60 "$work/lock.diff" >&2
  echo "(run npm install -w <workspace> <pkg> for the change you meant, and commit both)" >&2
  exit 1
fi
echo "package-lock.json: in step with every package.json (npm ci installs it unchanged)"
