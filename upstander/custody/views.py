"""Key custody pages: enrolment, recovery, account resets and removal. Break-glass and legal holds are in
views_identity.py. Thin views: forms in, actions (members.py) do the work and the audit."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts import session_keys
from upstander.accounts.permissions import (
    ACCOUNT_MANAGERS,
    ACCOUNT_READERS,
    ALL_STAFF,
    KEY_ROLES,
    MEMBER_REMOVERS,
    staff_view,
)
from upstander.custody import forms, members
from upstander.custody.access import accounts_for, get_account_for, get_colleague_for, open_invitations_by


def _refusal(form, exc: Exception) -> None:
    form.add_error(None, " ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or "Refused."))


@staff_view(ALL_STAFF)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "holds_key": session_keys.load(request) is not None,
        "has_grant": members.has_live_grant(user),  # type: ignore[arg-type]
        "key_role": user.role in KEY_ROLES,  # type: ignore[union-attr,operator]
        "open_invitations": open_invitations_by(user),
    }
    return render(request, "custody/home.html", context)


@never_cache
@staff_view(KEY_ROLES)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        newcomer = get_colleague_for(request.user, form.cleaned_data["username"])
        try:
            if newcomer is None:
                raise PermissionDenied("that account is not an active member of your organisation")
            new = members.do_invite_member(actor=request.user, org_key=session_keys.load(request),  # type: ignore[arg-type]
                                           user=newcomer, reason=form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            _refusal(form, exc)
        else:
            # The POST's own response shows the one-time code; it is never stored to be shown again.
            return render(request, "custody/invitation_created.html", {"invitation": new.invitation, "secret": new.secret})
    return render(request, "custody/invite.html", {"form": form}, status=400 if form.errors else 200)


def _finish_with_key(request: HttpRequest, org_key: bytes, message: str) -> HttpResponse:
    update_session_auth_hash(request, request.user)  # type: ignore[arg-type]  # the password changed
    response = redirect("custody:home")
    session_keys.store(request, response, org_key)
    messages.success(request, message)
    return response


@never_cache
@staff_view(KEY_ROLES)
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    form = forms.AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            key = members.do_accept_invitation(actor=request.user, secret=data["secret"],  # type: ignore[arg-type]
                                               current_password=data["current_password"],
                                               new_password=data["new_password"])
        except (PermissionDenied, ValidationError) as exc:
            _refusal(form, exc)
        else:
            return _finish_with_key(request, key, "You now hold your organisation's key. Use your new password from now on.")
    return render(request, "custody/enrol.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@staff_view(KEY_ROLES)
@require_http_methods(["GET", "POST"])
def recover(request: HttpRequest) -> HttpResponse:
    form = forms.RecoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            key = members.do_recover_with_secret(
                actor=request.user, recovery_secret=data["recovery_secret"],  # type: ignore[arg-type]
                current_password=data["current_password"], new_password=data["new_password"], reason=data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            _refusal(form, exc)
        else:
            return _finish_with_key(request, key, "Your access is restored. The overseer can see that the recovery "
                                                  "secret was used.")
    return render(request, "custody/recover.html", {"form": form}, status=400 if form.errors else 200)


@staff_view(ACCOUNT_READERS)
def account_list(request: HttpRequest) -> HttpResponse:
    return render(request, "custody/account_list.html", {"accounts": accounts_for(request.user)})


# Each form on an account's page gets its own id prefix, so no two of its fields share an id (three of them ask for a
# reason).
ACCOUNT_FORMS = {"reset_form": (forms.ResetPasswordForm, "reset-%s"), "factor_form": (forms.ReasonForm, "factor-%s"),
                 "remove_form": (forms.ReasonForm, "remove-%s")}


def _account_page(request: HttpRequest, account, bound: str = "", form=None, status: int = 200) -> HttpResponse:
    context = {name: form if name == bound else form_class(auto_id=auto_id)
               for name, (form_class, auto_id) in ACCOUNT_FORMS.items()}
    is_self = account.pk == request.user.pk
    return render(request, "custody/account_detail.html", {
        **context, "account": account, "holds_key": members.has_live_grant(account),
        # Nobody removes or resets their own account (members.py refuses too): it is not offered, and a refusal of a
        # form posted by hand is said on its own.
        "is_self": is_self, "refusal": " ".join(form.non_field_errors()) if is_self and form is not None else ""},
        status=status)


@staff_view(ACCOUNT_READERS)
def account_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _account_page(request, get_account_for(request.user, public_id))


def _account_action(request: HttpRequest, public_id, action, form_name: str, done: str) -> HttpResponse:
    account = get_account_for(request.user, public_id)
    form_class, auto_id = ACCOUNT_FORMS[form_name]
    form = form_class(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            result = action(actor=request.user, user=account, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            _refusal(form, exc)
        else:
            if isinstance(result, HttpResponse):
                return result
            messages.success(request, done)
            return redirect("custody:account", public_id=public_id)
    return _account_page(request, account, form_name, form, status=400)


@staff_view(ACCOUNT_MANAGERS)
@require_POST
def account_reset_password(request: HttpRequest, public_id) -> HttpResponse:
    return _account_action(request, public_id, members.do_reset_password, "reset_form",
                           "The password is reset. Give them the temporary password in person.")


@never_cache
@staff_view(ACCOUNT_MANAGERS)
@require_POST
def account_reset_second_factor(request: HttpRequest, public_id) -> HttpResponse:
    def reset_and_show(*, actor, user, reason):
        key_hex = members.do_reset_second_factor(actor=actor, user=user, reason=reason)
        secret = base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
        return render(request, "custody/second_factor_reset.html", {"account": user, "secret": secret})

    return _account_action(request, public_id, reset_and_show, "factor_form", "")


@staff_view(MEMBER_REMOVERS)
@require_POST
def account_remove(request: HttpRequest, public_id) -> HttpResponse:
    return _account_action(request, public_id, members.do_remove_member, "remove_form",
                           "The member is removed: their account is closed, their key revoked and their sessions ended.")
