"""The report form's GOV.UK patterns, through the real pages: "Check your answers" lists every answer and its
Change links come back to it; saving a draft for later gives a code that works once; the status page's forms each
have their own ids and names; a retaliation report is marked as one."""

from __future__ import annotations

import re
from collections import Counter

from django.test import Client

from upstander.reports.models import Draft, ReporterRequest
from upstander.testing.journeys import Answers, Journey, come_back, report_for

ROW = re.compile(r"<dt>([^<]+)</dt>\s*<dd class=\"summary-value\">(.*?)</dd>\s*<dd class=\"summary-action\">"
                 r"<a href=\"([^\"]+)\">", re.S)


def _ready_to_check(client: Client, **answers) -> Journey:
    journey = Journey(client, Answers(**answers))
    journey.how()
    if journey.answers.mode != "anonymous":
        journey.about_you()
    journey.what()
    journey.upload([])
    journey.equality(reporter_sex="female")
    return journey


def _rows(client: Client) -> dict[str, tuple[str, str]]:
    html = client.get("/report/new/check").content.decode()
    return {label: (re.sub(r"<[^>]+>", " ", value).strip(), href) for label, value, href in ROW.findall(html)}


def test_check_your_answers_lists_every_answer_with_a_change_link(cast):
    client = Client()
    _ready_to_check(client, mode="named", reporter_type="staff", name="Sam Public", staff_number="1005",
                    email="sam@example.org", narrative="He said it in front of the whole shift.",
                    place="North Borough station", incident_on="2024-03-02")
    rows = _rows(client)
    expected = {
        "How you are reporting": ("Named", "how"), "Police officer or staff": ("Yes, I am a police officer", "staff"),
        "Who your report goes to": ("The force's professional standards team", "route"),
        "Your name": ("Sam Public", "about-you"), "Your warrant or staff number": ("1005", "about-you"),
        "Email address": ("sam@example.org", "about-you"), "What happened": ("He said it in front", "what"),
        "When it happened": ("2 March 2024", "when"), "Where it happened": ("North Borough station", "where"),
        "Who did it": ("Derek Dyer, 1004, North Borough", "who"), "What it was about": ("Bullying", "about"),
        "Your part in it": ("It happened to me", "your-part"), "Still working alongside them": ("Yes", "alongside"),
        "Your sex": ("Female", "equality"), "Your ethnic group": ("Not given", "equality"),
        "Files": ("None", "files"),
    }
    assert set(rows) == set(expected)
    for label, (text, page) in expected.items():
        shown, href = rows[label]
        assert text.replace("'", "&#x27;") in shown or text in shown, (label, shown)
        assert href == f"/report/new/{page}?change=1", (label, href)


def test_a_change_link_comes_back_to_check_your_answers_and_brings_any_new_question_first(cast):
    client = Client()
    _ready_to_check(client, narrative="First version.")
    back = client.get("/report/new/what?change=1").content.decode()
    assert '<a class="back-link" href="/report/new/check">' in back
    assert 'action="/report/new/what?change=1"' in back
    response = client.post("/report/new/what?change=1", {"narrative": "Second version."})
    assert response["Location"] == "/report/new/check"
    assert "Second version." in _rows(client)["What happened"][0]
    # Changing an anonymous report to a named one brings "About you" in, then back to the check page.
    response = client.post("/report/new/how?change=1", {"mode": "named"})
    assert response["Location"] == "/report/new/about-you?change=1"
    response = client.post("/report/new/about-you?change=1", {"name": "Sam Public"})
    assert response["Location"] == "/report/new/check"
    assert _rows(client)["Your name"][0] == "Sam Public"


def test_a_saved_draft_comes_back_once_with_its_code_and_nothing_on_the_device_leads_to_it(cast):
    client = Client()
    journey = Journey(client, Answers(narrative="Saved for later: the sergeant's comments."))
    journey.how()
    journey.post("what", {"narrative": journey.answers.narrative})
    saved = client.post("/report/new/when", {"incident_day": "4", "save": "1"})  # an unfinished answer, kept too
    assert saved.status_code == 200
    code = re.search(r'id="saved-code"[^>]*>([a-z ]+)<', saved.content.decode()).group(1)
    assert len(code.split()) == 5
    assert saved.cookies["upstander_draft"].value == ""  # the device's way back is gone
    assert client.get("/report/new/what")["Location"] == "/report/new/how"
    assert b"sergeant" not in bytes(Draft.objects.get().payload_ct)

    other_device = Client()
    assert other_device.post("/report/new/resume", {"code": "wrong " * 5}).status_code == 400
    resumed = other_device.post("/report/new/resume", {"code": code.upper().replace(" ", "-")})
    assert resumed.status_code == 302 and resumed["Location"] == "/report/new/when"
    assert 'value="4"' in other_device.get("/report/new/when").content.decode()
    assert "Saved for later" in other_device.get("/report/new/what").content.decode()
    again = Client().post("/report/new/resume", {"code": code})
    assert again.status_code == 400 and "Code not recognised" in again.content.decode()  # it worked once


def test_after_a_quick_exit_a_draft_that_was_not_saved_cannot_be_found(cast):
    client = Client()
    journey = Journey(client, Answers(narrative="Not saved."))
    journey.how()
    journey.what()
    cookie = client.cookies["upstander_draft"].value
    client.post("/report/exit")
    assert not Draft.objects.exists()
    revisit = Client()
    revisit.cookies["upstander_draft"] = cookie  # even a copy of the old cookie finds nothing
    assert revisit.get("/report/new/what")["Location"] == "/report/new/how"


def test_the_status_page_forms_have_their_own_ids_and_names_and_an_error_links_to_its_own_box(reporter):
    visitor = Client()
    come_back(visitor, reporter().receipt)
    html = visitor.get("/report/status").content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert not [i for i, n in ids.items() if n > 1], ids
    names = re.findall(r'<textarea[^>]*name="([^"]+)"', html)
    assert names == ["message-body", "information-body", "retaliation-body"]
    for name in names:
        assert re.search(rf'<label for="id_{name}">[^<]+</label>', html), name
    forms = re.findall(r'<form [^>]*id="([^"]+)"[^>]*>', html)
    assert len(forms) == len(set(forms)) and all(" novalidate" in f for f in re.findall(r"<form[^>]*>", html))

    refused = visitor.post("/report/status/retaliation", {"retaliation-body": " "})
    page = refused.content.decode()
    assert refused.status_code == 400
    main = page.split('<main id="main"', 1)[1]
    assert main.index('id="error-summary"') < main.index("<h1")
    assert '<a href="#id_retaliation-body">Tell us what has happened to you</a>' in main
    assert 'aria-describedby="id_retaliation-body_helptext id_retaliation-body-error"' in main


def test_a_retaliation_report_is_marked_as_one_for_the_reporter_and_recorded_for_the_staff_side(reporter):
    journey = reporter()
    visitor = Client()
    come_back(visitor, journey.receipt)
    visitor.post("/report/status/message", {"message-body": "An ordinary message."})
    visitor.post("/report/status/retaliation", {"retaliation-body": "I was left off the rota after I reported."})
    html = visitor.get("/report/status?sent=retaliation").content.decode()
    assert html.count("You reported retaliation</p>") == 1
    marked = html.split("You reported retaliation</p>", 1)[1].split("</li>", 1)[0]
    assert "I was left off the rota" in marked
    assert "You have reported retaliation 1 time." in html
    assert list(ReporterRequest.objects.filter(report=report_for(journey.receipt)).values_list("kind", flat=True)) \
        == ["retaliation"]
