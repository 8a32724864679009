"""Published reports: the force's analysts sign with the force's key; the overseer countersigns on its own side with
its own key (`upstander witness countersign`), and `upstander insight verify` says which signatures it checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from upstander.audit.witness_formats import COUNTERSIGNATURE
from upstander.insight.commands import insight
from upstander.insight.publish import MANIFEST
from upstander.insight.tests.test_fairness import small_dataset
from upstander.lib import crypto, keys
from upstander.witness.commands import witness
from upstander.witness.store import Store


@pytest.fixture(scope="module")
def force_signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    small_dataset("countersign-small")
    out = tmp_path_factory.mktemp("reports") / "report"
    result = CliRunner().invoke(insight, ["report", "--dataset", "countersign-small", "--out", str(out), "--no-pdf",
                                          "--no-adjusted"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def overseer(tmp_path: Path) -> Store:
    """The overseer's witness, in a directory of its own (on the overseer's machine)."""
    store = Store(tmp_path / "overseer")
    store.init()
    return store


@pytest.fixture
def report(force_signed: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(force_signed, tmp_path / "report"))


def _countersign(store: Store, report: Path, force_key: Path | None = None):
    return CliRunner().invoke(witness, ["countersign", str(report), "--data-dir", str(store.dir), "--force-key",
                                        str(force_key or keys.force_signing_public_path())])


def _verify(report: Path, *extra: str):
    return CliRunner().invoke(insight, ["verify", str(report), *extra])


def test_a_report_countersigned_by_the_overseer_verifies_both_signatures(report, overseer):
    assert _countersign(overseer, report).exit_code == 0
    result = _verify(report, "--overseer-key", str(overseer.public_path))
    assert result.exit_code == 0, result.output
    assert "force signature: ok\noverseer countersignature: ok\n" in result.stdout
    doc = json.loads(_verify(report, "--overseer-key", str(overseer.public_path), "--json").stdout)
    assert doc["valid"] and doc["force_signature"] == "ok" and doc["overseer_countersignature"] == "ok"


def test_a_report_not_yet_countersigned_says_so(report, overseer):
    result = _verify(report, "--overseer-key", str(overseer.public_path))
    assert result.exit_code == 0
    assert "force signature: ok\noverseer countersignature: absent\n" in result.stdout


def test_a_countersignature_made_on_the_forces_server_is_bad(report, overseer):
    """Attack: the force's operator, who holds only the force's key, writes a countersignature itself. Checked
    against the overseer's public key, it is bad."""
    from upstander.audit.witness_formats import countersign_message

    forged = crypto.sign(keys.force_signing_private_key(), countersign_message((report / MANIFEST).read_bytes()))
    (report / COUNTERSIGNATURE).write_text(crypto.b64(forged) + "\n")
    result = _verify(report, "--overseer-key", str(overseer.public_path))
    assert result.exit_code == 1
    assert "overseer countersignature: bad" in result.stdout


def test_a_changed_report_is_not_countersigned_and_a_countersigned_one_changed_later_fails(report, overseer):
    assert _countersign(overseer, report).exit_code == 0
    (report / "report.html").write_text("<p>different figures</p>")
    result = _verify(report, "--overseer-key", str(overseer.public_path))
    assert result.exit_code == 1 and "report.html: differs from what was signed" in result.output
    refused = _countersign(overseer, report)
    assert refused.exit_code == 1 and "not countersigned" in refused.output


def test_the_overseer_refuses_to_countersign_with_a_force_key_taken_from_the_report(report, overseer):
    inside = report / "force.pub"
    inside.write_text(crypto.b64(keys.force_signing_public_key()))
    result = _countersign(overseer, report, inside)
    assert result.exit_code == 1 and "must not come from inside the report folder" in result.output
