"""Staff case views: the queue, the triage inbox, the case page and its actions. Thin: a form for every input, the
action does the work, redirect after a successful POST; a refused action re-shows the page with the reason (403)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from upstander.accounts import session_keys
from upstander.accounts.models import Role, User
from upstander.accounts.permissions import CASE_CONTENT_ROLES, staff_view
from upstander.cases import actions, clocks, forms
from upstander.cases.access import get_case_for, get_report_for_triage, inbox_reports
from upstander.cases.assignments import accounts_requested, handover_count, read_statements, statement_report
from upstander.cases.case_page import case_context
from upstander.cases.choices import FIRM_LINKS
from upstander.cases.escalations import do_mark_escalation_seen
from upstander.cases.models import Allegation, Case, Escalation, Flag, SubjectMention
from upstander.cases.permissions import may
from upstander.cases.queue import QueueFilters, filtered, rows, without_jit
from upstander.cases.triage import search_roster
from upstander.lib.policy import category_label
from upstander.people.models import Person
from upstander.reports import sealing

CASE_ROLES = CASE_CONTENT_ROLES


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The queue: filters (stage, overdue, category, owner, flags, escalated), most urgent first."""
    today = clocks.today()
    form = forms.QueueFilterForm(request.GET or None)
    chosen = QueueFilters(**form.cleaned_data) if form.is_valid() else QueueFilters()
    cases = filtered(request.user, chosen, today).select_related("owner")
    with without_jit():
        page = Paginator(cases, 50).get_page(request.GET.get("page"))
        listed = rows(list(page.object_list), today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {
        "rows": listed, "page": page, "form": form, "query": query.urlencode(), "today": today})


# --- triage -----------------------------------------------------------------------------------------------------


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    reports = inbox_reports(request.user).order_by("received_on", "id")  # type: ignore[arg-type]
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    today = clocks.today()
    entries = [{"public_id": r.public_id, "received_on": r.received_on, "days": (today - r.received_on).days,
                "route": r.get_route_display(), "mode": r.get_mode_display(), "channel": r.get_channel_display(),
                "categories": ", ".join(category_label(c) for c in r.categories), "released": r.released_on}
               for r in page.object_list]
    return render(request, "cases/inbox.html", {"entries": entries, "page": page})


def _triage_page(request, report, *, error: str = "", status: int = 200, add_form=None, release_form=None):
    return render(request, "cases/triage.html", {
        "report": report, "categories": [category_label(c) for c in report.categories],
        "mentions": list(report.mentions.select_related("person")), "error": error,
        "flags": list(Flag.objects.filter(report=report)),
        "add_form": add_form or forms.AddToCaseForm(), "release_form": release_form or forms.RequiredReasonsForm(),
        "is_overseer": request.user.role == Role.OVERSEER,
    }, status=status)


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def triage(request: HttpRequest, public_id) -> HttpResponse:
    return _triage_page(request, get_report_for_triage(request.user, public_id))  # type: ignore[arg-type]


def _narrative(request, report) -> str | None:
    """The report's narrative, opened with the organisation key in the session (an audited read) so the safety net
    can screen it; None when this session holds no key for it."""
    from upstander.cases.report_access import open_report_for

    try:
        return open_report_for(request.user, report.public_id, session_keys.load(request)).narrative
    except (sealing.KeyUnavailable, Http404, PermissionDenied):
        return None


@never_cache
@staff_view(CASE_ROLES)
@require_POST
def triage_open(request: HttpRequest, public_id) -> HttpResponse:
    report = get_report_for_triage(request.user, public_id)  # type: ignore[arg-type]
    narrative = _narrative(request, report)
    try:
        case = actions.do_open_case(actor=request.user, report=report)
        if narrative is not None:
            actions.do_screen_narrative(actor=request.user, report=report, narrative=narrative)
    except PermissionDenied as exc:
        return _triage_page(request, report, error=str(exc), status=403)
    return redirect("cases:detail", code=case.code)


@never_cache
@staff_view(CASE_ROLES)
@require_POST
def triage_add(request: HttpRequest, public_id) -> HttpResponse:
    report = get_report_for_triage(request.user, public_id)  # type: ignore[arg-type]
    form = forms.AddToCaseForm(request.POST)
    if not form.is_valid():
        return _triage_page(request, report, add_form=form, status=400)
    case = get_case_for(request.user, form.cleaned_data["code"].strip().upper(), write=True)  # type: ignore[arg-type]
    try:
        actions.do_add_report_to_case(actor=request.user, report=report, case=case)
    except PermissionDenied as exc:
        return _triage_page(request, report, error=str(exc), status=403, add_form=form)
    narrative = _narrative(request, report)
    if narrative is not None:
        actions.do_screen_narrative(actor=request.user, report=report, narrative=narrative)
    return redirect("cases:detail", code=case.code)


@never_cache
@staff_view((Role.OVERSEER,))
@require_POST
def triage_release(request: HttpRequest, public_id) -> HttpResponse:
    report = get_report_for_triage(request.user, public_id)  # type: ignore[arg-type]
    form = forms.RequiredReasonsForm(request.POST)
    if not form.is_valid():
        return _triage_page(request, report, release_form=form, status=400)
    try:
        key = sealing.data_key_for_org(report, request.user.organisation, session_keys.load(request))  # type: ignore[union-attr]
    except sealing.KeyUnavailable:
        key = None
    try:
        actions.do_release_report(actor=request.user, report=report, reasons=form.cleaned_data["reasons"], data_key=key)
    except PermissionDenied as exc:
        return _triage_page(request, report, error=str(exc), status=403, release_form=form)
    return redirect("cases:inbox")


# --- the case page ----------------------------------------------------------------------------------------------


def _case_page(request, case: Case, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "cases/case_detail.html", case_context(request.user, case, error=error), status=status)


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _case_page(request, get_case_for(request.user, code))  # type: ignore[arg-type]


def _allegation(case: Case, public_id) -> Allegation:
    allegation = case.allegations.select_related("subject", "case").filter(public_id=public_id).first()
    if allegation is None:
        raise Http404("No such allegation")
    return allegation


def _user(username: str) -> User:
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(f"There is no account called {username!r}.")
    return user


def _data_key(request, case: Case) -> bytes:
    report = statement_report(case)
    if report is None:
        raise ValidationError("The case has no report.")
    try:
        return sealing.data_key_for_org(report, request.user.organisation, session_keys.load(request))
    except sealing.KeyUnavailable as exc:
        raise PermissionDenied(f"Refused: {exc}. Sign in again to unlock your organisation's key.") from None


def _case_subjects(case: Case) -> list[Person]:
    ids = SubjectMention.objects.filter(report__case=case, link_status__in=FIRM_LINKS).values_list("person_id", flat=True)
    return list(Person.objects.filter(id__in=list(ids)).order_by("family_name", "given_name"))


def _subject(case: Case, public_id: str):
    return next((p for p in _case_subjects(case) if str(p.public_id) == public_id), None) if public_id else None


def _add_allegation(request, case, d):
    actions.do_add_allegation(actor=request.user, case=case, category=d["category"], subject=_subject(case, d["subject"]),
                              severity=d["severity"], possible_crime=d["possible_crime"])


def _link(request, case, d):
    mention = SubjectMention.objects.filter(report__case=case, public_id=d["mention"]).first()
    if mention is None:
        raise Http404("No such mention")
    person = Person.objects.filter(public_id=d["person"]).first() if d["person"] else None
    actions.do_link_mention(actor=request.user, mention=mention, person=person)


def _override(request, case, d):
    person = Person.objects.filter(number=d["number"].strip()).first()
    if person is None:
        raise ValidationError("No one on the roster has that number.")
    actions.do_record_conflict_override(actor=request.user, case=case, person=person, role=d["role"], reasons=d["reasons"])


def _resolve_flag(request, case, d):
    flag = Flag.objects.filter(case=case, public_id=d["flag"]).first()
    if flag is None:
        raise Http404("No such flag")
    actions.do_resolve_flag(actor=request.user, flag=flag, reasons=d["reasons"])


def _seen(request, case, d, public_id):
    escalation = Escalation.objects.filter(case=case, public_id=public_id).first()
    if escalation is None:
        raise Http404("No such escalation")
    do_mark_escalation_seen(actor=request.user, escalation=escalation, note=d["note"])


Handler = Callable[[HttpRequest, Case, dict], object]
U = lambda r: r.user  # noqa: E731  (short: the actor of every action below is the signed-in user)
ACTIONS: dict[str, tuple[type | None, Handler]] = {
    "acknowledge": (None, lambda r, c, d: actions.do_acknowledge(actor=U(r), case=c)),
    "allegation": (forms.AllegationForm, _add_allegation),
    "assess": (forms.AssessForm, lambda r, c, d: actions.do_assess_allegation(
        actor=U(r), allegation=_allegation(c, d["allegation"]), severity=d["severity"], possible_crime=d["possible_crime"],
        referral_criteria=d["referral_criteria"], reasons=d["reasons"])),
    "record-assessment": (forms.ReasonsForm, lambda r, c, d: actions.do_record_assessment(actor=U(r), case=c,
                                                                                         reasons=d["reasons"])),
    "route": (forms.RouteForm, lambda r, c, d: actions.do_route(actor=U(r), case=c, route=d["route"], reasons=d["reasons"])),
    "refer": (forms.ReferForm, lambda r, c, d: actions.do_refer(actor=U(r), case=c, allegation=_allegation(c, d["allegation"]),
                                                                reference=d["reference"])),
    "referral-decision": (forms.ReferralDecisionForm, lambda r, c, d: actions.do_record_referral_decision(
        actor=U(r), allegation=_allegation(c, d["allegation"]), decision=d["decision"], reasons=d["reasons"])),
    "start-investigation": (forms.ReasonsForm, lambda r, c, d: actions.do_start_investigation(actor=U(r), case=c,
                                                                                              reasons=d["reasons"])),
    "decide-case-to-answer": (forms.CaseToAnswerForm, lambda r, c, d: actions.do_decide_case_to_answer(
        actor=U(r), case=c, case_to_answer=d["case_to_answer"], reasons=d["reasons"])),
    "start-proceedings": (forms.ProceedingsForm, lambda r, c, d: actions.do_start_proceedings(actor=U(r), case=c,
                                                                                              kind=d["kind"])),
    "outcome": (forms.OutcomeForm, lambda r, c, d: actions.do_record_outcome(
        actor=U(r), allegation=_allegation(c, d["allegation"]), outcome=d["outcome"], finding=d["finding"],
        reasons=d["reasons"])),
    "send-outcome": (None, lambda r, c, d: actions.do_send_outcome(actor=U(r), case=c)),
    "open-review": (forms.ReasonsForm, lambda r, c, d: actions.do_open_review(actor=U(r), case=c, reasons=d["reasons"])),
    "review-decision": (forms.ReviewDecisionForm, lambda r, c, d: actions.do_decide_review(
        actor=U(r), case=c, upheld=d["upheld"], reasons=d["reasons"])),
    "close": (forms.RequiredReasonsForm, lambda r, c, d: actions.do_close(actor=U(r), case=c, reasons=d["reasons"])),
    "handover": (forms.HandoverForm, lambda r, c, d: actions.do_assign_owner(actor=U(r), case=c, user=_user(d["username"]),
                                                                             reason=d["reason"])),
    "assign": (forms.AssignForm, lambda r, c, d: actions.do_assign(actor=U(r), case=c, role=d["role"],
                                                                   user=_user(d["username"]))),
    "override": (forms.OverrideForm, _override),
    "flag": (forms.FlagForm, _resolve_flag),
    "link": (forms.LinkMentionForm, _link),
    "statement": (forms.StatementForm, lambda r, c, d: actions.do_record_statement(
        actor=U(r), case=c, text=d["text"], data_key=_data_key(r, c), asked_again=d["asked_again"], reason=d["reason"])),
}


@never_cache
@staff_view(CASE_ROLES)
@require_POST
def case_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Every case action: validate its form, call the action, redirect to the case page."""
    case = get_case_for(request.user, code, write=True)  # type: ignore[arg-type]
    if action not in ACTIONS:
        raise Http404("No such action")
    form_class, handler = ACTIONS[action]
    data: dict = {}
    if form_class is not None:
        kwargs = {"subjects": _case_subjects(case)} if form_class is forms.AllegationForm else {}
        form = form_class(request.POST, **kwargs)
        if not form.is_valid():
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
            return _case_page(request, case, error=f"Please correct the form — {problems}", status=400)
        data = form.cleaned_data
    try:
        handler(request, case, data)
    except PermissionDenied as exc:
        return _case_page(request, case, error=str(exc) or "Refused.", status=403)
    except ValidationError as exc:
        return _case_page(request, case, error=" ".join(exc.messages), status=400)
    return redirect(reverse("cases:detail", kwargs={"code": case.code}) + f"#{action}")


@never_cache
@staff_view(CASE_ROLES)
@require_POST
def escalation_seen(request: HttpRequest, code: str, public_id) -> HttpResponse:
    case = get_case_for(request.user, code)  # type: ignore[arg-type]
    form = forms.EscalationSeenForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, error="Please correct the note.", status=400)
    try:
        _seen(request, case, form.cleaned_data, public_id)
    except PermissionDenied as exc:
        return _case_page(request, case, error=str(exc), status=403)
    return redirect("cases:detail", code=case.code)


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def statement(request: HttpRequest, code: str) -> HttpResponse:
    """The victim's account, every version, for the people working the case: read instead of asking again."""
    from upstander.lib import crypto

    case = get_case_for(request.user, code)  # type: ignore[arg-type]
    if not may(request.user, case, "read_statement"):
        raise PermissionDenied
    versions, error = [], ""
    if case.statements.exists():
        try:
            versions = [{"s": s, "text": text} for s, text in
                        read_statements(actor=request.user, case=case, data_key=_data_key(request, case))]
        except (PermissionDenied, ValidationError, crypto.CryptoError) as exc:
            error = str(exc) or "The statement could not be opened."
    return render(request, "cases/statement.html", {
        "case": case, "versions": versions, "error": error, "form": forms.StatementForm(),
        "asked": accounts_requested(case), "handovers": handover_count(case)}, status=403 if error else 200)


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def people_search(request: HttpRequest, code: str) -> HttpResponse:
    """Search the roster by name, number or unit to link a subject as the reporter wrote them."""
    case = get_case_for(request.user, code)  # type: ignore[arg-type]
    # Through a form: a NUL byte or a `mention` that is not a UUID is a bad request, never a database error.
    form = forms.RosterSearchForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("The search was not understood.")
    query = form.cleaned_data["q"]
    mention_id = form.cleaned_data["mention"]
    mention = SubjectMention.objects.filter(report__case=case, public_id=mention_id).first() if mention_id else None
    return render(request, "cases/people_search.html", {
        "case": case, "query": query, "people": list(search_roster(query)) if query else [], "mention": mention,
        "mentions": list(SubjectMention.objects.filter(report__case=case).select_related("person"))})

