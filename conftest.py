"""Suite-wide set-up: every test run gets its own throwaway data dir and cheap Argon2 parameters.

These variables must be set before Django's settings are imported, hence here at the repository root.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("UPSTANDER_FAST_HASHES", "1")
os.environ.setdefault("UPSTANDER_AUDIT_RESETTABLE", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
if "UPSTANDER_DATA_DIR" not in os.environ:
    os.environ["UPSTANDER_DATA_DIR"] = tempfile.mkdtemp(prefix="upstander-test-")

pytest_plugins = ["upstander.testing.fixtures"]


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db.get('NAME')})"
