"""The "live" dataset: the operational database's structured facts, in the common schema, extracted on each load.

Only structured fields are read — dates, categories, states, findings, outcomes, roster attributes, the optional
equality answers of reporters. Never a narrative, a message body, a statement, a name or a sealed identity: those
columns are not even selected. People are identified by their roster `public_id`, cases by theirs.

The link from a staff reporter's report to their roster entry (ReporterLink, a protected table) is read so that
time-to-leaving after reporting can be computed; it stays in this process (the live dataset is never written to
disk) and only aggregates leave it.

Groups: ethnicity is the 2021 census high-level group ("White", "Black", …), sex its label ("Female", "Male");
"prefer not to say" is null, so it never forms a group of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import polars as pl

from upstander.insight import stages
from upstander.insight.datasets import DatasetError
from upstander.insight.schema import conform

ASSESSED_MISCONDUCT = {"misconduct", "gross_misconduct"}
ASSESSED_NOT = {"no_case", "pri"}
FINDINGS = {"substantiated": "substantiated", "not_substantiated": "not_substantiated", "unfounded": "unfounded",
            "exonerated": "exonerated", "withdrawn": "no_finding", "no_finding": "no_finding"}
DISMISSAL = {"dismissal", "would_have_been_dismissed"}


def _ethnicity(code: str | None) -> str | None:
    from upstander.people.choices import ethnic_group

    return ethnic_group(code) if code else None


def _sex(code: str | None) -> str | None:
    from upstander.people.choices import PREFER_NOT, Sex

    if not code or code == PREFER_NOT:
        return None
    return str(dict(Sex.choices).get(code, code))


def _people() -> pl.DataFrame:
    from upstander.people.models import Person

    rows = Person.objects.values_list("public_id", "kind", "sex", "ethnicity", "rank", "unit__code", "birth_year",
                                      "joined_on", "left_on", "leaving_reason")
    return pl.DataFrame([{
        "person_id": str(pid), "staff_kind": kind, "sex": _sex(sex), "ethnicity": _ethnicity(ethnicity),
        "rank": rank, "unit": unit, "birth_year": birth_year, "appointed_date": joined, "left_date": left,
        "left_reason": reason or None, "in_workforce": True,
    } for pid, kind, sex, ethnicity, rank, unit, birth_year, joined, left, reason in rows.iterator()],
        infer_schema_length=None)


def _stage_events() -> tuple[pl.DataFrame, dict[int, set[str]]]:
    from upstander.cases.clocks import local_date
    from upstander.cases.models import Message, StageEvent

    rows, reached = [], defaultdict(set)
    for case_pk, case_id, stage, at in StageEvent.objects.values_list("case_id", "case__public_id", "stage",
                                                                      "at").iterator():
        rows.append({"complaint_id": str(case_id), "stage": stage, "date": local_date(at)})
        reached[case_pk].add(stage)
    # A message sent to the reporter counts towards the feedback clock (policy/clocks.toml); its body is not read.
    for case_id, sent_on in Message.objects.filter(direction="to_reporter", report__case__isnull=False) \
            .values_list("report__case__public_id", "sent_on").iterator():
        rows.append({"complaint_id": str(case_id), "stage": "message", "date": sent_on})
    return pl.DataFrame(rows, schema={"complaint_id": pl.Utf8, "stage": pl.Utf8, "date": pl.Date}), reached


def _complaints(reached: dict[int, set[str]]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    from upstander.cases.models import Assignment, Case, Report, ReporterLink, Statement

    owners = Counter(Assignment.objects.filter(role="owner").values_list("case_id", flat=True).iterator())
    accounts: Counter[int] = Counter()
    for case_pk, version, asked_again in Statement.objects.values_list("case_id", "version", "asked_again"):
        accounts[case_pk] += 1 if version == 1 or asked_again else 0
    reports: dict[int, list[tuple]] = defaultdict(list)
    complainants, reporters = [], []
    links = dict(ReporterLink.objects.values_list("report_id", "person__public_id"))
    for report_pk, case_pk, case_id, reporter_type, received, incident, sex, ethnicity in Report.objects.filter(
            case__isnull=False).values_list("pk", "case_id", "case__public_id", "reporter_type", "received_on",
                                            "incident_on", "reporter_sex", "reporter_ethnicity").iterator():
        reports[case_pk].append((reporter_type, received, incident))
        complainants.append({"complaint_id": str(case_id), "sex": _sex(sex), "ethnicity": _ethnicity(ethnicity),
                             "is_staff": reporter_type == "staff"})
        if report_pk in links:
            reporters.append({"complaint_id": str(case_id), "person_id": str(links[report_pk]),
                              "reported_date": received})
    rows = []
    for pk, case_id, attention, opened, closed, category, unit in Case.objects.values_list(
            "pk", "public_id", "came_to_attention_on", "opened_on", "closed_on", "main_category",
            "handling_unit__code").iterator():
        case_reports = reports.get(pk, [])
        incidents = [incident for _, _, incident in case_reports if incident]
        rows.append({
            "complaint_id": str(case_id), "received_date": attention or opened,
            "incident_date": min(incidents) if incidents else None, "closed_date": closed,
            "source": "internal" if any(kind == "staff" for kind, _, _ in case_reports) else "public",
            "category": category or None, "handling_unit": unit,
            "handovers": owners[pk] - 1 if owners.get(pk) else None,
            "accounts_taken": accounts[pk] if pk in accounts else None,
        })
    return (pl.DataFrame(rows, infer_schema_length=None), pl.DataFrame(complainants, infer_schema_length=None),
            pl.DataFrame(reporters, infer_schema_length=None))


def _allegations(reached: dict[int, set[str]]) -> pl.DataFrame:
    from upstander.cases.choices import SANCTIONS
    from upstander.cases.models import Allegation

    sanctions = {str(s) for s in SANCTIONS}
    rows = []
    for aid, case_pk, case_id, subject, category, severity, finding, outcome, outcome_on in \
            Allegation.objects.values_list("public_id", "case_id", "case__public_id", "subject__public_id",
                                           "category", "severity", "finding", "outcome", "outcome_on").iterator():
        case_stages = reached.get(case_pk, set())
        rows.append({
            "allegation_id": str(aid), "complaint_id": str(case_id), "person_id": str(subject) if subject else None,
            "category": category, "theme": category,
            "assessed_misconduct": True if severity in ASSESSED_MISCONDUCT else False if severity in ASSESSED_NOT
            else None,
            "investigated": "investigation" in case_stages, "finding": FINDINGS.get(finding),
            "proceedings": "proceedings" in case_stages,
            "sanction": outcome if outcome in sanctions else None,
            "sanctioned": (outcome in sanctions) if outcome else None,
            "dismissed": (outcome in DISMISSAL) if outcome else None, "outcome_date": outcome_on,
        })
    return pl.DataFrame(rows, infer_schema_length=None)


def _hr_events() -> pl.DataFrame:
    from upstander.people.models import HREvent

    rows = HREvent.objects.values_list("person__public_id", "kind", "occurred_on", "outcome", "to_unit__code")
    return pl.DataFrame([{"person_id": str(pid), "kind": kind, "date": on, "outcome": outcome or None, "unit": unit}
                         for pid, kind, on, outcome, unit in rows.iterator()], infer_schema_length=None)


def extract(today: dt.date | None = None) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """The live tables and meta. Refuses an empty database with a message saying what to do."""
    from upstander.cases.models import Case
    from upstander.people.models import Person

    if not Person.objects.exists() and not Case.objects.exists():
        raise DatasetError("the live database has no roster and no cases yet: import the roster "
                           "(`upstander people import`), generate a synthetic force (`upstander worldgen`) or use an "
                           "imported dataset (`--dataset NAME`)")
    stage_events, reached = _stage_events()
    complaints, complainants, reporters = _complaints(reached)
    allegations = conform("allegations", _allegations(reached))
    people = _people()
    tables = {
        "people": conform("people", people), "complaints": conform("complaints", complaints),
        "complainants": conform("complainants", complainants), "allegations": allegations,
        "stage_events": conform("stage_events", stage_events), "hr_events": conform("hr_events", _hr_events()),
        "reporters": conform("reporters", reporters), "witnesses": conform("witnesses", pl.DataFrame()),
    }
    meta = {
        "name": "live", "source": "live", "workforce_known": people.height > 0,
        "as_of": (today or dt.date.today()).isoformat(), "stages_available": stages.available(allegations),
        "notes": ["The operational system's structured facts, as of the day of extraction.",
                  "Ethnicity is the 2021 census high-level group; 'prefer not to say' is not a group."],
    }
    return tables, meta
