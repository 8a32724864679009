"""The overseer's pages about the audit log, at /audit/: the search ("who looked at this case?", every search itself
audited) and the page about the witness (when it last confirmed the log, in plain words; the same summary is shown
on the overseer's queue through the `witness_status` template tag).

They are the overseer's pages, not the audit app's: the audit log is a foundation layer that knows nothing of
accounts or cases, while these pages need both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.timesince import timesince
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from upstander.accounts.permissions import OVERSEER_ONLY, staff_view
from upstander.audit.models import AuditCheckpoint
from upstander.audit.witness import latest_confirmation, stale_after
from upstander.lib import clock
from upstander.oversight.access import audit_events_for
from upstander.oversight.audit_search import describe_objects

PER_PAGE = 50


class AuditSearchForm(forms.Form):
    object = forms.CharField(label="Case code or report reference", max_length=64, required=False,
                             help_text="A case code finds every event of the case: its reports, allegations, the "
                                       "people named in it, and its safeguarding.")
    actor = forms.CharField(label="Who", max_length=150, required=False,
                            help_text="A name or username, for example Harriet or handler. Type reporter for "
                                      "reporters.")
    action = forms.CharField(label="What was done", max_length=64, required=False,
                             help_text="Words as the results show them, for example identity open, or login.")
    date_from = forms.DateField(label="From", required=False, help_text="For example 2024-03-31.")
    date_to = forms.DateField(label="To", required=False, help_text="For example 2024-04-30.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data


@never_cache
@staff_view(OVERSEER_ONLY)
@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    criteria = {k: v for k, v in request.GET.items() if k not in ("page", "until")}
    form = AuditSearchForm(criteria or None)
    page, rows, until = None, [], None
    if not form.is_bound or form.is_valid():
        events, until = audit_events_for(request.user, form.cleaned_data if form.is_bound else {},  # audited there
                                         until=_moment(request.GET.get("until")))
        page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        describe_objects(rows)
    return render(request, "oversight/audit/search.html", {
        "form": form, "page": page, "rows": rows, "until": until.isoformat() if until else ""},
        status=400 if form.errors else 200)


def _moment(text: str | None) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def witness_summary() -> dict[str, Any]:
    """One state and the facts the sentence about it needs. States, worst first: no_longer_matches (the log was
    changed under what the witness confirmed), mismatch_reported, bad_signature, never, stale, unchecked, ok."""
    found = latest_confirmation()
    hours = int(stale_after().total_seconds() // 3600)
    if found is None:
        state = "never"
    elif not found.still_matches:
        state = "no_longer_matches"
    elif found.mismatch_reported:
        state = "mismatch_reported"
    elif found.signature_checked and not found.signature_ok:
        state = "bad_signature"
    elif found.stale:
        state = "stale"
    elif not found.signature_checked:
        state = "unchecked"
    else:
        state = "ok"
    now = clock.now()
    ago = timesince(found.seen_at, now) if found is not None and found.seen_at is not None else ""
    return {"state": state, "confirmation": found, "stale_after_hours": hours, "warning": state not in ("ok", "unchecked"),
            "ago": "less than a minute" if ago.startswith("0\xa0") or ago.startswith("0 ") else ago}


@never_cache
@staff_view(OVERSEER_ONLY)
@require_GET
def witness_page(request: HttpRequest) -> HttpResponse:
    checkpoint = AuditCheckpoint.objects.order_by("-created_at").first()
    return render(request, "oversight/audit/witness.html", {"witness": witness_summary(), "checkpoint": checkpoint})
