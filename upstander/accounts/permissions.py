"""Decorators for staff views: deny by default. A view names the roles it admits; anyone else is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def staff_view(roles: Iterable[str]) -> Callable:
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not user.is_verified():  # type: ignore[union-attr,attr-defined]
                return redirect_to_login(request.get_full_path())
            if user.role not in allowed:  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.staff_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator
