"""The reporter side: start page and the report form. Thin views; the work is in answers, drafts and actions.

Metadata minimisation (DESIGN.md rule 6): these views never read the client's address or user agent, set no
session, log nothing, and every response is `no-store` so nothing lingers in a shared computer's cache.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from upstander.audit.log import Actor
from upstander.intake import answers, drafts
from upstander.intake.actions import do_submit_report
from upstander.intake.forms import FilesForm
from upstander.intake.uploads import ReporterUploadHandler
from upstander.lib.clock import clock_spec
from upstander.lib.policy import category_label
from upstander.reports import receipts
from upstander.reports.attachments import StagedFile, discard_staged, stage_file
from upstander.reports.files import MAX_FILES_PER_REPORT, FileRefused, check
from upstander.reports.pins import RecipientKeyRefused

REFUSAL_TEXT = {
    "too_large": "“{name}” is larger than the size limit. Send a smaller file, or split it.",
    "too_many": "“{name}” was not added: you can add up to 5 files at a time. Add it on its own.",
}


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"intake/{template}", context, status=status)


@never_cache
@require_http_methods(["GET"])
def start(request: HttpRequest) -> HttpResponse:
    return _render(request, "start.html", {})


def _page_nav(state: drafts.DraftState, page: str) -> dict:
    pages = answers.pages_for(state)
    index = pages.index(page) if page in pages else 0
    return {"page": page, "step": index + 1, "steps": len(pages), "title": answers.PAGE_TITLES[page],
            "back": f"/report/new/{pages[index - 1]}" if index > 0 else "/report/",
            "next": f"/report/new/{pages[index + 1]}" if index + 1 < len(pages) else None}


def _with_cookie(response: HttpResponse, draft: drafts.OpenDraft | None) -> HttpResponse:
    if draft is not None:
        drafts.set_cookie(response, draft)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def form_page(request: HttpRequest, page: str) -> HttpResponse:
    if page not in answers.FORM_PAGES:
        raise Http404
    draft = drafts.load(request)
    if draft is not None and draft.state.submitted:
        draft = None  # a new report from the same browser: the sent one keeps its receipt until its draft expires
    if draft is None and page != "how":
        return redirect("/report/new/how")
    state = draft.state if draft else drafts.DraftState(token="")
    if page not in answers.pages_for(state):
        return redirect("/report/new/what")
    if request.method == "POST":
        if draft is None:
            draft = drafts.create()
        draft.state.pages[page] = answers.from_post(request.POST)
        drafts.save(draft)  # kept even when invalid: nothing typed is lost
        form = answers.form_for(page, draft.state, request.POST)
        if form.is_valid():
            return _with_cookie(redirect(_page_nav(draft.state, page)["next"]), draft)
        return _with_cookie(_render(request, "form_page.html", {"form": form, **_page_nav(draft.state, page)},
                                    status=400), draft)
    form = answers.form_for(page, state)
    if form.is_bound:
        form.is_valid()  # show what still needs an answer
    return _render(request, "form_page.html", {"form": form, **_page_nav(state, page)})


def _files_context(draft: drafts.OpenDraft, errors: list[str], form: FilesForm | None = None) -> dict:
    return {"form": form or FilesForm(), "files": draft.state.files, "file_errors": errors,
            "max_files": MAX_FILES_PER_REPORT, "upload_limit": settings.UPLOAD_MAX_BYTES,
            **_page_nav(draft.state, "files")}


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
    if request.method == "GET":
        return _render(request, "files.html", _files_context(draft, []))
    remove = set(request.POST.getlist("remove"))
    for f in [f for f in draft.state.files if f["id"] in remove]:
        discard_staged(StagedFile.from_dict(f))
    draft.state.files = [f for f in draft.state.files if f["id"] not in remove]
    staged, errors = add_uploads(request.FILES.getlist("attachments"), already=len(draft.state.files), draft=draft.row)
    draft.state.files += [{"id": uuid.uuid4().hex[:12], **s.as_dict()} for s in staged]
    drafts.save(draft)
    if errors:
        return _render(request, "files.html", _files_context(draft, errors), status=400)
    return redirect("/report/new/check")


def _summary(state: drafts.DraftState) -> dict:
    how = answers.how_answers(state) or {}
    what = answers.form_for("what", state)
    categories = what.cleaned_data.get("categories", []) if what.is_bound and what.is_valid() else []
    return {"mode": how.get("mode", ""), "reporter_type": how.get("reporter_type", ""),
            "independent": how.get("independent", False), "categories": [category_label(c) for c in categories],
            "files": state.files}


def _receipt_response(request: HttpRequest, receipt: str) -> HttpResponse:
    days = clock_spec("acknowledge")["period"]["days"]
    return _render(request, "receipt.html", {"receipt": receipt, "acknowledge_days": days})


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
    context = {"form": form, "summary": _summary(draft.state), **_page_nav(draft.state, "check")}
    if request.method == "GET":
        return _render(request, "check.html", context)
    if not form.is_valid() or form.cleaned_data["idempotency_token"] != draft.state.token:
        return _render(request, "check.html", {**context, "stale": form.is_valid()}, status=400)
    draft.state.pages["check"] = answers.from_post(request.POST)
    drafts.save(draft)
    missing = answers.first_invalid_page(draft.state)
    if missing is not None:
        return redirect(f"/report/new/{missing}")
    data, files = answers.report_input(draft.state)
    receipt = receipts.new_receipt()
    key = receipts.derive(receipt)  # Argon2id: before the transaction, so no lock is held while it runs
    try:
        submitted = do_submit_report(actor=Actor.reporter(), draft=draft, data=data, files=files, receipt=receipt,
                                     receipt_key=key)
    except RecipientKeyRefused:
        return _render(request, "not_stored.html", {}, status=503)  # nothing was stored; the overseer is alerted
    return _receipt_response(request, submitted.receipt)
