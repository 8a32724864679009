"""The overseer's witness: an audit log the force's operator cannot rewrite unseen (issue 11, deliverable 2)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.db import transaction

from upstander.audit.checkpoints import do_checkpoint, verify_checkpoints
from upstander.audit.commands import audit
from upstander.audit.log import Actor, head, record, verify_chain
from upstander.audit.models import AuditEvent
from upstander.audit.tests.tampering import remove_from, rewrite_and_recompute, signing_keys_on_the_server
from upstander.audit.witness_formats import signed_head
from upstander.lib import crypto
from upstander.witness.commands import witness as witness_cli
from upstander.witness.store import WitnessError

pytestmark = pytest.mark.django_db(transaction=True)


def _append(n: int, label: str = "event") -> None:
    for i in range(n):
        with transaction.atomic():
            record(Actor.system("test"), "test.event", object_type="thing", object_id=str(i), reason=f"{label} {i}")


def _witnessed_history(witness) -> list[int]:
    """Three runs of the witness with history made in between; returns the ids of the heads it kept."""
    heads = []
    for label in ("first", "second", "third"):
        _append(4, label)
        do_checkpoint(actor=Actor.system("audit"))
        heads.append(witness.run().head.id)
    return heads


def _verify_with_witness(witness):
    return CliRunner().invoke(audit, ["verify", "--witness", str(witness.store.heads_path)])


def test_rewriting_an_old_row_and_recomputing_every_hash_and_re_signing_with_every_server_key_is_caught(witness):
    """Attack: the force's server operator changes one old audit row, recomputes every later hash with the
    project's own code, and re-signs every checkpoint with every signing key in the data directory. The chain and
    the checkpoints then verify; the witness's heads, signed with a key the server never held, do not."""
    first, second, third = _witnessed_history(witness)
    target = first + 2  # an event the witness saw pass between its first and second run
    assert signing_keys_on_the_server(), "the attacker has the force's signing key"

    rewrite_and_recompute(target, "nothing to see here")

    assert verify_chain().ok and verify_checkpoints() == []  # the server's own defences are fooled
    result = _verify_with_witness(witness)
    assert result.exit_code == 1, result.output
    assert f"witness mismatch at id {second}\n" in result.stdout  # the first witnessed head at or after the change
    assert "first broken link" not in result.stdout


def test_an_untouched_log_verifies_against_the_witness(witness):
    heads = _witnessed_history(witness)
    result = _verify_with_witness(witness)
    assert result.exit_code == 0, result.output
    assert "audit log intact" in result.stdout
    assert f"the {len(heads)} head(s) it saw are all still in the log" in result.stdout
    assert "signatures checked" in result.stdout


def test_a_witness_file_edited_to_match_the_rewrite_fails_its_signature_check(witness):
    """Attack: rewrite the log and also edit the witness's file (a copy of it on the force's side) to the new
    hashes. The heads are signed with the witness's key, so the edited ones are refused."""
    first, second, _ = _witnessed_history(witness)
    rewrite_and_recompute(first + 1, "edited")
    lines = witness.store.heads_path.read_text().splitlines()
    forged = []
    for line in lines:
        doc = json.loads(line)
        doc["hash"] = AuditEvent.objects.get(id=doc["id"]).hash
        forged.append(json.dumps(doc))
    witness.store.heads_path.write_text("\n".join(forged) + "\n")
    result = _verify_with_witness(witness)
    assert result.exit_code == 1
    assert f"the head at id {second} is not signed with the witness's key" in result.stdout


def test_the_witness_refuses_a_rewritten_chain_and_keeps_no_head_for_it(witness):
    first, _, third = _witnessed_history(witness)
    kept = witness.store.heads_path.read_text()
    rewrite_and_recompute(first + 1, "rewritten")
    _append(2, "after")
    with pytest.raises(WitnessError, match="REFUSED.*rewritten"):
        witness.run()
    assert witness.store.heads_path.read_text() == kept
    result = CliRunner().invoke(witness_cli, ["run", "--data-dir", str(witness.store.dir), "--url", witness.url,
                                              "--token-file", str(witness.token_file)])
    assert result.exit_code == 1 and "REFUSED" in result.output


def test_the_witness_refuses_a_fork_after_what_it_saw(witness):
    """Attack: remove the newest events, the last one the witness saw included, and append different ones in
    their place (same ids, other content)."""
    seen = witness.run(report=False).head
    remove_from(seen.id)
    _append(5, "a different history")
    assert verify_chain().ok
    with pytest.raises(WitnessError, match=f"REFUSED: event {seen.id} of the log is no longer the one"):
        witness.run()


def test_the_witness_refuses_a_truncated_chain(witness):
    seen = witness.run(report=False).head
    remove_from(seen.id - 1)
    with pytest.raises(WitnessError, match="events have been removed"):
        witness.run()


def test_the_witness_refuses_events_whose_hash_does_not_match_their_fields(witness):
    """A server that sends rows whose content differs from what their hashes cover is refused: every hash is
    recomputed from the fields sent, not taken on trust."""
    from upstander.audit.chain import GENESIS, Head, check_extension

    page = witness.client.since(0, 1000)
    assert check_extension(Head(0, GENESIS), page["events"])[1] is None
    page["events"][1]["reason"] = "something else"
    _, broken = check_extension(Head(0, GENESIS), page["events"])
    assert broken is not None and broken.event_id == 2 and "does not match its own fields" in broken.problem


def test_a_second_run_pulls_only_what_is_new(witness):
    first = witness.run()
    _append(3)
    second = witness.run()
    # three events, the first run's confirmation and the second run's own (audited) pull
    assert second.previous == first.head and second.new_events == 5
    assert list(AuditEvent.objects.filter(id__gt=first.head.id).values_list("action", flat=True)) == [
        "audit.witness_confirm", "test.event", "test.event", "test.event", "audit.witness_pull",
        "audit.witness_confirm"]
    assert [h["id"] for h in witness.store.heads()] == [first.head.id, second.head.id]


def test_audit_head_prints_the_chains_last_event_as_json(witness_token):
    result = CliRunner().invoke(audit, ["head", "--json"])
    assert result.exit_code == 0, result.output
    last = head()
    assert json.loads(result.stdout) == {"id": last.id, "hash": last.hash}


def test_a_head_not_signed_with_the_overseers_key_is_refused(witness, client):
    last = head()
    forged = signed_head(crypto.new_signing_key().private, last.id, last.hash, "2025-01-01T00:00:00+00:00")
    response = client.post("/audit/api/witness", data=json.dumps(forged), content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {witness.client.token}")
    assert response.status_code == 400 and "not signed with the overseer's key" in response.json()["error"]
    assert not AuditEvent.objects.filter(action="audit.witness_confirm").exists()
    assert AuditEvent.objects.filter(action="api_token.use", reason__startswith="rejected").exists()
