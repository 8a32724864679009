"""Subject resolution: mentions read as written, the decision rule, and on a synthetic force the generator's
unresolved mentions linked through the audited action and scored against its truth file."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied

from upstander.audit.log import Actor
from upstander.audit.models import AuditEvent
from upstander.cases.choices import LinkStatus
from upstander.cases.models import Allegation, SubjectMention
from upstander.insight.resolution import (
    Thresholds,
    canonical_rank,
    decide,
    do_resolve_mentions,
    mention_records,
)
from upstander.worldgen.generate import generate


def test_mentions_are_read_as_written_names_numbers_and_ranks():
    mentions = pl.DataFrame([
        {"mention_id": "a", "name": "R. Howard", "number": " 303 172 ", "unit": "Brackley Green BCU", "rank": "Sgt",
         "on": date(2025, 1, 1)},
        {"mention_id": "b", "name": "Howard", "number": "", "unit": "", "rank": "DC", "on": date(2025, 1, 1)},
        {"mention_id": "c", "name": "", "number": "S7922289", "unit": "CID Team 7, Ashcombe", "rank": "",
         "on": None},
    ])
    records = {r["unique_id"]: r for r in mention_records(mentions).iter_rows(named=True)}
    assert (records["a"]["given"], records["a"]["family"], records["a"]["number"], records["a"]["rank"]) == (
        "r", "howard", "303172", "sergeant")
    assert (records["b"]["given"], records["b"]["family"], records["b"]["number"], records["b"]["rank"]) == (
        None, "howard", None, "constable")
    assert (records["c"]["family"], records["c"]["number"], records["c"]["unit_text"]) == (
        None, "S7922289", "cid team 7, ashcombe")
    assert canonical_rank("Ch Supt") == "chief superintendent" and canonical_rank("") is None


def test_a_link_needs_a_high_score_and_no_close_runner_up_and_the_rest_is_queued_or_left():
    scores = pl.DataFrame({"mention_id": ["sure", "twins", "weak", "faint"], "person_id": ["p1", "p2", "p3", "p4"],
                           "probability": [0.97, 0.9, 0.3, 0.05], "runner_up": [0.01, 0.9, 0.0, 0.0],
                           "runner_up_id": [None, "p5", None, None]})
    decided = dict(decide(scores, Thresholds(link_at=0.5, runner_up_below=0.1, suggest_at=0.1)).select(
        "mention_id", "decision").iter_rows())
    assert decided == {"sure": "linked", "twins": "suggested", "weak": "suggested", "faint": "unresolved"}


@pytest.fixture
def world(db):
    return generate(600, 2, 11, progress=False)


def test_the_generators_unresolved_mentions_are_linked_to_their_true_people(world):
    unresolved = set(SubjectMention.objects.filter(link_status=LinkStatus.UNRESOLVED).values_list("public_id",
                                                                                                    flat=True))
    confirmed = dict(SubjectMention.objects.filter(link_status=LinkStatus.CONFIRMED).values_list("pk", "person_id"))
    events_before = AuditEvent.objects.count()
    summary = do_resolve_mentions(actor=Actor.system("resolve"))
    assert summary["considered"] == len(unresolved) > 0

    linked = SubjectMention.objects.filter(link_status=LinkStatus.LINKED).select_related("person")
    suggested = SubjectMention.objects.filter(link_status=LinkStatus.SUGGESTED).select_related("person")
    assert linked.count() == summary["linked"] > 0 and suggested.count() == summary["suggested"]
    truth = world["mentions"]
    assert all(truth[str(m.public_id)] == m.person.number for m in linked)  # no wrong automatic link
    right = sum(truth[str(m.public_id)] == m.person.number for m in suggested)
    assert (summary["linked"] + right) / len(unresolved) >= 0.75
    assert {m.public_id for m in linked} | {m.public_id for m in suggested} <= unresolved
    assert dict(SubjectMention.objects.filter(pk__in=confirmed).values_list("pk", "person_id")) == confirmed
    for mention in linked:
        assert not Allegation.objects.filter(mention=mention).exclude(subject=mention.person).exists()
    assert AuditEvent.objects.count() - events_before == summary["linked"] + summary["suggested"]
    assert AuditEvent.objects.filter(action="mention.resolve", actor="system:resolve").exists()


def test_a_dry_run_changes_nothing_and_only_the_overseer_or_a_system_actor_may_resolve(world, cast):
    before = list(SubjectMention.objects.order_by("pk").values_list("link_status", "person_id"))
    assert do_resolve_mentions(actor=cast.users["overseer"], dry_run=True)["dry_run"] is True
    assert list(SubjectMention.objects.order_by("pk").values_list("link_status", "person_id")) == before
    with pytest.raises(PermissionDenied):
        do_resolve_mentions(actor=cast.users["analyst"])
