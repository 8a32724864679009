"""Staff login: password (Argon2id) and TOTP together, with lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp import match_token

from upstander.accounts.models import User

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
GENERIC_ERROR = "The username, password or code is not right, or the account is locked. Try again in a few minutes."


@dataclass
class LoginResult:
    user: User | None
    device: object | None = None
    error: str = ""


def check_login(request, username: str, password: str, token: str) -> LoginResult:
    candidate = User.objects.filter(username=username, is_active=True).first()
    now = timezone.now()
    if candidate and candidate.locked_until and candidate.locked_until > now:
        return LoginResult(None, error=GENERIC_ERROR)
    user = authenticate(request, username=username, password=password)
    device = match_token(user, token) if user is not None else None  # refuses a replayed code (last_t)
    if user is None or device is None:
        if candidate:
            with transaction.atomic():
                User.objects.filter(pk=candidate.pk).update(failed_logins=F("failed_logins") + 1)
                candidate.refresh_from_db(fields=["failed_logins"])
                if candidate.failed_logins >= MAX_FAILURES:
                    User.objects.filter(pk=candidate.pk).update(locked_until=now + LOCKOUT, failed_logins=0)
        return LoginResult(None, error=GENERIC_ERROR)
    if user.failed_logins:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    return LoginResult(user, device)
