#!/usr/bin/env bash
# Builds the pinned cluster tools from Go modules (through the Go module proxy only) into
# ${TOURKIT_CACHE}/tools/<unit>-<version>/<binary>. A tool already built at its pinned version is
# reused. Usage: hack/tools/build.sh [tool ...]   (default: every tool; units as in `--list`, or
# any binary of one, e.g. buildctl or ctr)
#
# Tools whose upstream go.mod carries `replace` directives (k8s.io/kubernetes replaces its staging
# modules with ./staging/..., etcd's server replaces its sibling modules with ../...) cannot be
# `go install`ed. Each tool is therefore built from a small generated wrapper module under
# ${TOURKIT_CACHE}/build/<name>-<version>/ that requires the tool's module at its pinned version and
# turns every local-path replace into the published release of that module.
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"

command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || die "Go is not installed (expected on PATH or in /usr/local/go/bin)"
# The machine is shared: two parallel compile jobs at most, no toolchain download, static binaries.
export GOFLAGS="${GOFLAGS:--buildvcs=false}" GOTOOLCHAIN=local CGO_ENABLED=0
BUILD_PARALLELISM="${BUILD_PARALLELISM:-2}"
BUILD_ROOT="$TOURKIT_CACHE/build"

# Build units, in build order: one unit is one `go build` of one module (see tool_unit and
# unit_binaries in hack/lib/common.sh for the units that produce several binaries). The whole trivy
# binary is not among them: make lint-manifests runs trivy-config, Trivy's config scan alone (a
# quarter of its packages, hack/README.md); `hack/tools/build.sh trivy` builds the whole CLI.
ALL_TOOLS=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy etcd kwok metrics-server helm k6
  containerd cni-plugins crictl buildkit coredns mailpit promtool prometheus alertmanager jaeger oasdiff kube-score trivy-config)

# Module of each unit.
tool_module() {
  case "$1" in
    kube-score) echo "github.com/zegl/kube-score" ;; # before kube-*: not a Kubernetes binary
    kube-* | kubectl | kubelet) echo "k8s.io/kubernetes" ;;
    etcd) echo "go.etcd.io/etcd/server/v3" ;;
    kwok) echo "sigs.k8s.io/kwok" ;;
    metrics-server) echo "sigs.k8s.io/metrics-server" ;;
    helm) echo "helm.sh/helm/${HELM_VERSION%%.*}" ;;
    k6) echo "go.k6.io/k6" ;;
    containerd) echo "github.com/containerd/containerd/${CONTAINERD_VERSION%%.*}" ;;
    cni-plugins) echo "github.com/containernetworking/plugins" ;;
    crictl) echo "sigs.k8s.io/cri-tools" ;;
    buildkit) echo "github.com/moby/buildkit" ;;
    coredns) echo "github.com/coredns/coredns" ;;
    mailpit) echo "github.com/axllent/mailpit" ;;
    promtool | prometheus) echo "github.com/prometheus/prometheus" ;;
    alertmanager) echo "github.com/prometheus/alertmanager" ;;
    jaeger) echo "github.com/jaegertracing/jaeger" ;;
    oasdiff) echo "github.com/oasdiff/oasdiff" ;;
    trivy | trivy-config) echo "github.com/aquasecurity/trivy" ;;
  esac
}
# Main packages of each unit, one a line, in the order of unit_binaries.
tool_packages() {
  local module; module="$(tool_module "$1")"
  case "$1" in
    kube-* | kubectl | kubelet | kwok | metrics-server | helm | crictl | promtool | prometheus | alertmanager | jaeger | kube-score | trivy) echo "$module/cmd/$1" ;;
    etcd | k6 | coredns | mailpit | oasdiff) echo "$module" ;;
    trivy-config) echo . ;; # the wrapper module itself: hack/tools/trivy-config/main.go, copied in
    containerd) printf '%s\n' "$module/cmd/containerd" "$module/cmd/containerd-shim-runc-v2" "$module/cmd/ctr" ;;
    cni-plugins)
      printf '%s\n' "$module/plugins/main/bridge" "$module/plugins/ipam/host-local" \
        "$module/plugins/main/loopback" "$module/plugins/meta/portmap"
      ;;
    buildkit) printf '%s\n' "$module/cmd/buildkitd" "$module/cmd/buildctl" ;;
  esac
}
# Wrapper modules are shared by tools of the same module (the six Kubernetes binaries, which so share one compile cache).
wrapper_name() {
  case "$1" in
    kube-score) echo "kube-score-$(tool_version kube-score)" ;;
    kube-* | kubectl | kubelet) echo "kubernetes-$KUBE_VERSION" ;;
    *) echo "$1-$(tool_version "$1")" ;;
  esac
}
# Build tags, as each project's own static release build sets them. Every unit builds with
# CGO_ENABLED=0: containerd's only cgo plugin (btrfs) is left out by its own `cgo` constraint,
# and runc, the one piece that needs cgo (libseccomp), comes from Debian instead.
tool_tags() {
  case "$1" in
    containerd) echo "urfave_cli_no_docs osusergo netgo static_build" ;;
    buildkit) echo "osusergo netgo static_build" ;;
  esac
}
# Environment of a unit's `go get` and `go build`, as its own release build sets it: Trivy's
# goreleaser.yml builds with GOEXPERIMENT=jsonv2 (its code uses encoding/json/v2).
tool_env() {
  case "$1" in
    trivy | trivy-config) echo "GOEXPERIMENT=jsonv2" ;;
  esac
}
# Scheduling priority of a unit's compile: Trivy, the largest single binary here (about 3,000
# packages), runs at the lowest so that it yields the cores to whatever else the machine is doing.
tool_nice() {
  case "$1" in
    trivy | trivy-config) echo 19 ;;
    *) echo 0 ;;
  esac
}

# Version stamps, as each project's own release build sets them.
tool_ldflags() {
  local version; version="$(tool_version "$1")"
  local flags="-s -w"
  case "$1" in
    kube-score) ;;
    kube-* | kubectl | kubelet | metrics-server)
      local major minor commit_date
      if [[ $1 == metrics-server ]]; then
        flags+=" -X k8s.io/client-go/pkg/version.gitVersion=$version"
        flags+=" -X k8s.io/component-base/version.gitVersion=$version"
      else
        major="${version#v}"; major="${major%%.*}"
        minor="${version#v*.}"; minor="${minor%%.*}"
        commit_date="$(module_time k8s.io/kubernetes "$version")"
        for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
          flags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
          flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$commit_date"
        done
      fi
      ;;
    kwok) flags+=" -X sigs.k8s.io/kwok/pkg/consts.Version=$version -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=$KUBE_VERSION" ;;
    helm) flags+=" -X helm.sh/helm/${HELM_VERSION%%.*}/internal/version.version=$version -X helm.sh/helm/${HELM_VERSION%%.*}/internal/version.metadata=" ;;
    containerd)
      local module; module="$(tool_module containerd)"
      flags+=" -X $module/version.Version=$version -X $module/version.Package=github.com/containerd/containerd/${version%%.*}"
      ;;
    cni-plugins) flags+=" -X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$version" ;;
    crictl) flags+=" -X sigs.k8s.io/cri-tools/pkg/version.Version=$version" ;;
    buildkit) flags+=" -X github.com/moby/buildkit/version.Version=$version -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" ;;
    coredns) flags+=" -X github.com/coredns/coredns/coremain.GitCommit=$version" ;;
    mailpit) flags+=" -X github.com/axllent/mailpit/config.Version=$version" ;;
    promtool | prometheus | alertmanager) flags+=" -X github.com/prometheus/common/version.Version=${version#v}" ;;
    # The module's tag (upstream's release stamps its v2 tag, scripts/makefiles/BuildInfo.mk, which the module does not carry).
    jaeger) flags+=" -X github.com/jaegertracing/jaeger/internal/version.latestVersion=$version" ;;
    trivy) flags+=" -X github.com/aquasecurity/trivy/pkg/version/app.ver=${version#v}" ;;
    trivy-config) flags+=" -X main.trivyVersion=${TRIVY_VERSION#v}" ;;
  esac
  echo "$flags"
}

module_json_field() { # module@version field
  go mod download -json "$1" | sed -n "s/^\t\"$2\": \"\(.*\)\",\{0,1\}$/\1/p"
}
module_time() { # module version -> publication time (a reproducible build date)
  sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$(module_json_field "$1@$2" Info)"
}

# Writes the wrapper go.mod for a tool's module: require it, translate its replace directives.
write_wrapper_module() {
  local dir=$1 module=$2 version=$3
  local upstream_mod; upstream_mod="$(module_json_field "$module@$version" GoMod)"
  [[ -f $upstream_mod ]] || die "cannot download $module@$version from the Go module proxy"
  local go_directive; go_directive="$(awk '$1 == "go" { print $2; exit }' "$upstream_mod")"
  local required; required="$(awk '/^require \(/ { r = 1; next } r && /^\)/ { r = 0 } r { print $1 } /^require [^(]/ { print $2 }' "$upstream_mod")"
  {
    echo "// Generated by hack/tools/build.sh: builds $module@$version with its replaces resolved."
    echo "module tourkit.local/tools/$(basename "$dir")"
    echo
    echo "go $go_directive"
    grep '^godebug ' "$upstream_mod" || true
    echo
    echo "require $module $version"
    echo
    # "replace A => ./local/dir" and "replace A v => B v" lines, in block or single-line form.
    awk '/^replace \(/ { r = 1; next } r && /^\)/ { r = 0; next } r { print } /^replace [^(]/ { sub(/^replace /, ""); print }' "$upstream_mod" |
      while read -r line; do
        [[ $line == *"=>"* ]] || continue
        local lhs="${line%%=>*}" rhs="${line#*=>}"
        lhs="$(echo $lhs)"; rhs="$(echo $rhs)"
        local target="${rhs%% *}" from="${lhs%% *}"
        if [[ $target == .* || $target == /* ]]; then
          [[ $target == *FORBIDDEN* ]] && continue            # etcd's guard against importing itself
          grep -qx -- "$from" <<<"$required" || continue      # only modules the tool actually requires
          echo "replace $from => $from $(published_version "$module" "$version")"
        else
          echo "replace $line"
        fi
      done
  } >"$dir/go.mod"
}

# The version of the tool's Go module (a unit's version may say more: see trivy-config in common.sh).
module_version() {
  case "$1" in
    trivy-config) echo "$TRIVY_VERSION" ;;
    *) tool_version "$1" ;;
  esac
}

# The release of a module that upstream builds from a local directory: Kubernetes' staging
# modules are published as v0.<minor>.<patch> of v1.<minor>.<patch>; etcd's as the same tag.
published_version() {
  case "$1" in
    k8s.io/kubernetes) echo "v0.${2#v1.}" ;;
    *) echo "$2" ;;
  esac
}

# What a unit's wrapper needs beyond its go.mod. Jaeger needs nothing: without its npm-built UI
# (cmd/query/app/ui/actual, empty in the module) it serves its own placeholder page, and the API. Alertmanager embeds its web UI from ui/app/dist,
# which its release build makes with npm and its Go module does not ship: the wrapper builds a copy of
# the module whose dist holds one page saying so (the API, /api/v2, is whole).
prepare_wrapper() {
  local tool=$1 wrapper=$2 module=$3 version=$4
  case "$tool" in
    trivy-config)
      cp "$HACK_DIR/tools/trivy-config/main.go" "$wrapper/main.go"
      (cd "$wrapper" && env $(tool_env "$tool") go mod tidy)
      ;;
    alertmanager)
      local src; src="$(module_json_field "$module@$version" Dir)"
      rm -rf "$wrapper/module"
      cp -r "$src" "$wrapper/module"
      chmod -R u+w "$wrapper/module"
      for ui in elm mantine; do
        mkdir -p "$wrapper/module/ui/app/dist/$ui"
        echo '<!doctype html><title>Alertmanager</title><p>This build has no web UI (its assets are built with npm, outside the Go module). The API is at <a href="api/v2/alerts">/api/v2</a>.' \
          >"$wrapper/module/ui/app/dist/$ui/index.html"
      done
      echo "replace $module => ./module" >>"$wrapper/go.mod"
      (cd "$wrapper" && go mod tidy)
      ;;
  esac
}

elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

build_tool() {
  local tool=$1 step=$2 total=$3
  local version; version="$(tool_version "$tool")"
  local out_dir="$TOOLS_DIR/$tool-$version"
  local label="[$step/$total] $tool $version"
  local binaries missing=0
  read -r -a binaries <<<"$(unit_binaries "$tool")"
  for binary in "${binaries[@]}"; do [[ -x $out_dir/$binary ]] || missing=1; done
  if ((!missing)); then
    log "$label: cached at $out_dir"
    return
  fi
  local started; started=$(date +%s)
  local module wrapper packages
  module="$(tool_module "$tool")"
  mapfile -t packages < <(tool_packages "$tool")
  wrapper="$BUILD_ROOT/$(wrapper_name "$tool")"
  mkdir -p "$wrapper" "$out_dir"
  local build_log="$wrapper/build-$tool.log"

  if [[ ! -f $wrapper/.resolved ]]; then
    local module_version; module_version="$(module_version "$tool")"
    log "$label: resolving $module@$module_version through the Go module proxy"
    write_wrapper_module "$wrapper" "$module" "$module_version"
    # go get pins the tool's packages at the tool's version and adds what they import.
    local pinned=("${packages[@]/%/@$module_version}")
    # trivy-config's package is the wrapper's own main.go (prepare_wrapper): get the module only.
    [[ $tool == trivy-config ]] && pinned=("$module@$module_version")
    [[ $module == k8s.io/kubernetes ]] && pinned=(
      "$module/cmd/kube-apiserver@$version" "$module/cmd/kube-controller-manager@$version"
      "$module/cmd/kube-scheduler@$version" "$module/cmd/kubectl@$version"
      "$module/cmd/kubelet@$version" "$module/cmd/kube-proxy@$version")
    # shellcheck disable=SC2046 # tool_env prints zero or more NAME=value words
    local get=(go get -tool); [[ $tool == trivy-config ]] && get=(go get)
    (cd "$wrapper" && env $(tool_env "$tool") "${get[@]}" "${pinned[@]}") >"$build_log" 2>&1 ||
      { tail -20 "$build_log" >&2; die "$label: resolving modules failed (log: $build_log)"; }
    prepare_wrapper "$tool" "$wrapper" "$module" "$module_version" >>"$build_log" 2>&1 ||
      { tail -20 "$build_log" >&2; die "$label: preparing the module failed (log: $build_log)"; }
    touch "$wrapper/.resolved"
  fi

  # One package: -o names the binary; several: -o names a directory, each binary is named for its package.
  local partial="$out_dir/.partial" output
  rm -rf "$partial"; mkdir -p "$partial"
  output="$partial/"
  ((${#packages[@]} == 1)) && output="$partial/${binaries[0]}"
  log "$label: compiling ${packages[*]} (log: $build_log)"
  # shellcheck disable=SC2046 # tool_env prints zero or more NAME=value words
  (cd "$wrapper" && exec env $(tool_env "$tool") nice -n "$(tool_nice "$tool")" go build -v -p "$BUILD_PARALLELISM" -trimpath -tags "$(tool_tags "$tool")" \
    -ldflags "$(tool_ldflags "$tool")" -o "$output" "${packages[@]}") >>"$build_log" 2>&1 &
  local pid=$!
  trap 'kill "$pid" 2>/dev/null || true' EXIT INT TERM
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    kill -0 "$pid" 2>/dev/null &&
      log "$label: still compiling ($(elapsed "$started"), $(grep -vc '^go: ' "$build_log" || true) packages so far)"
  done
  wait "$pid" || { tail -30 "$build_log" >&2; die "$label: compilation failed (log: $build_log)"; }
  trap - EXIT INT TERM
  for binary in "${binaries[@]}"; do
    [[ -x $partial/$binary ]] || die "$label: the build produced no $binary (log: $build_log)"
    mv -f "$partial/$binary" "$out_dir/$binary"
  done
  rm -rf "$partial"
  echo "$(($(date +%s) - started))" >"$out_dir/.build-seconds"
  log "$label: built in $(elapsed "$started") -> $out_dir/{$(IFS=,; echo "${binaries[*]}")}"
}

main() {
  if [[ ${1:-} == --list ]]; then printf '%s\n' "${ALL_TOOLS[@]}"; return; fi
  # Arguments are units or binaries (buildctl builds the buildkit unit), each unit built once.
  local tools=() unit
  for tool in "$@"; do
    tool_version "$tool" >/dev/null 2>&1 || die "unknown tool '$tool' (known: ${ALL_TOOLS[*]}, or one of their binaries)"
    unit="$(tool_unit "$tool")"
    [[ " ${tools[*]} " == *" $unit "* ]] || tools+=("$unit")
  done
  [[ ${#tools[@]} -gt 0 ]] || tools=("${ALL_TOOLS[@]}")
  mkdir -p "$TOOLS_DIR" "$BUILD_ROOT"
  # One build at a time on this machine, whoever asks (make, the test helper, a second shell).
  exec 9>"$TOOLS_DIR/.build.lock"
  if ! flock -n 9; then
    log "another build of the tools is running; waiting for it"
    flock 9
  fi
  local started; started=$(date +%s)
  local step=0
  for tool in "${tools[@]}"; do
    step=$((step + 1))
    build_tool "$tool" "$step" "${#tools[@]}"
  done
  log "all ${#tools[@]} tools ready in $TOOLS_DIR ($(elapsed "$started"))"
}

main "$@"
