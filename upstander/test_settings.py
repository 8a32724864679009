"""Settings for the test suite: the production settings, read after setting test-only environment defaults.

pytest-django imports settings before any conftest runs, so the test-only switches must be set here: a throwaway
data dir per run, cheap Argon2 parameters, and resettable audit rows (so the runner can flush its databases).
"""

import os
import tempfile

os.environ.setdefault("UPSTANDER_FAST_HASHES", "1")
os.environ.setdefault("UPSTANDER_AUDIT_RESETTABLE", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
if "UPSTANDER_DATA_DIR" not in os.environ:
    os.environ["UPSTANDER_DATA_DIR"] = os.environ["UPSTANDER_TEST_DATA_ROOT"] = tempfile.mkdtemp(prefix="upstander-test-")
# Each xdist worker has its own database, so it needs its own data dir too: otherwise one worker's sweeper sees the
# other's stored files as orphans and deletes them. Only the suite's own root is split: a command a test runs in a
# subprocess with a data dir of its own keeps it.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ["UPSTANDER_DATA_DIR"] == os.environ.get("UPSTANDER_TEST_DATA_ROOT"):
    os.environ["UPSTANDER_DATA_DIR"] = os.path.join(os.environ["UPSTANDER_DATA_DIR"], _worker)
    os.makedirs(os.environ["UPSTANDER_DATA_DIR"], mode=0o700, exist_ok=True)  # 0700 like any data dir (health.py)

from upstander.settings import *  # noqa: E402,F403
