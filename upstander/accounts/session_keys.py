"""An organisation key unlocked at login is kept encrypted in the session, under a key that lives only in the
user's cookie: the session table alone (a database dump) never yields it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from upstander.lib import crypto

COOKIE = "upstander_k"
SESSION_FIELD = "org_key_ct"


def store(request: HttpRequest, response: HttpResponse, org_private_key: bytes) -> None:
    cookie_key = crypto.new_data_key()
    request.session[SESSION_FIELD] = crypto.b64(crypto.encrypt(cookie_key, org_private_key, context=b"session"))
    response.set_cookie(COOKIE, crypto.b64(cookie_key), httponly=True, samesite="Strict",
                        secure=settings.TLS, max_age=None)


def load(request: HttpRequest) -> bytes | None:
    blob = request.session.get(SESSION_FIELD)
    cookie = request.COOKIES.get(COOKIE)
    if not blob or not cookie:
        return None
    try:
        return crypto.decrypt(crypto.unb64(cookie), crypto.unb64(blob), context=b"session")
    except (crypto.CryptoError, ValueError):
        return None


def clear(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE)
