"""Suite-wide fixtures. Test-only settings (throwaway data dir, fast Argon2) are in upstander/test_settings.py."""

from __future__ import annotations

pytest_plugins = ["upstander.testing.fixtures", "upstander.testing.browser"]


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db.get('NAME')})"
