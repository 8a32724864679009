"""From the draft's saved pages to forms and to the report's input. Answers are kept as submitted (valid or not),
so a page shown again after a validation error, or revisited with "Back", has everything the reporter typed."""

from __future__ import annotations

from django.http import QueryDict

from upstander.intake.drafts import DraftState
from upstander.intake.forms import SUBJECT_ROWS, CheckForm, HowForm, WhatForm, YouForm
from upstander.reports.attachments import StagedFile
from upstander.reports.choices import ReporterType, ReportingMode, Route
from upstander.reports.creation import Identity, ReportInput, Subject

FORM_PAGES = ("how", "about-you", "what")
PAGE_TITLES = {
    "how": "How you want to report",
    "about-you": "About you",
    "what": "What happened",
    "files": "Files",
    "check": "Check and send",
}


def as_querydict(saved: dict[str, list[str]] | None) -> QueryDict | None:
    if saved is None:
        return None
    qd = QueryDict(mutable=True)
    for key, values in saved.items():
        qd.setlist(key, values)
    return qd


def from_post(post: QueryDict) -> dict[str, list[str]]:
    return {k: post.getlist(k) for k in post if k != "csrfmiddlewaretoken"}


def how_answers(state: DraftState) -> dict | None:
    form = HowForm(as_querydict(state.pages.get("how")))
    return form.cleaned_data if form.is_bound and form.is_valid() else None


def pages_for(state: DraftState) -> list[str]:
    how = how_answers(state)
    pages = ["how"]
    if how is None or how["mode"] != ReportingMode.ANONYMOUS:
        pages.append("about-you")
    return pages + ["what", "files", "check"]


def form_for(page: str, state: DraftState, data: QueryDict | None = None):
    """The form of a page, bound to `data` (a POST) or to what the draft saved for it."""
    bound = data if data is not None else as_querydict(state.pages.get(page))
    how = how_answers(state) or {}
    if page == "how":
        return HowForm(bound)
    if page == "about-you":
        return YouForm(bound, mode=how.get("mode", ReportingMode.NAMED))
    if page == "what":
        return WhatForm(bound, reporter_type=how.get("reporter_type", ReporterType.PUBLIC))
    if page == "check":
        return CheckForm(bound, initial={"idempotency_token": state.token})
    raise KeyError(page)


def first_invalid_page(state: DraftState) -> str | None:
    for page in pages_for(state):
        if page not in FORM_PAGES:
            continue
        form = form_for(page, state)
        if not form.is_bound or not form.is_valid():
            return page
    return None


def report_input(state: DraftState) -> tuple[ReportInput, list[StagedFile]]:
    """Only once first_invalid_page() is None."""
    how = how_answers(state)
    assert how is not None
    what_form = form_for("what", state)
    assert what_form.is_valid()
    what = what_form.cleaned_data
    identity = None
    wants_email = False
    if how["mode"] != ReportingMode.ANONYMOUS:
        you_form = form_for("about-you", state)
        assert you_form.is_valid()
        you = you_form.cleaned_data
        identity = Identity(name=you["name"].strip(), staff_number=you.get("staff_number", "").strip(),
                            email=(you.get("email") or "").strip())
        wants_email = bool(you.get("wants_update_email"))
    check = form_for("check", state)
    equality = check.cleaned_data if check.is_bound and check.is_valid() else {}
    alongside = what.get("still_works_alongside")
    data = ReportInput(
        mode=how["mode"], reporter_type=how["reporter_type"],
        route=Route.INDEPENDENT if how.get("independent") else Route.FORCE,
        narrative=what["narrative"], categories=list(what["categories"]), reporter_role=what["reporter_role"],
        place=what.get("place", "").strip(),
        incident_on=None if what.get("incident_unknown") else what.get("incident_on"),
        still_works_alongside={"yes": True, "no": False}.get(alongside or ""),
        subjects=[Subject(name=what[f"subject_{i}_name"].strip(), number=what[f"subject_{i}_number"].strip(),
                          unit=what[f"subject_{i}_unit"].strip()) for i in range(1, SUBJECT_ROWS + 1)],
        identity=identity, wants_update_email=wants_email,
        reporter_sex=equality.get("reporter_sex", ""), reporter_ethnicity=equality.get("reporter_ethnicity", ""),
    )
    return data, [StagedFile.from_dict(f) for f in state.files]
