"""Staff login: password (Argon2id) and TOTP together, with lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.utils import timezone
from django_otp import match_token

from upstander.accounts.actions import do_record_login
from upstander.accounts.models import User

GENERIC_ERROR = "The username, password or code is not right, or the account is locked. Try again in a few minutes."


@dataclass
class LoginResult:
    user: User | None
    device: object | None = None
    error: str = ""


def check_login(request, username: str, password: str, token: str) -> LoginResult:
    """Check both factors. Failures on an existing account are counted and audited (do_record_login); the caller
    records the success once the session is set up."""
    candidate = User.objects.filter(username=username, is_active=True).first()
    if candidate and candidate.locked_until and candidate.locked_until > timezone.now():
        return LoginResult(None, error=GENERIC_ERROR)
    user = authenticate(request, username=username, password=password)
    device = match_token(user, token) if user is not None else None  # refuses a replayed code (last_t)
    if user is None or device is None:
        if candidate:
            do_record_login(user=candidate, ok=False)
        return LoginResult(None, error=GENERIC_ERROR)
    return LoginResult(user, device)
