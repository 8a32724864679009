"""Reporter journeys through the real pages, with Django's test client (a reporter has no account), shared by the
reporter side's tests and the staff side's: they drive the pages over HTTP and import nothing from the reporter
side.

`reporter` walks the form page by page exactly as a browser with JavaScript off would, and returns the receipt read
from the response's #receipt element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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


# Which page asks for which answer (the report form asks one question per page).
PAGE_FIELDS = {
    "what": ("narrative",),
    "when": ("incident_day", "incident_month", "incident_year"),
    "where": ("place",),
    "who": tuple(f"subject_{i}_{part}" for i in (1, 2, 3) for part in ("name", "number", "unit")),
    "about": ("categories",),
    "your-part": ("reporter_role",),
    "alongside": ("still_works_alongside",),
}


@dataclass
class Journey:
    client: Client
    answers: Answers
    receipt: str = ""
    token: str = ""
    last: Any = None

    def post(self, page: str, data: dict):
        self.last = self.client.post(f"/report/new/{page}", data)
        return self.last

    def how(self):
        """The three "how you report" pages; the response of the first that refuses, or of the last."""
        a = self.answers
        steps = [("how", {"mode": a.mode}), ("staff", {"reporter_type": a.reporter_type})]
        if a.reporter_type == "staff":
            steps.append(("route", {"route": "independent" if a.independent else "force"}))
        return self._walk(steps)

    def about_you(self):
        data = {"name": self.answers.name, "staff_number": self.answers.staff_number, "email": self.answers.email}
        if self.answers.wants_update_email:
            data["wants_update_email"] = "on"
        return self.post("about-you", data)

    def what_answers(self) -> dict:
        a = self.answers
        year, month, day = a.incident_on.split("-") if a.incident_on else ("", "", "")
        data = {"narrative": a.narrative, "place": a.place, "incident_day": day, "incident_month": month,
                "incident_year": year, "categories": a.categories, "reporter_role": a.reporter_role,
                "still_works_alongside": a.still_works_alongside}
        for i, (name, number, unit) in enumerate(a.subjects, start=1):
            data.update({f"subject_{i}_name": name, f"subject_{i}_number": number, f"subject_{i}_unit": unit})
        return data

    def what(self, **overrides):
        """The "what happened" pages, one question each; the response of the first that refuses, or of the last."""
        data = {**self.what_answers(), **overrides}
        pages = [p for p in PAGE_FIELDS if p != "alongside" or self.answers.reporter_type == "staff"]
        return self._walk([(p, {k: data[k] for k in PAGE_FIELDS[p] if k in data}) for p in pages])

    def _walk(self, steps):
        response = None
        for page, data in steps:
            response = self.post(page, data)
            if response.status_code != 302:
                return response
        return response

    def upload(self, files):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return self.client.post("/report/new/files", {"attachments": [SimpleUploadedFile(n, d) for n, d in files]})

    def equality(self, **answers):
        return self.post("equality", answers)

    def check_token(self) -> str:
        page = self.client.get("/report/new/check")
        match = TOKEN.search(page.content.decode())
        assert match, page.content.decode()[:2000]
        self.token = match.group(1)
        return self.token

    def submit(self):
        self.last = self.client.post("/report/new/check", {"idempotency_token": self.token})
        return self.last

    def run(self) -> str:
        assert self.how().status_code == 302, self.last.content.decode()[:2000]
        if self.answers.mode != "anonymous":
            assert self.about_you().status_code == 302
        response = self.what()
        assert response.status_code == 302, response.content.decode()[:2000]
        response = self.upload(self.answers.files)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert self.equality().status_code == 302
        self.check_token()
        response = self.submit()
        assert response.status_code == 200, response.content.decode()[:2000]
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
