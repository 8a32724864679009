"""Break-glass (sealed identities), legal holds, and the overseer's custody page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts import session_keys
from upstander.accounts.models import Role
from upstander.accounts.permissions import HOLD_ROLES, IDENTITY_ROLES, OVERSEER_ONLY, staff_view
from upstander.custody import break_glass, forms, retention
from upstander.custody.access import (
    custody_record_for,
    find_case_for_hold,
    find_sealed_report_for,
    get_disclosure_request_for,
    get_hold_for,
    holds_for,
)
from upstander.custody.views import _refusal


def _identity_page(request: HttpRequest, form, status: int = 200, error: str = "") -> HttpResponse:
    requests = list(break_glass.requests_for(request.user)[:200])  # type: ignore[arg-type]
    rows = [{"request": r, "can_decide": break_glass.can_decide(request.user, r)} for r in requests]  # type: ignore[arg-type]
    return render(request, "custody/identities.html", {
        "form": form, "rows": rows, "decision_form": forms.DisclosureDecisionForm(),
        "is_custodian": request.user.role == Role.CUSTODIAN,  # type: ignore[union-attr]
        "policy": break_glass.break_glass(), "error": error}, status=status)


@staff_view(IDENTITY_ROLES)
@require_http_methods(["GET", "POST"])
def identities(request: HttpRequest) -> HttpResponse:
    form = forms.DisclosureRequestForm(request.POST or None)
    if request.method == "POST":
        if request.user.role != Role.CUSTODIAN:  # type: ignore[union-attr]
            raise PermissionDenied
        if form.is_valid():
            try:
                report = find_sealed_report_for(request.user, form.cleaned_data["reference"])
                break_glass.do_request_disclosure(actor=request.user, report=report,  # type: ignore[arg-type]
                                                  reason=form.cleaned_data["reason"])
            except break_glass.NoSealedIdentity as exc:
                form.add_error("reference", str(exc))
            except (PermissionDenied, ValidationError) as exc:
                _refusal(form, exc)
            else:
                return redirect("custody:identities")
        return _identity_page(request, form, status=400)
    return _identity_page(request, form)


@staff_view(IDENTITY_ROLES)
@require_POST
def identity_decide(request: HttpRequest, public_id) -> HttpResponse:
    disclosure_request = get_disclosure_request_for(request.user, public_id, write=True)
    form = forms.DisclosureDecisionForm(request.POST)
    if form.is_valid():
        try:
            break_glass.do_decide_disclosure(actor=request.user, request=disclosure_request,  # type: ignore[arg-type]
                                             approve=form.cleaned_data["decision"] == "approve",
                                             note=form.cleaned_data["note"])
        except ValidationError as exc:
            return _identity_page(request, forms.DisclosureRequestForm(), status=400, error=" ".join(exc.messages))
        return redirect("custody:identities")
    return _identity_page(request, forms.DisclosureRequestForm(), status=400, error="Choose approve or refuse.")


@never_cache
@staff_view({Role.CUSTODIAN})
@require_POST
def identity_open(request: HttpRequest, public_id) -> HttpResponse:
    disclosure_request = get_disclosure_request_for(request.user, public_id, write=True, own=True)
    try:
        identity = break_glass.do_open_identity(actor=request.user, request=disclosure_request,  # type: ignore[arg-type]
                                                org_key=session_keys.load(request))
    except break_glass.NoSealedIdentity:
        raise Http404("no sealed identity") from None
    # Shown in this response only: the identity is never stored in the clear or kept in the session.
    fields = identity.items() if isinstance(identity, dict) else [("identity", identity)]
    return render(request, "custody/identity_opened.html", {"request_row": disclosure_request, "fields": fields})


@staff_view(HOLD_ROLES)
@require_http_methods(["GET", "POST"])
def holds(request: HttpRequest) -> HttpResponse:
    form = forms.LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = find_case_for_hold(request.user, form.cleaned_data["case_code"])
        if case is None:
            form.add_error("case_code", "No case you can see has that code.")
        else:
            try:
                retention.do_set_legal_hold(actor=request.user, case=case, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            except (PermissionDenied, ValidationError) as exc:
                _refusal(form, exc)
            else:
                return redirect("custody:holds")
    return render(request, "custody/holds.html", {"form": form, "holds": holds_for(request.user)[:500],
                                                  "reason_form": forms.ReasonForm()},
                  status=400 if form.errors else 200)


@staff_view(HOLD_ROLES)
@require_POST
def hold_lift(request: HttpRequest, public_id) -> HttpResponse:
    hold = get_hold_for(request.user, public_id)
    form = forms.ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say why the hold can be lifted.")
        retention.do_lift_legal_hold(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("custody:holds")


@staff_view(OVERSEER_ONLY)
def oversight(request: HttpRequest) -> HttpResponse:
    """Everything custody does, for the overseer: identity openings, recoveries and resets, removals, holds."""
    return render(request, "custody/oversight.html", custody_record_for(request.user))
