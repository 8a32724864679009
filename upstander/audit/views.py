"""The overseer's search of the audit log: "who looked at this case?". Every search is itself audited."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from upstander.accounts.models import Role
from upstander.accounts.permissions import staff_view
from upstander.audit.log import record
from upstander.audit.models import AuditEvent

MAX_ROWS = 500


class AuditSearchForm(forms.Form):
    object = forms.CharField(label="Case code, report reference or other object id", max_length=64, required=False)
    actor = forms.CharField(label="Who (for example user:alice, system:tick, reporter)", max_length=150,
                            required=False)
    action = forms.CharField(label="Action, or its beginning (for example case.view, identity.)", max_length=64,
                             required=False)
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data


def object_ids_for(reference: str) -> set[str]:
    """A case code stands for the case and every report in it, so "who looked at this case?" finds reads of its
    reports too. Anything else is matched as given."""
    from upstander.cases.models import Case, Report

    ids = {reference}
    case = Case.objects.filter(code=reference.upper()).first()
    if case is not None:
        ids |= {case.code, str(case.public_id)}
        ids |= {str(pid) for pid in Report.objects.filter(case=case).values_list("public_id", flat=True)}
    return ids


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search(data: dict) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if data.get("object"):
        events = events.filter(object_id__in=object_ids_for(data["object"].strip()))
    if data.get("actor"):
        events = events.filter(actor=data["actor"].strip())
    if data.get("action"):
        action = data["action"].strip()
        events = events.filter(Q(action=action) | Q(action__startswith=action if action.endswith(".") else action + "."))
    if data.get("date_from"):
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(at__lt=_day_start(data["date_to"] + timedelta(days=1)))
    return events.order_by("-id")


def _describe(data: dict) -> str:
    parts = [f"{k}={v}" for k, v in data.items() if v not in (None, "")]
    return "; ".join(parts) or "latest events"


@staff_view((Role.OVERSEER,))
def search_view(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    rows: list[AuditEvent] = []
    searched = False
    if form.is_bound and form.is_valid() or not form.is_bound:
        data = form.cleaned_data if form.is_bound else {}
        with transaction.atomic():
            # Watching the watchers: the search itself goes into the log before its results are read.
            record(request.user, "audit.search", object_type="audit", reason=_describe(data))
            rows = list(search(data)[:MAX_ROWS])
        searched = True
    return render(request, "audit/search.html", {"form": form, "rows": rows, "searched": searched,
                                                 "max_rows": MAX_ROWS}, status=400 if form.errors else 200)
