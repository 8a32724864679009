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
