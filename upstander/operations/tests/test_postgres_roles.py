"""deploy/postgres/roles.sql and grants.sql on a throwaway PostgreSQL server (scripts/with-postgres.sh): the owner
migrates, the application role runs Upstander but cannot truncate, alter or rewrite the audit table."""

from __future__ import annotations

import os
import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from upstander.operations.archive import pg_binary
from upstander.operations.tests.helpers import REPO, command_env, upstander

URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgres"), reason="runs only against a PostgreSQL server")
SQL = REPO / "deploy" / "postgres"


def _url(user: str, db: str) -> str:
    return urlunsplit(urlsplit(URL)._replace(netloc=f"{user}@", path=f"/{db}"))


def _psql(url: str, script: str, **variables: str) -> subprocess.CompletedProcess:
    args = [pg_binary("psql"), url, "-v", "ON_ERROR_STOP=1", "-f", str(SQL / script)]
    for name, value in variables.items():
        args += ["-v", f"{name}={value}"]
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603


@pytest.fixture
def roles():
    tag = uuid.uuid4().hex[:8]
    names = {"owner": f"ops_owner_{tag}", "app": f"ops_app_{tag}", "db": f"ops_db_{tag}"}
    superuser = urlsplit(URL).netloc.split("@")[0] or "postgres"
    made = _psql(_url(superuser, "postgres"), "roles.sql", **names)
    assert made.returncode == 0, made.stderr
    yield {**names, "superuser": superuser}
    import psycopg

    with psycopg.connect(_url(superuser, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{names["db"]}" WITH (FORCE)')
        admin.execute(f'DROP ROLE IF EXISTS "{names["app"]}"')
        admin.execute(f'DROP ROLE IF EXISTS "{names["owner"]}"')


def test_the_app_role_runs_upstander_but_cannot_truncate_alter_or_rewrite_the_audit_table(roles, tmp_path):
    """The attack: an application role with TRUNCATE, or owning the audit table, can empty it or drop its
    append-only triggers and rewrite history; the docs only said the role 'needs no TRUNCATE'."""
    import psycopg
    from psycopg import errors

    owner_url, app_url = _url(roles["owner"], roles["db"]), _url(roles["app"], roles["db"])
    migrated = upstander(["migrate"], env=command_env(tmp_path, DATABASE_URL=owner_url))
    assert migrated.returncode == 0, migrated.stderr
    granted = _psql(owner_url, "grants.sql", app=roles["app"])
    assert granted.returncode == 0, granted.stderr
    app_env = command_env(tmp_path, DATABASE_URL=app_url)
    for args in (["tick"], ["audit", "checkpoint"], ["audit", "verify"]):
        result = upstander(args, env=app_env)
        assert result.returncode == 0, (args, result.stderr)
    refused = ["TRUNCATE audit_event", "ALTER TABLE audit_event DISABLE TRIGGER ALL", "DROP TABLE audit_event",
               "UPDATE audit_event SET reason = 'nothing happened'", "DELETE FROM audit_event",
               "DELETE FROM audit_checkpoint", "UPDATE operations_installation SET key_fingerprints = '{}'",
               "DROP TRIGGER audit_event_no_change ON audit_event", "TRUNCATE cases_report CASCADE",
               "CREATE TABLE intruder (id int)"]
    with psycopg.connect(app_url, autocommit=True) as app:
        assert app.execute("SELECT count(*) FROM audit_event").fetchone()[0] > 0
        for statement in refused:
            with pytest.raises(errors.InsufficientPrivilege):
                app.execute(statement)
    assert upstander(["audit", "verify"], env=app_env).returncode == 0
