"""Lookups of staff accounts for the administrator's pages: deny by default."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from upstander.accounts.models import User
from upstander.accounts.permissions import ACCOUNT_MANAGERS


def _admin_only(actor) -> None:
    if getattr(actor, "role", None) not in ACCOUNT_MANAGERS:
        raise PermissionDenied


def get_account_for(actor, public_id) -> User:
    _admin_only(actor)
    try:
        return User.objects.get(public_id=public_id)
    except (User.DoesNotExist, ValueError):
        raise Http404 from None


def accounts_for(actor):
    _admin_only(actor)
    return User.objects.select_related("organisation", "unit").order_by("-is_active", "role", "last_name", "username")
