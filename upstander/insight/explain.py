"""Plain words for the figures page: a one-line explanation of every column and chart, the few findings that stand
out (written as sentences), and dataset errors without the command lines and options written for the command line.

Every table on the page takes its column headers from COLUMNS, and the same entries give the "what the columns
mean" lines beside it, so a column cannot appear without its explanation.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from upstander.insight import stages as funnel
from upstander.insight.datasets import LIVE
from upstander.insight.disclosure import suppress_below
from upstander.insight.templatetags.insight_format import count, days, pct, ratio


@dataclass(frozen=True)
class Column:
    label: str
    help: str


INTERVAL = Column("95% interval", "The range the relative rate very probably lies in, given how many people it rests on; "
                              "when it does not include 1 the difference is unlikely to be chance (shown in bold).")
RELATIVE = Column("Relative rate", "How many times as likely this group is as the reference group; 1 means the same, "
                               "2 twice as likely, 0.5 half as likely.")
RATE = Column("Rate", "The first number divided by the second, as a percentage.")

COLUMNS: dict[str, list[Column]] = {
    "fairness": [
        Column("Stage", "The step of the misconduct process: first having an allegation recorded, then each step an "
                    "allegation can go on to reach."),
        Column("Group", "Staff grouped by the ethnicity or sex recorded for them; “reference” marks the group the "
                    "others are compared with."),
        Column("Reached / of", "For an allegation recorded: staff with at least one, out of all staff in the group. For "
                           "later stages: allegations that reached the stage, out of every allegation against the "
                           "group."),
        RATE, RELATIVE, INTERVAL,
    ],
    "complainants": [
        Column("Complainants", "Which way the complaints are grouped: by the complainant's sex or ethnicity, or by "
                           "whether the public or staff complained."),
        Column("Group", "The complainants' group; “reference” marks the group the others are compared with."),
        Column("Substantiated / of", "Complaints with at least one allegation found to be substantiated, out of every "
                                 "complaint from this group (open ones included)."),
        RATE, RELATIVE, INTERVAL,
        Column("Median days to close", "Half of this group's closed complaints took fewer days than this from receipt to "
                                   "closure, half took more."),
    ],
    "themes": [
        Column("Theme", "What the allegation was about, in the categories this dataset uses."),
        Column("Substantiated / of", "Allegations of this theme found to be substantiated, out of every allegation of "
                                 "the theme."),
        RATE,
        Column("Relative rate", "How many times as likely an allegation of this theme is to be substantiated as one of "
                            "any other theme; 1 means the same."),
        INTERVAL,
        Column("Median days to outcome", "Half of the finished allegations of this theme took fewer days than this to "
                                     "reach their outcome, half took more."),
    ],
    "leaving": [
        Column("Group", "Staff grouped by the ethnicity recorded for them; “reference” marks the group the others are "
                    "compared with."),
        Column("Left / in workforce", "Staff who left during the period, out of everyone in the group who worked here "
                                  "at some time in it."),
        RATE, RELATIVE, INTERVAL,
        Column("Per 1,000 person-years", "Leavers for every 1,000 years worked by the group: fairer than the rate when "
                                     "some people were here for only part of the period."),
    ],
    "promotion": [
        Column("Group", "Staff grouped by ethnicity, or by whether they had reported wrongdoing before the board."),
        Column("Not promoted / passed", "Staff who passed a promotion board but were not promoted within {days} days, "
                                    "out of all who passed (boards too recent to tell are left out)."),
        RATE, RELATIVE, INTERVAL,
    ],
    "stage_time": [
        Column("Stage", "A stage a complaint passes through, as this dataset records it."),
        Column("Completed stays", "How many times a complaint finished this stage and moved on."),
        Column("Median days", "Half of the completed stays were shorter than this, half longer."),
        Column("75th percentile", "Three in four completed stays were shorter than this."),
        Column("90th percentile", "Nine in ten completed stays were shorter than this."),
        Column("Still in it", "Complaints in this stage on the as-of date."),
    ],
    "source_time": [
        Column("Source", "Who complained: a member of the public, or a member of staff."),
        Column("Closed", "Complaints from this source closed by the as-of date."),
        Column("Median days", "Half of those closed took fewer days than this from receipt to closure, half took more."),
        Column("90th percentile", "Nine in ten of those closed took fewer days than this."),
        Column("Open over 12 months / open", "Complaints still open on the as-of date that were received more than a "
                                         "year before it, out of all still open."),
    ],
    "published": [
        Column("Published", "The day the report was made and signed."),
        Column("Dataset and window", "Which records the report counts: the dataset, and the dates complaints were "
                                 "received between."),
        Column("Signature", "Whether the files are still exactly what the force signed, checked now with the force's "
                        "public key, and whether the overseer has countersigned them."),
        Column("Made by", "The analyst who published it."),
    ],
}

FIGURES = {
    "relative_rates": "Each dot is how many times as likely a group is to reach a stage as the reference group; the "
                      "line through it is its 95% interval. A line that does not cross the dashed line at 1 is a "
                      "difference unlikely to be chance.",
    "funnel": "For each group, how many of every 1,000 allegations reach each later stage; each mark on the scale is "
              "ten times the one before, so small numbers stay visible.",
    "complainants": "Each dot is how many times as likely complaints from a group are to be substantiated as those "
                    "from its reference group; the line is its 95% interval, and 1 (dashed) means the same.",
    "themes": "The share of allegations of each theme that were substantiated, with how many out of how many.",
    "leaving": "The share of each group who left during the period, with how many out of how many.",
    "survival_after_accused": "Of staff accused of misconduct, the share still here each year afterwards, against "
                              "colleagues of the same rank and length of service who were not; the bands are 95% "
                              "intervals.",
    "survival_after_reporting": "Of staff who reported wrongdoing, the share still here each year afterwards, "
                                "against colleagues of the same rank and length of service who did not; the bands "
                                "are 95% intervals.",
    "promotion": "Of those who passed a promotion board, the share not promoted afterwards, by group.",
    "stage_time": "The median days complaints spend in each stage: half spend fewer days, half more.",
    "concentration": "The share of all allegations held by the 1%, 5% and 10% of accused staff with the most "
                     "allegations against them.",
}

STATS = {
    "hazard_after_accused": "How many times as likely, at any given moment, staff who were accused are to leave as "
                            "matched colleagues who were not; 1 means the same.",
    "hazard_after_reporting": "How many times as likely, at any given moment, staff who reported wrongdoing are to "
                              "leave as matched colleagues who did not; 1 means the same.",
    "median_close": "Half of the closed complaints took fewer days than this from receipt to closure, half took more.",
    "p90_close": "Nine in ten closed complaints took fewer days than this.",
    "open_12": "Complaints still open on the as-of date that were received more than a year before it, out of all "
               "still open.",
    "open_24": "The same, for complaints received more than two years before the as-of date.",
    "handovers": "How many times a case passed from one handler to another, on average; each handover can mean the "
                 "victim tells their story again.",
    "accounts": "How many times a victim was asked to give their account, on average.",
    "acknowledgement": "Complaints not acknowledged in the time allowed: acknowledged late, or still waiting on the "
                       "as-of date, out of all whose deadline had come.",
    "feedback": "Complaints whose complainant was not given feedback in the time allowed: given late, or still "
                "waiting on the as-of date, out of all whose deadline had come.",
    "subjects": "Different members of staff with at least one allegation against them in the period.",
    "coaccused": "Pairs of staff accused together on at least three (or five) different complaints.",
    "crews": "Groups of three or more staff repeatedly accused together, found by network analysis, and their share "
             "of all allegations and of the substantiated ones.",
    "witnesses": "Officers who were witnesses on three or more complaints against the same colleague.",
}


def columns(kind: str, **values: Any) -> list[Column]:
    return [Column(c.label, c.help.format(**values)) for c in COLUMNS[kind]]


# --- what stands out ------------------------------------------------------------------------------------------------

STAGE_PHRASES = {
    "allegation": "to have an allegation recorded against them",
    "assessed_misconduct": "to have an allegation assessed as misconduct or worse",
    "investigated": "to be investigated after an allegation",
    "substantiated": "to have an allegation substantiated (a case to answer)",
    "proceedings": "to face misconduct proceedings after an allegation",
    "sanction": "to be sanctioned after an allegation",
    "dismissal": "to be dismissed after an allegation",
}
NOT_A_GROUP = "(not recorded)"


def _fmt(value: float) -> str:
    return f"{value:.1f}" if value >= 1.05 else f"{value:.2f}"


def _likely(rr: float) -> str:
    """"1.8 times as likely as" / "40% less likely than"."""
    if rr >= 1:
        return f"{_fmt(rr)} times as likely as"
    return f"{round(100 * (1 - rr))}% less likely than"


def _interval(row: dict[str, Any]) -> str:
    return f"95% interval {_fmt(row['ci_low'])} to {_fmt(row['ci_high'])}"


def _group(label: Any) -> str:
    """A group as the dataset labels it, in sentence case where the dataset shouts ("BLACK" → "Black")."""
    text = str(label).replace("_", " ")
    return text.title() if text.isupper() else text


def _significant(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows whose difference from the reference is unlikely to be chance and rests on enough cases to say so: at
    least as many as a published report would show (policy/disclosure.toml), so two of two is not a finding."""
    enough = suppress_below()
    return [r for r in rows if r.get("significant") and not r.get("reference") and r.get("relative_rate")
            and r.get("ci_low") is not None and r.get("group") != NOT_A_GROUP
            and (r.get("numerator") or 0) >= enough]


def _strength(row: dict[str, Any]) -> float:
    """How far from 1 the difference surely is: the end of its interval nearer to 1 (a large ratio on a handful of
    cases, with a wide interval, ranks below a smaller one that is certain)."""
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is None or high is None:
        return 0.0
    return math.log(low) if low > 1 else -math.log(high) if high < 1 else 0.0


def fairness_findings(fair: dict[str, Any], limit: int = 3) -> list[str]:
    reference = fair.get("reference")
    found = sorted(_significant(fair.get("rates", [])), key=_strength, reverse=True)[:limit]
    return [f"{_group(r['group'])} staff were {_likely(r['relative_rate'])} {_group(reference)} staff "
            f"{STAGE_PHRASES.get(r['stage'], 'to reach ' + funnel.LABELS.get(r['stage'], r['stage']).lower())} "
            f"({_interval(r)})." for r in found]


def _complainant_findings(outcomes: dict[str, Any]) -> list[str]:
    said = []
    for key, noun in (("by_complainant_sex", "complainants"), ("by_complainant_ethnicity", "complainants")):
        section = outcomes.get(key, {})
        if section.get("missing"):
            continue
        for r in sorted(_significant(section.get("rows", [])), key=_strength, reverse=True)[:1]:
            said.append(f"Complaints from {_group(r['group'])} {noun} were {_likely(r['relative_rate'])} those from "
                        f"{_group(section['reference'])} {noun} to be substantiated ({_interval(r)}).")
    return said


def _career_findings(attrition: dict[str, Any]) -> list[str]:
    said = []
    leaving = attrition.get("leaving", {})
    if not leaving.get("missing"):
        for r in sorted(_significant(leaving.get("rows", [])), key=_strength, reverse=True)[:1]:
            said.append(f"{_group(r['group'])} staff were {_likely(r['relative_rate'])} {_group(leaving['reference'])} staff to "
                        f"leave during the period ({_interval(r)}).")
    reporting = attrition.get("after_reporting", {})
    cox = reporting.get("cox") if not reporting.get("missing") else None
    if cox and cox.get("significant") and cox.get("ci_low") is not None:
        said.append(f"Staff who reported wrongdoing were {_likely(cox['hazard_ratio'])} matched colleagues who had "
                    f"not to leave at any given moment afterwards ({_interval(cox)}).")
    promotion = attrition.get("promotion", {})
    if not promotion.get("missing"):
        for r in _significant(promotion.get("by_reporting") or [])[:1]:
            said.append(f"Staff who reported before a promotion board were {_likely(r['relative_rate'])} those who "
                        f"had not to pass it and still not be promoted ({_interval(r)}).")
    return said


def what_stands_out(result: dict[str, Any]) -> list[str]:
    """The few differences unlikely to be chance, largest first, as sentences."""
    return (fairness_findings(result["fairness"]) + _complainant_findings(result["outcomes"])
            + _career_findings(result["attrition"]))


# --- what was counted ------------------------------------------------------------------------------------------------

SOURCE_CHOICES = [("all", "All complaints"), ("public", "From the public"), ("internal", "From staff")]
LIVE_LABEL = "This system's own records"


def dataset_words(name: str) -> str:
    """The dataset as a sentence names it (mid-sentence: lower case)."""
    return LIVE_LABEL[:1].lower() + LIVE_LABEL[1:] if name == LIVE else f"the dataset “{name}”"


SOURCE_GROUPS = {"internal": "staff", "public": "the public"}


def window_words(date_from: dt.date | None, date_to: dt.date | None) -> str:
    """"received from 1 April 2020 to 31 March 2021", "received on any date"."""
    def day(value: dt.date) -> str:
        return f"{value.day} {value:%B %Y}"

    if date_from and date_to:
        return f"received from {day(date_from)} to {day(date_to)}"
    if date_from:
        return f"received from {day(date_from)} onwards"
    if date_to:
        return f"received up to {day(date_to)}"
    return "received on any date"


def source_words(source: str) -> str:
    return dict(SOURCE_CHOICES).get(source, source).lower()


# --- dataset errors ---------------------------------------------------------------------------------------------------

_EMPTY_LIVE = ("This system has no roster and no cases yet, so there is nothing to count. Choose an imported "
               "dataset, or ask an administrator to import the roster.")
WINDOW_WORDS = ("window", "dated only", "first date", "after the last")


def plain_error(message: str) -> str:
    """A dataset error in plain words: the message as written, without the command lines, options and import hints
    it carries for the command line's user."""
    if message.startswith("the live database has no roster"):
        return _EMPTY_LIVE
    text = message.split("; import one with", 1)[0]
    text = re.sub(r"--from (\S+) is after --to (\S+)", r"the first date (\1) is after the last (\2)", text)
    text = text.replace("(e.g. ", "(for example ")
    text = re.sub(r"\s*\([^()]*`[^()]*\)", "", text)  # a parenthesis that names a command
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"--([a-z][a-z-]*)", lambda m: m.group(1).replace("-", " "), text)
    text = text.strip().rstrip(".:;,") + "."
    return text[:1].upper() + text[1:]


def about_the_window(message: str) -> bool:
    """Whether a dataset error is about the dates chosen (shown against the date fields) rather than the dataset."""
    return any(word in message for word in WINDOW_WORDS)


# --- figures written out ----------------------------------------------------------------------------------------------


def _line(label: str, value: str, help_key: str | None = None, help_text: str = "") -> dict[str, str]:
    return {"label": label, "value": value, "help": STATS[help_key] if help_key else help_text}


def _ci(item: dict[str, Any]) -> str:
    low, high = item.get("ci_low"), item.get("ci_high")
    return "" if low is None or high is None else f" (95% interval {ratio(low)} to {ratio(high)})"


def _of(share: dict[str, Any]) -> str:
    return f"{count(share.get('numerator'))} of {count(share.get('denominator'))} ({pct(share.get('rate'))})"


def _missing(section: dict[str, Any], fallback: str) -> str:
    reason = section.get("missing_reason") or fallback
    return reason[:1].upper() + reason[1:].rstrip(".") + "."


def career_lines(attrition: dict[str, Any]) -> list[dict[str, str]]:
    lines = []
    for key, what in (("after_reporting", "reporting"), ("after_accused", "being accused")):
        section = attrition.get(key, {})
        cox = section.get("cox") if not section.get("missing") else None
        if cox:
            lines.append(_line(f"Leaving after {what}, against matched colleagues (hazard ratio)",
                               ratio(cox.get("hazard_ratio")) + _ci(cox), f"hazard_{key}"))
        else:
            lines.append(_line(f"Leaving after {what}", "Not available",
                               help_text=_missing(section, "this dataset cannot tell")))
    return lines


def timeliness_lines(doc: dict[str, Any]) -> list[dict[str, str]]:
    durations = doc["durations"]
    lines = []
    if not durations.get("missing"):
        close = durations["time_to_close"]
        lines += [
            _line("Median time to close", f"{days(close.get('median_days'))} days ({count(close.get('n'))} closed "
                                          f"complaints)", "median_close"),
            _line("90th percentile of time to close", f"{days(close.get('p90_days'))} days", "p90_close"),
            _line("Open and over 12 months old", _of(durations["open_over_12_months"]), "open_12"),
            _line("Open and over 2 years old", _of(durations["open_over_2_years"]), "open_24"),
        ]
    handovers, accounts, overdue = doc["handovers"], doc["accounts_per_victim"], doc["overdue"]
    if not handovers.get("missing"):
        lines.append(_line("Handovers per case (mean)", f"{ratio(handovers.get('mean'))}; two or more in "
                                                        f"{_of(handovers['two_or_more'])} cases", "handovers"))
    if not accounts.get("missing"):
        lines.append(_line("Accounts per victim (mean)", f"{ratio(accounts.get('mean'))}; asked again in "
                                                         f"{_of(accounts['asked_again'])} cases", "accounts"))
    if not overdue.get("missing"):
        lines.append(_line(f"Acknowledged late or still waiting (allowed: {overdue['acknowledge_within']})",
                           _of(overdue["acknowledgement"]["late_or_overdue"]), "acknowledgement"))
        lines.append(_line(f"Feedback late or still waiting (allowed: {overdue['feedback_within']})",
                           _of(overdue["feedback"]["late_or_overdue"]), "feedback"))
    return lines


def pattern_lines(found: dict[str, Any]) -> list[dict[str, str]]:
    pairs, crews, witnesses = found["coaccused_pairs"], found["crew_totals"], found["witness_pairs"]
    lines = [
        _line("Staff with at least one allegation", f"{count(found['subjects'])} people, "
                                                    f"{count(found['allegations'])} allegations", "subjects"),
        _line("Pairs accused together on 3 or more complaints (5 or more)",
              f"{count(pairs['ge3'])} ({count(pairs['ge5'])})", "coaccused"),
        _line("Crews", f"{count(crews['count'])} crews of {count(crews['people'])} people; "
                       f"{pct(crews['share_of_allegations'])} of allegations, "
                       f"{pct(crews['share_of_substantiated'])} of those substantiated", "crews"),
    ]
    if witnesses.get("missing"):
        lines.append(_line("Repeat witnesses", "Not known", help_text=_missing(witnesses, "not recorded")))
    else:
        lines.append(_line("Repeat witnesses (officer and colleague pairs)", count(witnesses.get("ge3")),
                           "witnesses"))
    return lines
