"""The "live" dataset: the operational database's structured facts, in the common schema, extracted on each load.

Only structured fields are read — dates, categories, states, findings, outcomes, roster attributes, the optional
equality answers of reporters. Never a narrative, a message body, a statement, a name or a sealed identity: those
columns are not even selected. People are identified by their roster `public_id` (32 hex digits), cases by theirs.

The link from a staff reporter's report to their roster entry (ReporterLink, a protected table) is read so that
time to leaving and promotion after reporting can be computed; it stays in this process (the live dataset is never
written to disk) and only aggregates leave it.

Groups: ethnicity is the 2021 census high-level group ("White", "Black", …), sex its label ("Female", "Male");
"prefer not to say" is null, so it never forms a group of its own.

The tables are read with one SQL query each (through Django's connection, so SQLite and PostgreSQL alike) and
shaped with Polars: a 50,000-staff force has nearly a million HR events, and building a model instance or even a
tuple conversion per row would dominate the report's time.

Models are imported inside the functions that query them: the dataset loader imports this module when the command
line starts, before Django's app registry is ready (not to dodge an import cycle: this module imports no insight
module that imports it back).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from upstander.insight import stages
from upstander.insight.errors import DatasetError
from upstander.insight.schema import conform
from upstander.lib import clock

FINDINGS = {"substantiated": "substantiated", "not_substantiated": "not_substantiated", "unfounded": "unfounded",
            "exonerated": "exonerated", "withdrawn": "no_finding", "no_finding": "no_finding"}
DISMISSAL = ["dismissal", "would_have_been_dismissed"]


def _table(model: Any) -> str:
    return model._meta.db_table


def _select(*expressions: str) -> str:
    """SELECT with every column cast to text in SQL: both backends then hand over plain strings, with no per-value
    conversion in Python (date objects, UUIDs), and the frame parses them the same way."""
    return "SELECT " + ", ".join(f"CAST({e} AS TEXT)" for e in expressions) + " "


def _query(sql: str, columns: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows of one query (built with _select) as a frame with `columns` parsed to their types."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    frame = pl.DataFrame(rows or None, schema=dict.fromkeys(columns, pl.Utf8), orient="row")
    parsed = []
    for name, dtype in columns.items():
        column = pl.col(name)
        if name.endswith("_id") and dtype == pl.Utf8:
            parsed.append(column.str.replace_all("-", "").alias(name))  # one spelling of a UUID on both backends
        elif dtype == pl.Date:
            parsed.append(column.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False).alias(name))
        elif dtype == pl.Datetime:
            parsed.append(column.str.slice(0, 19).str.replace("T", " ")
                          .str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_zone="UTC").alias(name))
        elif dtype == pl.Boolean:
            parsed.append(column.is_in(["1", "True", "true", "t"]).alias(name))
        else:
            parsed.append(column.cast(dtype, strict=False).alias(name))
    return frame.select(parsed)


def _ethnic_group(column: str) -> pl.Expr:
    from upstander.people.choices import ETHNIC_GROUPS, PREFER_NOT

    prefix = pl.col(column).str.split("_").list.first()
    return (pl.when(pl.col(column).is_null() | (pl.col(column) == "") | (pl.col(column) == PREFER_NOT))
            .then(None).otherwise(prefix.replace_strict(ETHNIC_GROUPS, default=None)).alias(column))


def _sex(column: str) -> pl.Expr:
    from upstander.people.choices import Sex

    labels = {code: str(label) for code, label in Sex.choices if code != Sex.PREFER_NOT_TO_SAY}
    return pl.col(column).replace_strict(labels, default=None).alias(column)


def _people() -> pl.DataFrame:
    from upstander.people.models import Person, Unit

    frame = _query(_select("p.public_id", "p.kind", "p.sex", "p.ethnicity", "p.rank", "u.code", "p.birth_year", "p.joined_on",
                           "p.left_on", "p.leaving_reason") + f"FROM {_table(Person)} p LEFT JOIN {_table(Unit)} u "
                   f"ON u.id = p.unit_id",
                   {"person_id": pl.Utf8, "staff_kind": pl.Utf8, "sex": pl.Utf8, "ethnicity": pl.Utf8,
                    "rank": pl.Utf8, "unit": pl.Utf8, "birth_year": pl.Int32, "appointed_date": pl.Date,
                    "left_date": pl.Date, "left_reason": pl.Utf8})
    return frame.with_columns(_sex("sex"), _ethnic_group("ethnicity"), pl.col("left_reason").replace("", None),
                              pl.lit(True).alias("in_workforce"))


def _stage_events() -> pl.DataFrame:
    from upstander.cases.models import Case, Message, Report, StageEvent

    events = _query(_select("c.public_id", "s.stage", "s.at") + f"FROM {_table(StageEvent)} s "
                    f"JOIN {_table(Case)} c ON c.id = s.case_id",
                    {"complaint_id": pl.Utf8, "stage": pl.Utf8, "at": pl.Datetime})
    # Clocks count in the policy's local days (upstander.lib.clock), so the stage date is the local calendar day.
    events = events.select("complaint_id", "stage",
                           pl.col("at").dt.convert_time_zone(str(clock.zone())).dt.date().alias("date"))
    # A message sent to the reporter counts towards the feedback clock (policy/clocks.toml); its body is not read.
    messages = _query(_select("c.public_id", "m.sent_on") + f"FROM {_table(Message)} m "
                      f"JOIN {_table(Report)} r ON r.id = m.report_id JOIN {_table(Case)} c ON c.id = r.case_id "
                      f"WHERE m.direction = 'to_reporter'", {"complaint_id": pl.Utf8, "date": pl.Date})
    return pl.concat([events, messages.select("complaint_id", pl.lit("message").alias("stage"), "date")])


def _reports() -> pl.DataFrame:
    from upstander.cases.models import Case, Report, ReporterLink
    from upstander.people.models import Person

    return _query(_select("c.public_id", "r.reporter_type", "r.received_on", "r.incident_on", "r.reporter_sex",
                          "r.reporter_ethnicity", "p.public_id") + f"FROM {_table(Report)} r JOIN {_table(Case)} c "
                  f"ON c.id = r.case_id LEFT JOIN {_table(ReporterLink)} l ON l.report_id = r.id "
                  f"LEFT JOIN {_table(Person)} p ON p.id = l.person_id",
                  {"complaint_id": pl.Utf8, "reporter_type": pl.Utf8, "received_on": pl.Date,
                   "incident_on": pl.Date, "sex": pl.Utf8, "ethnicity": pl.Utf8, "person_id": pl.Utf8})


def _complaints(reports: pl.DataFrame) -> pl.DataFrame:
    from upstander.cases.models import Assignment, Case, Statement
    from upstander.people.models import Unit

    cases = _query(_select("c.id", "c.public_id", "c.came_to_attention_on", "c.opened_on", "c.closed_on",
                           "c.main_category", "u.code") + f"FROM {_table(Case)} c LEFT JOIN {_table(Unit)} u "
                   f"ON u.id = c.handling_unit_id",
                   {"pk": pl.Utf8, "complaint_id": pl.Utf8, "attention": pl.Date, "opened": pl.Date,
                    "closed_date": pl.Date, "category": pl.Utf8, "handling_unit": pl.Utf8})
    owners = _query(_select("case_id", "COUNT(*)") + f"FROM {_table(Assignment)} WHERE role = 'owner' "
                    f"GROUP BY case_id", {"pk": pl.Utf8, "owners": pl.Int32})
    # The first account, and every time the victim was asked to give it again.
    accounts = _query(_select("case_id", "SUM(CASE WHEN version = 1 OR asked_again THEN 1 ELSE 0 END)")
                      + f"FROM {_table(Statement)} GROUP BY case_id", {"pk": pl.Utf8, "accounts_taken": pl.Int32})
    per_case = reports.group_by("complaint_id").agg(
        pl.col("incident_on").min().alias("incident_date"),
        (pl.col("reporter_type") == "staff").any().alias("staff_reported"))
    return (cases.join(owners, on="pk", how="left").join(accounts, on="pk", how="left")
            .join(per_case, on="complaint_id", how="left")
            .with_columns(pl.coalesce("attention", "opened").alias("received_date"),
                          pl.when(pl.col("staff_reported").fill_null(False)).then(pl.lit("internal"))
                          .otherwise(pl.lit("public")).alias("source"),
                          (pl.col("owners") - 1).alias("handovers"), pl.col("category").replace("", None)))


def _allegations(events: pl.DataFrame) -> pl.DataFrame:
    from upstander.cases.choices import SANCTIONS
    from upstander.cases.models import Allegation, Case
    from upstander.people.models import Person

    frame = _query(_select("a.public_id", "c.public_id", "p.public_id", "a.category", "a.severity", "a.finding",
                           "a.outcome", "a.outcome_on") + f"FROM {_table(Allegation)} a JOIN {_table(Case)} c ON c.id = a.case_id "
                   f"LEFT JOIN {_table(Person)} p ON p.id = a.subject_id",
                   {"allegation_id": pl.Utf8, "complaint_id": pl.Utf8, "person_id": pl.Utf8, "category": pl.Utf8,
                    "severity": pl.Utf8, "finding": pl.Utf8, "outcome": pl.Utf8, "outcome_date": pl.Date})
    reached = events.group_by("complaint_id").agg(
        (pl.col("stage") == "investigation").any().alias("investigated"),
        (pl.col("stage") == "proceedings").any().alias("proceedings"))
    sanctions = [str(s) for s in SANCTIONS]
    outcome = pl.col("outcome").replace("", None)
    return frame.join(reached, on="complaint_id", how="left").with_columns(
        pl.col("category").alias("theme"),
        pl.when(pl.col("severity").is_in(["misconduct", "gross_misconduct"])).then(True)
        .when(pl.col("severity").is_in(["no_case", "pri"])).then(False).otherwise(None).alias("assessed_misconduct"),
        pl.col("investigated").fill_null(False), pl.col("proceedings").fill_null(False),
        pl.col("finding").replace_strict(FINDINGS, default=None),
        pl.when(outcome.is_in(sanctions)).then(outcome).otherwise(None).alias("sanction"),
        pl.when(outcome.is_null()).then(None).otherwise(outcome.is_in(sanctions)).alias("sanctioned"),
        pl.when(outcome.is_null()).then(None).otherwise(outcome.is_in(DISMISSAL)).alias("dismissed"))


def _hr_events() -> pl.DataFrame:
    from upstander.people.models import HREvent, Person, Unit

    frame = _query(_select("p.public_id", "h.kind", "h.occurred_on", "h.outcome", "u.code") + f"FROM {_table(HREvent)} h "
                   f"JOIN {_table(Person)} p ON p.id = h.person_id LEFT JOIN {_table(Unit)} u ON u.id = h.to_unit_id",
                   {"person_id": pl.Utf8, "kind": pl.Utf8, "date": pl.Date, "outcome": pl.Utf8, "unit": pl.Utf8})
    return frame.with_columns(pl.col("outcome").replace("", None))


def extract(today: dt.date | None = None) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """The live tables and meta. Refuses an empty database with a message saying what to do."""
    from upstander.cases.models import Case
    from upstander.people.models import Person

    if not Person.objects.exists() and not Case.objects.exists():
        raise DatasetError("the live database has no roster and no cases yet: import the roster "
                           "(`upstander people import`), generate a synthetic force (`upstander worldgen`) or use an "
                           "imported dataset (`--dataset NAME`)")
    events = _stage_events()
    reports = _reports()
    allegations = conform("allegations", _allegations(events))
    people = _people()
    complainants = reports.select("complaint_id", _sex("sex"), _ethnic_group("ethnicity"),
                                  (pl.col("reporter_type") == "staff").alias("is_staff"))
    reporters = reports.filter(pl.col("person_id").is_not_null()).select(
        "complaint_id", "person_id", pl.col("received_on").alias("reported_date"))
    tables = {
        "people": conform("people", people), "complaints": conform("complaints", _complaints(reports)),
        "complainants": conform("complainants", complainants), "allegations": allegations,
        "stage_events": conform("stage_events", events), "hr_events": conform("hr_events", _hr_events()),
        "reporters": conform("reporters", reporters), "witnesses": conform("witnesses", pl.DataFrame()),
    }
    meta = {
        "name": "live", "source": "live", "workforce_known": people.height > 0,
        "as_of": (today or clock.today()).isoformat(), "stages_available": stages.available(allegations),
        "recorded": {name: [c for c in frame.columns if frame[c].null_count() < frame.height]
                     for name, frame in tables.items()},
        "notes": ["The operational system's structured facts, as of the day of extraction.",
                  "Ethnicity is the 2021 census high-level group; 'prefer not to say' is not a group."],
    }
    return tables, meta
