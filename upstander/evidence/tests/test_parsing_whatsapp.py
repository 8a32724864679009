"""WhatsApp exports in every form phones write them: every message found, none invented, senders and texts as
written."""

from __future__ import annotations

from datetime import datetime

import pytest

from upstander.evidence import render
from upstander.evidence.parsing import Kind, ParseError, read_bytes
from upstander.evidence.render import NNBSP, Line, WhatsAppStyle
from upstander.evidence.tests.chats import conversation, people

STYLES = {
    "android-uk": WhatsAppStyle(),
    "android-us": WhatsAppStyle(day_first=False, twelve_hour=True, four_digit_year=False),
    "android-us-narrow-space": WhatsAppStyle(day_first=False, twelve_hour=True, four_digit_year=False, space=NNBSP),
    "android-dots": WhatsAppStyle(separator=".", four_digit_year=False),
    "android-crlf-12h-lower": WhatsAppStyle(twelve_hour=True, ampm="am", crlf=True),
    "ios-uk": WhatsAppStyle(ios=True),
    "ios-us": WhatsAppStyle(ios=True, day_first=False, twelve_hour=True, four_digit_year=False, space=NNBSP),
    "ios-dotted-ampm": WhatsAppStyle(ios=True, twelve_hour=True, ampm="a.m."),
    "ios-spaced-dotted-ampm": WhatsAppStyle(ios=True, twelve_hour=True, ampm="a. m.", crlf=True),
    "ios-no-seconds": WhatsAppStyle(ios=True, seconds=False, four_digit_year=False),
}


def _expected_text(line: Line) -> str:
    return line.text


@pytest.mark.parametrize("name", sorted(STYLES))
def test_every_message_is_read_back_with_its_sender_time_kind_and_text(name):
    lines = conversation(300, seed=len(name))
    style = STYLES[name]
    chat = read_bytes("WhatsApp Chat with Team.txt", render.whatsapp(lines, style))
    got = chat.people_messages
    want = people(lines)
    assert len(got) == len(want)
    assert chat.unreadable == []
    for message, line in zip(got, want, strict=True):
        assert message.sender == line.sender
        assert message.kind == line.kind
        assert message.when == line.when.replace(second=line.when.second if (style.ios and style.seconds is not False)
                                                 else 0)
        if line.kind == Kind.MESSAGE:
            assert message.text == _expected_text(line)
            assert message.edited == line.edited
    assert sum(1 for m in chat.messages if m.kind == Kind.SYSTEM) == len(lines) - len(want)
    assert all(m.sender == "" for m in chat.messages if m.kind == Kind.SYSTEM)


@pytest.mark.parametrize("name", ["android-uk", "ios-us"])
def test_a_zip_with_media_is_read_from_its_chat_file(name):
    lines = conversation(40, seed=3)
    chat = read_bytes("WhatsApp Chat - Team.zip", render.whatsapp_zip(lines, STYLES[name]))
    assert len(chat.people_messages) == len(people(lines))


def test_day_first_and_month_first_are_told_apart_by_a_day_over_twelve():
    lines = conversation(60, seed=5)
    uk = read_bytes("a.txt", render.whatsapp(lines, STYLES["android-uk"]))
    us = read_bytes("b.txt", render.whatsapp(lines, STYLES["android-us"]))
    assert [m.when for m in uk.messages] == [m.when for m in us.messages]
    assert "day-first" in uk.notes[0] and "month-first" in us.notes[0]


def test_an_ambiguous_file_is_read_day_first_unless_told_otherwise():
    lines = [Line("Dave", datetime(2021, 3, 5, 9, 0), "one"), Line("Dave", datetime(2021, 3, 6, 9, 0), "two")]
    data = render.whatsapp(lines, WhatsAppStyle())
    assert read_bytes("a.txt", data).messages[0].when == datetime(2021, 3, 5, 9, 0)
    assert read_bytes("a.txt", data, order="month-first").messages[0].when == datetime(2021, 5, 3, 9, 0)
    assert "as asked" in read_bytes("a.txt", data, order="month-first").notes[0]


def test_the_at_field_is_iso_8601_of_the_time_as_the_phone_wrote_it():
    lines = [Line("Dave", datetime(2021, 12, 31, 23, 59, 58), "late")]
    ios = read_bytes("a.txt", render.whatsapp(lines, WhatsAppStyle(ios=True, twelve_hour=True, space=NNBSP)))
    android = read_bytes("a.txt", render.whatsapp(lines, WhatsAppStyle()))
    assert ios.messages[0].at == "2021-12-31T23:59:58"
    assert android.messages[0].at == "2021-12-31T23:59:00"
    assert android.messages[0].written == "31/12/2021, 23:59"


def test_twelve_am_is_midnight_and_twelve_pm_is_noon():
    lines = [Line("Dave", datetime(2021, 3, 14, 0, 15), "midnight"), Line("Dave", datetime(2021, 3, 14, 12, 15), "noon")]
    chat = read_bytes("a.txt", render.whatsapp(lines, STYLES["android-us"]))
    assert [m.when.hour for m in chat.messages] == [0, 12]


def test_a_real_android_export_with_its_oddities():
    text = (
        "\ufeff12/03/2021, 08:01 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
        "WhatsApp, can read or listen to them. Tap to learn more.\r\n"
        "12/03/2021, 08:01 - Dave Smith created group \"Relief B\"\r\n"
        "12/03/2021, 08:02 - Dave Smith added +44 7700 900123\r\n"
        "12/03/2021, 08:03 - +44 7700 900123: morning\r\n"
        "12/03/2021, 08:04 - Dave Smith: <Media omitted>\r\n"
        "12/03/2021, 08:05 - Dave Smith: IMG-20210312-WA0001.jpg (file attached)\r\n"
        "look at this\r\n"
        "12/03/2021, 08:06 - Dave Smith: This message was deleted\r\n"
        "12/03/2021, 08:07 - Dave Smith: fixed the rota <This message was edited>\r\n"
        "13/03/2021, 09:00 - +44 7700 900123 left\r\n")
    chat = read_bytes("WhatsApp Chat with Relief B.txt", text.encode())
    kinds = [(m.sender, m.kind) for m in chat.messages]
    assert kinds == [("", "system"), ("", "system"), ("", "system"), ("+44 7700 900123", "message"),
                     ("Dave Smith", "media"), ("Dave Smith", "media"), ("Dave Smith", "deleted"),
                     ("Dave Smith", "message"), ("", "system")]
    assert chat.messages[5].text == "IMG-20210312-WA0001.jpg (file attached)\nlook at this"
    assert chat.messages[7].text == "fixed the rota" and chat.messages[7].edited


def test_a_real_ios_export_with_its_marks():
    text = (
        "[12/03/2021, 08:01:10] Relief B: \u200eMessages and calls are end-to-end encrypted. No one outside of this "
        "chat, not even WhatsApp, can read or listen to them.\n"
        "\u200e[12/03/2021, 08:01:10] Relief B: \u200eDave Smith added \u202a+44 7700 900123\u202c\n"
        "[12/03/2021, 08:02:00] \u202a+44 7700 900123\u202c: morning\n"
        "\u200e[12/03/2021, 08:03:00] Dave Smith: \u200eimage omitted\n"
        "\u200e[12/03/2021, 08:04:00] Dave Smith: \u200e<attached: 00000012-PHOTO-2021-03-12-08-04-00.jpg>\n"
        "[12/03/2021, 08:05:00] Dave Smith: \u200eThis message was deleted.\n"
        "[12/03/2021, 08:06:00] Dave Smith: two\nlines \u200e<This message was edited>\n")
    chat = read_bytes("_chat.txt", text.encode())
    assert [(m.sender, m.kind) for m in chat.messages] == [
        ("", "system"), ("", "system"), ("+44 7700 900123", "message"), ("Dave Smith", "media"),
        ("Dave Smith", "media"), ("Dave Smith", "deleted"), ("Dave Smith", "message")]
    assert chat.messages[-1].text == "two\nlines" and chat.messages[-1].edited


def test_a_line_that_looks_like_a_header_but_names_nobody_continues_the_message_above():
    text = ("14/03/2021, 10:00 - Dave: the dates were\n"
            "01/03/2021, 09:00 - the first shift\n"
            "02/03/2021 the second\n"
            "15/03/2021, 10:01 - Mo: ok\n")
    chat = read_bytes("a.txt", text.encode())
    assert [(m.sender, m.text) for m in chat.messages] == [
        ("Dave", "the dates were\n01/03/2021, 09:00 - the first shift\n02/03/2021 the second"), ("Mo", "ok")]


def test_a_sender_with_a_colon_is_told_from_a_text_with_one():
    text = ("14/03/2021, 10:00 - Sgt Jones: Team B: morning\n"
            "14/03/2021, 10:01 - Sgt Jones: Team B: Reminder: kit check\n"
            "14/03/2021, 10:02 - Dave: Reminder: lates\n"
            "14/03/2021, 10:03 - Dave: ok\n"
            "14/03/2021, 10:04 - Dave: fine\n")
    chat = read_bytes("a.txt", text.encode())
    assert [(m.sender, m.text) for m in chat.messages] == [
        ("Sgt Jones: Team B", "morning"), ("Sgt Jones: Team B", "Reminder: kit check"), ("Dave", "Reminder: lates"),
        ("Dave", "ok"), ("Dave", "fine")]


def test_lines_it_cannot_read_are_counted_and_shown_not_dropped():
    text = (b"some header the phone never writes\n"
            b"14/03/2021, 10:00 - Dave: fine\n"
            b"45/13/2021, 10:00 - Dave: impossible date\n") + b"15/03/2021, 10:01 - Mo: caf\xe9\n"
    chat = read_bytes("a.txt", text)
    assert [u.line for u in chat.unreadable] == [1, 3, 4]
    assert "before the first message header" in chat.unreadable[0].reason
    assert "not a real date" in chat.unreadable[1].reason
    assert [m.text for m in chat.messages] == ["fine", "caf\ufffd"]


def test_an_empty_file_and_a_file_that_is_no_chat_get_clear_messages():
    with pytest.raises(ParseError, match=r"empty\.txt: the file is empty"):
        read_bytes("empty.txt", b"")
    with pytest.raises(ParseError, match=r"notes\.txt: this is not a WhatsApp chat export"):
        read_bytes("notes.txt", b"Shopping list\nmilk\neggs\n")
    with pytest.raises(ParseError, match="not a text file"):
        read_bytes("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    with pytest.raises(ParseError, match="damaged"):
        read_bytes("chat.zip", b"PK\x03\x04 cut short")
