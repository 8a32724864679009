"""Slack workspace exports and Teams Graph messages: every message found, none invented; system events kept apart."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from upstander.evidence import render
from upstander.evidence.parsing import Kind, ParseError, read_bytes, read_path
from upstander.evidence.parsing.teams import html_to_text
from upstander.evidence.tests.chats import conversation, people


def _check(chat, lines):
    want = people(lines)
    got = chat.people_messages
    assert len(got) == len(want)
    for message, line in zip(got, want, strict=True):
        assert (message.sender, message.kind) == (line.sender, line.kind)
        assert message.when == line.when.replace(tzinfo=UTC)
        if line.kind == Kind.MESSAGE:
            assert message.text == line.text and message.edited == line.edited
    assert sum(1 for m in chat.messages if m.kind == Kind.SYSTEM) == len(lines) - len(want)


def test_a_slack_zip_is_read_with_user_ids_turned_into_names():
    lines = conversation(200, seed=7)
    chat = read_bytes("Relief B Slack export Mar 2021.zip", render.zipped(render.slack_files(lines)))
    assert chat.format == "slack"
    _check(chat, lines)
    assert chat.unreadable == []


def test_a_slack_export_folder_is_read_as_well(tmp_path):
    lines = conversation(30, seed=8)
    for name, data in render.slack_files(lines).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    _check(read_path(tmp_path), lines)


def _slack(messages: list[dict]) -> bytes:
    users = [{"id": "U1", "name": "dave", "real_name": "Dave Smith", "profile": {"real_name": "Dave Smith"}},
             {"id": "U2", "name": "mo", "profile": {"real_name": "Mo Khan"}}]
    return render.zipped({"export/users.json": json.dumps(users).encode(),
                          "export/channels.json": json.dumps([{"id": "C1", "name": "relief-b"}]).encode(),
                          "export/relief-b/2021-03-14.json": json.dumps(messages).encode()})


def test_slack_markup_is_made_plain_and_bots_and_joins_are_kept_apart():
    chat = read_bytes("slack.zip", _slack([
        {"type": "message", "subtype": "channel_join", "ts": "1615716000.000100", "user": "U2",
         "text": "<@U2> has joined the channel"},
        {"type": "message", "ts": "1615716060.000200", "user": "U1",
         "text": "<@U2> see <https://example.org|the rota> &amp; <#C1|relief-b> &lt;3"},
        {"type": "message", "subtype": "bot_message", "ts": "1615716120.000300", "bot_id": "B1", "username": "Rota bot",
         "text": "Shift starts in 10 minutes"},
        {"type": "message", "ts": "1615716180.000400", "user": "U9", "user_profile": {"real_name": "Guest Person"},
         "text": "hi"},
    ]))
    assert [(m.sender, m.kind) for m in chat.messages] == [
        ("", "system"), ("Dave Smith", "message"), ("Rota bot", "system"), ("Guest Person", "message")]
    assert chat.messages[1].text == "@Mo Khan see the rota & #relief-b <3"
    assert chat.messages[1].at == "2021-03-14T10:01:00.000200+00:00"
    assert chat.messages[1].channel == "relief-b"


def test_a_broken_slack_day_file_is_counted_as_unreadable_with_its_name():
    data = _slack([{"type": "message", "ts": "1615716060.000200", "user": "U1", "text": "fine"},
                   {"type": "message", "user": "U1", "text": "no time"}])
    chat = read_bytes("slack.zip", data)
    assert len(chat.messages) == 1
    assert chat.unreadable[0].file == "slack.zip/export/relief-b/2021-03-14.json"
    assert "no readable time" in chat.unreadable[0].reason


def test_a_teams_page_is_read_oldest_first_with_html_made_plain():
    lines = conversation(120, seed=9)
    chat = read_bytes("messages.json", render.teams(lines))
    assert chat.format == "teams"
    _check(chat, lines)


def test_a_bare_list_of_teams_messages_is_read_too():
    lines = conversation(20, seed=10)
    _check(read_bytes("messages.json", render.teams(lines, page=False)), lines)


def test_teams_html_keeps_mentions_emoji_and_line_breaks_and_drops_attachments():
    text, media = html_to_text('<div><div>Hello <at id="0">Megan Bowen</at>&nbsp;<emoji id="laugh" alt="😆" '
                               'title="Laugh"></emoji></div><div>second&amp;line<br>third</div>'
                               '<attachment id="abc"></attachment></div>')
    assert text == "Hello Megan Bowen 😆\nsecond&line\nthird"
    assert media == 1


def test_teams_system_events_deleted_and_edited_messages():
    stamp = "2021-03-14T10:00:00.123Z"
    raw = [
        {"id": "1", "messageType": "systemEventMessage", "createdDateTime": stamp, "from": None,
         "body": {"contentType": "html", "content": "<systemEventMessage/>"},
         "eventDetail": {"@odata.type": "#microsoft.graph.membersAddedEventMessageDetail"}},
        {"id": "2", "messageType": "message", "createdDateTime": stamp, "deletedDateTime": stamp,
         "from": {"user": {"displayName": "Dave Smith"}}, "body": {"contentType": "html", "content": ""}},
        {"id": "3", "messageType": "message", "createdDateTime": stamp, "lastEditedDateTime": stamp,
         "from": {"user": {"displayName": "Dave Smith"}}, "body": {"contentType": "text", "content": "edited"}},
    ]
    chat = read_bytes("chat.json", json.dumps({"value": raw}).encode())
    assert [(m.sender, m.kind, m.edited) for m in chat.messages] == [
        ("", "system", False), ("Dave Smith", "deleted", False), ("Dave Smith", "message", True)]
    assert chat.messages[0].text == "members added"
    assert chat.messages[2].at == stamp and chat.messages[2].when == datetime(2021, 3, 14, 10, 0, 0, 123000, UTC)


def test_a_teams_message_without_a_time_is_counted_as_unreadable():
    raw = [{"id": "1", "messageType": "message", "createdDateTime": "2021-03-14T10:00:00Z",
            "from": {"user": {"displayName": "Dave"}}, "body": {"contentType": "text", "content": "ok"}},
           {"id": "2", "messageType": "message", "createdDateTime": "yesterday",
            "from": {"user": {"displayName": "Dave"}}, "body": {"contentType": "text", "content": "lost?"}}]
    chat = read_bytes("chat.json", json.dumps(raw).encode())
    assert len(chat.messages) == 1 and len(chat.unreadable) == 1
    assert chat.unreadable[0].file == "chat.json" and "message 2" in chat.unreadable[0].reason


def test_broken_json_and_json_that_is_no_chat_are_named_in_the_error():
    with pytest.raises(ParseError, match=r"chat\.json, line 2: it is not valid JSON"):
        read_bytes("chat.json", b'{"value": [\n  {"id": 1,,}]}')
    with pytest.raises(ParseError, match=r"config\.json: this JSON is not Teams chat messages"):
        read_bytes("config.json", b'{"debug": true}')
    with pytest.raises(ParseError, match=r"holiday\.zip: nothing in it is a chat export"):
        read_bytes("holiday.zip", render.zipped({"photo.jpg": b"\xff\xd8", "notes.md": b"# hi"}))


def test_teams_messages_saved_inside_a_chat_object_are_found():
    lines = conversation(10, seed=11)
    messages = json.loads(render.teams(lines, page=False))
    wrapped = {"chats": [{"id": "19:team@thread.v2", "topic": "Relief B", "messages": messages}]}
    _check(read_bytes("backup.json", json.dumps(wrapped).encode()), lines)
