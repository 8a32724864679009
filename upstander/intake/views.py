"""The reporter side: start page, the report form (one question per page), "Check your answers", and saving a
draft to come back later. Thin views; the work is in answers, drafts and actions.

Metadata minimisation (DESIGN.md rule 6): these views never read the client's address or user agent, set no
session, log nothing, and every response is `no-store` so nothing lingers in a shared computer's cache.
"""

from __future__ import annotations

import uuid
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from upstander.audit.log import Actor
from upstander.intake import answers, drafts
from upstander.intake.actions import do_submit_report
from upstander.intake.forms import FilesForm, ResumeForm
from upstander.intake.uploads import ReporterUploadHandler
from upstander.lib import clock
from upstander.lib.clock import clock_spec
from upstander.lib.middleware import CONTENT_SECURITY_POLICY
from upstander.reports import receipts, throttle
from upstander.reports.attachments import StagedFile, discard_staged, stage_file
from upstander.reports.files import MAX_FILES_PER_REPORT, FileRefused, check
from upstander.reports.pins import RecipientKeyRefused

REFUSAL_TEXT = {
    "too_large": "“{name}” is larger than the size limit. Send a smaller file, or split it.",
    "too_many": "“{name}” was not added: you can add up to 5 files at a time. Add it on its own.",
}
CODE_NOT_RECOGNISED = "Code not recognised. Check the words and try again."


def reporter_csp() -> str:
    """The site's policy, with the quick exit's site added to form-action: without JavaScript, "Leave this site
    quickly" is a form whose answer redirects there, and browsers apply form-action to the redirect too."""
    exit_url = urlsplit(str(settings.QUICK_EXIT_URL))
    origin = f"{exit_url.scheme}://{exit_url.netloc}"
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {origin}")


def reporter_page(view):
    """Every reporter URL: never stored by the browser or a proxy (Cache-Control: no-store, so Back after leaving
    asks the server again, which has forgotten the reporter), and the reporter side's CSP."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Content-Security-Policy"] = reporter_csp()
        return response

    return wrapped


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"intake/{template}", context, status=status)


@never_cache
@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    return _render(request, "start.html", {})


def _changing(request: HttpRequest) -> bool:
    """Came from "Check your answers" (a Change link): go back there once the answer is given."""
    return request.GET.get("change") == "1"


def _nav(state: drafts.DraftState, page: str, changing: bool = False) -> dict:
    pages = answers.pages_for(state)
    index = pages.index(page) if page in pages else 0
    if changing:
        back = "/report/new/check"
    else:
        back = f"/report/new/{pages[index - 1]}" if index > 0 else "/report/"
    return {"page": page, **answers.step(page), "title": answers.PAGE_TITLES[page], "back": back,
            "changing": changing, "action": f"/report/new/{page}" + ("?change=1" if changing else "")}


def _next(state: drafts.DraftState, page: str, changing: bool) -> str:
    if changing:
        missing = answers.first_invalid_page(state)  # a changed answer can bring a new question with it
        return f"/report/new/{missing}?change=1" if missing else "/report/new/check"
    pages = answers.pages_for(state)
    return f"/report/new/{pages[pages.index(page) + 1]}"


def _with_cookie(response: HttpResponse, draft: drafts.OpenDraft | None) -> HttpResponse:
    if draft is not None:
        drafts.set_cookie(response, draft)
    return response


def _save_for_later(request: HttpRequest, draft: drafts.OpenDraft) -> HttpResponse:
    """The page that shows the code is this POST's own response: the code is never stored to be shown later."""
    code = drafts.new_saved_code()
    drafts.save_for_later(draft, drafts.derive_code(code))
    response = _render(request, "saved.html", {"code": code, "keep_days": drafts.SAVED_KEEP.days,
                                               "until": clock.today() + drafts.SAVED_KEEP})
    drafts.clear_cookie(response)  # nothing on this device leads back to the draft; the code does
    return response


def _open_draft(request: HttpRequest) -> drafts.OpenDraft | None:
    draft = drafts.load(request)
    if draft is not None and draft.state.submitted:
        return None  # a new report from the same browser: the sent one keeps its receipt until its draft expires
    return draft


@never_cache
@require_http_methods(["GET", "POST"])
def question_page(request: HttpRequest, page: str) -> HttpResponse:
    if page not in answers.QUESTION_PAGES:
        raise Http404
    draft = _open_draft(request)
    if draft is None and page != answers.QUESTION_PAGES[0]:
        return redirect("/report/new/how")
    state = draft.state if draft else drafts.DraftState(token="")
    if page not in answers.pages_for(state):
        return redirect(f"/report/new/{answers.first_invalid_page(state) or 'check'}")
    changing = _changing(request)
    if request.method == "POST":
        if draft is None:
            draft = drafts.start()
        draft.state.pages[page] = answers.from_post(request.POST)
        drafts.store(draft)  # kept even when invalid: nothing typed is lost
        if request.POST.get("save"):
            return _save_for_later(request, draft)
        form = answers.form_for(page, draft.state, request.POST)
        if form.is_valid():
            return _with_cookie(redirect(_next(draft.state, page, changing)), draft)
        return _with_cookie(_render(request, "form_page.html", {"form": form, **_nav(draft.state, page, changing)},
                                    status=400), draft)
    form = answers.form_for(page, state)
    if form.is_bound:
        form.is_valid()  # show what still needs an answer
    return _render(request, "form_page.html", {"form": form, **_nav(state, page, changing)})


def _files_context(draft: drafts.OpenDraft, errors: list[str], changing: bool) -> dict:
    form = FilesForm({}, {}) if errors else FilesForm()
    if errors:  # shown at the file box as well as in the error summary, which links to it
        form.full_clean()
        for error in errors:
            form.add_error("attachments", error)
    return {"form": form, "files": draft.state.files, "file_errors": errors,
            "max_files": MAX_FILES_PER_REPORT, "upload_limit": settings.UPLOAD_MAX_BYTES,
            **_nav(draft.state, "files", changing)}


@csrf_exempt
def files_page(request: HttpRequest) -> HttpResponse:
    # Our own upload handler, set before the body is read, hence the CSRF check is applied just below instead.
    request.upload_handlers = [ReporterUploadHandler(request)]
    return _files_page(request)


def add_uploads(uploads, *, already: int, draft=None) -> tuple[list[StagedFile], list[str]]:
    """Check, clean and stage uploaded files; the messages say which file was refused and why."""
    staged: list[StagedFile] = []
    errors: list[str] = []
    for upload in uploads:
        refused = getattr(upload, "refused", "")
        name = upload.name or "file"
        if refused:
            errors.append(REFUSAL_TEXT[refused].format(name=name))
            continue
        if already + len(staged) >= MAX_FILES_PER_REPORT:
            errors.append(f"“{name}” was not added: a report can have up to {MAX_FILES_PER_REPORT} files.")
            continue
        try:
            checked = check(name, upload.read())
        except FileRefused as exc:
            errors.append(str(exc))
            continue
        staged.append(stage_file(checked, draft=draft))
    return staged, errors


@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def _files_page(request: HttpRequest) -> HttpResponse:
    draft = drafts.load(request)
    if draft is None:
        return redirect("/report/new/how")
    if draft.state.submitted:
        return redirect("/report/new/check")
    changing = _changing(request)
    if request.method == "GET":
        return _render(request, "files.html", _files_context(draft, [], changing))
    remove = set(request.POST.getlist("remove"))
    for f in [f for f in draft.state.files if f["id"] in remove]:
        discard_staged(StagedFile.from_dict(f))
    draft.state.files = [f for f in draft.state.files if f["id"] not in remove]
    staged, errors = add_uploads(request.FILES.getlist("attachments"), already=len(draft.state.files), draft=draft.row)
    draft.state.files += [{"id": uuid.uuid4().hex[:12], **s.as_dict()} for s in staged]
    drafts.store(draft)
    if request.POST.get("save"):
        return _save_for_later(request, draft)
    if errors:
        return _render(request, "files.html", _files_context(draft, errors, changing), status=400)
    return redirect(_next(draft.state, "files", changing))


def _receipt_response(request: HttpRequest, receipt: str) -> HttpResponse:
    days = clock_spec("acknowledge")["period"]["days"]
    return _render(request, "receipt.html", {"receipt": receipt, "acknowledge_days": days})


def _check_context(draft: drafts.OpenDraft, form) -> dict:
    return {"form": form, "rows": answers.check_rows(draft.state), "files": draft.state.files,
            "unfinished": answers.first_invalid_page(draft.state), **_nav(draft.state, "check")}


@never_cache
@require_http_methods(["GET", "POST"])
def check_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        drafts.purge_expired()  # held receipts and abandoned drafts go on time even without the sweeper
    draft = drafts.load(request)
    if draft is None:
        if request.method == "POST":
            return _render(request, "draft_gone.html", {}, status=410)
        return redirect("/report/new/how")
    if draft.state.submitted:
        if request.method == "POST" and request.POST.get("idempotency_token") == draft.state.token:
            return _receipt_response(request, draft.state.submitted["receipt"])  # the same receipt, again
        return _render(request, "sent.html", {})
    form = answers.form_for("check", draft.state, request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _render(request, "check.html", _check_context(draft, form))
    if request.POST.get("save"):
        return _save_for_later(request, draft)
    if not form.is_valid() or form.cleaned_data["idempotency_token"] != draft.state.token:
        return _render(request, "check.html", {**_check_context(draft, form), "stale": form.is_valid()}, status=400)
    missing = answers.first_invalid_page(draft.state)
    if missing is not None:
        return redirect(f"/report/new/{missing}?change=1")
    data, files = answers.report_input(draft.state)
    receipt = receipts.new_receipt()
    key = receipts.derive(receipt)  # Argon2id: before the transaction, so no lock is held while it runs
    try:
        submitted = do_submit_report(actor=Actor.reporter(), draft=draft, data=data, files=files, receipt=receipt,
                                     receipt_key=key)
    except RecipientKeyRefused:
        return _render(request, "not_stored.html", {}, status=503)  # nothing was stored; the overseer is alerted
    return _receipt_response(request, submitted.receipt)


def _resume_refused(request: HttpRequest, form: ResumeForm, status: int = 400, **extra) -> HttpResponse:
    return _render(request, "resume.html", {"form": form, **extra}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def resume_page(request: HttpRequest) -> HttpResponse:
    """Continue a saved draft with its code. Guesses share the receipts' global budget (intake/throttle.py)."""
    form = ResumeForm(request.POST or None)
    if request.method == "GET":
        return _render(request, "resume.html", {"form": form})
    if not form.is_valid():
        return _resume_refused(request, form)
    code = drafts.normalise_code(form.cleaned_data["code"])
    if code is None:
        form.add_error("code", CODE_NOT_RECOGNISED)
        return _resume_refused(request, form)
    charge = throttle.charge()
    if not charge.allowed:
        return _resume_refused(request, form, 429, throttled=charge.retry_after.astimezone(clock.zone()))
    draft = drafts.resume(drafts.derive_code(code))
    if draft is None:
        form.add_error("code", CODE_NOT_RECOGNISED)
        return _resume_refused(request, form)
    throttle.refund(charge)
    return _with_cookie(redirect(f"/report/new/{answers.first_invalid_page(draft.state) or 'check'}"), draft)
