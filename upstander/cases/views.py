"""Staff case views: the queue, the triage inbox, the case page and its actions. Thin: a form for every input, the
action does the work, redirect after a successful POST; a refused action re-shows the page with the reason (403)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from upstander.accounts import session_keys
from upstander.accounts.models import Role, User
from upstander.accounts.permissions import CASE_CONTENT_ROLES, staff_view
from upstander.cases import actions, forms, workflow
from upstander.cases.access import get_case_for, get_report_for_triage, inbox_reports
from upstander.cases.assignments import accounts_requested, handover_count, read_statements, statement_report
from upstander.cases.case_page import action_form, case_context
from upstander.cases.choices import FIRM_LINKS, AssignmentRole, Outcome, Severity
from upstander.cases.escalations import do_mark_escalation_seen
from upstander.cases.models import Allegation, Case, Escalation, Flag, SubjectMention
from upstander.cases.permissions import may
from upstander.cases.queue import QueueFilters, filtered, rows, without_jit
from upstander.cases.triage import search_roster
from upstander.lib import clock
from upstander.lib.policy import category_label
from upstander.people.models import Person
from upstander.reports import sealing

CASE_ROLES = CASE_CONTENT_ROLES


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The queue: filters (stage, overdue, category, owner, flags, escalated), most urgent first."""
    today = clock.today()
    form = forms.QueueFilterForm(request.GET or None, actor=request.user)
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
    today = clock.today()
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
    owner = "You are its owner." if case.owner_id == request.user.pk else "It has no owner yet: hand it to a handler."
    messages.success(request, f"Case {case.code} opened from the report. {owner}")
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
    messages.success(request, f"The report was added to case {case.code}.")
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
    messages.success(request, "The report was released to the force with your reasons. It is now in the force's "
                              "inbox for triage.")
    return redirect("cases:inbox")


# --- the case page ----------------------------------------------------------------------------------------------


def _case_page(request, case: Case, *, error: str = "", problems: list | None = None, bound: dict | None = None,
               status: int = 200) -> HttpResponse:
    context = case_context(request.user, case, error=error, problems=problems, bound=bound)
    return render(request, "cases/case_detail.html", context, status=status)


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


def _name(user: User) -> str:
    return user.get_full_name() or user.username


# Each action's handler does it and says what happened, in plain words, for the confirmation after the redirect.


def _step(action: str, do: Callable[..., object]) -> Handler:
    """A step between stages: take it, then say where the case is now and what the reporter now reads."""

    def handle(request, case: Case, d: dict) -> str:
        do(request, case, d)
        case.refresh_from_db()
        said = workflow.route_reporter_text(case.handling_route) if action == "route" else ""
        said = said or workflow.reporter_text(case.state)
        told = f" The reporter's timeline now says: “{said}”" if said else ""
        return f"{STEP_DONE[action]}. The case is now at “{workflow.stage_label(case.state)}”.{told}"

    return handle


def _add_allegation(request, case, d) -> str:
    subject = _subject(case, d["subject"])
    actions.do_add_allegation(actor=request.user, case=case, category=d["category"], subject=subject,
                              severity=d["severity"], possible_crime=d["possible_crime"])
    about = f" about {subject.given_name} {subject.family_name}" if subject else ""
    return f"Allegation of {category_label(d['category']).lower()}{about} recorded."


def _assess(request, case, d) -> str:
    allegation = _allegation(case, d["allegation"])
    actions.do_assess_allegation(actor=request.user, allegation=allegation, severity=d["severity"],
                                 possible_crime=d["possible_crime"], referral_criteria=d["referral_criteria"],
                                 reasons=d["reasons"])
    return f"Assessment recorded: {category_label(allegation.category).lower()} assessed as " \
           f"{Severity(d['severity']).label.lower()}."


def _refer(request, case, d) -> str:
    actions.do_refer(actor=request.user, case=case, allegation=_allegation(case, d["allegation"]),
                     reference=d["reference"])
    return "Referral to the independent body recorded."


def _referral_decision(request, case, d) -> str:
    actions.do_record_referral_decision(actor=request.user, allegation=_allegation(case, d["allegation"]),
                                        decision=d["decision"], reasons=d["reasons"])
    return "Your decision on the referral is recorded with its reasons."


def _outcome(request, case, d) -> str:
    allegation = _allegation(case, d["allegation"])
    actions.do_record_outcome(actor=request.user, allegation=allegation, outcome=d["outcome"], finding=d["finding"],
                              reasons=d["reasons"])
    return f"Outcome recorded: {Outcome(d['outcome']).label.lower()}. Send the outcome once every allegation has one."


def _review_decision(request, case, d) -> str:
    actions.do_decide_review(actor=request.user, case=case, upheld=d["upheld"], reasons=d["reasons"])
    return "Review decision recorded: " + ("upheld." if d["upheld"] else "not upheld.")


def _handover(request, case, d) -> str:
    actions.do_assign_owner(actor=request.user, case=case, user=d["user"], reason=d["reason"])
    return f"The case is now owned by {_name(d['user'])}. The handover and its reason are on the record."


def _assign(request, case, d) -> str:
    actions.do_assign(actor=request.user, case=case, role=d["role"], user=d["user"])
    return f"{_name(d['user'])} is now the {AssignmentRole(d['role']).label.lower()} on this case."


def _override(request, case, d) -> str:
    person = d["user"].person
    if person is None:
        raise ValidationError(f"{_name(d['user'])}'s account is not linked to a roster entry: ask an administrator to "
                              "link it, then record the override.")
    actions.do_record_conflict_override(actor=request.user, case=case, person=person, role=d["role"], reasons=d["reasons"])
    return f"Override recorded. {_name(d['user'])} may now be assigned as {AssignmentRole(d['role']).label.lower()}."


def _link(request, case, d) -> str:
    mention = SubjectMention.objects.filter(report__case=case, public_id=d["mention"]).first()
    if mention is None:
        raise Http404("No such mention")
    person = Person.objects.filter(public_id=d["person"]).first() if d["person"] else None
    actions.do_link_mention(actor=request.user, mention=mention, person=person)
    written = mention.name_as_written or mention.number_as_written or "the person named"
    if person is None:
        return f"Recorded that nobody on the roster matches “{written}”."
    return f"“{written}” is linked to {person.rank} {person.given_name} {person.family_name} ({person.number})."


def _resolve_flag(request, case, d) -> str:
    flag = Flag.objects.filter(case=case, public_id=d["flag"]).first()
    if flag is None:
        raise Http404("No such flag")
    actions.do_resolve_flag(actor=request.user, flag=flag, reasons=d["reasons"])
    return f"The {flag.label.lower()} flag is resolved with your reasons."


def _statement(request, case, d) -> str:
    statement = actions.do_record_statement(actor=request.user, case=case, text=d["text"],
                                            data_key=_data_key(request, case), asked_again=d["asked_again"],
                                            reason=d["reason"])
    return f"The victim's account is saved as version {statement.version}."


Handler = Callable[[HttpRequest, Case, dict], str]
STEP_DONE = {
    "acknowledge": "Receipt acknowledged", "record_assessment": "Assessment recorded", "route": "Route recorded",
    "start_investigation": "Investigation started", "decide_case_to_answer": "Case-to-answer decision recorded",
    "start_proceedings": "Meeting or hearing arranged", "send_outcome": "Outcome sent to the reporter",
    "open_review": "Review opened", "close": "Case closed",
}
ACTIONS: dict[str, Handler] = {
    "acknowledge": _step("acknowledge", lambda r, c, d: actions.do_acknowledge(actor=r.user, case=c)),
    "allegation": _add_allegation,
    "assess": _assess,
    "record-assessment": _step("record_assessment", lambda r, c, d: actions.do_record_assessment(
        actor=r.user, case=c, reasons=d["reasons"])),
    "route": _step("route", lambda r, c, d: actions.do_route(actor=r.user, case=c, route=d["route"],
                                                             reasons=d["reasons"])),
    "refer": _refer,
    "referral-decision": _referral_decision,
    "start-investigation": _step("start_investigation", lambda r, c, d: actions.do_start_investigation(
        actor=r.user, case=c, reasons=d["reasons"])),
    "decide-case-to-answer": _step("decide_case_to_answer", lambda r, c, d: actions.do_decide_case_to_answer(
        actor=r.user, case=c, case_to_answer=d["case_to_answer"], reasons=d["reasons"])),
    "start-proceedings": _step("start_proceedings", lambda r, c, d: actions.do_start_proceedings(
        actor=r.user, case=c, kind=d["kind"])),
    "outcome": _outcome,
    "send-outcome": _step("send_outcome", lambda r, c, d: actions.do_send_outcome(actor=r.user, case=c)),
    "open-review": _step("open_review", lambda r, c, d: actions.do_open_review(actor=r.user, case=c,
                                                                               reasons=d["reasons"])),
    "review-decision": _review_decision,
    "close": _step("close", lambda r, c, d: actions.do_close(actor=r.user, case=c, reasons=d["reasons"])),
    "handover": _handover,
    "assign": _assign,
    "override": _override,
    "flag": _resolve_flag,
    "link": _link,
    "statement": _statement,
}


def _problems(form) -> list[tuple[str, str]]:
    """Each error of a form as (what to correct, the link to its field)."""
    found = []
    for name, errors in form.errors.items():
        field = form[name] if name in form.fields else None
        for error in errors:
            if field is None:
                found.append((str(error), ""))
            else:
                found.append((f"{field.label}: {error}", f"#{field.id_for_label}" if field.id_for_label else ""))
    return found


def _refused(request, case: Case, action: str, slot_form, message: str, status: int) -> HttpResponse:
    bound = {slot_form[0]: slot_form[1]} if slot_form else None
    if action == "statement":
        return _statement_page(request, case, form=slot_form[1] if slot_form else None, error=message, status=status)
    return _case_page(request, case, error=message, bound=bound, status=status)


@never_cache
@staff_view(CASE_ROLES)
@require_POST
def case_act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """Every case action: validate its form, call the action, redirect to the case page with what happened."""
    case = get_case_for(request.user, code, write=True)  # type: ignore[arg-type]
    if action not in ACTIONS:
        raise Http404("No such action")
    made = action_form(action, case, request.POST, subjects=_case_subjects(case))
    data: dict = {}
    if made is not None:
        if not made[1].is_valid():
            if action == "statement":
                return _statement_page(request, case, form=made[1], problems=_problems(made[1]), status=400)
            return _case_page(request, case, problems=_problems(made[1]), bound={made[0]: made[1]}, status=400)
        data = made[1].cleaned_data
    try:
        done = ACTIONS[action](request, case, data)
    except PermissionDenied as exc:
        return _refused(request, case, action, made, str(exc) or "Refused.", 403)
    except ValidationError as exc:
        return _refused(request, case, action, made, " ".join(exc.messages), 400)
    messages.success(request, done)
    return redirect("cases:detail", code=case.code)


@never_cache
@staff_view(CASE_ROLES)
@require_POST
def escalation_seen(request: HttpRequest, code: str, public_id) -> HttpResponse:
    case = get_case_for(request.user, code)  # type: ignore[arg-type]
    form = forms.EscalationSeenForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, problems=_problems(form), status=400)
    escalation = Escalation.objects.filter(case=case, public_id=public_id).first()
    if escalation is None:
        raise Http404("No such escalation")
    try:
        do_mark_escalation_seen(actor=request.user, escalation=escalation, note=form.cleaned_data["note"])
    except PermissionDenied as exc:
        return _case_page(request, case, error=str(exc), status=403)
    messages.success(request, "Escalation marked as seen. Your note is kept with it.")
    return redirect("cases:detail", code=case.code)


def _statement_page(request, case: Case, *, form=None, error: str = "", problems: list | None = None,
                    status: int = 200) -> HttpResponse:
    """The victim's account, every version, for the people working the case: read instead of asking again."""
    from upstander.lib import crypto

    versions = []
    if case.statements.exists():
        try:
            versions = [{"s": s, "text": text} for s, text in
                        read_statements(actor=request.user, case=case, data_key=_data_key(request, case))]
        except (PermissionDenied, ValidationError, crypto.CryptoError) as exc:
            error = error or str(exc) or "The statement could not be opened."
            status = status if status != 200 else 403
    return render(request, "cases/statement.html", {
        "case": case, "versions": versions, "error": error, "problems": problems or [],
        "form": form or forms.StatementForm(), "asked": accounts_requested(case), "handovers": handover_count(case)},
        status=status)


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def statement(request: HttpRequest, code: str) -> HttpResponse:
    case = get_case_for(request.user, code)  # type: ignore[arg-type]
    if not may(request.user, case, "read_statement"):
        raise PermissionDenied
    return _statement_page(request, case)


@never_cache
@staff_view(CASE_ROLES)
@require_GET
def people_search(request: HttpRequest, code: str) -> HttpResponse:
    """Search the roster by name, number, unit or team (ranks and titles ignored) to link a subject as the reporter
    wrote them; each result shows what tells two people of one name apart."""
    case = get_case_for(request.user, code)  # type: ignore[arg-type]
    # Through a form: a NUL byte or a `mention` that is not a UUID is a bad request, never a database error.
    form = forms.RosterSearchForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("The search was not understood.")
    query = form.cleaned_data["q"]
    mention_id = form.cleaned_data["mention"]
    mention = SubjectMention.objects.filter(report__case=case, public_id=mention_id).first() if mention_id else None
    return render(request, "cases/people_search.html", {
        "case": case, "query": query, "people": search_roster(query) if query else [], "mention": mention,
        "can_link": may(request.user, case, "link_mention").allowed, "today": clock.today(),
        "mentions": list(SubjectMention.objects.filter(report__case=case).select_related("person"))})

