"""The overseer's witness against a live server: the witness (upstander.witness) talks HTTP to the force's real
endpoints, with its own data directory; the force's installation has a data directory of its own per test, so no
checkpoint file of another test is read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from upstander.audit.log import Actor
from upstander.lib import clock
from upstander.oversight.witness_feed import AUDIT_WITNESS_SCOPE
from upstander.people.actions import NewToken, do_create_api_token
from upstander.witness.client import ForceClient
from upstander.witness.run import RunResult, run_once
from upstander.witness.store import Store


@pytest.fixture
def force_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "force"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def witness_token(force_dir, cast) -> NewToken:
    return do_create_api_token(actor=Actor.system("people"), name="overseer-witness", created_by=cast.users["admin"],
                               scope=AUDIT_WITNESS_SCOPE)


@dataclass
class Witness:
    store: Store
    client: ForceClient
    url: str
    token_file: Path

    def run(self, *, report: bool = True) -> RunResult:
        return run_once(self.store, self.client, clock.now().isoformat(timespec="seconds"), report=report)


@pytest.fixture
def witness(witness_token, live_server, tmp_path: Path, monkeypatch) -> Witness:
    """A witness in its own directory; the force deploys the witness's public key as its overseer key."""
    store = Store(tmp_path / "witness")
    store.init()
    monkeypatch.setenv("UPSTANDER_OVERSEER_PUBLIC_KEY_FILE", str(store.public_path))
    token_file = tmp_path / "witness-token"
    token_file.write_text(witness_token.secret)
    return Witness(store, ForceClient(live_server.url, witness_token.secret), live_server.url, token_file)
