"""A minimal staff view of reports (issue 3): list new reports, read one, reply to the reporter; and the
listening-circle facilitator's form. The case workflow grows this into the full case page."""

from __future__ import annotations

from typing import cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from upstander.accounts import session_keys
from upstander.accounts.models import Role, User
from upstander.accounts.permissions import REPORT_ROLES, staff_view
from upstander.cases.report_access import (
    CONTENT_ROLES,
    get_report_for,
    open_report_file_for,
    open_report_for,
    visible_reports,
)
from upstander.cases.report_actions import MAX_REPLY_CHARS, do_record_disclosure, do_reply_to_reporter
from upstander.lib import clock
from upstander.lib.policy import category_choices, category_label
from upstander.reports import receipts, sealing
from upstander.reports.attachments import FileUnavailable
from upstander.reports.choices import Consent, ReporterRole, ReporterType, ReportingMode, Route
from upstander.reports.creation import Identity, ReportInput, Subject
from upstander.reports.pins import RecipientKeyRefused


def _user(request: HttpRequest) -> User:
    """The signed-in member (staff_view has already refused anyone else)."""
    return cast(User, request.user)
DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; sandbox"


class ReplyForm(forms.Form):
    body = forms.CharField(label="Message to the reporter", widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=MAX_REPLY_CHARS)
    is_question = forms.BooleanField(label="This is a question the reporter should answer", required=False)


class DisclosureForm(forms.Form):
    session_on = forms.DateField(label="Date of the listening circle", widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label="How the person chose to report", widget=forms.RadioSelect,
                             choices=ReportingMode.choices)
    reporter_type = forms.ChoiceField(label="The person is", widget=forms.RadioSelect, choices=ReporterType.choices)
    independent = forms.BooleanField(label="Independent route: the overseer only (staff only)", required=False)
    discloser_name = forms.CharField(label="Their name (named or confidential only)", max_length=200, required=False)
    staff_number = forms.CharField(label="Their warrant or staff number (optional)", max_length=32, required=False)
    narrative = forms.CharField(label="What they disclosed", widget=forms.Textarea(attrs={"rows": 10}),
                                max_length=MAX_REPLY_CHARS)
    categories = forms.MultipleChoiceField(label="What it was about", widget=forms.CheckboxSelectMultiple)
    reporter_role = forms.ChoiceField(label="Their part in it", widget=forms.RadioSelect, choices=ReporterRole.choices)
    subject_name = forms.CharField(label="Who did it: name", max_length=200, required=False)
    subject_number = forms.CharField(label="Who did it: warrant or staff number", max_length=64, required=False)
    subject_unit = forms.CharField(label="Who did it: team, unit or station", max_length=200, required=False)
    consent = forms.ChoiceField(label="Their consent", widget=forms.RadioSelect, choices=Consent.choices)
    give_receipt = forms.BooleanField(label="Give them a receipt so they can follow it up themselves", required=False,
                                      initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices()

    def clean(self):
        data = super().clean()
        if data.get("mode") in (ReportingMode.NAMED, ReportingMode.CONFIDENTIAL) and not data.get("discloser_name"):
            self.add_error("discloser_name", "A named or confidential disclosure needs the person's name")
        if data.get("independent") and data.get("reporter_type") == ReporterType.PUBLIC:
            self.add_error("independent", "The independent route is for officers and staff")
        if data.get("session_on") and data["session_on"] > clock.today():
            self.add_error("session_on", "The date cannot be in the future")
        return data

    def report_input(self) -> ReportInput:
        d = self.cleaned_data
        identity = Identity(name=d["discloser_name"], staff_number=d["staff_number"]) if d["discloser_name"] else None
        return ReportInput(
            mode=d["mode"], reporter_type=d["reporter_type"], narrative=d["narrative"], categories=d["categories"],
            reporter_role=d["reporter_role"], route=Route.INDEPENDENT if d["independent"] else Route.FORCE,
            subjects=[Subject(d["subject_name"], d["subject_number"], d["subject_unit"])], identity=identity)


@never_cache
@staff_view(REPORT_ROLES)
def report_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    reports = visible_reports(_user(request)).order_by("-received_on", "-id")
    if not show_all:
        reports = reports.filter(case__isnull=True)
    rows = [{"public_id": r.public_id, "received_on": r.received_on, "channel": r.get_channel_display(),
             "mode": r.get_mode_display(), "route": r.get_route_display(),
             "categories": ", ".join(category_label(c) for c in r.categories), "case": r.case_id is not None}
            for r in reports[:200]]
    return render(request, "cases/report_list.html", {"rows": rows, "show_all": show_all,
                                                       "can_record": _user(request).role == Role.FACILITATOR})


def _detail(request: HttpRequest, public_id, form: ReplyForm | None = None, status: int = 200) -> HttpResponse:
    try:
        opened = open_report_for(_user(request), public_id, session_keys.load(request))
    except sealing.KeyUnavailable as exc:
        report = get_report_for(_user(request), public_id)
        return render(request, "cases/report_detail.html", {"report": report, "locked": str(exc)}, status=403)
    r = opened.report
    context = {
        "report": r, "opened": opened, "categories": [category_label(c) for c in r.categories],
        "mentions": list(r.mentions.all()), "sent": request.GET.get("sent") == "1",
        "form": (form or ReplyForm()) if _user(request).role in CONTENT_ROLES else None,
        "identity_sealed": bool(r.sealed_identity),
    }
    return render(request, "cases/report_detail.html", context, status=status)


@never_cache
@staff_view(REPORT_ROLES)
@require_http_methods(["GET"])
def report_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _detail(request, public_id)


@never_cache
@staff_view(CONTENT_ROLES)
@require_POST
def report_reply(request: HttpRequest, public_id) -> HttpResponse:
    report = get_report_for(_user(request), public_id, write=True)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail(request, public_id, form, status=400)
    try:
        data_key = sealing.data_key_for_org(report, _user(request).organisation, session_keys.load(request))
    except sealing.KeyUnavailable:
        return _detail(request, public_id, form, status=403)
    do_reply_to_reporter(actor=_user(request), report=report, data_key=data_key, body=form.cleaned_data["body"],
                         is_question=form.cleaned_data["is_question"])
    return redirect(f"/cases/reports/{report.public_id}/?sent=1")


@never_cache
@staff_view(REPORT_ROLES)
@require_http_methods(["GET"])
def report_file(request: HttpRequest, public_id, file_id) -> HttpResponseBase:
    """The copy with metadata removed. Only re-encoded images are shown inline; every other file is a download,
    with nosniff and a sandboxing CSP, so an HTML or SVG file can never run in our origin."""
    try:
        opened = open_report_file_for(_user(request), public_id, file_id, session_keys.load(request))
    except (sealing.KeyUnavailable, FileUnavailable):
        raise Http404("File not available") from None
    name = opened.name
    if opened.inline_safe:
        if opened.content_type == "image/png" and not name.lower().endswith(".png"):
            name += ".png"
        response = StreamingHttpResponse(opened.chunks, content_type=opened.content_type)
        response["Content-Disposition"] = content_disposition_header(False, name) or ""
    else:
        response = StreamingHttpResponse(opened.chunks, content_type="application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@staff_view([Role.FACILITATOR])
@require_http_methods(["GET", "POST"])
def disclosure_new(request: HttpRequest) -> HttpResponse:
    form = DisclosureForm(request.POST or None, initial={"session_on": clock.today()})
    if request.method == "GET" or not form.is_valid():
        return render(request, "cases/report_disclosure.html", {"form": form},
                      status=200 if request.method == "GET" else 400)
    receipt = receipts.new_receipt() if form.cleaned_data["give_receipt"] else None
    key = receipts.derive(receipt) if receipt else None
    try:
        report = do_record_disclosure(actor=_user(request), data=form.report_input(),
                                      session_on=form.cleaned_data["session_on"], consent=form.cleaned_data["consent"],
                                      receipt_key=key)
    except RecipientKeyRefused as refused:  # nothing was stored; the overseer is alerted
        form.add_error(None, str(refused))
        return render(request, "cases/report_disclosure.html", {"form": form}, status=503)
    return render(request, "cases/report_disclosure_done.html", {"report": report, "receipt": receipt})
