"""Django set up for code that may run outside a request (a command, a benchmark, a library call from a script).
Lives at the bottom layer so any app can ask for it without importing the command line (`upstander.cli`)."""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django. Safe to call twice."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstander.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
