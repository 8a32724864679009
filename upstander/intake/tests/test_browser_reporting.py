"""The whole reporter journey in a real browser with JavaScript off (as Tor Browser "Safest" runs it): an anonymous
report with a file, the receipt read from #receipt; a handler signs in and replies; the reporter comes back with the
receipt, sees the timeline and the reply, and answers."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from upstander.reports.models import Attachment, Message
from upstander.testing.browser import fill_report
from upstander.testing.fixtures import current_code


def _photo(path) -> str:
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(out, format="JPEG", exif=exif.tobytes())
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_anonymous_reporter_reports_with_a_file_and_talks_with_the_handler_with_javascript_off(
        live_server, chromium, page_js_off, cast, tmp_path):
    base = live_server.url
    page = page_js_off
    page.goto(f"{base}/report/")
    expect(page.get_by_role("button", name="Leave this site quickly")).to_be_visible()
    fill_report(page, base, narrative="An officer at the front desk shouted racist abuse at my brother.",
                place="Central police station", subject=("PC Derek Dyer", "", ""), category="Racism",
                part="Someone told me about it", files=(_photo(tmp_path / "front-desk.jpg"),))
    expect(page.get_by_text("front-desk.jpg")).to_be_visible()
    expect(page.get_by_text("Central police station")).to_be_visible()
    page.get_by_role("button", name="Submit report").click()

    receipt = page.locator("#receipt").inner_text().strip()
    assert len(receipt.split(" ")) == 7
    attachment = Attachment.objects.get()
    assert attachment.metadata_removed and attachment.kind == "image"

    staff = chromium.new_context(java_script_enabled=False).new_page()
    staff.goto(f"{base}/cases/reports/")
    staff.get_by_label("Username").fill("handler_a")
    staff.get_by_label("Password").fill(cast.passwords["handler_a"])
    staff.get_by_label("Code from your authenticator app").fill(current_code(cast.totp_keys["handler_a"]))
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_url(f"{base}/cases/reports/")
    staff.locator("table a").first.click()
    expect(staff.get_by_text("shouted racist abuse")).to_be_visible()
    staff.get_by_label("Message to the reporter").fill("Thank you. Do you know the time it happened?")
    staff.get_by_label("This is a question the reporter should answer").check()
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_text("Your message was sent to the reporter.")).to_be_visible()
    staff.context.close()

    back = chromium.new_context(java_script_enabled=False).new_page()
    back.goto(f"{base}/report/")
    back.get_by_role("link", name="Return to a report").click()
    back.get_by_label("Receipt").fill("wrong " * 7)
    back.get_by_role("button", name="Continue").click()
    expect(back.get_by_text("Receipt not recognised").first).to_be_visible()
    back.get_by_label("Receipt").fill(receipt)
    back.get_by_role("button", name="Continue").click()
    expect(back.get_by_role("heading", name="timeline")).to_be_visible()
    expect(back.get_by_text("We have received your report.")).to_be_visible()
    expect(back.get_by_text("Do you know the time it happened?")).to_be_visible()
    back.get_by_label("Your message").fill("Around half past nine in the evening.")
    back.get_by_role("button", name="Send message").click()
    expect(back.get_by_text("Your message was sent.")).to_be_visible()
    expect(back.get_by_text("Around half past nine in the evening.")).to_be_visible()
    back.context.close()
    assert list(Message.objects.values_list("direction", flat=True)) == ["to_reporter", "from_reporter"]
