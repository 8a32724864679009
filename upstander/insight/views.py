"""The figures page (/insight/) of the analysts and the overseer: exact aggregates of a dataset — never a single
case, never a named person — as a short summary of what stands out and then one section per subject, each with its
chart first, a plain explanation of every column and figure, and the table behind a disclosure. From the same page an
analyst publishes a signed report of what they are looking at (publishing.py; its page is in report_views.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from upstander.accounts.models import Role
from upstander.accounts.permissions import ANALYST_ROLES, staff_view
from upstander.insight import explain, page, report_access
from upstander.insight.datasets import LIVE
from upstander.insight.errors import DatasetError
from upstander.insight.forms import DashboardForm, PublishForm
from upstander.insight.publishing import PUBLISHERS, PublishRefused, do_request_report
from upstander.insight.stages import LABELS

DEFAULTS = {"dataset": LIVE, "date_from": None, "date_to": None, "source": "all", "by": "ethnicity"}


@never_cache
@staff_view(ANALYST_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "stage_labels": LABELS, **page.explanations(),
                               "may_publish": request.user.role in PUBLISHERS,  # type: ignore[union-attr]
                               "is_overseer": request.user.role == Role.OVERSEER,  # type: ignore[union-attr]
                               "published": report_access.listed_reports(request.user),
                               "key_fingerprint": report_access.force_key_fingerprint()}
    params = None
    if not form.is_bound:
        params = dict(DEFAULTS)
    elif form.is_valid():
        params = form.params()
    if params is not None:
        try:
            context["result"] = page.figures(params)
        except DatasetError as exc:
            words = explain.plain_error(str(exc))
            if form.is_bound:
                form.add_error("date_from" if explain.about_the_window(str(exc)) else "dataset", words)
            else:
                context["notice"] = words
        else:
            context["params"] = params
            context["publish_form"] = PublishForm(initial=params)
            context["chosen"] = {"dataset": explain.dataset_words(params["dataset"]),
                                 "window": explain.window_words(params["date_from"], params["date_to"]),
                                 "source": explain.source_words(params["source"])}
    return render(request, "insight/dashboard.html", context)


@staff_view(PUBLISHERS)
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The report was not published: choose the dataset and dates again, then publish.")
        return redirect(reverse("insight:dashboard") + "#publish")
    window = form.window()
    try:
        report = do_request_report(actor=request.user, **window)
    except PublishRefused as exc:
        messages.error(request, str(exc))
        query = urlencode({k: v for k, v in window.items() if v is not None})
        return redirect(f"{reverse('insight:dashboard')}?{query}#publish")
    return redirect("insight:report", public_id=report.public_id)
