from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"DEMO_MODE": settings.DEMO_MODE, "QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
