"""The administrator's page for staff accounts: create, change role, disable. Views call the actions in
accounts/staff.py and show a confirmation; a new account's temporary password is shown once, on the POST's own
response, and never stored to be shown later."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts.access import accounts_for, get_account_for
from upstander.accounts.forms import DisableForm, NewAccountForm, RoleForm
from upstander.accounts.models import Role
from upstander.accounts.permissions import staff_view
from upstander.accounts.staff import do_change_role, do_create_account, do_disable_account


def _page(request: HttpRequest, form: NewAccountForm, *, created=None, status: int = 200) -> HttpResponse:
    rows = [{"account": a, "role_form": RoleForm(initial={"role": a.role}, auto_id=f"role-{a.public_id}-%s"),
             "disable_form": DisableForm(auto_id=f"disable-{a.public_id}-%s"), "is_me": a.pk == request.user.pk}
            for a in accounts_for(request.user)]
    return render(request, "accounts/staff.html", {"form": form, "rows": rows, "created": created}, status=status)


@staff_view([Role.ADMIN])
@require_http_methods(["GET", "POST"])
def staff_accounts(request: HttpRequest) -> HttpResponse:
    form = NewAccountForm(request.POST or None, auto_id="new-%s")
    if request.method == "POST" and form.is_valid():
        try:
            created = do_create_account(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _page(request, NewAccountForm(auto_id="new-%s"), created=created)
    return _page(request, form, status=400 if form.errors else 200)


@staff_view([Role.ADMIN])
@require_POST
def change_role(request: HttpRequest, public_id) -> HttpResponse:
    account = get_account_for(request.user, public_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role and say why it changes.")
        return redirect("accounts:staff")
    try:
        do_change_role(actor=request.user, user=account, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _say(exc))
    else:
        messages.success(request, f"{account.get_full_name() or account.username} is now "
                                  f"{Role(account.role).label.lower()}. If the role holds a key, a member who holds "
                                  "it must now invite them (Key custody).")
    return redirect("accounts:staff")


@staff_view([Role.ADMIN])
@require_POST
def disable(request: HttpRequest, public_id) -> HttpResponse:
    account = get_account_for(request.user, public_id)
    form = DisableForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the account is disabled.")
        return redirect("accounts:staff")
    try:
        do_disable_account(actor=request.user, user=account, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _say(exc))
    else:
        messages.success(request, f"{account.get_full_name() or account.username} can no longer sign in, and any "
                                  "key they held has been taken away.")
    return redirect("accounts:staff")


def _say(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])
