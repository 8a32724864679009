"""The witness's own data directory: its key stays private, its heads are checked against its key every time they
are read, and a run cut short leaves nothing half-written."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from upstander.audit.witness_formats import signed_head
from upstander.lib import crypto
from upstander.witness.commands import witness
from upstander.witness.store import Store, WitnessError


@pytest.fixture
def store(tmp_path: Path) -> Store:
    result = CliRunner().invoke(witness, ["init", "--data-dir", str(tmp_path / "w")])
    assert result.exit_code == 0, result.output
    return Store(tmp_path / "w")


def _keep(store: Store, event_id: int) -> dict:
    head = signed_head(store.private_key(), event_id, f"{event_id:064x}", "2025-05-03T14:05:00+00:00")
    store.append(head)
    return head


def test_init_makes_a_private_key_only_the_owner_can_read_and_is_idempotent(store):
    assert stat.S_IMODE((store.dir / "witness.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(store.dir.stat().st_mode) == 0o700
    before = store.public_key()
    again = CliRunner().invoke(witness, ["init", "--data-dir", str(store.dir)])
    assert again.exit_code == 0 and "Already set up" in again.output
    assert store.public_key() == before


def test_status_reports_the_last_head(store):
    _keep(store, 5)
    last = _keep(store, 9)
    result = CliRunner().invoke(witness, ["status", "--data-dir", str(store.dir), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["heads"] == 2 and doc["last"] == last


def test_a_head_cut_short_by_a_crash_is_dropped(store):
    _keep(store, 5)
    with open(store.heads_path, "a") as handle:
        handle.write('{"id": 9, "hash": "ab')
    assert [h["id"] for h in store.heads()] == [5]
    _keep(store, 9)
    assert [h["id"] for h in store.heads()] == [5, 9]


def test_an_edited_heads_file_stops_the_witness(store):
    """Attack: someone with access to the witness's files changes a kept hash, to make a rewritten log pass."""
    _keep(store, 5)
    doc = json.loads(store.heads_path.read_text())
    doc["hash"] = "f" * 64
    store.heads_path.write_text(json.dumps(doc) + "\n")
    with pytest.raises(WitnessError, match="not signed with this witness's key"):
        store.heads()
    result = CliRunner().invoke(witness, ["status", "--data-dir", str(store.dir)])
    assert result.exit_code == 1


def test_a_witness_refuses_an_address_that_is_not_http(store, tmp_path):
    token = tmp_path / "token"
    token.write_text("upst_x")
    result = CliRunner().invoke(witness, ["run", "--data-dir", str(store.dir), "--url", "file:///etc/passwd",
                                          "--token-file", str(token)])
    assert result.exit_code == 1 and "not an http:// or https:// address" in result.output


def test_an_unreachable_server_is_not_a_refusal(store, tmp_path):
    token = tmp_path / "token"
    token.write_text("upst_x")
    result = CliRunner().invoke(witness, ["run", "--data-dir", str(store.dir), "--url", "http://127.0.0.1:9",
                                          "--token-file", str(token)])
    assert result.exit_code == 3 and "cannot reach" in result.output
    assert not store.heads_path.exists()


def test_the_witness_key_signs_nothing_but_its_own_messages(store):
    """A head's signature cannot be replayed as a countersignature: each message carries its own label."""
    from upstander.audit.witness_formats import countersign_message, head_message

    head = _keep(store, 5)
    sig = crypto.unb64(head["sig"])
    assert crypto.verify_signature(store.public_key(), head_message(5, head["hash"], head["seen_at"]), sig)
    assert not crypto.verify_signature(store.public_key(), countersign_message(
        head_message(5, head["hash"], head["seen_at"])), sig)
