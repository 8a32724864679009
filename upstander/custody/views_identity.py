"""Break-glass (sealed identities), legal holds, and the overseer's custody page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts import session_keys
from upstander.accounts.models import Role
from upstander.accounts.permissions import HOLD_ROLES, IDENTITY_ROLES, OVERSEER_ONLY, staff_view
from upstander.cases.access import visible_cases
from upstander.cases.workflow import stage_label
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
from upstander.lib.policy import category_label

# What a sealed identity holds, as the reporter side writes it (intake/reports.py:Identity), in words.
IDENTITY_LABELS = {"name": "Name", "staff_number": "Staff number", "email": "Email", "phone": "Phone", "unit": "Unit",
                   "identity": "Identity as given"}


def _concerns(report, may_open: set[int]) -> dict:
    """What a request concerns, so nobody approves blind: the case (code, category, stage, and a link where the
    member may open it), or the report not yet on a case."""
    case = report.case
    if case is None:
        return {"case": None, "received_on": report.received_on,
                "category": ", ".join(category_label(c) for c in report.categories) or "Not given"}
    return {"case": case, "category": category_label(case.main_category) if case.main_category else
            ", ".join(category_label(c) for c in report.categories) or "Not given",
            "stage": stage_label(case.state), "received_on": report.received_on,
            "may_open": case.pk in may_open}


def _uuids(values) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def _cases_open_to(user, reports) -> set[int]:
    """Which of these reports' cases the member may open (cases/access.py decides)."""
    ids = {r.case_id for r in reports if r.case_id is not None}
    return set(visible_cases(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _identity_page(request: HttpRequest, form, status: int = 200, error: str = "", bound=None) -> HttpResponse:
    user = request.user
    requests = list(break_glass.requests_for(user).select_related("report__case")[:200])  # type: ignore[arg-type]
    may_open = _cases_open_to(user, [r.report for r in requests])
    rows = []
    for n, r in enumerate(requests, start=1):
        can_decide = break_glass.can_decide(user, r)  # type: ignore[arg-type]
        decision = None
        if can_decide:  # each request's form has ids of its own
            decision = bound[1] if bound and bound[0] == r.pk else forms.DisclosureDecisionForm(auto_id=f"decide-{n}-%s")
        rows.append({"request": r, "can_decide": can_decide, "decision_form": decision, "n": n,
                     "concerns": _concerns(r.report, may_open)})
    return render(request, "custody/identities.html", {
        "form": form, "rows": rows, "is_custodian": user.role == Role.CUSTODIAN,  # type: ignore[union-attr]
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
                messages.success(request, "Your request is recorded. " + (
                    "It waits for a second person's approval." if break_glass.break_glass().require_second_approval
                    else "You may open the identity now, once."))
                return redirect("custody:identities")
        return _identity_page(request, form, status=400)
    return _identity_page(request, form)


@staff_view(IDENTITY_ROLES)
@require_POST
def identity_decide(request: HttpRequest, public_id) -> HttpResponse:
    disclosure_request = get_disclosure_request_for(request.user, public_id, write=True)
    form = forms.DisclosureDecisionForm(request.POST, auto_id="decide-%s")
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            break_glass.do_decide_disclosure(actor=request.user, request=disclosure_request,  # type: ignore[arg-type]
                                             approve=approve, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error("note", " ".join(exc.messages))
        else:
            messages.success(request, "Approved: the custodian who asked may now open the identity, once." if approve
                             else "Refused: the custodian who asked can see your note.")
            return redirect("custody:identities")
    return _identity_page(request, forms.DisclosureRequestForm(), status=400, bound=(disclosure_request.pk, form),
                          error="Your decision was not recorded: see the request below.")


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
    given = identity.items() if isinstance(identity, dict) else [("identity", identity)]
    fields = [(IDENTITY_LABELS.get(k, str(k).replace("_", " ").capitalize()), v) for k, v in given]
    return render(request, "custody/identity_opened.html", {
        "request_row": disclosure_request, "fields": fields,
        "concerns": _concerns(disclosure_request.report,
                              _cases_open_to(request.user, [disclosure_request.report]))})


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
                messages.success(request, f"Case {case.code} is on legal hold: its content is kept until the hold "
                                          "is lifted.")
                return redirect("custody:holds")
    # Each hold's lifting form has ids of its own.
    rows = [{"hold": h, "lift_form": forms.ReasonForm(auto_id=f"lift-{n}-%s") if h.lifted_at is None else None}
            for n, h in enumerate(holds_for(request.user)[:500], start=1)]
    return render(request, "custody/holds.html", {"form": form, "rows": rows}, status=400 if form.errors else 200)


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
    else:
        messages.success(request, f"The legal hold on case {hold.case.code} is lifted.")
    return redirect("custody:holds")


@staff_view(OVERSEER_ONLY)
def oversight(request: HttpRequest) -> HttpResponse:
    """Everything custody does, for the overseer: identity openings, recoveries and resets, removals, holds. Reports
    are named by their case's code, never by their reference."""
    record = custody_record_for(request.user)
    disclosures = list(record["disclosures"])
    cases = visible_cases(request.user)  # type: ignore[arg-type]
    wanted = {t: {e.object_id for e in record["events"] if e.object_type == t} for t in ("cases.report", "cases.case")}
    codes = {("cases.report", str(public_id)): code for public_id, code in cases.filter(
        reports__public_id__in=_uuids(wanted["cases.report"])).values_list("reports__public_id", "code")}
    codes |= {("cases.case", str(public_id)): code for public_id, code in cases.filter(
        public_id__in=_uuids(wanted["cases.case"])).values_list("public_id", "code")}
    by_pk = dict(cases.filter(reports__in=[d.report_id for d in disclosures]).values_list(
        "reports__id", "code")) if disclosures else {}
    for e in record["events"]:
        e.case_code = codes.get((e.object_type, e.object_id))
    for d in disclosures:
        d.case_code = by_pk.get(d.report_id)  # type: ignore[attr-defined]
    return render(request, "custody/oversight.html", {**record, "disclosures": disclosures})
