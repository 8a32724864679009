"""Staff login: password (Argon2id) and TOTP together, with a lockout after repeated failures that cannot be used
against the member it protects.

- The answer takes the same time whatever the username: the password is always hashed, for an unknown, a locked or
  a known account alike (Django's backend hashes a dummy password when the username is unknown), so timing does not
  tell which usernames exist or which are locked.
- A lockout stops guessing, not the member: while an account is locked, an attempt goes on only with a valid, unused
  code from the member's own authenticator, and attempts without one are not counted, so nobody without the second
  factor can keep someone locked out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import authenticate
from django_otp import match_token

from upstander.accounts.actions import do_record_login
from upstander.accounts.models import User
from upstander.accounts.staff import needs_enrolment
from upstander.lib import clock

GENERIC_ERROR = "The username, password or code is not right, or the account is locked. Try again in a few minutes."


@dataclass
class LoginResult:
    user: User | None
    device: object | None = None
    error: str = ""
    enrol: bool = False  # right password, first sign-in: the member sets a password and enrols an authenticator


def _is_locked(user: User | None) -> bool:
    return bool(user and user.locked_until and user.locked_until > clock.now())


def check_login(request, username: str, password: str, token: str) -> LoginResult:
    """Check both factors. Failures on an existing, unlocked account are counted and audited (do_record_login); the
    caller records the success once the session is set up."""
    candidate = User.objects.filter(username=username, is_active=True).first()
    locked = _is_locked(candidate)
    # The second factor first while locked: a replayed or wrong code ends the attempt uncounted.
    device = match_token(candidate, token) if locked and candidate is not None and token else None
    user = authenticate(request, username=username, password=password)  # always: equal time for every username
    if locked:
        if user is None or device is None:
            return LoginResult(None, error=GENERIC_ERROR)
        return LoginResult(user, device)
    if user is not None and needs_enrolment(user):
        return LoginResult(user, enrol=True)
    device = match_token(user, token) if user is not None and token else None  # refuses a replayed code (last_t)
    if user is None or device is None:
        if candidate:
            do_record_login(user=candidate, ok=False)
        return LoginResult(None, error=GENERIC_ERROR)
    return LoginResult(user, device)
