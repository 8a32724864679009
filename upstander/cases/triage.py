"""Triage: a report in a handling unit's inbox becomes a case, joins an existing case, or (independent route) is
released by the overseer to the force. Also the free-text safety net and linking mentions to the roster."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, Value, When

from upstander.accounts.models import Role, User
from upstander.accounts.permissions import CASE_CONTENT_ROLES
from upstander.audit.log import REPORTER_ROLE, actor_of
from upstander.cases import workflow
from upstander.cases.access import inbox_reports
from upstander.cases.choices import AssignmentRole, Route
from upstander.cases.guards import (
    Refused,
    atomic,
    check,
    label,
    now,
    record,
    refresh_due,
    require_reasons,
    start_of_day,
)
from upstander.cases.models import Assignment, Case, Flag, Report, SealedKey, StageEvent
from upstander.lib import clock
from upstander.people.models import Person
from upstander.reports import pins, sealing

TRIAGE_ROLES = CASE_CONTENT_ROLES
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read out on the phone


def new_case_code() -> str:
    """Random, never the primary key (DESIGN.md rule 7): e.g. "UP-7KQ4-M2XD"."""
    while True:
        chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        code = f"UP-{chars[:4]}-{chars[4:]}"
        if not Case.objects.filter(code=code).exists():
            return code


def _require_inbox(actor, report: Report, doing: str) -> None:
    if not isinstance(actor, User) or actor.role not in TRIAGE_ROLES or not inbox_reports(actor).filter(pk=report.pk).exists():
        raise Refused(f"Refused: this report is not in your inbox, so you may not {doing}.")


def _attach_report_flags(report: Report, case: Case) -> None:
    Flag.objects.filter(report=report, case__isnull=True).update(case=case)


def _withdraw_from_circles(actor, report: Report) -> None:
    """A case team has taken the report on: the listening circles' copy of its key goes, in the caller's
    transaction, so no facilitator can open it from now on, even holding the circles' key (docs/key-custody.md)."""
    if sealing.withdraw_from_circles(report):
        record(actor, "report.circles_key_withdrawn", report,
               reason="a case team took it on: the listening circles' copy of its key was deleted")


def do_open_case(*, actor, report: Report) -> Case:
    """Open a case from a report in the actor's inbox. A handler who opens it becomes its owner."""
    with atomic():
        _require_inbox(actor, report, "open a case from it")
        today = clock.today()
        opening = workflow.initial_stage()
        case = Case.objects.create(
            code=new_case_code(), handling_org=report.handling_org, handling_unit=actor.unit, route=report.route,
            state=opening, opened_on=today, came_to_attention_on=report.received_on,
            main_category=(report.categories or [""])[0], owner=actor if actor.role == Role.HANDLER else None)
        report.case = case
        report.save(update_fields=["case"])
        _withdraw_from_circles(actor, report)
        # The reporter's day only (no time of day is kept on reporter paths): the start of the day it arrived.
        StageEvent.objects.create(case=case, stage=opening, at=start_of_day(report.received_on), actor="reporter")
        if case.owner_id:
            Assignment.objects.create(case=case, role=AssignmentRole.OWNER, user=actor, person=actor.person,
                                      started_at=now())
        _attach_report_flags(report, case)
        refresh_due(case)
        record(actor, "case.open", case, reason=f"from report {report.public_id}")
    return case


def do_add_report_to_case(*, actor, report: Report, case: Case) -> Case:
    """Join a further report (same matter) to an existing case; the earliest report sets when it came to attention."""
    with atomic():
        _require_inbox(actor, report, "add it to a case")
        check(actor, case, "add_report")
        if report.route != case.route and not report.released_on:
            raise Refused("Refused: an independent-route report cannot join a force case until the overseer releases it.")
        report.case = case
        report.save(update_fields=["case"])
        _withdraw_from_circles(actor, report)
        if report.received_on < case.came_to_attention_on:
            case.came_to_attention_on = report.received_on
            case.save(update_fields=["came_to_attention_on"])
        _attach_report_flags(report, case)
        refresh_due(case)
        record(actor, "case.add_report", case, reason=f"report {report.public_id}")
    return case


def do_release_report(*, actor, report: Report, reasons: str, data_key: bytes | None = None) -> Report:
    """The overseer releases an independent-route report to the force, with reasons. With the report's data key
    (opened in the overseer's session) it is sealed to the force too, so the force can read it."""
    if not isinstance(actor, User) or actor.role != Role.OVERSEER:
        raise Refused("Refused: only the independent overseer may release an independent-route report.")
    if report.route != Route.INDEPENDENT:
        raise Refused("Refused: this report is on the force route already.")
    if report.released_on:
        raise Refused("Refused: this report was released already.")
    with pins.alerting_on_refusal(), atomic():
        reasons = require_reasons(reasons, "release a report to the force")
        force = sealing.force()
        report.released_on = clock.today()
        report.handling_org = force
        report.save(update_fields=["released_on", "handling_org"])
        if data_key is not None and not SealedKey.objects.filter(report=report, organisation=force).exists():
            sealing.seal_data_key(report, force, data_key).save()
        if report.case_id:
            Case.objects.filter(pk=report.case_id).update(handling_org=force)
        record(actor, "report.release", report, reason=reasons)
    return report


def _safety_net():
    from upstander.cases import safety_net

    return safety_net


def _flag_time(actor) -> datetime:
    """When a flag was raised: for a flag raised on the reporter's submission, the start of the day only, like
    everything else a reporter does (DESIGN.md rule 6); for staff, the moment."""
    if actor_of(actor).role == REPORTER_ROLE:
        return start_of_day(clock.today())
    return now()


def do_screen_narrative(*, actor, report: Report, narrative: str) -> list[str]:
    """Run the free-text safety net over a report's narrative. Flags more serious than the categories the reporter
    chose are kept on the report (and its case), for a handler to resolve with reasons. Returns the new flags.

    Called where the plain text exists: by the reporter side at submission, or by a handler who opened the report."""
    net = _safety_net()
    serious = net.more_serious_than(list(report.categories or []), net.flags_for(narrative))
    if not serious:
        return []
    with atomic():
        known = set(Flag.objects.filter(report=report).values_list("flag", flat=True))
        new = [f for f in serious if f not in known]
        stamp = _flag_time(actor)
        Flag.objects.bulk_create([
            Flag(case_id=report.case_id, report=report, flag=f, categories=list(report.categories or []), raised_at=stamp,
                 raised_by=label(actor)) for f in new])
        if new:
            record(actor, "report.flag", report, reason=", ".join(new))
    return new


# Linking mentions to the roster, with its separation check, is cases/linking.py's; re-exported for cases.actions.
from upstander.cases.linking import do_link_mention  # noqa: E402,F401

# --- the roster search ---------------------------------------------------------------------------------------------

# Words of rank and title that people type before a name ("Sgt Daniel Smith", "PC D Smith", "DC Smith", "Ch Insp
# Jones"): no one's name, so the roster search drops them. Each names the rank it stands for ("" for a title or a
# word such as "Detective" that names none); people of that rank are listed first. "Ch"/"Chief" before a rank makes
# it the chief rank. Kept here, beside the one search that uses them.
RANK_WORDS: dict[str, str] = {
    "pc": "Constable", "dc": "Constable", "wpc": "Constable", "cst": "Constable", "constable": "Constable",
    "ps": "Sergeant", "ds": "Sergeant", "sgt": "Sergeant", "sarge": "Sergeant", "sergeant": "Sergeant",
    "insp": "Inspector", "inspector": "Inspector", "di": "Inspector",
    "ci": "Chief Inspector", "dci": "Chief Inspector",
    "supt": "Superintendent", "superintendent": "Superintendent", "dsupt": "Superintendent",
    "ch": "", "chief": "", "det": "", "detective": "", "pcso": "", "officer": "",
    "mr": "", "mrs": "", "ms": "", "miss": "", "mx": "", "dr": "",
}
_CHIEF = {"Inspector": "Chief Inspector", "Superintendent": "Chief Superintendent"}


def split_rank_words(query: str) -> tuple[list[str], list[str]]:
    """The search terms of `query` with rank and title words taken out, and the ranks those words named."""
    terms, ranks, chief = [], [], False
    for raw in query.split():
        word = raw.strip(".,;:()\"'")
        key = word.lower()
        if not word:
            continue
        if key not in RANK_WORDS:
            terms.append(word)
            chief = False
            continue
        rank = RANK_WORDS[key]
        if rank:
            ranks.append(_CHIEF.get(rank, rank) if chief else rank)
        chief = key in ("ch", "chief")
    return terms, ranks


def _term_filter(term: str) -> Q:
    if any(c.isdigit() for c in term):
        return Q(number__iexact=term)
    if len(term) == 1:  # an initial: "PC D Smith"
        return Q(given_name__istartswith=term) | Q(known_as__istartswith=term)
    return (Q(given_name__icontains=term) | Q(family_name__icontains=term) | Q(known_as__icontains=term)
            | Q(unit__code__iexact=term) | Q(unit__name__icontains=term) | Q(team__name__icontains=term))


def search_roster(query: str, limit: int = 20) -> list[Person]:
    """Roster people by name, warrant or staff number, unit or team, ignoring ranks and titles ("Sgt Daniel Smith"
    finds Daniel Smith, sergeants first). Serving people come before those who have left."""
    terms, ranks = split_rank_words(query)
    terms = terms[:4]
    if not terms:
        return []
    people = Person.objects.select_related("unit", "team")
    for term in terms:
        people = people.filter(_term_filter(term))
    people = people.annotate(
        rank_first=DbCase(When(rank__in=ranks, then=Value(0)), default=Value(1), output_field=IntegerField()),
        serving_first=DbCase(When(left_on__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()))
    return list(people.order_by("rank_first", "serving_first", "family_name", "given_name", "number")[:limit])


def validate_categories(categories: list[str]) -> None:
    from upstander.lib.policy import category_keys

    unknown = set(categories) - set(category_keys())
    if unknown:
        raise ValidationError(f"Unknown categories: {sorted(unknown)}")
