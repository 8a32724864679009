#!/usr/bin/env bash
# Create .venv and install everything Upstander needs, Debian packages included. Says what it installs and stops
# with a clear message when something cannot be installed. Safe to rerun: it skips what is already there.
# Usage: scripts/bootstrap.sh [demo|test]
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-test}"

debs=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
if [ "$purpose" = "test" ]; then
  debs+=(chromium postgresql sqlite3)
  # npm fetches axe-core (below). Debian's npm brings nodejs with it; a machine with another nodejs that already
  # has npm (NodeSource) keeps it.
  command -v npm >/dev/null || debs+=(npm)
fi
missing=()
for pkg in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
    command -v sudo >/dev/null || { echo "bootstrap: need root to install ${missing[*]}; run: apt-get install -y ${missing[*]}" >&2; exit 1; }
  else
    SUDO=
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "bootstrap: could not install ${missing[*]} with apt-get. Install them by hand and rerun." >&2
    exit 1
  fi
fi

PY="${PYTHON:-python3}"
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 2>/dev/null || {
  echo "bootstrap: Python 3.11 is required (Django 5.2 LTS here); found: $("$PY" --version 2>&1)" >&2; exit 1; }
stamp=".venv/.installed-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing Python packages into .venv (pinned in requirements.lock)" >&2
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.lock || {
    echo "bootstrap: pip could not install requirements.lock (is PyPI reachable?)" >&2; exit 1; }
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -e . || { echo "bootstrap: pip install -e . failed" >&2; exit 1; }
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# axe-core, for the accessibility checks of the browser tests (upstander/testing/axe.py): the version and the
# SHA-512 of its npm tarball are pinned here (the hash is the registry's own `dist.integrity`, in hex).
AXE_VERSION=4.14.1
AXE_SHA512=1477dafa598d8d065f273d6af302aa203c02e83131707b7fa648cd41bd3d6b734f8c22a0dab86ee6a6f64b8afbe804b214d36db85a2826965edfb3a0b9d546b5
axe_dir=".venv/axe/axe-core-$AXE_VERSION"
if [ "$purpose" = "test" ] && [ ! -f "$axe_dir/axe.min.js" ]; then
  echo "bootstrap: installing axe-core $AXE_VERSION into $axe_dir (npm pack)" >&2
  axe_tmp="$(mktemp -d)"
  (cd "$axe_tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null) || {
    echo "bootstrap: npm could not fetch axe-core@$AXE_VERSION (is registry.npmjs.org reachable?)" >&2; exit 1; }
  echo "$AXE_SHA512  $axe_tmp/axe-core-$AXE_VERSION.tgz" | sha512sum -c --quiet - || {
    echo "bootstrap: axe-core-$AXE_VERSION.tgz does not match its pinned SHA-512; not installed" >&2; exit 1; }
  mkdir -p "$axe_dir"
  tar -xzf "$axe_tmp/axe-core-$AXE_VERSION.tgz" -C "$axe_dir" --strip-components=1 \
    package/axe.min.js package/LICENSE package/package.json
  rm -rf "$axe_tmp"
fi
