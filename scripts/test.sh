#!/usr/bin/env bash
# The whole suite: static checks, every test on SQLite (browser tests included), then every test again on a
# throwaway PostgreSQL server. Prints which database each pass used.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export UPSTANDER_FAST_HASHES=1 UPSTANDER_AUDIT_RESETTABLE=1 DJANGO_ALLOW_ASYNC_UNSAFE=true
unset DATABASE_URL PGHOST PGDATABASE || true

echo "=== static checks: ruff, mypy, import contracts, makemigrations --check ==="
ruff check upstander bench conftest.py
mypy upstander
lint-imports --no-cache
UPSTANDER_DATA_DIR=$(mktemp -d) python -m django makemigrations --check --dry-run --settings=upstander.settings

workers="${UPSTANDER_TEST_WORKERS:-2}"
echo "=== pass 1: SQLite (with browser tests in headless Chromium) ==="
pytest -n "$workers" --dist loadfile "$@"

echo "=== pass 2: PostgreSQL ==="
scripts/with-postgres.sh pytest -n "$workers" --dist loadfile -m "not browser" "$@"
