"""Messages both ways between the reporter and the case team, encrypted under the report's data key, and the
reporter's structured requests (more information, retaliation, a review), kept in the clear so the workflow and
safeguarding can act without keys. Called inside the caller's action; nothing here checks permission or audits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db.models import Max

from upstander.lib import clock
from upstander.reports import hooks, sealing
from upstander.reports.attachments import StagedFile, attach, files_of
from upstander.reports.choices import MessageDirection, RequestKind
from upstander.reports.models import Message, Report, ReporterRequest

MAX_MESSAGE_CHARS = 20_000


def _next_sequence(report: Report) -> int:
    return (Message.objects.filter(report=report).aggregate(m=Max("sequence"))["m"] or 0) + 1


def check_body(body: str, *, files: Sequence[StagedFile] = ()) -> str:
    """The message text, stripped; ValueError when it is empty (and no files come with it) or too long."""
    body = (body or "").strip()
    if not body and not files:
        raise ValueError("an empty message")
    if len(body) > MAX_MESSAGE_CHARS:
        raise ValueError(f"a message must have at most {MAX_MESSAGE_CHARS:,} characters")
    return body


def add_message(report: Report, data_key: bytes, *, direction: str, body: str, author=None,
                is_question: bool = False, files: Sequence[StagedFile] = ()) -> Message:
    """A message (with any files), encrypted under the report's data key, dated by the day only whoever sends it,
    so the reporter's timing is not kept. The caller has proved the key (sealing.check_data_key)."""
    public_id = uuid.uuid4()
    message = Message.objects.create(
        public_id=public_id, report=report, direction=direction, sequence=_next_sequence(report),
        body_ct=sealing.encrypt_message(data_key, public_id, check_body(body, files=files)), sent_on=clock.today(),
        author=author, is_question=is_question)
    if files:
        attach(report, data_key, list(files), message=message)
    return message


def add_reporter_request(report: Report, message: Message, kind: str, *, actor) -> ReporterRequest:
    """Record what the reporter asked for beside their message and tell the staff side (hooks)."""
    request = ReporterRequest.objects.create(report=report, kind=RequestKind(kind), message=message,
                                             made_on=clock.today())
    hooks.reporter_request_made.send(sender=Report, report=report, request=request, message=message, actor=actor)
    return request


def conversation(report: Report, data_key: bytes, *, with_authors: bool = False) -> list[dict]:
    """Every message, oldest first, opened with the data key, with the files sent with it. Staff authors are named
    only for staff pages (`with_authors`), never to the reporter."""
    by_message: dict[int, list[dict]] = {}
    for entry in files_of(report, data_key):
        if entry.message_id is not None:
            by_message.setdefault(entry.message_id, []).append(entry.as_dict())
    return [{"from_reporter": m.direction == MessageDirection.FROM_REPORTER, "on": m.sent_on,
             "is_question": m.is_question, "body": sealing.decrypt_message(data_key, m),
             "files": by_message.get(m.pk, []),
             "author": (m.author.get_full_name() or m.author.username) if with_authors and m.author else ""}
            for m in report.messages.select_related("author").order_by("sequence")]
