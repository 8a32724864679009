"""Chat evidence actions: attach (encrypted, hashed, audited), confirm and reject flags, link senders, read the whole
chat — each permission-checked and audited in the same transaction."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from upstander.accounts.models import OrganisationKind
from upstander.audit.log import Actor, verify_chain
from upstander.audit.models import AuditEvent
from upstander.cases.guards import ReasonsRequired, Refused
from upstander.evidence import access, actions, history, pages, sealing
from upstander.evidence.models import ChatExport, ChatMessage, ExportChunk, FlagState
from upstander.evidence.parsing import ParseError
from upstander.evidence.people import suggestions
from upstander.evidence.tests.conftest import FLAGGED_BY_DYER
from upstander.lib import clock


@pytest.fixture
def attached(opened, cast, chat_file):
    case = opened()
    name, data = chat_file
    return actions.do_attach_export(actor=cast.users["handler_a"], case=case, name=name, data=data)


def _dyer_flags(export):
    return list(ChatMessage.objects.filter(export=export, sender__name="Dezza Dyer 🚓", state=FlagState.FLAGGED))


def test_an_attached_export_is_kept_encrypted_with_its_hash_audited_and_every_message_classified(attached, cast,
                                                                                                 chat_file):
    export = attached.export
    name, data = chat_file
    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert export.message_count == 12 and export.unreadable_count == 0 and export.system_count == 1
    event = AuditEvent.objects.get(action="evidence.attach")
    assert export.sha256 in event.reason and event.actor == "user:handler_a"
    stored = b"".join(bytes(c.blob) for c in ExportChunk.objects.filter(export=export))
    assert b"bitches" not in stored and b"Dezza" not in stored
    assert all(b"bitches" not in bytes(m.text_ct) for m in ChatMessage.objects.filter(export=export))
    force = cast.users["handler_a"].organisation
    assert force.kind == OrganisationKind.FORCE
    original = access.read_original(cast.users["handler_a"], export, cast.org_keys[OrganisationKind.FORCE])
    assert original == data
    overseer_key = cast.org_keys[OrganisationKind.OVERSEER]
    assert access.read_original(cast.users["overseer"], export, overseer_key) == data
    assert sorted(m.category for m in _dyer_flags(export)) == sorted(c for _, c in FLAGGED_BY_DYER)
    assert verify_chain().ok


def test_the_export_does_not_open_with_another_organisations_key(attached, cast):
    with pytest.raises(sealing.KeyUnavailable):
        access.data_key_for(cast.users["handler_a"], attached.export, cast.org_keys[OrganisationKind.CUSTODIANS])
    with pytest.raises(sealing.KeyUnavailable):
        access.data_key_for(cast.users["handler_a"], attached.export, None)


@pytest.mark.parametrize("name, data, problem", [
    ("empty.txt", b"", "the file is empty"),
    ("shopping.txt", b"milk\neggs\n", "not a WhatsApp chat export"),
    ("broken.json", b'{"value": [{"id": 1,,}]}', "line 1: it is not valid JSON"),
    ("notices.txt", b"14/03/2021, 10:00 - Messages and calls are end-to-end encrypted.\n", "no messages from people"),
])
def test_an_empty_broken_or_non_chat_file_gets_a_clear_message_and_changes_nothing(opened, cast, name, data, problem):
    case = opened()
    before = AuditEvent.objects.count()
    with pytest.raises(ParseError, match=problem) as raised:
        actions.do_attach_export(actor=cast.users["handler_a"], case=case, name=name, data=data)
    assert name in str(raised.value)
    assert ChatExport.objects.count() == 0 and AuditEvent.objects.count() == before


def test_a_handler_not_on_the_case_may_not_attach_or_decide(attached, opened, cast, chat_file):
    other = cast.users["handler_b"]
    name, data = chat_file
    with pytest.raises(PermissionDenied):
        actions.do_attach_export(actor=other, case=attached.export.case, name=name, data=data)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_flag(actor=other, message=_dyer_flags(attached.export)[0], note="looks racist to me")


def test_confirming_and_rejecting_are_audited_with_the_note_and_counted_apart(attached, cast):
    handler = cast.users["handler_a"]
    first, second, third = _dyer_flags(attached.export)
    actions.do_confirm_flag(actor=handler, message=first, note="Derogatory about women officers.")
    actions.do_confirm_flag(actor=handler, message=second, note="Homophobic slur about a colleague.")
    actions.do_reject_flag(actor=handler, message=third, note="Quoting a member of the public.")
    assert [m.state for m in ChatMessage.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("position")] == [
        FlagState.CONFIRMED, FlagState.CONFIRMED, FlagState.REJECTED]
    events = list(AuditEvent.objects.filter(action__startswith="evidence.flag").order_by("id"))
    assert [e.action for e in events] == ["evidence.flag.confirm", "evidence.flag.confirm", "evidence.flag.reject"]
    assert "Quoting a member of the public." in events[2].reason and "Dezza Dyer" in events[2].reason
    dyer = attached.export.senders.get(name="Dezza Dyer 🚓")
    [row] = pages.counts(attached.export, [dyer])
    assert sum(c.flagged for c in row.total) == 3 and sum(c.confirmed for c in row.total) == 2


def test_a_decision_needs_a_note_and_a_flag(attached, cast):
    handler = cast.users["handler_a"]
    with pytest.raises(ReasonsRequired):
        actions.do_confirm_flag(actor=handler, message=_dyer_flags(attached.export)[0], note="")
    plain = ChatMessage.objects.filter(export=attached.export, state=FlagState.NONE, kind="message").first()
    with pytest.raises(Refused, match="not flagged"):
        actions.do_reject_flag(actor=handler, message=plain, note="nothing to see here")


def test_a_system_actor_may_attach_from_the_command_line_but_not_decide(opened, cast, chat_file):
    name, data = chat_file
    attached = actions.do_attach_export(actor=Actor.system("evidence"), case=opened(), name=name, data=data)
    assert AuditEvent.objects.get(action="evidence.attach").actor == "system:evidence"
    with pytest.raises(Refused):
        actions.do_confirm_flag(actor=Actor.system("evidence"), message=_dyer_flags(attached.export)[0],
                                note="not a person's decision")


def test_a_sender_is_suggested_from_the_roster_and_linked_by_a_handler(attached, cast, roster):
    export = attached.export
    dyer = export.senders.get(name="Dezza Dyer 🚓")
    found = suggestions(dyer.name, [roster["1004"]])
    assert found[0].person == roster["1004"] and found[0].subject
    actions.do_link_sender(actor=cast.users["handler_a"], sender=dyer, person=roster["1004"])
    dyer.refresh_from_db()
    assert dyer.person == roster["1004"] and dyer.linked_by == "user:handler_a"
    assert AuditEvent.objects.filter(action="evidence.sender.link", reason__contains="1004").exists()
    assert access.shown_by_default(dyer, access.subjects_of(export.case))
    assert not access.shown_by_default(export.senders.get(name="Gina Green"), access.subjects_of(export.case))


def test_the_subjects_history_counts_only_confirmed_messages(attached, cast, roster):
    handler = cast.users["handler_a"]
    export = attached.export
    dyer = export.senders.get(name="Dezza Dyer 🚓")
    actions.do_link_sender(actor=handler, sender=dyer, person=roster["1004"])
    first, second, _ = _dyer_flags(export)
    actions.do_confirm_flag(actor=handler, message=first, note="Derogatory about women officers.")
    [counts] = history.confirmed_counts(export.case, handler)
    assert counts.person == roster["1004"]
    assert counts.this_case == [(history.category_label(first.category), 1)] and counts.other_cases == []
    assert history.confirmed_counts(export.case, cast.users["handler_b"])[0].this_case == []


def test_reading_the_whole_chat_needs_a_reason_and_lapses(attached, cast, monkeypatch):
    handler = cast.users["handler_a"]
    export = attached.export
    with pytest.raises(ReasonsRequired):
        actions.do_open_whole_chat(actor=handler, export=export, reason="")
    assert access.open_reading(handler, export) is None
    actions.do_open_whole_chat(actor=handler, export=export, reason="Checking who else joined in.")
    assert access.open_reading(handler, export) is not None
    assert AuditEvent.objects.filter(action="evidence.whole_chat", reason__contains="who else").exists()
    later = clock.now() + timedelta(hours=9)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert access.open_reading(handler, export) is None
