"""Linking a subject mention (the subject as the reporter wrote them) to a person in the roster. One action, whoever
makes the link: a handler on the case or in triage (a confirmation, or "nobody in the roster matches"), or subject
resolution (insight/resolution.py: linked automatically, or a suggestion queued for a handler).

A firm link (FIRM_LINKS) makes the person the subject of the allegations made through the mention, and the case is
checked for separation at once: a victim must not be left working beside the colleague they accused, however the
colleague's name came to be matched. (Issue 15: resolution used to copy the linking step without the check.) A
suggestion only names a candidate; it changes no allegation, so there is nothing to check yet.
"""

from __future__ import annotations

from django.db import transaction

from upstander.accounts.permissions import MENTION_RESOLVERS, require_role
from upstander.audit.log import record
from upstander.cases import hooks
from upstander.cases.access import inbox_reports
from upstander.cases.choices import FIRM_LINKS, LinkStatus
from upstander.cases.models import Allegation, SubjectMention
from upstander.cases.permissions import Refused, check

# Who links on a case is the workflow policy's rule ([action.link_mention]); before there is a case, whoever has the
# report in their inbox.
# A handler's answer, and the resolver's.
BY_HANDLER = (LinkStatus.CONFIRMED, LinkStatus.REJECTED)
BY_RESOLVER = (LinkStatus.LINKED, LinkStatus.SUGGESTED)


def _require_linker(actor, mention: SubjectMention, status: str) -> None:
    if status in BY_RESOLVER:
        require_role(actor, MENTION_RESOLVERS, "link subjects to the roster automatically")
        return
    report = mention.report
    if report.case is not None:
        check(actor, report.case, "link_mention")  # policy/workflow.toml's [action.link_mention]
    elif not inbox_reports(actor).filter(pk=report.pk).exists():
        raise Refused("Refused: this report is not in your inbox, so you may not link people on it.")


def do_link_mention(*, actor, mention: SubjectMention, person=None, status: str | None = None,
                    probability: float | None = None) -> SubjectMention:
    """Link `mention` to `person` with `status`. A handler leaves `status` out: a person confirms the link, no
    person records that nobody in the roster matches. The resolver passes LINKED or SUGGESTED and its probability."""
    status = LinkStatus(status or (LinkStatus.CONFIRMED if person is not None else LinkStatus.REJECTED))
    if (person is None) != (status == LinkStatus.REJECTED):
        raise ValueError("a link names a person, and only a rejection names nobody")
    if status == LinkStatus.UNRESOLVED:
        raise ValueError("linking cannot undo a link")
    _require_linker(actor, mention, status)
    with transaction.atomic():
        mention.person, mention.link_status = person, status
        mention.match_probability = probability if status in BY_RESOLVER else None
        mention.save(update_fields=["person", "link_status", "match_probability"])
        if status in BY_RESOLVER:
            record(actor, "mention.resolve", mention, reason=f"{status} to {person.number} ({probability or 0:.3f})")
        else:
            record(actor, "mention.link", mention, reason=f"{status}" + (f" to {person.number}" if person else ""))
        case = mention.report.case
        if case is not None and status in FIRM_LINKS:
            # The person becomes the subject of the allegations made through this mention; now that the subject is
            # known, the case is checked again for separation.
            Allegation.objects.filter(mention=mention, subject__isnull=True).update(subject=person)
            hooks.check_separation(actor=actor, case=case)
    return mention
