"""What the overseer's audit search understands, in the overseer's words rather than the log's labels:

- `actor_labels`: "Harriet" or "handler" stands for every account whose name or username contains it (and a named
  system actor by its description, "scheduled check" for `system:tick`), so nobody has to type "user:handler";
- `case_part_ids`: a case code stands for the case, its reports (cases/access.py:audit_object_ids says so), and the
  parts of it that have events of their own: allegations, the people named in its reports, safeguarding tasks,
  protected parties and retaliation alerts on its reports, so "every event of this case" leaves none out;
- `describe_objects`: what each event was about, in words ("allegation on case ABC-123"), never a model's label or id.

The search itself (who may run it, and that every search is audited first) is oversight/access.py:audit_events_for.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from upstander.accounts.models import User
from upstander.accounts.templatetags.staff_words import SYSTEM_ACTORS, thing
from upstander.audit.models import AuditEvent
from upstander.audit.search import object_ids_for
from upstander.cases.models import Allegation, Case, Report, SubjectMention
from upstander.people.models import Person
from upstander.safeguarding.models import ProtectedParty, RetaliationAlert, SafeguardingTask

REPORTER_WORDS = {"reporter", "the reporter", "a reporter", "reporters"}
MAX_ACCOUNTS = 200


def actor_labels(text: str) -> set[str] | None:
    """The audit log's actor labels a name, username or description stands for; None for "anyone". An exact label
    ("user:handler", "system:tick") is taken as it is."""
    text = " ".join(text.split())
    if not text:
        return None
    if ":" in text:
        return {text}
    lowered = text.lower()
    labels = {"reporter"} if lowered in REPORTER_WORDS else set()
    users = User.objects.all()
    for word in text.split():
        users = users.filter(Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word))
    labels |= {f"user:{name}" for name in users.order_by("username").values_list("username", flat=True)[:MAX_ACCOUNTS]}
    labels |= {f"system:{name}" for name, words in SYSTEM_ACTORS.items() if lowered == name or lowered in words.lower()}
    tokens = AuditEvent.objects.filter(actor__startswith="token:", actor__icontains=text)
    labels |= set(tokens.values_list("actor", flat=True).distinct()[:MAX_ACCOUNTS])
    return labels


def _ids(rows: Iterable) -> set[str]:
    return {str(r) for r in rows}


def case_part_ids(reference: str) -> set[str]:
    """Object ids of the parts of the case with this code that are audited under their own ids."""
    case = Case.objects.filter(code=reference.strip().upper()).first()
    if case is None:
        return set()
    reports = Report.objects.filter(case=case)
    return (_ids(Allegation.objects.filter(case=case).values_list("public_id", flat=True))
            | _ids(SubjectMention.objects.filter(report__in=reports).values_list("public_id", flat=True))
            | _ids(SafeguardingTask.objects.filter(case=case).values_list("public_id", flat=True))
            | _ids(ProtectedParty.objects.filter(case=case).values_list("public_id", flat=True))
            | _ids(RetaliationAlert.objects.filter(report__in=reports).values_list("public_id", flat=True))
            | {case.code, str(case.public_id)} | _ids(reports.values_list("public_id", flat=True)))


def object_ids(reference: str) -> set[str] | None:
    """Everything a case code or other reference stands for in the log; None for "anything"."""
    reference = reference.strip()
    if not reference:
        return None
    return object_ids_for(reference) | case_part_ids(reference)


def _uuids(values: Iterable[str]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


# object type -> (model, the lookup from it to its case's code)
_ON_A_CASE = {
    "cases.case": (Case, "code"), "cases.report": (Report, "case__code"), "cases.allegation": (Allegation, "case__code"),
    "cases.subjectmention": (SubjectMention, "report__case__code"),
    # Events written since the reports core took these models are labelled reports.*.
    "reports.report": (Report, "case__code"), "reports.subjectmention": (SubjectMention, "report__case__code"),
    "safeguarding.safeguardingtask": (SafeguardingTask, "case__code"),
    "safeguarding.protectedparty": (ProtectedParty, "case__code"),
    "safeguarding.retaliationalert": (RetaliationAlert, "report__case__code"),
}


# Things staff_words.thing does not name, as the audit log's rows of them read.
MORE_THINGS = {
    "audit": "the audit log", "dataset": "data set", "people.roster": "staff roster",
    "safeguarding.monitoring": "retaliation monitoring", "safeguarding.protectedparty": "colleague under protection",
    "accounts.apitoken": "machine access token", "intake.receiptfailurewindow": "failed receipt attempts",
    "custody.enrolmentinvitation": "key invitation", "custody.identitydisclosure": "identity opening",
}


def describe_objects(events: list[AuditEvent]) -> None:
    """Give each event `about` (what it was about, in words; empty for the case itself) and `case_code` (the case
    it belongs to, if any), with one query per kind of object on the page."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in events:
        wanted[e.object_type].add(e.object_id)
    codes: dict[tuple[str, str], str | None] = {}
    for object_type, (model, lookup) in _ON_A_CASE.items():
        if wanted.get(object_type):
            for public_id, code in model.objects.filter(  # type: ignore[attr-defined]
                    public_id__in=_uuids(wanted[object_type])).values_list("public_id", lookup):
                codes[(object_type, str(public_id))] = code
    names: dict[tuple[str, str], str] = {}
    for public_id, username, first, last in User.objects.filter(public_id__in=_uuids(wanted.get("accounts.user", ()))
                                                                ).values_list("public_id", "username", "first_name",
                                                                              "last_name"):
        names[("accounts.user", str(public_id))] = f"{first} {last}".strip() or username
    for public_id, given, family in Person.objects.filter(public_id__in=_uuids(wanted.get("people.person", ()))
                                                          ).values_list("public_id", "given_name", "family_name"):
        names[("people.person", str(public_id))] = f"{given} {family}"
    for e in events:
        key = (e.object_type, e.object_id)
        what = MORE_THINGS.get(e.object_type) or (thing(e.object_type) if e.object_type else "")
        code = codes.get(key)
        if e.object_type == "cases.case":
            what = "" if code else "a case"
        elif key in names:
            what = f"{what}: {names[key]}"
        elif key in codes and not code:
            what = f"{what} not on a case"
        e.about = what  # type: ignore[attr-defined]
        e.case_code = code  # type: ignore[attr-defined]
