#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright's own browser download is not used: it
# cannot be fetched where this kit is built). Installs it when missing, as root, and says so; any
# other case stops with what to run, so the browser tests never silently skip.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$bin" ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "web browser tests: $bin is missing; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "web browser tests: $bin is missing and there is no apt-get; install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
echo "web browser tests: installing Debian's chromium (apt-get install chromium, once per machine)…" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
test -x "$bin"
echo "web browser tests: chromium installed at $bin" >&2
