"""The overseer's search of the audit log (audit/search.py): "who looked at this case?". Every search is itself
audited."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from upstander.accounts.permissions import OVERSEER_ONLY, staff_view
from upstander.audit.models import AuditEvent
from upstander.audit.search import search_for

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


@staff_view(OVERSEER_ONLY)
def search_view(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    rows: list[AuditEvent] = []
    searched = False
    if form.is_bound and form.is_valid() or not form.is_bound:
        data = form.cleaned_data if form.is_bound else {}
        rows = search_for(request.user, data, MAX_ROWS)  # audited there, before its results are read
        searched = True
    return render(request, "audit/search.html", {"form": form, "rows": rows, "searched": searched,
                                                 "max_rows": MAX_ROWS}, status=400 if form.errors else 200)
