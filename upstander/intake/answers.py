"""The report form's pages, in order, and how the draft's saved answers become forms, the "Check your answers"
list and the report's input.

Answers are kept as submitted (valid or not), so a page shown again after a validation error, or revisited with
"Back" or "Change", has everything the reporter typed.

One question per page (GOV.UK "one thing per page"). Some pages appear only for some reporters (the route and
"still work alongside" pages for officers and staff, "About you" unless anonymous); the step counter counts
*sections*, which every reporter goes through, so it never changes its total half-way ("Step 2 of 5").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.http import QueryDict

from upstander.intake import forms as f
from upstander.intake.drafts import DraftState
from upstander.reports.attachments import StagedFile
from upstander.reports.choices import ReporterType, ReportingMode, Route
from upstander.reports.creation import Identity, ReportInput, Subject


@dataclass(frozen=True)
class Basics:
    """The answers that decide which pages a reporter sees; empty strings until answered."""

    mode: str = ""
    reporter_type: str = ""
    independent: bool = False

    @property
    def staff(self) -> bool:
        return self.reporter_type == ReporterType.STAFF


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    section: int
    make: Callable[[QueryDict | None, Basics], forms.Form]
    applies: Callable[[Basics], bool] = lambda b: True


SECTIONS = ("How you are reporting", "What happened", "Files", "Equality monitoring", "Check your answers")

PAGES: tuple[Page, ...] = (
    Page("how", "How do you want to report?", 1, lambda d, b: f.HowForm(d)),
    Page("staff", "Are you a police officer or member of police staff?", 1, lambda d, b: f.StaffForm(d)),
    Page("route", "Who should your report go to?", 1, lambda d, b: f.RouteForm(d), lambda b: b.staff),
    Page("about-you", "About you", 1,
         lambda d, b: f.YouForm(d, mode=b.mode or ReportingMode.NAMED, reporter_type=b.reporter_type),
         lambda b: b.mode != ReportingMode.ANONYMOUS),
    Page("what", "What happened?", 2, lambda d, b: f.WhatForm(d)),
    Page("when", "When did it happen?", 2, lambda d, b: f.WhenForm(d)),
    Page("where", "Where did it happen?", 2, lambda d, b: f.WhereForm(d)),
    Page("who", "Who did it?", 2, lambda d, b: f.WhoForm(d)),
    Page("about", "What was it about?", 2, lambda d, b: f.AboutForm(d)),
    Page("your-part", "What is your part in it?", 2, lambda d, b: f.PartForm(d)),
    Page("alongside", "Do you still work alongside them?", 2, lambda d, b: f.AlongsideForm(d), lambda b: b.staff),
    Page("files", "Files", 3, lambda d, b: f.FilesForm(d)),
    Page("equality", "Equality monitoring (optional)", 4, lambda d, b: f.EqualityForm(d)),
    Page("check", "Check your answers before sending your report", 5, lambda d, b: f.CheckForm(d)),
)
BY_SLUG = {p.slug: p for p in PAGES}
# Pages of questions handled by the one question view (files and check have their own).
QUESTION_PAGES = tuple(p.slug for p in PAGES if p.slug not in ("files", "check"))
PAGE_TITLES = {p.slug: p.title for p in PAGES}


def as_querydict(saved: dict[str, list[str]] | None) -> QueryDict | None:
    if saved is None:
        return None
    qd = QueryDict(mutable=True)
    for key, values in saved.items():
        qd.setlist(key, values)
    return qd


def from_post(post: QueryDict) -> dict[str, list[str]]:
    return {k: post.getlist(k) for k in post if k not in ("csrfmiddlewaretoken", "save")}


def _valid(form: forms.Form) -> dict | None:
    return form.cleaned_data if form.is_bound and form.is_valid() else None


def basics(state: DraftState) -> Basics:
    how = _valid(f.HowForm(as_querydict(state.pages.get("how")))) or {}
    staff = _valid(f.StaffForm(as_querydict(state.pages.get("staff")))) or {}
    route = _valid(f.RouteForm(as_querydict(state.pages.get("route")))) or {}
    reporter_type = staff.get("reporter_type", "")
    return Basics(mode=how.get("mode", ""), reporter_type=reporter_type,
                  independent=reporter_type == ReporterType.STAFF and route.get("route") == f.ROUTE_INDEPENDENT)


def pages_for(state: DraftState) -> list[str]:
    b = basics(state)
    return [p.slug for p in PAGES if p.applies(b)]


def form_for(page: str, state: DraftState, data: QueryDict | None = None) -> forms.Form:
    """The form of a page, bound to `data` (a POST) or to what the draft saved for it."""
    bound = data if data is not None else as_querydict(state.pages.get(page))
    if page == "check":
        return f.CheckForm(bound, initial={"idempotency_token": state.token})
    return BY_SLUG[page].make(bound, basics(state))


def first_invalid_page(state: DraftState) -> str | None:
    """The first page still to answer: never seen, or saved with an error. Optional pages count once seen."""
    for page in pages_for(state):
        if page in QUESTION_PAGES and _valid(form_for(page, state)) is None:
            return page
    return None


def step(page: str) -> dict:
    section = BY_SLUG[page].section
    return {"step": section, "steps": len(SECTIONS), "section": SECTIONS[section - 1]}


def _cleaned(page: str, state: DraftState) -> dict:
    return _valid(form_for(page, state)) or {}


def report_input(state: DraftState) -> tuple[ReportInput, list[StagedFile]]:
    """Only once first_invalid_page() is None."""
    assert first_invalid_page(state) is None
    b = basics(state)
    identity = None
    wants_email = False
    if b.mode != ReportingMode.ANONYMOUS:
        you = _cleaned("about-you", state)
        identity = Identity(name=you["name"].strip(), staff_number=(you.get("staff_number") or "").strip(),
                            email=(you.get("email") or "").strip())
        wants_email = bool(you.get("wants_update_email"))
    who = _cleaned("who", state)
    equality = _cleaned("equality", state)
    alongside = _cleaned("alongside", state).get("still_works_alongside") if b.staff else None
    data = ReportInput(
        mode=b.mode, reporter_type=b.reporter_type, route=Route.INDEPENDENT if b.independent else Route.FORCE,
        narrative=_cleaned("what", state)["narrative"], categories=list(_cleaned("about", state)["categories"]),
        reporter_role=_cleaned("your-part", state)["reporter_role"],
        place=(_cleaned("where", state).get("place") or "").strip(),
        incident_on=_cleaned("when", state).get("incident_on"),
        still_works_alongside={"yes": True, "no": False}.get(alongside or ""),
        subjects=[Subject(name=who[f"subject_{i}_name"].strip(), number=who[f"subject_{i}_number"].strip(),
                          unit=who[f"subject_{i}_unit"].strip()) for i in range(1, f.SUBJECT_ROWS + 1)],
        identity=identity, wants_update_email=wants_email,
        reporter_sex=equality.get("reporter_sex", ""), reporter_ethnicity=equality.get("reporter_ethnicity", ""),
    )
    return data, [StagedFile.from_dict(x) for x in state.files]


# --- "Check your answers" ----------------------------------------------------------------------------------------

NOT_ANSWERED = "Not answered yet"


@dataclass(frozen=True)
class Row:
    label: str
    lines: list[str]
    page: str
    change: str  # what the visually hidden part of "Change …" says


def _choice(form: forms.Form, name: str, value: str) -> str:
    return str(dict(form.fields[name].choices).get(value, value)) if value else ""  # type: ignore[attr-defined]


def _answer(state: DraftState, page: str, name: str, *, empty: str = "Not given") -> list[str]:
    form = form_for(page, state)
    if page not in state.pages:
        return [NOT_ANSWERED]
    data = _valid(form)
    if data is None:
        return [NOT_ANSWERED]
    value = data.get(name)
    if isinstance(value, list):
        return [_choice(form, name, v) for v in value] or [empty]
    if name in form.fields and hasattr(form.fields[name], "choices"):
        return [_choice(form, name, str(value or "")) or empty]
    return [str(value).strip()] if value not in (None, "") else [empty]


def _you_rows(state: DraftState, b: Basics) -> list[Row]:
    if b.mode == ReportingMode.ANONYMOUS:
        return []
    rows = [Row("Your name", _answer(state, "about-you", "name"), "about-you", "your name")]
    if b.staff:
        rows.append(Row("Your warrant or staff number", _answer(state, "about-you", "staff_number"), "about-you",
                        "your warrant or staff number"))
    if b.mode == ReportingMode.NAMED:
        you = _cleaned("about-you", state)
        email = you.get("email") or "Not given"
        if you.get("wants_update_email"):
            email += " (email me when there is an update)"
        rows.append(Row("Email address", [email] if you else [NOT_ANSWERED], "about-you", "your email address"))
    return rows


def _who_lines(state: DraftState) -> list[str]:
    who = _valid(form_for("who", state)) if "who" in state.pages else None
    if who is None:
        return [NOT_ANSWERED]
    people = []
    for i in range(1, f.SUBJECT_ROWS + 1):
        parts = [who[f"subject_{i}_name"].strip(), who[f"subject_{i}_number"].strip(), who[f"subject_{i}_unit"].strip()]
        if any(parts):
            people.append(", ".join(p for p in parts if p))
    return people or ["Not given"]


def _when_lines(state: DraftState) -> list[str]:
    if "when" not in state.pages:
        return [NOT_ANSWERED]
    data = _valid(form_for("when", state))
    if data is None:
        return [NOT_ANSWERED]
    return [data["incident_on"].strftime("%-d %B %Y")] if data.get("incident_on") else ["Not known"]


def check_rows(state: DraftState) -> list[Row]:
    """Every answer the reporter gave, each with the page that changes it."""
    b = basics(state)
    rows = [Row("How you are reporting", _answer(state, "how", "mode"), "how", "how you are reporting"),
            Row("Police officer or staff", _answer(state, "staff", "reporter_type"), "staff",
                "whether you are police staff")]
    if b.staff:
        rows.append(Row("Who your report goes to", _answer(state, "route", "route"), "route",
                        "who your report goes to"))
    rows += _you_rows(state, b)
    rows += [
        Row("What happened", _answer(state, "what", "narrative"), "what", "what happened"),
        Row("When it happened", _when_lines(state), "when", "when it happened"),
        Row("Where it happened", _answer(state, "where", "place"), "where", "where it happened"),
        Row("Who did it", _who_lines(state), "who", "who did it"),
        Row("What it was about", _answer(state, "about", "categories"), "about", "what it was about"),
        Row("Your part in it", _answer(state, "your-part", "reporter_role"), "your-part", "your part in it"),
    ]
    if b.staff:
        rows.append(Row("Still working alongside them", _answer(state, "alongside", "still_works_alongside"),
                        "alongside", "whether you still work alongside them"))
    rows += [Row("Your sex", _answer(state, "equality", "reporter_sex", empty="Not given"), "equality", "your sex"),
             Row("Your ethnic group", _answer(state, "equality", "reporter_ethnicity", empty="Not given"), "equality",
                 "your ethnic group")]
    return rows

