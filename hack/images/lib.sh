# Shared by the hack/images scripts (after hack/lib/common.sh): paths, image names, tool lookup.
# shellcheck shell=bash
IMAGES_SRC="$HACK_DIR/images"
IMAGES_CACHE="$TOURKIT_CACHE/images"
# shellcheck source=images.env
. "$IMAGES_SRC/images.env"

# Path of a binary the image builds use (containerd, ctr, buildkitd, buildctl, coredns): an explicit
# <NAME>_BIN (e.g. BUILDCTL_BIN), else the build in the tools cache (hack/tools/build.sh puts each
# tool in ${TOOLS_DIR}/<tool>-<version>/; the newest wins), else PATH, else hack/tools/build.sh
# builds it.
image_tool() {
  local name=$1 var
  var="$(tr 'a-z-' 'A-Z_' <<<"$name")_BIN"
  if [[ -n ${!var:-} ]]; then echo "${!var}"; return; fi
  local found
  found="$(compgen -G "$TOOLS_DIR/*/$name" | sort -V | tail -1 || true)"
  [[ -z $found ]] && found="$(command -v "$name" || true)"
  if [[ -z $found ]]; then
    # Not built yet (a fresh machine): hack/tools/build.sh builds it, cached by version, if it knows it.
    log "$name is not built yet: hack/tools/build.sh $name"
    "$HACK_DIR/tools/build.sh" "$name" >&2 || die "$name not found and hack/tools/build.sh could not build it; set $var"
    found="$(compgen -G "$TOOLS_DIR/*/$name" | sort -V | tail -1 || true)"
  fi
  [[ -n $found ]] || die "$name not found: build it with hack/tools/build.sh, or set $var"
  echo "$found"
}

# ensure_command <command> <Debian package>: installs the package with apt-get when the command is
# missing (root, apt-get present), else stops with a message naming the package.
ensure_command() {
  command -v "$1" >/dev/null && return
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "$1 is missing: apt-get install $2"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" >&2 ||
      { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$2" >&2; } ||
      die "could not install the Debian package $2 (it provides $1)"
    return
  fi
  die "$1 is missing: install the Debian package $2"
}

# The containerd the images are built into and run by. Default: the local node's (hack/node) when
# its socket is there, else the standalone one of hack/images/containerd.sh.
if [[ -z ${CONTAINERD_ADDRESS:-} ]]; then
  if [[ -S $TOURKIT_CACHE/node/run/containerd/containerd.sock ]]; then
    CONTAINERD_ADDRESS="$TOURKIT_CACHE/node/run/containerd/containerd.sock"
  else
    CONTAINERD_ADDRESS="$IMAGES_CACHE/containerd/containerd.sock"
  fi
fi
# The CRI plugin's namespace: the kubelet sees only the images in it.
# shellcheck disable=SC2034 # used by the scripts that source this file
CONTAINERD_NAMESPACE=k8s.io
