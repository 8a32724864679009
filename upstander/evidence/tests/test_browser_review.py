"""In a real browser with JavaScript off: a handler attaches a WhatsApp export to a case, links the subject's chat
name to him, reviews his flagged messages, confirms two and rejects one; the subject's history on the case page
shows the confirmed counts, and the overseer's audit log shows the file's hash and every decision."""

from __future__ import annotations

import hashlib

import pytest

from upstander.evidence.models import ChatMessage, FlagState
from upstander.evidence.review import category_label
from upstander.evidence.tests.conftest import FLAGGED_BY_DYER
from upstander.testing.fixtures import current_code


def _sign_in(context, base: str, cast, username: str):
    page = context.new_page()
    page.goto(f"{base}/accounts/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(cast.passwords[username])
    page.get_by_label("Code from your authenticator app").fill(current_code(cast.totp_keys[username]))
    page.get_by_role("button", name="Sign in").click()
    return page


def _decide(page, flag, decision: str, note: str) -> None:
    flag.get_by_label("Note on this flag").fill(note)
    flag.get_by_role("button", name=decision).click()
    assert "That was not done" not in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_handler_attaches_a_chat_reviews_a_subjects_flags_and_the_case_page_shows_confirmed_counts(
        live_server, chromium, cast, opened, chat_file):
    base = live_server.url
    case = opened()
    name, data = chat_file
    staff = _sign_in(chromium.new_context(java_script_enabled=False), base, cast, "handler_a")

    staff.goto(f"{base}/cases/{case.code}/")
    staff.get_by_role("link", name="Attach a chat export").click()
    staff.locator("input[name=export]").set_input_files(files=[{"name": name, "mimeType": "text/plain", "buffer": data}])
    staff.get_by_role("button", name="Attach and review").click()
    digest = hashlib.sha256(data).hexdigest()
    assert staff.locator("#sha256").inner_text() == digest

    staff.get_by_role("link", name="Link Dezza Dyer 🚓 to a person").click()
    staff.get_by_role("button", name="Link Derek Dyer").click()
    staff.get_by_role("link", name="Review Dezza Dyer 🚓's flagged messages").click()
    flags = staff.locator("li.flag")
    assert flags.count() == 3
    assert "kit check at 6" in staff.locator("main").inner_text()  # context around the flags
    _decide(staff, staff.locator("li.flag").nth(0), "Confirm", "Derogatory about women officers.")
    _decide(staff, staff.locator("li.flag").nth(1), "Confirm", "Homophobic slur about a colleague in traffic.")
    _decide(staff, staff.locator("li.flag").nth(2), "Reject", "Quoting what a member of the public said.")
    states = [s.inner_text() for s in staff.locator("li.flag .state").all()]
    assert states == ["Confirmed", "Confirmed", "Rejected"]

    staff.goto(f"{base}/cases/{case.code}/")
    history = staff.locator("#chat-evidence").inner_text()
    for _, category in FLAGGED_BY_DYER[:2]:
        assert f"{category_label(category)} 1" in history, history
    assert category_label(FLAGGED_BY_DYER[2][1]) not in history
    assert ChatMessage.objects.filter(state=FlagState.CONFIRMED).count() == 2

    overseer = _sign_in(chromium.new_context(java_script_enabled=False), base, cast, "overseer")
    overseer.goto(f"{base}/audit/?action=evidence.")
    log = overseer.locator("main").inner_text()
    assert digest in log
    # The audit page names actions in words ("evidence flag confirm"), never as codes.
    assert log.count("evidence flag confirm") == 2 and log.count("evidence flag reject") == 1
    for note in ("Derogatory about women officers.", "Homophobic slur about a colleague in traffic.",
                 "Quoting what a member of the public said."):
        assert note in log
    staff.context.close()
    overseer.context.close()
