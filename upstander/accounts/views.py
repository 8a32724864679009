from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from upstander.accounts import session_keys
from upstander.accounts.actions import do_record_login, unwrap_member_key
from upstander.accounts.auth import check_login
from upstander.accounts.forms import LoginForm
from upstander.accounts.models import Role

# Where each role lands after signing in: a page it may open (the case queue would refuse most of them).
HOME_BY_ROLE: dict[str, str] = {
    Role.HANDLER: "/cases/", Role.SUPERVISOR: "/cases/", Role.OVERSEER: "/cases/",
    Role.FACILITATOR: "/cases/reports/", Role.CUSTODIAN: "/custody/", Role.ANALYST: "/insight/",
    Role.ADMIN: "/custody/",
}


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = check_login(request, data["username"], data["password"], data["otp_token"])
        if result.user is None:
            form.add_error(None, result.error)
        else:
            login(request, result.user)  # rotates the session key: no session fixation
            otp_login(request, result.device)
            do_record_login(user=result.user, ok=True)
            target = request.GET.get("next") or HOME_BY_ROLE.get(result.user.role, "/cases/")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = "/cases/"
            response = redirect(target)
            org_key = unwrap_member_key(result.user, data["password"])
            if org_key is not None:
                session_keys.store(request, response, org_key)
            return response
    return render(request, "accounts/login.html", {"form": form}, status=200 if not form.errors else 400)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("/accounts/login")
    session_keys.clear(response)
    return response
