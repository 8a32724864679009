"""Subject resolution: mentions read as written, the decision rule, one person per mention, and on a synthetic force
the generator's unresolved mentions linked through the audited action and scored against its truth file."""

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
    database_frames,
    decide,
    do_resolve_mentions,
    mention_records,
    resolve_frames,
    sound_key,
)
from upstander.worldgen.build import build_world
from upstander.worldgen.config import WorldConfig
from upstander.worldgen.generate import generate


def test_mentions_are_read_as_written_names_numbers_ranks_nicknames_and_units():
    roster = pl.DataFrame({"unit_name": ["brackley green", "ashcombe", "ashcombe"],
                           "team_name": ["response team a", "cid team 7", "response team a"],
                           "family": ["howard", "howard", "okafor"]})
    mentions = pl.DataFrame([
        {"mention_id": "a", "name": "Bob Howard", "number": " 303 172 ", "unit": "Brackley Green BCU", "rank": "Sgt",
         "on": date(2025, 1, 1)},
        {"mention_id": "b", "name": "Howerd", "number": "", "unit": "", "rank": "DC", "on": date(2025, 1, 1)},
        {"mention_id": "c", "name": "", "number": "S7922289", "unit": "CID Team 7, Ashcombe", "rank": "", "on": None},
    ])
    records = {r["unique_id"]: r for r in mention_records(mentions, roster).iter_rows(named=True)}
    a, b, c = records["a"], records["b"], records["c"]
    assert (a["given"], a["given_forms"], a["family"], a["number"], a["rank"]) == (
        "bob", ["bob", "robert"], "howard", "303172", "sergeant")
    assert (a["unit_name"], a["team_name"], a["family_known"]) == ("brackley green", None, True)
    assert (b["given"], b["family"], b["family_known"], b["number"], b["rank"]) == (None, "howerd", False, None,
                                                                                     "constable")
    assert (c["family"], c["number"], c["unit_name"], c["team_name"]) == (None, "S7922289", "ashcombe", "cid team 7")
    assert canonical_rank("Ch Supt") == "chief superintendent" and canonical_rank("Band C") == "staff"
    assert canonical_rank("") is None


def test_family_names_that_sound_alike_share_a_sound_key():
    for one, other in (("Phillips", "Fillips"), ("McKenzie", "Mackenzie"), ("Thomson", "Tomson"), ("Smyth", "Smith"),
                       ("Howard", "Howward")):
        assert sound_key(one) == sound_key(other), (one, other)
    assert sound_key("Okafor") != sound_key("Howard")


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


def test_a_mention_names_one_person_so_a_twin_on_the_roster_turns_a_link_into_a_question(world):
    mentions, roster, people = database_frames()
    truth = world["mentions"]
    # A mention written with the full name, right number and unit, of someone alone on the roster with that name.
    people = people.with_columns((pl.col("given") + " " + pl.col("family")).alias("name"))
    alone_with_name = people.filter(pl.col("name").is_unique())
    written = mentions.drop("person_id").join(alone_with_name.select("name", "number", "person_id"),
                                              on=["name", "number"])
    pick = written.filter(pl.col("unit") != "").row(0, named=True)
    person = pick["person_id"]
    assert truth[pick["mention_id"]] == pick["number"]
    todo = mentions.with_columns(pl.when(pl.col("mention_id") == pick["mention_id"]).then(pl.lit("unresolved"))
                                 .when(pl.col("status") == "confirmed").then(pl.col("status"))
                                 .otherwise(pl.lit("set aside")).alias("status"))
    written_without_number = todo.with_columns(
        pl.when(pl.col("mention_id") == pick["mention_id"]).then(pl.lit("")).otherwise(pl.col("number")).alias("number"))
    alone = resolve_frames(written_without_number, roster).row(0, named=True)
    assert (alone["person_id"], alone["decision"]) == (person, "linked")

    twin = roster.filter(pl.col("person_id") == person).with_columns(
        pl.lit("twin").alias("person_id"), (pl.col("unique_id") + "-twin").alias("unique_id"), pl.lit("999999").alias("number"))
    with_twin = resolve_frames(written_without_number, pl.concat([roster, twin])).row(0, named=True)
    assert with_twin["decision"] == "suggested" and with_twin["probability"] <= 0.5
    assert {with_twin["person_id"], with_twin["runner_up_id"]} == {person, "twin"}
    numbered = resolve_frames(todo, pl.concat([roster, twin])).row(0, named=True)  # the number tells them apart
    assert (numbered["person_id"], numbered["decision"]) == (person, "linked")


def test_heavy_mention_noise_keeps_the_world_and_adds_slips_to_how_subjects_are_named():
    orgs = {"force": 1, "overseer": 2, "custodians": 3}
    default, _ = build_world(WorldConfig(staff=300, years=3, seed=5), {}, orgs)
    heavy, _ = build_world(WorldConfig(staff=300, years=3, seed=5, mention_noise="heavy"), {}, orgs)
    assert [p.public_id for p in default.people] == [p.public_id for p in heavy.people]
    assert default.rows["case"] == heavy.rows["case"] and default.rows["report"] == heavy.rows["report"]
    pairs = list(zip(default.rows["mention"], heavy.rows["mention"], strict=True))
    assert all(d[:3] == h[:3] and d[7:] == h[7:] for d, h in pairs)  # same mentions, people and link status
    changed = sum(d[3:7] != h[3:7] for d, h in pairs)
    assert 0.3 * len(pairs) < changed < len(pairs)
    with pytest.raises(ValueError):
        WorldConfig(staff=300, years=3, seed=5, mention_noise="loud")
