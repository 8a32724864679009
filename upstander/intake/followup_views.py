"""Coming back with a receipt: the timeline, messages both ways, adding information, reporting retaliation and
asking for a review. The receipt is checked once; after that a visit cookie (intake/visit.py) carries the key.

Metadata minimisation: no address, agent or time is read or kept; a wrong receipt is throttled by a global budget
(intake/throttle.py explains why not per address).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from upstander.audit.log import Actor
from upstander.intake import drafts, timeline, visit
from upstander.intake.actions import (
    do_add_information,
    do_add_reporter_message,
    do_report_retaliation,
    do_request_review,
)
from upstander.intake.forms import InformationForm, MessageForm, ReceiptForm, RetaliationForm, ReviewForm
from upstander.intake.uploads import ReporterUploadHandler
from upstander.intake.views import add_uploads
from upstander.lib import clock
from upstander.reports import receipts, sealing, throttle
from upstander.reports.attachments import discard_staged
from upstander.reports.choices import MessageDirection, RequestKind
from upstander.reports.models import Attachment, Report, ReporterRequest
from upstander.reports.sealing import attachment_name

NOT_RECOGNISED = "Receipt not recognised. Check the words and try again."
SENT_TEXT = {
    "message": "Your message was sent.",
    "information": "What you added was sent to the case team.",
    "retaliation": "Thank you for telling us. The case team and the independent overseer will act on it.",
    "review": "Your request for a review was sent.",
}


@never_cache
@require_http_methods(["GET", "POST"])
def return_page(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return render(request, "intake/return.html", {"form": form}, status=200 if request.method == "GET" else 400)
    drafts.purge_expired()  # held receipts and abandoned drafts go on time even without the sweeper
    normalised = receipts.normalise(form.cleaned_data["receipt"])
    if normalised is None:
        form.add_error("receipt", NOT_RECOGNISED)
        return render(request, "intake/return.html", {"form": form}, status=400)
    charge = throttle.charge()
    if not charge.allowed:
        retry = charge.retry_after.astimezone(clock.zone()).strftime("%H:%M")
        return render(request, "intake/return.html", {"form": form, "throttled": retry}, status=429)
    key = receipts.derive(normalised)
    report = Report.objects.filter(receipt_lookup=key.lookup, purged_on__isnull=True).first()
    if report is None:
        form.add_error("receipt", NOT_RECOGNISED)
        return render(request, "intake/return.html", {"form": form}, status=400)
    data_key = sealing.data_key_from_receipt(report, key.key)
    throttle.refund(charge)
    response = redirect("/report/status")
    visit.set_cookie(response, report, data_key)
    drafts.clear_cookie(response)
    return response


# What the reporter sees above a message they sent with one of the status page's forms, so a retaliation report
# never looks like any other message (the staff side reads the same ReporterRequest kind).
REQUEST_LABELS: dict[str, str] = {
    RequestKind.RETALIATION: "You reported retaliation",
    RequestKind.INFORMATION: "You added information",
    RequestKind.REVIEW: "You asked for a review of the outcome",
}


def _messages(v: visit.Visit) -> tuple[list[dict], list[str]]:
    files_by_message: dict[int, list[str]] = {}
    for a in Attachment.objects.filter(report=v.report).order_by("id"):
        files_by_message.setdefault(a.message_id or 0, []).append(attachment_name(a, v.data_key))
    kinds = dict(ReporterRequest.objects.filter(report=v.report, message__isnull=False)
                 .values_list("message_id", "kind"))
    return [{"from_reporter": m.direction == MessageDirection.FROM_REPORTER, "on": m.sent_on,
             "is_question": m.is_question, "body": sealing.decrypt_message(v.data_key, m),
             "kind": kinds.get(m.pk, ""), "label": REQUEST_LABELS.get(kinds.get(m.pk, ""), ""),
             "files": files_by_message.get(m.pk, [])}
            for m in v.report.messages.order_by("sequence")], files_by_message.get(0, [])


def _error_links(forms: dict) -> list[tuple[str, str]]:
    """(message, "#field id") for the one form that was sent with a problem: the summary at the top of the page."""
    links = []
    for form in forms.values():
        if form is None or not form.is_bound:
            continue
        for field in form:
            links += [(str(e), f"#{field.auto_id}") for e in field.errors]
    return links


def _status(request: HttpRequest, v: visit.Visit, forms: dict | None = None, status: int = 200,
            errors: list[str] | None = None) -> HttpResponse:
    messages, first_files = _messages(v)
    line = timeline.build(v.report)
    context = {
        "timeline": line, "messages": messages, "report_files": first_files, "report": v.report,
        "sent": SENT_TEXT.get(request.GET.get("sent", "")), "file_errors": errors or [],
        "message_form": MessageForm(), "information_form": InformationForm(), "retaliation_form": RetaliationForm(),
        "review_form": ReviewForm() if line.review and line.review.open else None,
        "retaliation_count": sum(1 for m in messages if m["kind"] == RequestKind.RETALIATION),
        **(forms or {}),
    }
    context["error_links"] = _error_links(forms or {}) + [(e, "#id_information-attachments") for e in errors or []]
    response = render(request, "intake/status.html", context, status=status)
    visit.set_cookie(response, v.report, v.data_key)  # renews the idle expiry
    return response


@never_cache
@require_http_methods(["GET"])
def status_page(request: HttpRequest) -> HttpResponse:
    v = visit.load(request)
    if v is None:
        return redirect("/report/return")
    return _status(request, v)


def _post(request: HttpRequest, form_class, form_key: str, act) -> HttpResponse:
    v = visit.load(request)
    if v is None:
        return redirect("/report/return")
    form = form_class(request.POST)
    if not form.is_valid():
        return _status(request, v, {form_key: form}, status=400)
    act(v, form)
    return redirect(f"/report/status?sent={form_key.removesuffix('_form')}")


@never_cache
@require_POST
def send_message(request: HttpRequest) -> HttpResponse:
    return _post(request, MessageForm, "message_form", lambda v, form: do_add_reporter_message(
        actor=Actor.reporter(), report=v.report, data_key=v.data_key, body=form.cleaned_data["body"]))


@never_cache
@require_POST
def report_retaliation(request: HttpRequest) -> HttpResponse:
    return _post(request, RetaliationForm, "retaliation_form", lambda v, form: do_report_retaliation(
        actor=Actor.reporter(), report=v.report, data_key=v.data_key, body=form.cleaned_data["body"]))


@never_cache
@require_POST
def request_review(request: HttpRequest) -> HttpResponse:
    def act(v, form):
        try:
            do_request_review(actor=Actor.reporter(), report=v.report, data_key=v.data_key,
                              body=form.cleaned_data["body"])
        except PermissionDenied:
            pass  # the window closed between showing the form and sending it; the page shows it is closed

    return _post(request, ReviewForm, "review_form", act)


@csrf_exempt
def add_information(request: HttpRequest) -> HttpResponse:
    request.upload_handlers = [ReporterUploadHandler(request)]  # before the body is read; CSRF checked below
    return _add_information(request)


@csrf_protect
@never_cache
@require_POST
def _add_information(request: HttpRequest) -> HttpResponse:
    v = visit.load(request)
    if v is None:
        return redirect("/report/return")
    form = InformationForm(request.POST)
    if not form.is_valid():
        return _status(request, v, {"information_form": form}, status=400)
    staged, errors = add_uploads(request.FILES.getlist(f"{InformationForm.prefix}-attachments"), already=0)
    if errors:
        for s in staged:  # all or nothing, so the reporter is not left unsure which files went
            discard_staged(s)
        return _status(request, v, {"information_form": form}, status=400, errors=errors)
    do_add_information(actor=Actor.reporter(), report=v.report, data_key=v.data_key, body=form.cleaned_data["body"],
                       files=staged)
    return redirect("/report/status?sent=information")


def _forget(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Everything this browser holds of the reporter side, on the server and in the browser: the draft (a saved
    copy stays, under its code: the reporter chose to keep it), the visit and the CSRF cookie, and the browser is
    told to drop this site's cache, cookies and storage."""
    drafts.discard_from(request)
    visit.clear_cookie(response)
    drafts.clear_cookie(response)
    response.delete_cookie(settings.CSRF_COOKIE_NAME, path=settings.CSRF_COOKIE_PATH, samesite="Strict")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


# No CSRF check: leaving must work from any page, a stale one or one whose CSRF cookie has gone, and all it does is
# forget the sender's own state. A forged cross-site POST carries none of the (SameSite=Strict) reporter cookies,
# so it cannot reach anyone's draft; it is also answered without clearing anything (Sec-Fetch-Site below).
@csrf_exempt
@never_cache
@require_POST
def quick_exit(request: HttpRequest) -> HttpResponse:
    response = redirect(str(settings.QUICK_EXIT_URL))
    response.status_code = 303
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "cross-site":
        return response
    return _forget(request, response)


@never_cache
@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """"Leave your report" at the foot of the status page: the same forgetting, back to the start page."""
    return _forget(request, redirect("/report/"))
