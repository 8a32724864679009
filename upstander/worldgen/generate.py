"""generate(): build a synthetic force in memory, then write it in one transaction.

Recovery from an interrupted run: the whole world is written in a single transaction, ending with a
`worldgen.complete` audit event. A run that is killed part-way leaves nothing behind (SQLite rolls the journal back
on the next open, PostgreSQL aborts the transaction), so the next run finds an empty database and simply starts
again. A database that already holds a roster or cases is refused rather than mixed with.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import Any

from upstander.worldgen.config import (
    DEFAULT_END_DATE,
    DEFAULT_FEMALE_CASE_TO_ANSWER,
    DEFAULT_RELATIVE_RATE,
    DEFAULT_REPORTER_ATTRITION,
    DEFAULT_RETALIATION_EXCESS,
    WorldConfig,
)


class WorldExists(Exception):
    """The database already holds people or cases."""


def _models() -> dict[str, Any]:
    from upstander.cases import models as cm
    from upstander.people import models as pm

    return {
        "command": pm.Command, "location": pm.Location, "shift": pm.Shift, "unit": pm.Unit, "team": pm.Team,
        "person": pm.Person, "unithistory": pm.UnitHistory, "hrevent": pm.HREvent,
        "association": pm.DeclaredAssociation, "case": cm.Case, "report": cm.Report, "mention": cm.SubjectMention,
        "allegation": cm.Allegation, "stage": cm.StageEvent, "assignment": cm.Assignment, "decision": cm.Decision,
        "reporterlink": cm.ReporterLink, "referral": cm.Referral,
    }


def _refuse_if_populated() -> None:
    from upstander.audit.models import AuditEvent
    from upstander.cases.models import Case
    from upstander.people.models import Person

    done = AuditEvent.objects.filter(action="worldgen.complete").order_by("-id").first()
    if done is not None:
        raise WorldExists(f"this database already holds a synthetic force ({done.reason}). worldgen only writes into "
                          "an empty database: set UPSTANDER_DATA_DIR to a new directory (or DATABASE_URL to an empty "
                          "database) and run it again.")
    if Person.objects.exists() or Case.objects.exists():
        raise WorldExists("this database already holds people or cases that worldgen did not make; it will not mix "
                          "invented history with them. Use an empty database (a new UPSTANDER_DATA_DIR).")


def generate(staff: int, years: int, seed: int, *, end_date: date = DEFAULT_END_DATE,
             relative_rate: float = DEFAULT_RELATIVE_RATE, retaliation_excess: float = DEFAULT_RETALIATION_EXCESS,
             mention_noise: str = "default", reporter_attrition: float = DEFAULT_REPORTER_ATTRITION,
             female_case_to_answer: float = DEFAULT_FEMALE_CASE_TO_ANSWER, progress: bool = True) -> dict:
    """Generate and write a synthetic force; returns the truth dict (see docs/worldgen.md). `mention_noise`:
    "default" or "heavy" (more slips in how reports name subjects; the same world otherwise). `reporter_attrition`
    and `female_case_to_answer`: the planted attrition and outcome differences (1.0 and 1.0 plant none)."""
    from django.db import connection, transaction
    from tqdm import tqdm

    from upstander.accounts.models import Organisation
    from upstander.audit.log import record
    from upstander.operations.records import install
    from upstander.worldgen.build import build_world, write_world
    from upstander.worldgen.truth import assemble
    from upstander.worldgen.writer import ACTOR, BulkWriter, max_ids

    cfg = WorldConfig(staff=staff, years=years, seed=seed, end_date=end_date, relative_rate=relative_rate,
                      retaliation_excess=retaliation_excess, mention_noise=mention_noise,
                      reporter_attrition=reporter_attrition, female_case_to_answer=female_case_to_answer)
    # The organisations the world's reports are sealed to. The `worldgen` command has already refused a data dir
    # without an installation (fail closed); a test's empty database gets its installation here.
    install()
    _refuse_if_populated()
    models = _models()
    offsets = max_ids(models)
    orgs = {o.kind: o.pk for o in Organisation.objects.all()}
    started = time.monotonic()
    with tqdm(total=7, desc="worldgen: building", unit="step", file=sys.stderr, disable=not progress,
              leave=False) as bar:
        world, builder = build_world(cfg, offsets, orgs, step=lambda label: (bar.set_postfix_str(label),
                                                                             bar.update(1)))
    built = time.monotonic()
    estimate = sum(len(rows) for rows in world.rows.values()) + int(len(world.people) * (cfg.years + 1.5))
    with tqdm(total=estimate, desc="worldgen: writing", unit="row", unit_scale=True, file=sys.stderr,
              disable=not progress) as bar:
        writer = BulkWriter(on_rows=bar.update)
        with _sqlite_cache(connection), transaction.atomic():
            # Checked again inside the write lock: another process may have written since.
            _refuse_if_populated()
            if max_ids(models) != offsets:
                raise WorldExists("the database changed while the world was being built; run worldgen again")
            write_world(world, models, writer)
            truth = assemble(world, builder, writer.counts)
            truth["configured"]["mention_noise"] = mention_noise
            record(ACTOR, "worldgen.complete",
                   reason=f"seed {seed}, {staff} staff, {years} years to {cfg.end_date.isoformat()}, "
                          f"{mention_noise} mention noise, "
                          f"{sum(writer.counts.values())} rows")
        bar.n = bar.total
    LAST_RUN.update(build_seconds=round(built - started, 1), write_seconds=round(time.monotonic() - built, 1),
                    seconds=round(time.monotonic() - started, 1))
    return truth


# Timings of the last run in this process, for the command's summary and benches (never in the truth).
LAST_RUN: dict[str, float] = {}


class _sqlite_cache:
    """A larger page cache (up to 1 GiB) for this connection while the world is written: index inserts are
    cache-bound, and at 50,000 staff this takes the write from ~45 s to ~30 s. Restored afterwards; no durability
    setting is touched."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.previous = None

    def __enter__(self):
        if self.connection.vendor == "sqlite":
            with self.connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                self.previous = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -1048576")
        return self

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            with self.connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(self.previous)}")
