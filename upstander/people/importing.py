"""Read, validate, then write: the one path by which roster files and the HR feed's JSON reach the roster.
Nothing is written unless every row is valid."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from upstander.accounts.models import ApiToken
from upstander.people.actions import do_feed_import, do_import_roster
from upstander.people.readers import RowError, Sheet, read_file, read_json
from upstander.people.roster_writer import ImportResult
from upstander.people.validate import validate


@dataclass
class ImportOutcome:
    errors: list[RowError] = field(default_factory=list)
    result: ImportResult | None = None
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "rows": self.rows, "errors": [e.as_dict() for e in self.errors],
                "tables": self.result.as_dict() if self.result else None}


def import_files(paths: list[Path], *, actor, as_of: date | None = None, dry_run: bool = False) -> ImportOutcome:
    sheets: list[Sheet] = []
    for path in paths:
        sheets.extend(read_file(path))
    checked = validate(sheets, as_of=as_of)
    outcome = ImportOutcome(errors=checked.errors, rows=checked.batch.counts())
    if checked.ok and not dry_run:
        outcome.result = do_import_roster(actor=actor, batch=checked.batch,
                                          source=",".join(p.name for p in paths))
    return outcome


def import_feed(payload: Any, *, token: ApiToken) -> ImportOutcome:
    checked = validate(read_json(payload))
    outcome = ImportOutcome(errors=checked.errors, rows=checked.batch.counts())
    if checked.ok:
        outcome.result = do_feed_import(token=token, batch=checked.batch)
    return outcome
