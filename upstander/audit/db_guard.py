"""Per-connection database settings and the guard that makes audit rows append-only.

SQLite: `secure_delete` so deleted plaintext (drafts, purged content) is overwritten, not left in free pages; and a
function the audit triggers call. A connection that has not registered the function — the `sqlite3` shell, another
program — gets "no such function" from the trigger, so it fails closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db.backends.signals import connection_created


def _audit_resettable() -> int:
    # Only the test suite sets this, to reset its databases between tests. UPDATE is refused regardless.
    return 1 if settings.AUDIT_RESETTABLE else 0


def on_connection_created(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("upstander_audit_resettable", 0, _audit_resettable, deterministic=False)
    with raw:
        raw.execute("PRAGMA secure_delete = ON")
        raw.execute("PRAGMA foreign_keys = ON")


def install() -> None:
    connection_created.connect(on_connection_created, dispatch_uid="upstander-db-guard")


SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
       WHEN upstander_audit_resettable() IS NOT 1
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"]

# PostgreSQL: row-level triggers refuse UPDATE and DELETE. TRUNCATE (used by the test runner's flush) is a
# separate privilege, not granted to the application role in production (docs/operations.md).
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_event_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
       FOR EACH ROW EXECUTE FUNCTION audit_event_refuse()""",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
                 "DROP FUNCTION IF EXISTS audit_event_refuse()"]
