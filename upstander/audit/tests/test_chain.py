from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from upstander.audit.log import Actor, record, verify_chain
from upstander.audit.models import AuditEvent


def _append(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            record(Actor.system("test"), "test.event", object_type="thing", object_id=str(i), reason=f"event {i}")


def test_an_untouched_chain_verifies(db):
    _append(5)
    result = verify_chain()
    assert result.ok and result.checked == 5


def test_the_database_refuses_to_update_an_audit_row(db):
    _append(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(id=1).update(reason="rewritten")


def test_the_database_refuses_to_delete_an_audit_row_outside_test_resets(db, settings):
    _append(1)
    settings.AUDIT_RESETTABLE = False
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(id=1).delete()


def test_reporter_events_keep_only_the_day(db):
    with transaction.atomic():
        event = record(Actor.reporter(), "report.submit", object_type="report", object_id="x")
    assert (event.at.hour, event.at.minute, event.at.second, event.at.microsecond) == (0, 0, 0, 0)


def _run(args, data_dir):
    env = {**os.environ, "UPSTANDER_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    for var in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        env.pop(var, None)
    return subprocess.run([sys.executable, "-m", "upstander.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="edits the embedded SQLite file with sqlite3")
def test_changing_one_row_with_sqlite3_makes_verify_name_that_row(tmp_path):
    """Attack: a database administrator drops the trigger and edits an audit row. The chain names the row."""
    assert _run(["migrate"], tmp_path).returncode == 0
    assert _run(["audit", "checkpoint"], tmp_path).returncode == 0
    ok = _run(["audit", "verify"], tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    db_file = Path(tmp_path) / "upstander.sqlite3"
    con = sqlite3.connect(db_file)
    count = con.execute("SELECT count(*) FROM audit_event").fetchone()[0]
    target = max(1, count // 2)
    con.execute("DROP TRIGGER audit_event_no_update")
    con.execute("UPDATE audit_event SET reason = 'nothing to see' WHERE id = ?", (target,))
    con.commit()
    con.close()
    broken = _run(["audit", "verify"], tmp_path)
    assert broken.returncode == 1
    assert f"first broken link: id {target}" in broken.stdout


@pytest.mark.skipif(connection.vendor != "sqlite", reason="edits the embedded SQLite file with sqlite3")
def test_truncating_the_log_after_a_checkpoint_is_detected(tmp_path):
    """Attack: someone with database access deletes the newest audit rows. The signed checkpoint exposes it."""
    assert _run(["migrate"], tmp_path).returncode == 0
    assert _run(["audit", "checkpoint"], tmp_path).returncode == 0
    con = sqlite3.connect(Path(tmp_path) / "upstander.sqlite3")
    last = con.execute("SELECT max(id) FROM audit_event").fetchone()[0]
    con.execute("DROP TRIGGER audit_event_no_delete")
    con.execute("DELETE FROM audit_event WHERE id = ?", (last,))
    con.commit()
    con.close()
    result = _run(["audit", "verify"], tmp_path)
    assert result.returncode == 1
    assert f"first broken link: id {last}" in result.stdout
