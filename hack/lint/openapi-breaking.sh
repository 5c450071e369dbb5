#!/usr/bin/env bash
# Breaking changes to the public API are caught (part of `make lint`): the public document
# (services/gateway/public-openapi.json) may change incompatibly only together with a new
# `info.version` and a changelog line for it in services/gateway/README.md ("API changelog").
#
# The base it is compared with is the oldest committed document of the current version: within one
# version only compatible changes are allowed, whatever branch or clone this runs in (CI runs on
# main itself, where "compare with main" would compare a document with itself). oasdiff
# (github.com/oasdiff/oasdiff, built from the Go module proxy into the tools cache) judges what
# breaks a client. OPENAPI_BASE=<rev> compares with that revision instead.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
cd "$(dirname "$0")/../.."

DOC=services/gateway/public-openapi.json
CHANGELOG=services/gateway/README.md
oasdiff="$(tool_path oasdiff)"

version_of() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).info.version)'; }

current="$(version_of <"$DOC")"
if ! grep -qE "^- \`?$current\`?: " "$CHANGELOG"; then
  die "$DOC is version $current, and $CHANGELOG has no changelog line for it (\"- $current: what changed\")"
fi

base="${OPENAPI_BASE:-}"
if [[ -z "$base" ]]; then
  # Newest first: walk back while the committed document has the current version.
  for commit in $(git log --format=%H -- "$DOC"); do
    [[ "$(git show "$commit:$DOC" | version_of)" == "$current" ]] || break
    base="$commit"
  done
fi
if [[ -z "$base" ]]; then
  echo "openapi-breaking: no committed document of version $current to compare with (a new version)"
  exit 0
fi

# Pinned in hack/tools/versions.env and built like every other tool (a cache hit once built).
[[ -x "$oasdiff" ]] || "$(dirname "$0")/../tools/build.sh" oasdiff

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git show "$base:$DOC" >"$work/base.json"
if "$oasdiff" breaking "$work/base.json" "$DOC" --fail-on ERR --format text >"$work/report.txt"; then
  echo "openapi-breaking: $DOC $current has no breaking change since $(git rev-parse --short "$base")"
  [[ -s "$work/report.txt" ]] && cat "$work/report.txt"
  exit 0
fi
cat "$work/report.txt" >&2
die "$DOC breaks clients of version $current (since $(git rev-parse --short "$base")): make the change compatible, or mark it intended with a new info.version (hack/openapi/generate.ts) and a changelog line for it in $CHANGELOG"
