"""The overseer's safeguarding pages. Every page names staff who spoke up, so every page admits the overseer only:
the force's handlers, supervisors and anyone in a reporter's or subject's management line get 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts.permissions import OVERSEER_ONLY, staff_view
from upstander.cases.choices import ReporterType, ReportingMode
from upstander.lib.policy import category_label
from upstander.safeguarding import actions, separation
from upstander.safeguarding.access import (
    alert_cases_for,
    alerts_for,
    get_alert_for,
    get_task_for,
    latest_monitoring_run_for,
    open_tasks_for,
)
from upstander.safeguarding.detriment import LABELS as DETRIMENT_LABELS
from upstander.safeguarding.forms import (
    AlertFilterForm,
    CloseAlertForm,
    ConsentForm,
    MoveForm,
    PlanForm,
    ResolveForm,
)
from upstander.safeguarding.models import RetaliationAlert, SafeguardingTask
from upstander.safeguarding.retaliation import do_close_alert

ALERTS_PER_PAGE = 25
DONE = {"consent": "The victim's answer is recorded.", "plan": "The plan is changed.",
        "move": "The move is recorded on the roster.", "resolve": "The task is resolved."}
ALERT_FILTERS = ("status", "unit", "opened_from", "opened_to")


def _task_row(task: SafeguardingTask, factors: list[str] | None = None) -> dict:
    due = separation.due_on(task)
    return {"task": task, "due": due, "overdue": separation.is_overdue(task),
            "category": category_label(task.allegation.category),
            "factors": [separation.FACTOR_LABELS.get(f, f) for f in (factors if factors is not None else task.shared)]}


def who_spoke_up(alert: RetaliationAlert) -> dict[str, str]:
    """The person an alert protects, for the overseer, who may see who a staff reporter is (DESIGN.md): by name
    where the report is linked to the roster, otherwise by how they reported. A confidential staff reporter is
    never called anonymous."""
    report = alert.report
    how = ""
    if report is not None:
        kind = "member of staff" if report.reporter_type == ReporterType.STAFF else "member of the public"
        how = {str(ReportingMode.CONFIDENTIAL): f"Reported in confidence, as a {kind}",
               str(ReportingMode.NAMED): f"Reported by name, as a {kind}",
               str(ReportingMode.ANONYMOUS): f"Reported anonymously, as a {kind}"}.get(report.mode, "")
    if alert.person is not None:
        person = alert.person
        return {"name": f"{person.rank} {person.full_name}", "unit": person.unit.name, "how": how}
    if report is not None and report.mode == ReportingMode.CONFIDENTIAL:
        name = ("Confidential staff reporter" if report.reporter_type == ReporterType.STAFF
                else "Confidential reporter")
        how = "Not matched to the staff roster; their identity is sealed to the identity custodians"
    elif report is not None and report.mode == ReportingMode.NAMED:
        name, how = "Named reporter", "Not matched to the staff roster; their name is in the report"
    else:
        name = "Anonymous reporter"
    return {"name": name, "unit": "", "how": how}


def _alert_rows(alerts: list[RetaliationAlert], cases: dict[int, list[str]]) -> list[dict[str, Any]]:
    return [{"alert": a, "who": who_spoke_up(a), "cases": cases.get(a.pk, []),
             "raised_by": " and ".join(filter(None, ["monitoring" if a.raised_by_monitoring else "",
                                                     "the person themselves" if a.reported_by_person else ""]))}
            for a in alerts]


def _alert_list(request: HttpRequest) -> dict[str, Any]:
    """The retaliation alerts, filtered by the plain form above them and paged."""
    chosen = {k: v for k, v in request.GET.items() if k in ALERT_FILTERS}
    form = AlertFilterForm(chosen or None)
    if form.is_bound and not form.is_valid():
        return {"alert_form": form, "alert_page": None, "alert_rows": []}
    page = Paginator(alerts_for(request.user, form.filters()), ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    alerts = list(page.object_list)
    return {"alert_form": form, "alert_page": page,
            "alert_rows": _alert_rows(alerts, alert_cases_for(request.user, alerts))}


@staff_view(OVERSEER_ONLY)
def dashboard(request: HttpRequest) -> HttpResponse:
    together = separation.victims_alongside_subject()
    together_ids = {t.task.pk for t in together}
    open_tasks = open_tasks_for(request.user)
    alert_list = _alert_list(request)
    return render(request, "safeguarding/dashboard.html", {
        "together_count": len(together),
        "chosen_count": len(separation.victims_alongside_subject(include_chosen=True)) - len(together),
        "together": [_task_row(t.task, t.factors) for t in together],
        "other_open": [_task_row(t) for t in open_tasks.order_by("opened_on", "pk") if t.pk not in together_ids],
        **alert_list,
    }, status=400 if alert_list["alert_form"].errors else 200)


@staff_view(OVERSEER_ONLY)
def rates(request: HttpRequest) -> HttpResponse:
    """The latest monitoring run's aggregate (`upstander safeguarding retaliation-scan` writes it): recomputing the whole
    force on every page view would be too slow for a large force."""
    return render(request, "safeguarding/rates.html", {"run": latest_monitoring_run_for(request.user)})


def _apply(request: HttpRequest, task: SafeguardingTask, form, do) -> str | None:
    """Run an action from a valid form; return the error to show, or None on success."""
    if not form.is_valid():
        return "Check the form: " + "; ".join(
            (f"{form.fields[k].label}: " if k in form.fields else "") + " ".join(v) for k, v in form.errors.items())
    try:
        do(form.cleaned_data)
    except (PermissionDenied, ValidationError) as exc:
        return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return None


@staff_view(OVERSEER_ONLY)
@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, public_id) -> HttpResponse:
    task = get_task_for(request.user, public_id, write=request.method == "POST")
    user = request.user
    steps = {
        "consent": (ConsentForm, lambda d: actions.do_record_consent(actor=user, task=task, consents=d["consents"],
                                                                    note=d["note"])),
        "plan": (PlanForm, lambda d: actions.do_set_plan(actor=user, task=task, plan=d["plan"], reasons=d["reasons"])),
        "move": (MoveForm, lambda d: actions.do_carry_out_move(actor=user, task=task, to_team=d["to_team"])),
        "resolve": (ResolveForm, lambda d: actions.do_resolve_task(actor=user, task=task, resolution=d["resolution"],
                                                                  together_by_choice=d["together_by_choice"])),
    }
    error = None
    if request.method == "POST":
        step = steps.get(request.POST.get("step", ""))
        if step is None:
            error = "Unknown step."
        else:
            error = _apply(request, task, step[0](request.POST), step[1])
            if error is None:
                messages.success(request, DONE[request.POST["step"]])
                return redirect("safeguarding:task", public_id=task.public_id)
    return render(request, "safeguarding/task.html", {
        "row": _task_row(task), "task": task, "error": error, "now_shared": [
            separation.FACTOR_LABELS[f] for f in separation.shared_factors(task.person, task.subject)],
        "consent_form": ConsentForm(), "plan_form": PlanForm(initial={"plan": task.plan}), "move_form": MoveForm(),
        "resolve_form": ResolveForm()}, status=400 if error else 200)


def one_in(p: float | None) -> str:
    """A p-value in words: how rarely a peer treated like everyone else would have had as many detriments."""
    if p is None:
        return "–"
    if p <= 0.000001:
        return "less than 1 in a million"
    if p >= 0.5:
        return "common"
    return f"about 1 in {round(1 / p):,}"


def _alert_page(request: HttpRequest, alert: RetaliationAlert, form: CloseAlertForm, status: int = 200) -> HttpResponse:
    evidence = alert.evidence or {}
    return render(request, "safeguarding/alert.html", {
        "alert": alert, "who": who_spoke_up(alert), "cases": alert_cases_for(request.user, [alert]).get(alert.pk, []),
        "chance": one_in(alert.p_value),
        "by_kind": [{**k, "chance": one_in(k.get("p"))} for k in evidence.get("by_kind", [])],
        "claims": [{"claim": c, "kinds": [DETRIMENT_LABELS.get(k, k.replace("_", " ")) for k in c.kinds]}
                   for c in alert.claims.order_by("received_on")],
        "form": form}, status=status)


@staff_view(OVERSEER_ONLY)
@require_http_methods(["GET"])
def alert_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _alert_page(request, get_alert_for(request.user, public_id), CloseAlertForm())


@staff_view(OVERSEER_ONLY)
@require_POST
def close_alert(request: HttpRequest, public_id) -> HttpResponse:
    alert = get_alert_for(request.user, public_id, write=True)
    form = CloseAlertForm(request.POST)
    if form.is_valid():
        do_close_alert(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        messages.success(request, "The alert is closed. What was done about it is on the alert and in the audit log.")
        return redirect("safeguarding:dashboard")
    return _alert_page(request, alert, form, status=400)
