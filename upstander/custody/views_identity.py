"""Break-glass (sealed identities), legal holds, and the overseer's custody page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts import session_keys
from upstander.accounts.models import Role, User
from upstander.accounts.permissions import staff_view
from upstander.audit.models import AuditEvent
from upstander.cases.access import visible_cases
from upstander.custody import break_glass, forms, retention
from upstander.custody.models import DisclosureRequest, IdentityDisclosure, LegalHold
from upstander.custody.views import _refusal

# Only custodians ask and open; the overseer approves and watches (policy/break_glass.toml names approvers).
IDENTITY_ROLES = (Role.CUSTODIAN, Role.OVERSEER)
HOLD_ROLES = (Role.SUPERVISOR, Role.OVERSEER)
CUSTODY_ACTIONS_PREFIXES = ("custody.", "key.grant", "identity.", "retention.")


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
                report = break_glass.find_sealed_report(form.cleaned_data["reference"])
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
    disclosure_request = get_object_or_404(DisclosureRequest, public_id=public_id)
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
@staff_view((Role.CUSTODIAN,))
@require_POST
def identity_open(request: HttpRequest, public_id) -> HttpResponse:
    disclosure_request = get_object_or_404(DisclosureRequest, public_id=public_id, requested_by=request.user)
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
        case = visible_cases(request.user).filter(code=form.cleaned_data["case_code"].strip().upper()).first()  # type: ignore[arg-type]
        if case is None:
            form.add_error("case_code", "No case you can see has that code.")
        else:
            try:
                retention.do_set_legal_hold(actor=request.user, case=case, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
            except (PermissionDenied, ValidationError) as exc:
                _refusal(form, exc)
            else:
                return redirect("custody:holds")
    visible = visible_cases(request.user)  # type: ignore[arg-type]
    live = LegalHold.objects.filter(case__in=visible).select_related("case", "set_by", "lifted_by").order_by("-set_at")
    return render(request, "custody/holds.html", {"form": form, "holds": live[:500], "reason_form": forms.ReasonForm()},
                  status=400 if form.errors else 200)


@staff_view(HOLD_ROLES)
@require_POST
def hold_lift(request: HttpRequest, public_id) -> HttpResponse:
    hold = get_object_or_404(LegalHold.objects.select_related("case", "set_by"), public_id=public_id,
                             case__in=visible_cases(request.user))  # type: ignore[arg-type]
    form = forms.ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say why the hold can be lifted.")
        retention.do_lift_legal_hold(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("custody:holds")


@staff_view((Role.OVERSEER,))
def oversight(request: HttpRequest) -> HttpResponse:
    """Everything custody does, for the overseer: identity openings, recoveries and resets, removals, holds."""
    watched = Q()
    for prefix in CUSTODY_ACTIONS_PREFIXES:
        watched |= Q(action__startswith=prefix)
    events = list(AuditEvent.objects.filter(watched).order_by("-id")[:500])
    ids = {e.object_id for e in events if e.object_type == "accounts.user"}
    names = {str(pid): name for pid, name in User.objects.filter(public_id__in=ids).values_list("public_id", "username")}
    for e in events:
        e.whom = names.get(e.object_id, f"{e.object_type} {e.object_id}".strip())  # type: ignore[attr-defined]
    return render(request, "custody/oversight.html", {
        "disclosures": IdentityDisclosure.objects.select_related("report", "custodian", "approver").order_by("-opened_on", "-id")[:200],
        "pending": DisclosureRequest.objects.filter(status="pending").select_related("requested_by").order_by("-requested_at"),
        "events": events,
    })
