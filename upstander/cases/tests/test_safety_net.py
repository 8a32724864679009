"""The narrative safety net: measured on the labelled narratives in data/narratives.tsv, and held to the behaviours the
requirement names (negation, denial, reported speech, jokes and remarks, typos and slang), the `triage` command and
which flags a chosen category leaves for a handler."""

from __future__ import annotations

import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from upstander.cases.safety_net import FLAGS, backstop_probability, explain, flags_for, more_serious_than
from upstander.cases.safety_net_data import backstop, train_backstop
from upstander.cases.triage_command import triage

DATA = Path(__file__).parent / "data" / "narratives.tsv"
SSO = "serious_sexual_offence"

# The floor each flag must keep on the whole set. The serious-sexual-offence floor is the requirement's; the others
# are set just under what the rules measure, so a change that loses ground fails here (figures: docs/safety-net.md).
FLOORS = {
    SSO: {"recall": 0.95, "precision": 0.80},
    "serious_violence": {"recall": 0.90, "precision": 0.90},
    "domestic_abuse": {"recall": 0.90, "precision": 0.90},
    "corruption": {"recall": 0.90, "precision": 0.90},
    "discrimination": {"recall": 0.90, "precision": 0.90},
    "self_harm": {"recall": 0.90, "precision": 0.90},
}


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()
PREDICTED = [set(flags_for(row["text"])) for row in ROWS]


def _precision_recall(flag: str, rows: list[dict[str, str]], predicted: list[set[str]]) -> tuple[float, float]:
    tp = sum(1 for r, p in zip(rows, predicted, strict=True) if r[flag] == "1" and flag in p)
    fp = sum(1 for r, p in zip(rows, predicted, strict=True) if r[flag] == "0" and flag in p)
    fn = sum(1 for r, p in zip(rows, predicted, strict=True) if r[flag] == "1" and flag not in p)
    return tp / (tp + fp), tp / (tp + fn)


def test_the_labelled_set_has_at_least_300_distinct_narratives_with_a_label_for_every_flag() -> None:
    assert len(ROWS) >= 300
    assert len({row["text"] for row in ROWS}) == len(ROWS)
    for row in ROWS:
        assert row["text"].strip()
        assert {row[flag] for flag in FLAGS} <= {"0", "1"}
    assert sum(row[SSO] == "1" for row in ROWS) >= 100
    assert sum(row[SSO] == "0" for row in ROWS) >= 100


@pytest.mark.parametrize("flag", FLAGS)
def test_each_flag_keeps_its_precision_and_recall_floor_on_the_labelled_set(flag: str) -> None:
    precision, recall = _precision_recall(flag, ROWS, PREDICTED)
    assert recall >= FLOORS[flag]["recall"], f"{flag} recall {recall:.3f}"
    assert precision >= FLOORS[flag]["precision"], f"{flag} precision {precision:.3f}"


@pytest.mark.parametrize("split", sorted({row["split"] for row in ROWS}))
def test_serious_sexual_offence_meets_the_requirement_on_every_split(split: str) -> None:
    chosen = [i for i, row in enumerate(ROWS) if row["split"] == split]
    precision, recall = _precision_recall(SSO, [ROWS[i] for i in chosen], [PREDICTED[i] for i in chosen])
    assert recall >= 0.95 and precision >= 0.80, f"{split}: precision {precision:.3f}, recall {recall:.3f}"


@pytest.mark.parametrize(("happened", "denied"), [
    ("He touched me.", "He did not touch me."),
    ("He touched me.", "He never touched me."),
    ("He raped me at the party.", "He didn't rape me at the party, he shouted at me."),
    ("I was sexually assaulted by the sergeant.", "I was not sexually assaulted by the sergeant."),
    ("He groped her in the lift.", "I deny that I groped her in the lift."),
    ("He grabbed my breasts.", "At no point did he grab my breasts."),
    ("Something sexual happened and he forced me.", "Nothing sexual happened and nobody forced me."),
    ("He has raped a colleague.", "He has been falsely accused of raping a colleague."),
    ("The sergeant sexually assaulted a prisoner.", "The allegation that the sergeant sexually assaulted a prisoner "
                                                    "was found to be false."),
    ("she says he touched her up", "she says he never touched her up"),
])
def test_a_denial_or_negation_clears_what_the_plain_statement_flags(happened: str, denied: str) -> None:
    assert SSO in flags_for(happened)
    assert SSO not in flags_for(denied)


@pytest.mark.parametrize("text", [
    "I didn't consent to any of it, he had sex with me anyway.",
    "He had sex with me without my consent.",
    "I said no but he raped me.",
    "I did not want him to touch me but he did.",
    "I never told anyone that he raped me.",
    "Nobody believed me when I said he groped me.",
    "He didn't stop when I told him to stop, he kept going.",
    "He didn't just touch my arm, he grabbed my breast.",
])
def test_a_refusal_of_consent_is_not_read_as_a_denial(text: str) -> None:
    assert SSO in flags_for(text)


@pytest.mark.parametrize("text", [
    "She told me that he forced himself on her.",
    "My friend says the inspector raped her at a conference.",
    "A colleague disclosed that he had fondled her at the Christmas party.",
    "He bragged to the team that he had groped a prisoner.",
])
def test_an_offence_told_second_hand_is_flagged(text: str) -> None:
    assert SSO in flags_for(text)


@pytest.mark.parametrize("text", [
    "he rapped me in the van",
    "he sexualy assualted me",
    "the sarge grpoed me",
    "he touchd me up at the do",
    "he r@ped her",
    "He SA'd me after the party.",
    "He felt me up in the car.",
    "He had his way with me while I was passed out.",
    "He spiked my drink and I woke up in his flat.",
    "He fingered me while I was too drunk to move.",
    "He had sex with a 15 year old girl.",
    "He would drop the charges if I slept with him.",
    "He bent me over the desk and I couldn't stop him.",
    "His hand went straight for my crotch the second the door shut.",
    "My daughter is 15. He met up with her and they had sex in his car.",
    "He grinded on me at the bar and I kept trying to move away.",
    "He put his hand over my mouth and tried to get my jeans off.",
    "Next thing I know he's on top of me and I can't move my arms.",
])
def test_typos_slang_and_coercion_are_caught(text: str) -> None:
    assert SSO in flags_for(text)


@pytest.mark.parametrize("text", [
    "He made a joke about rape in the canteen.",
    "He sent me sexual messages late at night.",
    "He stood too close and commented on my body.",
    "He took a photo up my skirt on the escalator.",
    "He said he'd like to touch her up but never did anything.",
    "He rapped on the door for ten minutes.",
    "He touched my arm to get my attention.",
    "We had sexual assault awareness training today.",
    "Two officers were caught having consensual sex in a patrol car on duty.",
    "If he ever tried to touch me I would report him.",
    "I felt like he was undressing me with his eyes.",
    "We had a two-day course on handling rape disclosures.",
    "The custody sergeant and a detention officer had sex on their break. Both consenting adults, but on duty.",
    "He said women who get raped on nights out are asking for it.",
    "I'm a sex worker and an officer keeps photographing my clients.",
])
def test_non_contact_remarks_jokes_and_near_misses_are_not_flagged(text: str) -> None:
    assert SSO not in flags_for(text)


def test_sex_demanded_for_a_favour_is_both_a_sexual_offence_and_corruption() -> None:
    flags = flags_for("He offered to let her off the charge in exchange for sexual favours.")
    assert flags[:1] == [SSO] and "corruption" in flags


def test_flags_come_in_a_fixed_order_each_once_with_a_reason_for_each() -> None:
    text = ("My husband is an officer; he raped me, he strangled me until I passed out, and I've thought about "
            "killing myself. He also calls my friend a paki and takes bribes.")
    flags = flags_for(text)
    assert flags == list(FLAGS)
    assert {hit.flag for hit in explain(text)} == set(FLAGS)
    assert flags_for("") == [] and flags_for("I'd like to complain about a parking ticket.") == []


@pytest.mark.parametrize(("categories", "flags", "left"), [
    (["bullying"], [SSO], [SSO]),
    (["sexual_assault"], [SSO], []),
    (["abuse_of_position_sexual"], [SSO, "corruption"], ["corruption"]),
    (["sexual_misconduct"], [SSO], [SSO]),
    (["violence", "domestic_abuse"], ["serious_violence", "domestic_abuse"], []),
    (["racism"], ["discrimination"], []),
    (["disability_discrimination"], ["discrimination"], []),
    (["other"], ["discrimination", "corruption"], ["corruption", "discrimination"]),
    (["violence", "sexual_assault", "domestic_abuse", "corruption", "misogyny"], list(FLAGS), ["self_harm"]),
    ([], [], []),
])
def test_more_serious_than_leaves_the_flags_no_chosen_category_covers(categories, flags, left) -> None:
    assert more_serious_than(categories, flags) == left


def test_the_triage_command_prints_one_object_per_input_line_in_order() -> None:
    lines = ["He touched me.", "", "He did not touch me.", "He took bribes from a dealer.", "I want to end it all."]
    result = CliRunner().invoke(triage, ["--json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    objects = json.loads(result.stdout)
    assert [o["line"] for o in objects] == [1, 2, 3, 4, 5]
    assert [o["flags"] for o in objects] == [[SSO], [], [], ["corruption"], ["self_harm"]]
    assert objects[0]["reasons"][0]["flag"] == SSO


def test_the_triage_command_reports_flags_not_covered_by_the_chosen_categories() -> None:
    narrative = "I reported it as bullying but he raped me after the party."
    result = CliRunner().invoke(triage, ["--json", "--category", "bullying"], input=narrative + "\n")
    assert json.loads(result.stdout)[0]["more_serious_than"] == [SSO]
    plain = CliRunner().invoke(triage, ["--category", "sexual_assault"], input=narrative + "\n")
    assert plain.exit_code == 0 and "line 1: serious_sexual_offence" in plain.stdout
    assert "not covered" not in plain.stdout


def test_the_triage_command_loads_without_django_or_a_database() -> None:
    probe = ("import sys, upstander.cases.triage_command as t; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'torch', 'sklearn'}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[3], env={"PATH": "/usr/bin:/bin"})
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("text", [
    "I woke up and he was doing it to me.",
    "He used me while I was passed out.",
    "He had me in the back of the car while I was sobbing.",
])
def test_the_learned_backstop_catches_an_act_no_rule_names_and_says_so(text: str) -> None:
    hits = [hit for hit in explain(text) if hit.flag == SSO]
    assert [hit.rule for hit in hits] == ["learned backstop"]
    assert hits[0].words.startswith("p=") and float(hits[0].words[2:6]) >= backstop.THRESHOLD


@pytest.mark.parametrize("text", ["He never raped me.", "He did not touch me at all.", "He made a joke about rape."])
def test_the_backstop_is_silent_where_the_rules_find_a_denial_or_a_joke(text: str) -> None:
    assert backstop_probability(text) == 0.0
    assert SSO not in flags_for(text)


def test_a_denial_silences_the_backstop_only_in_its_own_sentence() -> None:
    assert SSO in flags_for("He never raped me. He had me in the back of the car while I was sobbing.")


def test_a_long_statement_is_read_in_short_windows_so_one_sentence_about_the_act_is_not_diluted() -> None:
    statement = ("I want to tell you about the summer barbecue at the training centre in 2021. Most of the relief were "
                 "there and the weather was good. I had two or three drinks and talked to people from other shifts. "
                 "Later people drifted off home. He offered me a lift because he said he had not been drinking. He had "
                 "me in the back of the car while I was sobbing. I went to work the next day and said nothing because "
                 "he is well liked and I was on probation. I have struggled ever since and I am now off sick.")
    assert SSO in flags_for(statement)


def test_the_shipped_backstop_matches_scikit_learn_and_was_trained_on_the_labels_as_they_are() -> None:
    with gzip.open(backstop.MODEL_PATH, "rt", encoding="utf-8") as handle:
        model = json.load(handle)
    assert train_backstop.check(model) < 1e-4
    trained = [row for row in ROWS if row["split"] in model["trained_on"]["splits"]]
    assert train_backstop.digest(trained) == model["trained_on"]["sha256"], \
        "labels changed since training: .venv/bin/python -m upstander.cases.safety_net_data.train_backstop"
