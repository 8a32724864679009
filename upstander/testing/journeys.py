"""Reporter journeys through the real pages, with Django's test client (a reporter has no account), shared by the
reporter side's tests and the staff side's: they drive the pages over HTTP and import nothing from the reporter
side.

`reporter` walks the form page by page exactly as a browser with JavaScript off would, and returns the receipt read
from the response's #receipt element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.test import Client

from upstander.reports import receipts
from upstander.reports.models import Report

RECEIPT = re.compile(r'id="receipt"[^>]*>([a-z ]+)<')
TOKEN = re.compile(r'name="idempotency_token" value="([^"]+)"')


def receipt_in(response) -> str:
    match = RECEIPT.search(response.content.decode())
    assert match, response.content.decode()[:3000]
    return match.group(1)


@dataclass
class Answers:
    mode: str = "anonymous"
    reporter_type: str = "public"
    independent: bool = False
    name: str = ""
    staff_number: str = ""
    email: str = ""
    wants_update_email: bool = False
    narrative: str = "The sergeant on my team keeps making comments about my religion."
    place: str = "North Borough station"
    incident_on: str = "2024-05-01"
    categories: list[str] = field(default_factory=lambda: ["religious_discrimination", "bullying"])
    reporter_role: str = "victim"
    still_works_alongside: str = "yes"
    subjects: list[tuple[str, str, str]] = field(default_factory=lambda: [("Derek Dyer", "1004", "North Borough")])
    files: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass
class Journey:
    client: Client
    answers: Answers
    receipt: str = ""
    token: str = ""
    last: object = None

    def how(self):
        data = {"mode": self.answers.mode, "reporter_type": self.answers.reporter_type}
        if self.answers.independent:
            data["independent"] = "on"
        return self.client.post("/report/new/how", data)

    def about_you(self):
        data = {"name": self.answers.name, "staff_number": self.answers.staff_number, "email": self.answers.email}
        if self.answers.wants_update_email:
            data["wants_update_email"] = "on"
        return self.client.post("/report/new/about-you", data)

    def what(self, **overrides):
        a = self.answers
        data = {"narrative": a.narrative, "place": a.place, "incident_on": a.incident_on, "categories": a.categories,
                "reporter_role": a.reporter_role, "still_works_alongside": a.still_works_alongside}
        for i, (name, number, unit) in enumerate(a.subjects, start=1):
            data.update({f"subject_{i}_name": name, f"subject_{i}_number": number, f"subject_{i}_unit": unit})
        data.update(overrides)
        return self.client.post("/report/new/what", data)

    def upload(self, files):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post("/report/new/files", {"attachments": [SimpleUploadedFile(n, d) for n, d in files]})

    def check_token(self) -> str:
        page = self.client.get("/report/new/check")
        match = TOKEN.search(page.content.decode())
        assert match, page.content.decode()[:3000]
        self.token = match.group(1)
        return self.token

    def submit(self):
        self.last = self.client.post("/report/new/check", {"idempotency_token": self.token})
        return self.last

    def run(self) -> str:
        assert self.how().status_code == 302
        if self.answers.mode != "anonymous":
            assert self.about_you().status_code == 302
        response = self.what()
        assert response.status_code == 302, response.content.decode()[:2000]
        response = self.upload(self.answers.files)
        assert response.status_code == 302, response.content.decode()[:2000]
        self.check_token()
        response = self.submit()
        assert response.status_code == 200
        self.receipt = receipt_in(response)
        return self.receipt


@pytest.fixture
def reporter(cast):
    """reporter(**answers) -> a finished Journey (its receipt set); the personas and keys exist (cast)."""

    def make(**answers) -> Journey:
        journey = Journey(Client(), Answers(**answers))
        journey.run()
        return journey

    return make


def report_for(receipt: str) -> Report:
    normalised = receipts.normalise(receipt)
    assert normalised is not None, receipt
    return Report.objects.get(receipt_lookup=receipts.derive(normalised).lookup)


def come_back(client: Client, receipt: str):
    return client.post("/report/return", {"receipt": receipt})
