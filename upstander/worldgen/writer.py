"""Bulk writing of the invented history (DESIGN.md rule 1's one exception): parameterised INSERTs through
Django's cursor with executemany, values adapted per column the way the ORM would for this database, and one
audit event per batch in the same transaction.

Portable by construction: plain `INSERT INTO t (cols) VALUES (%s, …)` with names quoted by the backend, values
adapted by the backend's own `adapt_*` operations, sequences reset by the backend's own SQL afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection

from upstander.audit.log import Actor, record

ACTOR = Actor.system("worldgen")


class BulkWriter:
    def __init__(self, *, batch_size: int = 20000, on_rows: Callable[[int], None] | None = None) -> None:
        self.batch_size = batch_size
        self.on_rows = on_rows or (lambda n: None)
        self.ops = connection.ops
        self.native_uuid = connection.features.has_native_uuid_field
        self.counts: dict[str, int] = {}
        self.models: list = []
        self._dates: dict[int, object] = {}
        self._day_text: dict[int, str] = {}
        self._json: dict[tuple, object] = {}
        self._fast_datetimes = self._can_format_datetimes()

    # --- value adapters (inputs: hex UUIDs, date ordinals, "moments" = ordinal * 86400 + seconds) ---------------
    def _uuid(self, value: str):
        return uuid.UUID(hex=value) if self.native_uuid else value

    def _date(self, ordinal: int):
        adapted = self._dates.get(ordinal)
        if adapted is None:
            adapted = self._dates[ordinal] = self.ops.adapt_datefield_value(date.fromordinal(ordinal))
        return adapted

    def _datetime_slow(self, value: int):
        ordinal, seconds = divmod(value, 86400)
        moment = datetime.combine(date.fromordinal(ordinal), datetime.min.time(), tzinfo=UTC)
        return self.ops.adapt_datetimefield_value(moment + timedelta(seconds=seconds))

    def _datetime_fast(self, value: int) -> str:
        ordinal, seconds = divmod(value, 86400)
        text = self._day_text.get(ordinal)
        if text is None:
            text = self._day_text[ordinal] = date.fromordinal(ordinal).isoformat()
        return f"{text} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"

    def _can_format_datetimes(self) -> bool:
        """Where the backend stores datetimes as UTC text (SQLite), format them directly; checked, not assumed."""
        samples = [738000 * 86400 + 3723, 739500 * 86400 + 86399, 740000 * 86400]
        try:
            return all(self._datetime_slow(s) == self._datetime_fast(s) for s in samples)
        except Exception:  # noqa: BLE001 - any difference means "use the backend's own adapter"
            return False

    def _json_value(self, value: list):
        key = tuple(value)
        adapted = self._json.get(key)
        if adapted is None:
            adapted = self._json[key] = self.ops.adapt_json_value(list(value), None)
        return adapted

    def _converter(self, field) -> Callable | None:
        kind = field.get_internal_type()
        if kind == "UUIDField":
            return None if not self.native_uuid else self._uuid
        if kind == "DateField":
            return self._date
        if kind == "DateTimeField":
            return self._datetime_fast if self._fast_datetimes else self._datetime_slow
        if kind == "JSONField":
            return self._json_value
        return None

    # --- writing ---------------------------------------------------------------------------------------------
    def insert(self, model, fields: list[str], rows: Iterable[tuple]) -> int:
        """Insert `rows` (tuples in `fields` order; FKs by attname) into `model`'s table. Fields not named get their
        constant default; a field with a callable default must be named, so nothing random slips in."""
        meta = model._meta
        named = [meta.get_field(name) for name in fields]
        columns = [f.column for f in named]
        rest = [f for f in meta.concrete_fields if f.column not in columns]
        constants = []
        for f in rest:
            if f.has_default() and callable(f.default):
                raise ValueError(f"{meta.label}.{f.name} has a random default: give it a value")
            constants.append(f.get_db_prep_save(f.get_default(), connection))
        columns += [f.column for f in rest]
        constants_tuple = tuple(constants)
        converters = [(i, fn) for i, f in enumerate(named) if (fn := self._converter(f)) is not None]
        qn = self.ops.quote_name
        # Names come from the model definitions, quoted by the backend; every value is a parameter.
        sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
               f"VALUES ({', '.join(['%s'] * len(columns))})")

        def adapt(row: tuple) -> tuple:
            if not converters:
                return row + constants_tuple
            out = list(row)
            for i, fn in converters:
                if out[i] is not None:
                    out[i] = fn(out[i])
            return tuple(out) + constants_tuple

        total = 0
        iterator = iter(rows)
        with connection.cursor() as cursor:
            while batch := list(islice(iterator, self.batch_size)):
                cursor.executemany(sql, [adapt(row) for row in batch])
                record(ACTOR, "worldgen.batch", object_type=meta.label_lower,
                       reason=f"synthetic history: {len(batch)} rows of {meta.label_lower} (ids from {batch[0][0]})")
                total += len(batch)
                self.on_rows(len(batch))
        self.counts[meta.label_lower] = self.counts.get(meta.label_lower, 0) + total
        if model not in self.models:
            self.models.append(model)
        return total

    def update_column(self, model, column_field: str, pairs: list[tuple[int, int]]) -> None:
        """Set one column by primary key: [(value, pk)]."""
        meta = model._meta
        qn = self.ops.quote_name
        column = meta.get_field(column_field).column
        sql = f"UPDATE {qn(meta.db_table)} SET {qn(column)} = %s WHERE {qn(meta.pk.column)} = %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, pairs)

    def finish(self) -> None:
        """Explicit ids bypass PostgreSQL's sequences: move them past the rows written (no-op on SQLite)."""
        statements = self.ops.sequence_reset_sql(no_style(), self.models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def max_ids(models: dict[str, Any]) -> dict[str, int]:
    """Current highest primary key per table, so generated ids start above anything already there."""
    from django.db.models import Max

    return {name: model.objects.aggregate(m=Max("pk"))["m"] or 0 for name, model in models.items()}
