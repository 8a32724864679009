"""Staff pages for chat evidence on a case (/cases/<code>/evidence/…). Thin: a form for every input, the action does
the work, redirect after a successful POST; a refused action or a file that cannot be read re-shows the page with
the reason. Message texts are decrypted with the organisation key unlocked in the session."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from upstander.accounts import session_keys
from upstander.accounts.models import Role
from upstander.accounts.permissions import staff_view
from upstander.cases.access import get_case_for
from upstander.cases.triage import search_roster
from upstander.evidence import access, actions, forms, pages, review
from upstander.evidence.models import ChatExport
from upstander.evidence.parsing import ParseError
from upstander.evidence.people import suggestions
from upstander.evidence.sealing import KeyUnavailable
from upstander.people.models import Person

EVIDENCE_ROLES = (Role.HANDLER, Role.SUPERVISOR, Role.OVERSEER)


def _index(request, case, *, form=None, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "evidence/index.html", {
        "case": case, "exports": list(access.exports_for(case)), "form": form or forms.AttachForm(),
        "can_review": access.may_review(request.user, case), "error": error,
        "max_mib": review.evidence_policy()["review"]["max_upload_mib"]}, status=status)


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_GET
def index(request: HttpRequest, code: str) -> HttpResponse:
    return _index(request, get_case_for(request.user, code))  # type: ignore[arg-type]


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_POST
def attach(request: HttpRequest, code: str) -> HttpResponse:
    case = get_case_for(request.user, code, write=True)  # type: ignore[arg-type]
    form = forms.AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        return _index(request, case, form=form, error="Choose the export file to attach.", status=400)
    upload = form.cleaned_data["export"]
    limit = int(review.evidence_policy()["review"]["max_upload_mib"]) * 1024 * 1024
    if upload.size > limit:
        return _index(request, case, form=form, status=400, error=f"{upload.name} is larger than the "
                      f"{limit // 1048576} MiB this page takes; ask an administrator to attach it from the command line.")
    try:
        attached = actions.do_attach_export(actor=request.user, case=case, name=upload.name, data=upload.read(),
                                            order=form.cleaned_data["order"] or None)
    except ParseError as exc:
        return _index(request, case, form=form, status=400, error=f"Nothing was attached. {exc}")
    except PermissionDenied as exc:
        return _index(request, case, form=form, status=403, error=str(exc))
    return redirect("evidence:export", code=case.code, export_id=attached.export.public_id)


def _data_key(request, export: ChatExport) -> tuple[bytes | None, str]:
    try:
        return access.data_key_for(request.user, export, session_keys.load(request)), ""  # type: ignore[arg-type]
    except KeyUnavailable as exc:
        return None, f"The messages cannot be shown: {exc}."


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_GET
def export_page(request: HttpRequest, code: str, export_id) -> HttpResponse:
    export = access.get_export_for(request.user, code, export_id)  # type: ignore[arg-type]
    subjects = access.subjects_of(export.case)
    reading = access.open_reading(request.user, export)
    senders = list(export.senders.select_related("person").order_by("-message_count", "name"))
    shown = [s for s in senders if access.shown_by_default(s, subjects) or reading]
    subject_people = list(Person.objects.filter(pk__in=subjects))
    can_review = access.may_review(request.user, export.case)
    data_key, key_error = _data_key(request, export)
    return render(request, "evidence/export.html", {
        "case": export.case, "export": export, "counts": pages.counts(export, shown), "categories": pages.categories(),
        "hidden": len(senders) - len(shown), "reading": reading, "can_review": can_review,
        "senders": [{"sender": s, "shown": s in shown, "suggested": suggestions(s.name, subject_people, limit=2)
                     if can_review and s.person_id is None else []} for s in senders],
        "unreadable": pages.unreadable_lines(export, data_key) if data_key else [], "key_error": key_error,
        "whole_chat_form": forms.WholeChatForm()})


def _sender_page(request, export, sender, *, error: str = "", status: int = 200, form=None, failed=None):
    if not access.may_see_sender(request.user, sender):
        raise PermissionDenied("This sender is not linked to a subject of the case; read the whole chat to see them.")
    data_key, key_error = _data_key(request, export)
    context = int(review.evidence_policy()["review"]["context"])
    groups = pages.flags_with_context(export, sender, data_key, context) if data_key else []
    return render(request, "evidence/sender.html", {
        "case": export.case, "export": export, "sender": sender, "groups": groups, "labels": dict(pages.categories()),
        "can_review": access.may_review(request.user, export.case), "error": error or key_error, "form": form,
        "failed": failed, "context": context}, status=status)


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_GET
def sender_page(request: HttpRequest, code: str, export_id, sender_id) -> HttpResponse:
    export = access.get_export_for(request.user, code, export_id)  # type: ignore[arg-type]
    return _sender_page(request, export, access.get_sender_for(export, sender_id))


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_POST
def decide(request: HttpRequest, code: str, export_id, message_id) -> HttpResponse:
    export = access.get_export_for(request.user, code, export_id, write=True)  # type: ignore[arg-type]
    message = access.get_message_for(export, message_id)
    if message.sender is None:
        raise Http404("No such flag")
    message.sender.export = export
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return _sender_page(request, export, message.sender, status=400, form=form, failed=message.pk,
                            error="Write a note (at least a few words) saying why.")
    if not access.may_see_sender(request.user, message.sender):
        raise PermissionDenied
    act = actions.do_confirm_flag if form.cleaned_data["decision"] == "confirm" else actions.do_reject_flag
    try:
        act(actor=request.user, message=message, note=form.cleaned_data["note"])
    except PermissionDenied as exc:
        return _sender_page(request, export, message.sender, status=403, error=str(exc))
    url = reverse("evidence:sender", kwargs={"code": code, "export_id": export.public_id,
                                             "sender_id": message.sender.public_id})
    return redirect(f"{url}#flag-{message.public_id}")


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_http_methods(["GET", "POST"])
def link_sender(request: HttpRequest, code: str, export_id, sender_id) -> HttpResponse:
    """Find the roster person a sender is (suggestions first, then a search), and link them."""
    export = access.get_export_for(request.user, code, export_id, write=request.method == "POST")  # type: ignore[arg-type]
    sender = access.get_sender_for(export, sender_id)
    error, status = "", 200
    if request.method == "POST":
        form = forms.LinkSenderForm(request.POST)
        person = None
        if form.is_valid() and form.cleaned_data["person"]:
            person = Person.objects.filter(public_id=form.cleaned_data["person"]).first()
            if person is None:
                raise Http404("No such person")
        try:
            actions.do_link_sender(actor=request.user, sender=sender, person=person)
            return redirect("evidence:export", code=code, export_id=export.public_id)
        except (PermissionDenied, ValidationError) as exc:
            error, status = " ".join(getattr(exc, "messages", [str(exc)])), 403
    query = request.GET.get("q", "").strip()[:100]
    subjects = list(Person.objects.filter(pk__in=access.subjects_of(export.case)))
    return render(request, "evidence/link.html", {
        "case": export.case, "export": export, "sender": sender, "suggested": suggestions(sender.name, subjects),
        "query": query, "people": list(search_roster(query)) if query else [], "error": error,
        "can_review": access.may_review(request.user, export.case)}, status=status)


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_POST
def open_whole_chat(request: HttpRequest, code: str, export_id) -> HttpResponse:
    export = access.get_export_for(request.user, code, export_id, write=True)  # type: ignore[arg-type]
    form = forms.WholeChatForm(request.POST)
    if form.is_valid():
        try:
            actions.do_open_whole_chat(actor=request.user, export=export, reason=form.cleaned_data["reason"])
            return redirect("evidence:whole_chat", code=code, export_id=export.public_id)
        except PermissionDenied:
            pass
    return redirect("evidence:export", code=code, export_id=export.public_id)


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_GET
def whole_chat(request: HttpRequest, code: str, export_id) -> HttpResponse:
    export = access.get_export_for(request.user, code, export_id)  # type: ignore[arg-type]
    reading = access.open_reading(request.user, export)
    if reading is None:
        return redirect("evidence:export", code=code, export_id=export.public_id)
    data_key, key_error = _data_key(request, export)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    shown, count = pages.page_of_chat(export, data_key, number) if data_key else ([], 1)
    return render(request, "evidence/whole_chat.html", {
        "case": export.case, "export": export, "messages": shown, "page": min(max(1, number), count), "pages": count,
        "reading": reading, "error": key_error, "labels": dict(pages.categories())})


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_GET
def summary(request: HttpRequest, code: str, export_id) -> HttpResponse:
    """The review summary for a hearing, as a page to print or a PDF (?format=pdf)."""
    export = access.get_export_for(request.user, code, export_id)  # type: ignore[arg-type]
    data_key, key_error = _data_key(request, export)
    if data_key is None:
        return render(request, "evidence/summary.html", {"case": export.case, "export": export, "error": key_error},
                      status=403)
    subjects = access.subjects_of(export.case)
    reading = access.open_reading(request.user, export)
    senders = [s for s in export.senders.all() if access.shown_by_default(s, subjects) or reading]
    as_pdf = request.GET.get("format") == "pdf"
    access.audit_summary(request.user, export, "PDF" if as_pdf else "web page")  # type: ignore[arg-type]
    context = {"case": export.case, **pages.hearing_summary(export, data_key, senders), "whole": reading is not None}
    if not as_pdf:
        return render(request, "evidence/summary.html", context)
    from upstander.evidence.summary_pdf import pdf  # noqa: PLC0415 - WeasyPrint is heavy; only this view needs it

    response = HttpResponse(pdf(request, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="evidence-{export.case.code}-{export.sha256[:8]}.pdf"'
    return response


@never_cache
@staff_view(EVIDENCE_ROLES)
@require_GET
def original(request: HttpRequest, code: str, export_id) -> HttpResponse:
    """The file exactly as it came in (its SHA-256 matches the audit log): an audited read."""
    export = access.get_export_for(request.user, code, export_id, write=True)  # type: ignore[arg-type]
    try:
        data = access.read_original(request.user, export, session_keys.load(request))  # type: ignore[arg-type]
    except KeyUnavailable as exc:
        raise PermissionDenied(str(exc)) from exc
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{export.sha256[:16]}-{export.format}-export"'
    return response
