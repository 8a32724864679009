from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstander.accounts import session_keys
from upstander.accounts.actions import do_record_login, unwrap_member_key
from upstander.accounts.auth import check_login
from upstander.accounts.enrolment import authenticator_qr_svg, manual_key
from upstander.accounts.forms import EnrolForm, LoginForm
from upstander.accounts.models import User
from upstander.accounts.staff import do_finish_enrolment, do_start_enrolment
from upstander.lib import clock

# Every role lands on its page for today (workspace/today.py): what needs doing, with links to where it is done.
HOME = "/today/"


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = check_login(request, data["username"], data["password"], data["otp_token"])
        if result.user is None:
            form.add_error(None, result.error)
        elif result.enrol:
            device = do_start_enrolment(user=result.user)
            request.session.cycle_key()
            request.session[ENROLMENT] = {"user": str(result.user.public_id), "device": device.pk,
                                          "until": (clock.now() + ENROLMENT_TIME).isoformat()}
            return redirect("accounts:enrol")
        else:
            return _signed_in(request, result.user, result.device, data["password"])
    return render(request, "accounts/login.html", {"form": form}, status=200 if not form.errors else 400)


ENROLMENT = "enrolment"
ENROLMENT_TIME = timedelta(minutes=15)


def _signed_in(request: HttpRequest, user, device, password: str) -> HttpResponse:
    login(request, user)  # rotates the session key: no session fixation
    otp_login(request, device)
    do_record_login(user=user, ok=True)
    target = request.GET.get("next") or HOME
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = HOME
    response = redirect(target)
    org_key = unwrap_member_key(user, password)
    if org_key is not None:
        session_keys.store(request, response, org_key)
    return response


def _pending_enrolment(request: HttpRequest):
    """The member who has just proved their temporary password, within the time allowed; otherwise nobody."""
    pending = request.session.get(ENROLMENT) or {}
    if not pending or datetime.fromisoformat(pending["until"]) < clock.now():
        return None, None
    user = User.objects.filter(public_id=pending["user"], is_active=True).first()
    device = TOTPDevice.objects.filter(pk=pending["device"], user=user, confirmed=False).first() if user else None
    return (user, device) if device else (None, None)


@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    """First sign-in: the member sets their own password and enrols their own authenticator (QR code or key)."""
    user, device = _pending_enrolment(request)
    if user is None:
        return redirect("accounts:login")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_finish_enrolment(user=user, device=device, token=data["otp_token"], new_password=data["new_password"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session.pop(ENROLMENT, None)
            user.refresh_from_db()
            return _signed_in(request, user, device, data["new_password"])
    context = {"form": form, "qr_svg": authenticator_qr_svg(device.config_url), "manual_key": manual_key(device),
               "person": user}
    return render(request, "accounts/enrol.html", context, status=200 if not form.errors else 400)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect("/accounts/login")
    session_keys.clear(response)
    return response
