"""The overseer's safeguarding pages. Every page names staff who spoke up, so every page admits the overseer only:
the force's handlers, supervisors and anyone in a reporter's or subject's management line get 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts.permissions import OVERSEER_ONLY, staff_view
from upstander.lib.policy import category_label
from upstander.safeguarding import actions, separation
from upstander.safeguarding.access import (
    get_alert_for,
    get_task_for,
    latest_monitoring_run_for,
    open_alerts_for,
    open_tasks_for,
)
from upstander.safeguarding.forms import CloseAlertForm, ConsentForm, MoveForm, PlanForm, ResolveForm
from upstander.safeguarding.models import SafeguardingTask
from upstander.safeguarding.retaliation import do_close_alert


def _task_row(task: SafeguardingTask, factors: list[str] | None = None) -> dict:
    due = separation.due_on(task)
    return {"task": task, "due": due, "overdue": separation.is_overdue(task),
            "category": category_label(task.allegation.category),
            "factors": [separation.FACTOR_LABELS.get(f, f) for f in (factors if factors is not None else task.shared)]}


@staff_view(OVERSEER_ONLY)
def dashboard(request: HttpRequest) -> HttpResponse:
    together = separation.victims_alongside_subject()
    together_ids = {t.task.pk for t in together}
    open_tasks = open_tasks_for(request.user)
    return render(request, "safeguarding/dashboard.html", {
        "together_count": len(together),
        "chosen_count": len(separation.victims_alongside_subject(include_chosen=True)) - len(together),
        "together": [_task_row(t.task, t.factors) for t in together],
        "other_open": [_task_row(t) for t in open_tasks.order_by("opened_on", "pk") if t.pk not in together_ids],
        "alerts": open_alerts_for(request.user),
    })


@staff_view(OVERSEER_ONLY)
def rates(request: HttpRequest) -> HttpResponse:
    """The latest monitoring run's aggregate (`upstander safeguarding retaliation-scan` writes it): recomputing the whole
    force on every page view would be too slow for a large force."""
    return render(request, "safeguarding/rates.html", {"run": latest_monitoring_run_for(request.user)})


def _apply(request: HttpRequest, task: SafeguardingTask, form, do) -> str | None:
    """Run an action from a valid form; return the error to show, or None on success."""
    if not form.is_valid():
        return "Check the form: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
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
                return redirect("safeguarding:task", public_id=task.public_id)
    return render(request, "safeguarding/task.html", {
        "row": _task_row(task), "task": task, "error": error, "now_shared": [
            separation.FACTOR_LABELS[f] for f in separation.shared_factors(task.person, task.subject)],
        "consent_form": ConsentForm(), "plan_form": PlanForm(initial={"plan": task.plan}), "move_form": MoveForm(),
        "resolve_form": ResolveForm()}, status=400 if error else 200)


@staff_view(OVERSEER_ONLY)
@require_http_methods(["GET"])
def alert_detail(request: HttpRequest, public_id) -> HttpResponse:
    alert = get_alert_for(request.user, public_id)
    return render(request, "safeguarding/alert.html", {"alert": alert, "claims": alert.claims.order_by("received_on"),
                                                       "form": CloseAlertForm()})


@staff_view(OVERSEER_ONLY)
@require_POST
def close_alert(request: HttpRequest, public_id) -> HttpResponse:
    alert = get_alert_for(request.user, public_id, write=True)
    form = CloseAlertForm(request.POST)
    if form.is_valid():
        do_close_alert(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        return redirect("safeguarding:dashboard")
    return render(request, "safeguarding/alert.html", {"alert": alert, "claims": alert.claims.all(), "form": form},
                  status=400)
