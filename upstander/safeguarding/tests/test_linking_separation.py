"""Linking a subject mention to the roster checks separation, however the link is made.

Regression (issue 15): subject resolution (insight/resolution.py) linked mentions by copying the linking step of
cases/triage.py without its separation check. A subject linked automatically was never checked for sharing a team
with the victim, so a victim could be left working beside the colleague she accused with no safeguarding task —
the failure the separation check exists to prevent — just because the subject's name was matched by the resolver
rather than by a handler.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from upstander.audit.log import Actor
from upstander.cases import actions as case_actions
from upstander.cases.choices import LinkStatus
from upstander.cases.hooks import separation_needed
from upstander.insight.resolution import do_resolve_mentions
from upstander.people.models import Person
from upstander.people.tests.roster import load_roster
from upstander.safeguarding.actions import on_separation_needed
from upstander.safeguarding.models import SafeguardingTask
from upstander.safeguarding.tests.helpers import staff_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlinked(cast):
    """PC Patel (1003) reports PC Rogers (1004), on her team; a handler opens the case and records the allegation
    before anyone has said who the subject is in the roster."""
    load_roster()
    handler = cast.users["handler_a"]
    report = staff_report(Person.objects.get(number="1003"), Person.objects.get(number="1004"))
    case = case_actions.do_open_case(actor=handler, report=report)
    mention = report.mentions.get()
    case_actions.do_add_allegation(actor=handler, case=case, category="sexual_misconduct", mention=mention)
    assert not SafeguardingTask.objects.exists()  # nobody to separate from yet
    return mention


def _pairs():
    return [(t.person.number, t.subject.number) for t in SafeguardingTask.objects.select_related("person", "subject")]


def test_an_automatically_linked_subject_who_shares_the_victims_team_raises_the_separation_task(unlinked):
    summary = do_resolve_mentions(actor=Actor.system("resolve"))
    unlinked.refresh_from_db()
    assert summary["linked"] == 1 and unlinked.link_status == LinkStatus.LINKED
    assert unlinked.person.number == "1004"
    assert _pairs() == [("1003", "1004")]


def test_a_manually_linked_subject_who_shares_the_victims_team_raises_the_separation_task(cast, unlinked):
    case_actions.do_link_mention(actor=cast.users["handler_a"], mention=unlinked,
                                 person=Person.objects.get(number="1004"))
    assert _pairs() == [("1003", "1004")]


def test_only_the_resolver_or_the_overseer_links_automatically(cast, unlinked):
    with pytest.raises(PermissionDenied):
        case_actions.do_link_mention(actor=cast.users["handler_a"], mention=unlinked,
                                     person=Person.objects.get(number="1004"), status=LinkStatus.LINKED,
                                     probability=0.99)
    unlinked.refresh_from_db()
    assert unlinked.link_status == LinkStatus.UNRESOLVED


def test_linking_fails_closed_when_no_separation_check_is_connected(cast, unlinked):
    """A deployment without the check must refuse to link rather than link without checking."""
    separation_needed.disconnect(dispatch_uid="upstander.safeguarding.separation")
    try:
        with pytest.raises(ImproperlyConfigured):
            case_actions.do_link_mention(actor=cast.users["handler_a"], mention=unlinked,
                                         person=Person.objects.get(number="1004"))
    finally:
        separation_needed.connect(on_separation_needed, dispatch_uid="upstander.safeguarding.separation")
    unlinked.refresh_from_db()
    assert unlinked.link_status == LinkStatus.UNRESOLVED  # the whole link rolled back
