"""Backup and restore on PostgreSQL (pg_dump custom format, pg_restore), when the suite runs against a PostgreSQL
server (scripts/with-postgres.sh): two throwaway databases on it, one the installation, one restored into."""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from upstander.operations.tests.helpers import command_env, journey, upstander

URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgres"), reason="runs only against a PostgreSQL server")


def _url_for(name: str) -> str:
    parts = urlsplit(URL)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture
def two_databases():
    import psycopg

    names = [f"ops_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with psycopg.connect(_url_for("postgres"), autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    yield [_url_for(n) for n in names]
    with psycopg.connect(_url_for("postgres"), autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_report_on_postgresql_survives_pg_dump_and_pg_restore_into_a_new_database(two_databases, tmp_path):
    live_url, fresh_url = two_databases
    live = command_env(tmp_path / "live", DATABASE_URL=live_url)
    fresh = command_env(tmp_path / "fresh", DATABASE_URL=fresh_url)
    secret, archive = tmp_path / "backup-secret", tmp_path / "pg.upb"
    assert upstander(["migrate"], env=live).returncode == 0
    assert upstander(["keys", "backup-keypair", "--secret-out", str(secret)], env=live).returncode == 0
    receipt = journey("submit", tmp_path, env=live)["receipt"]
    assert upstander(["audit", "checkpoint"], env=live).returncode == 0
    made = upstander(["backup", "--out", str(archive)], env=live)
    assert made.returncode == 0, made.stderr
    assert upstander(["tick"], env=fresh).returncode == 2  # the new database holds no installation yet
    restored = upstander(["restore", str(archive), "--secret-file", str(secret)], env=fresh)
    assert restored.returncode == 0, restored.stderr
    assert "audit log intact" in restored.stderr
    assert journey("open", tmp_path, env=fresh, receipt=receipt)["status"] == 302
    again = upstander(["restore", str(archive), "--secret-file", str(secret)], env=fresh)
    assert again.returncode == 1 and "--force" in again.stderr
