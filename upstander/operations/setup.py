"""Fail closed: which commands may create an installation, and what every other command checks first.

`set_up_installation` (run by `upstander migrate`, `upstander keys init` and `upstander demo`) creates the schema, the
key files, the organisations and the installation row, or completes an interrupted earlier run. It never makes keys
for a database that already has an installation: a restored database with an empty key folder is refused, with the
advice to restore the keys, because new keys would make every receipt "not recognised".

`require_installation` (every other command, and `serve`) changes nothing: it refuses to run against a data directory
or database that holds no installation (cron and systemd start commands with an empty environment, so a forgotten
UPSTANDER_DATA_DIR or DATABASE_URL would otherwise point at ./var), and names a key that does not belong to the
database instead of letting it surface later as "audit log tampered" or "receipt not recognised".
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection
from django.db.migrations.executor import MigrationExecutor

from upstander.lib.keys import adopt_legacy_signing_files
from upstander.operations import keyset
from upstander.operations.errors import InstallationError, KeysDoNotMatch, NotInstalled
from upstander.operations.models import Installation

POINT_AT_IT = ("Point UPSTANDER_DATA_DIR at your installation's data directory, or DATABASE_URL at its database "
               "(cron and systemd run commands with an almost empty environment: set them in the unit or crontab). "
               "To set up a new installation, run `upstander migrate` (or `upstander demo` to try Upstander out).")


def is_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def in_memory_db() -> bool:
    """SQLite in memory (the test suite's database), as Django's SQLite backend tells it."""
    name = str(connection.settings_dict["NAME"])
    return is_sqlite() and (name == ":memory:" or "mode=memory" in name)


def sqlite_file_missing() -> bool:
    """An SQLite database whose file does not exist yet (connecting would create it). In-memory databases (the
    test suite's) are never missing."""
    return is_sqlite() and not in_memory_db() and not sqlite_path().is_file()


def where() -> str:
    """Where this process looks for its installation, in the words of the variables that set it."""
    if is_sqlite():
        return f"the data directory {settings.DATA_DIR} (UPSTANDER_DATA_DIR)"
    params = connection.get_connection_params()
    host = params.get("host") or "the default local socket"
    port = f" port {params['port']}" if params.get("port") else ""
    return f"the database {params.get('dbname')!r} on {host}{port} (DATABASE_URL)"


def pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# --- every command but migrate, keys init and demo ----------------------------------------------------------------


def find_installation() -> Installation:
    """The installation row, without creating anything; NotInstalled says why there is none."""
    if sqlite_file_missing():
        raise NotInstalled(f"No Upstander installation in {where()}: there is no database file "
                           f"{sqlite_path().name} there. {POINT_AT_IT}")
    try:
        installation = Installation.objects.first()
    except DatabaseError as exc:
        if connection.vendor == "postgresql" and isinstance(exc, OperationalError):  # not a missing table
            raise NotInstalled(f"Cannot reach {where()}: {str(exc).strip().splitlines()[0]}") from None
        raise NotInstalled(f"No Upstander installation in {where()}: its database has not been set up. "
                           f"{POINT_AT_IT}") from None
    if installation is None:
        raise NotInstalled(f"No Upstander installation in {where()}: the database holds none. {POINT_AT_IT}")
    return installation


def key_problems(installation: Installation) -> list[str]:
    """Missing keys and keys that belong to another installation, each named, with what to do."""
    keys = keyset.current_keys()
    problems = [f"{k.label} is missing (looked for {k.path}); without it {k.consequence}. Restore it from this "
                "installation's backup (`upstander restore`) or point the variable at it; a new one would not do."
                for k in keyset.missing(keys)]
    problems += [f"{k.label} does not belong to this database: it is not the key installation "
                 f"{installation.public_id} was set up with (looked at {k.path or 'the environment'}), so "
                 f"{k.consequence}. This is a key mix-up, not tampering: use the key from the same backup as the "
                 "database." for k in keyset.mismatched(dict(installation.key_fingerprints), keys)]
    pair = keyset.signing_pair_problem()
    return problems + ([pair] if pair else [])


def require_installation() -> Installation:
    """Fail closed: the installation this process points at, with its keys, or InstallationError."""
    installation = find_installation()
    if pending_migrations():
        raise InstallationError(f"The database in {where()} is older than this version of Upstander: run "
                                "`upstander migrate` first.")
    problems = key_problems(installation)
    if problems:
        raise KeysDoNotMatch(f"The keys of {where()} are not in order:\n  " + "\n  ".join(problems))
    return installation


# --- migrate, keys init, demo -------------------------------------------------------------------------------------


def prepare_data_dir() -> None:
    """The data directory readable by the service account only (0700), the SQLite database file 0600 (issue 11:
    both were world-readable); made before Django first connects, because connecting creates the file."""
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(data_dir, 0o700)
    if not is_sqlite() or in_memory_db():
        return
    db = sqlite_path()
    os.close(os.open(db, os.O_CREAT | os.O_WRONLY, 0o600))
    for path in (db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))):
        if path.exists():
            os.chmod(path, 0o600)  # SQLite gives its -wal, -shm and -journal files the database file's mode


@contextlib.contextmanager
def setup_lock() -> Iterator[None]:
    """One set-up at a time: two processes starting together on a fresh data dir or database take turns."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(hashtext('upstander-setup'))")
        try:
            yield
        finally:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(hashtext('upstander-setup'))")
        return
    with os.fdopen(os.open(Path(settings.DATA_DIR) / ".setup.lock", os.O_CREAT | os.O_RDWR, 0o600), "r+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _refuse_new_keys_for_existing_data() -> None:
    """No installation row: refuse if the key files belong to another installation, or if the database holds data
    whose key files are missing (new keys would not open it)."""
    from upstander.audit.models import AuditEvent

    marker = keyset.read_marker()
    if marker is not None:
        raise NotInstalled(
            f"The key files beside {keyset.marker_path()} belong to installation {marker['installation']} (set up "
            f"on {marker.get('created_on', '?')}), but {where()} holds no installation. Point DATABASE_URL or "
            "UPSTANDER_DATA_DIR at that installation's database, or restore it (`upstander restore`). To start a "
            "new installation, use an empty key folder.")
    if AuditEvent.objects.exists():
        missing = keyset.missing(keyset.current_keys())
        if missing:
            raise NotInstalled(
                f"{where()} holds data from an earlier installation, but " + ", ".join(k.label for k in missing) +
                " cannot be found. Restore the key files from that installation's backup; new keys would not open "
                "its reports or verify its audit log.")


def set_up_installation() -> tuple[Installation, bool]:
    """Create or complete the installation (migrate, keys init, demo). Returns (installation, created now)."""
    from django.core.management import call_command

    from upstander.operations.records import install

    prepare_data_dir()
    with setup_lock():
        call_command("migrate", interactive=False, verbosity=0, stdout=sys.stderr)
        adopt_legacy_signing_files()  # an earlier version's name for the force's signing key
        installation = Installation.objects.first()
        if installation is not None:
            problems = key_problems(installation)
            if problems:
                raise KeysDoNotMatch(f"{where()} holds installation {installation.public_id}, set up on "
                                     f"{installation.created_on}; no keys were made for it, because:\n  " +
                                     "\n  ".join(problems))
            install()  # organisations a newer version adds; the row and keys are there
            return installation, False
        _refuse_new_keys_for_existing_data()
        from upstander.audit.models import AuditEvent

        adopted = AuditEvent.objects.exists()
        install(adopted=adopted)
        if is_sqlite() and any(os.environ.get(v) for v in ("UPSTANDER_RECEIPT_PEPPER_FILE", "UPSTANDER_FORCE_SIGNING_KEY_FILE")):
            print(f"upstander: note: the new installation's database is SQLite in {settings.DATA_DIR}, because "
                  "DATABASE_URL is not set; if it should be in PostgreSQL, set DATABASE_URL and use a new key folder.",
                  file=sys.stderr)
        return Installation.objects.get(), True
