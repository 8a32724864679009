"""The overseer's private key never exists on the force's server: the force signs with its own key, `serve` needs
no overseer private key and refuses the old setting that put it there, and `tick` makes checkpoints by itself."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from upstander.audit.checkpoints import checkpoint_interval, do_checkpoint_if_due, verify_checkpoints
from upstander.audit.log import Actor
from upstander.audit.models import AuditCheckpoint
from upstander.lib import clock, crypto, keys
from upstander.lib.keyfiles import keys_dir, write_private


def _run(args, data_dir, **env):
    full = {**os.environ, "UPSTANDER_DATA_DIR": str(data_dir), **env}
    for var in ("DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        full.pop(var, None)
    return subprocess.run([sys.executable, "-m", "upstander.cli", *args], env=full, capture_output=True, text=True,
                          timeout=300)


def test_a_fresh_installation_holds_the_forces_signing_key_and_no_overseer_private_key(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    keys.ensure_key_files()
    names = {p.name for p in keys_dir(tmp_path).iterdir()}
    assert {"force-signing.key", "force-signing.pub"} <= names
    assert not any("overseer" in name for name in names)
    assert keys.overseer_public_key() is None  # deployed by the operator, never generated here


def test_an_earlier_data_dir_keeps_its_signing_key_under_the_forces_name(settings, tmp_path):
    """The key earlier versions called the overseer's lived on this server, so it was in truth the force's: it is
    renamed, not replaced, so checkpoints it signed still verify."""
    settings.DATA_DIR = tmp_path
    pair = crypto.new_signing_key()
    write_private(keys_dir(tmp_path) / "overseer-signing.key", crypto.b64(pair.private).encode())
    write_private(keys_dir(tmp_path) / "overseer-signing.pub", crypto.b64(pair.public).encode())
    keys.ensure_key_files()
    assert keys.force_signing_public_key() == pair.public
    assert not (keys_dir(tmp_path) / "overseer-signing.key").exists()


def test_serve_refuses_the_old_setting_that_put_the_overseers_private_key_on_the_server(tmp_path):
    """Attack surface: an operator following old instructions deploys the overseer's private key to the force's
    server. `serve` refuses and says what to do instead."""
    key = tmp_path / "overseer-signing.key"
    key.write_text("x")
    result = _run(["serve"], tmp_path, UPSTANDER_SIGNING_KEY_FILE=str(key))
    assert result.returncode == 2
    assert "UPSTANDER_SIGNING_KEY_FILE is no longer read" in result.stderr
    assert "must not be on the force's server" in result.stderr
    assert "UPSTANDER_FORCE_SIGNING_KEY_FILE is not set" in result.stderr
    assert "UPSTANDER_OVERSEER_PUBLIC_KEY_FILE" in result.stderr


def test_production_needs_no_overseer_private_key(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    keys.ensure_key_files()  # as `upstander keys init` makes them
    settings.PRODUCTION = True
    folder = keys_dir(tmp_path)
    monkeypatch.setenv("UPSTANDER_FORCE_SIGNING_KEY_FILE", str(folder / "force-signing.key"))
    monkeypatch.setenv("UPSTANDER_FORCE_SIGNING_PUBLIC_FILE", str(folder / "force-signing.pub"))
    monkeypatch.setenv("UPSTANDER_RECEIPT_PEPPER_FILE", str(folder / "receipt-pepper"))
    keys.ensure_key_files()  # no refusal
    assert keys.missing_key_files() == []
    monkeypatch.setenv("UPSTANDER_SIGNING_KEY_FILE", str(folder / "force-signing.key"))
    with pytest.raises(keys.KeyMissing, match="must not be on the force's server"):
        keys.ensure_key_files()


@pytest.mark.django_db
def test_tick_makes_at_most_one_checkpoint_per_interval(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    actor = Actor.system("tick")
    first = do_checkpoint_if_due(actor=actor)
    assert first is not None
    assert do_checkpoint_if_due(actor=actor) is None
    assert do_checkpoint_if_due(actor=actor, now=first.created_at + checkpoint_interval() - timedelta(seconds=1)) is None
    later = do_checkpoint_if_due(actor=actor, now=clock.now() + checkpoint_interval())
    assert later is not None and later.last_event_id > first.last_event_id
    assert AuditCheckpoint.objects.count() == 2 and verify_checkpoints() == []
    assert len(list(Path(tmp_path, "checkpoints").glob("checkpoint-*.json"))) == 2


@pytest.mark.skipif(os.environ.get("DATABASE_URL") is not None, reason="runs the command on the embedded default")
def test_the_tick_command_signs_a_checkpoint_by_itself(tmp_path):
    assert _run(["migrate"], tmp_path).returncode == 0  # tick refuses a data dir with no installation (fail closed)
    first = _run(["tick", "--json"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert '"checkpoint": {"made": true' in first.stdout
    again = _run(["tick", "--json"], tmp_path)
    assert '"checkpoint": {"made": false' in again.stdout
    assert _run(["audit", "verify"], tmp_path).returncode == 0
