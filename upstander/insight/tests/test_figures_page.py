"""The figures page reads like a statistics publication: what stands out first, then one section per subject with
its chart, a plain explanation of every column and figure, and the table behind a disclosure; it never shows an
internal label, a file path or a command line, and its tables fit a phone."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import polars as pl
import pytest

from upstander.insight.datasets import save
from upstander.insight.explain import plain_error
from upstander.insight.tests.test_fairness import small_dataset

pytestmark = [pytest.mark.django_db]

SECTIONS = ("fairness", "outcomes", "careers", "timeliness", "patterns", "publish")
INTERNAL = re.compile(r"user:\w|system:\w|person:\w|cases\.case|\.toml|docs/|upstander \w+|run upstander")


class Page(HTMLParser):
    """What the checks need from the page: per section, its column headers, explained terms, figures, stats and
    tables (each noted with whether it sits in a .table-wrap)."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, dict[str, list]] = {}
        self.summary: list[str] = []
        self._section: str | None = None
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._text: list[str] | None = None
        self._wraps = 0

    def _current(self) -> dict[str, list]:
        return self.sections.setdefault(self._section or "", {
            "th": [], "dt": [], "dd": [], "figcaption": [], "figures": [], "stat_help": [], "stats": [],
            "tables": []})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "section":
            self._section = a.get("id")
            self._current()
        if tag == "div" and "table-wrap" in a.get("class", ""):
            self._wraps += 1
        if tag == "table":
            self._current()["tables"].append(self._wraps > 0)
        if tag == "figure":
            self._current()["figures"].append(a)
        if tag == "div" and a.get("class") == "stat":
            self._current()["stats"].append(a)
        if tag in ("th", "dt", "dd", "figcaption", "li"):
            self._text = []
        self._stack.append((tag, a))

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, a = self._stack.pop()
            if open_tag == "div" and "table-wrap" in a.get("class", ""):
                self._wraps -= 1
            if open_tag == tag:
                break
        text = " ".join("".join(self._text or []).split())
        if tag == "th" and a.get("scope") == "col":
            self._current()["th"].append(text)
        elif tag == "dt":
            self._current()["dt"].append(text)
        elif tag == "dd" and "explain" in a.get("class", ""):
            self._current()["stat_help"].append(text)
        elif tag == "dd":
            self._current()["dd"].append(text)
        elif tag == "figcaption":
            self._current()["figcaption"].append(text)
        elif tag == "li" and self._section == "summary":
            self.summary.append(text)
        if tag == "section":
            self._section = None


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


@pytest.fixture
def world():
    from upstander.worldgen.generate import generate

    return generate(200, 2, 9, progress=False)


@pytest.mark.parametrize("persona", ["analyst", "overseer"])
def test_the_analyst_and_the_overseer_see_the_figures_of_the_live_system_on_arrival(staff_client, world,
                                                                                  persona: str) -> None:
    response = staff_client(persona).get("/insight/")
    assert response.status_code == 200
    html = response.content.decode()
    page = parse(html)
    assert set(SECTIONS) <= set(page.sections)
    assert "What stands out" in html and "This system&#x27;s own records" in html


@pytest.mark.parametrize("persona", ["handler_a", "handler_b", "supervisor", "facilitator", "custodian", "admin"])
def test_every_other_persona_is_refused_the_figures(staff_client, persona: str) -> None:
    assert staff_client(persona).get("/insight/").status_code == 403


def test_every_column_chart_and_figure_of_every_section_has_its_plain_explanation(staff_client, world) -> None:
    html = staff_client("analyst").get("/insight/").content.decode()
    page = parse(html)
    for name in SECTIONS[:-1]:
        section = page.sections[name]
        assert section["figures"], f"{name}: no chart"
        assert len(section["figcaption"]) == len(section["figures"]), f"{name}: a chart without its caption"
        assert all(len(text) > 40 for text in section["figcaption"]), name
        assert section["th"] or section["stats"], f"{name}: no figures"
        explained = dict(zip(section["dt"], section["dd"], strict=False))
        for header in section["th"]:
            assert len(explained.get(header, "")) > 20, f"{name}: the column {header!r} has no explanation"
        assert len(section["stat_help"]) == len(section["stats"]), f"{name}: a figure without its explanation"
        assert all(len(text) > 20 for text in section["stat_help"]), name
    assert sum(len(page.sections[n]["stats"]) for n in ("careers", "timeliness", "patterns")) >= 8


def test_no_internal_label_file_path_or_command_line_appears_anywhere_on_the_page(staff_client, world) -> None:
    analyst = staff_client("analyst")
    for query in ({}, {"dataset": "live", "by": "ethnicity_sex", "source": "internal"}, {"dataset": "nonexistent"},
                  {"date_from": "2025-01-01", "date_to": "2024-01-01"}):
        html = analyst.get("/insight/", query).content.decode()
        visible = re.sub(r'src="data:[^"]*"', "", html)
        assert INTERNAL.findall(visible) == [], query


def test_every_id_on_the_page_is_used_once(staff_client, world) -> None:
    html = staff_client("analyst").get("/insight/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids and sorted({i for i in ids if ids.count(i) > 1}) == []


def test_every_table_sits_in_a_wrapper_that_scrolls_on_a_phone(staff_client, world) -> None:
    page = parse(staff_client("analyst").get("/insight/").content.decode())
    tables = [wrapped for section in page.sections.values() for wrapped in section["tables"]]
    assert tables and all(tables)


def contrast_dataset(name: str) -> str:
    """60 Black and 60 White officers, one allegation each: 30 of the Black officers' allegations substantiated,
    10 of the White officers' (relative rate 3), and 2 of 2 for a group of two (too few to be a finding)."""
    people = [(f"b{i}", "Black") for i in range(60)] + [(f"w{i}", "White") for i in range(60)] + [
        ("o1", "Other"), ("o2", "Other")]
    found = {**{f"b{i}": i < 30 for i in range(60)}, **{f"w{i}": i < 10 for i in range(60)}, "o1": True, "o2": True}
    save(name, {
        "people": pl.DataFrame([{"person_id": p, "ethnicity": e, "sex": "Male", "in_workforce": True} for p, e in people]),
        "complaints": pl.DataFrame([{"complaint_id": f"c-{p}", "received_date": dt.date(2021, 3, 1),
                                     "source": "public"} for p, _ in people]),
        "allegations": pl.DataFrame([{"allegation_id": f"a-{p}", "complaint_id": f"c-{p}", "person_id": p,
                                      "category": "bullying", "finding": "substantiated" if found[p] else "unfounded"}
                                     for p, _ in people]),
    }, {"source": "test", "workforce_known": True})
    return name


def test_what_stands_out_says_the_significant_differences_in_words(staff_client) -> None:
    html = staff_client("analyst").get("/insight/", {"dataset": contrast_dataset("page-contrast")}).content.decode()
    page = parse(html)
    assert page.summary[0] == ("Black staff were 3.0 times as likely as White staff to have an allegation "
                               "substantiated (a case to answer) (95% interval 1.6 to 5.6).")
    assert not any(sentence.startswith("Other") for sentence in page.summary)  # 2 of 2 is not a finding


def test_dates_in_the_wrong_order_are_shown_against_the_date_fields(staff_client) -> None:
    small_dataset("page-window")
    html = staff_client("analyst").get("/insight/", {"dataset": "page-window", "date_from": "2022-01-01",
                                                      "date_to": "2021-01-01"}).content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_date_to"' in html and "The last date must be the same as or after the first date" in html
    assert "What stands out" not in html


def test_an_unknown_dataset_is_an_error_on_the_dataset_field(staff_client) -> None:
    html = staff_client("analyst").get("/insight/", {"dataset": "no-such-thing"}).content.decode()
    assert 'href="#id_dataset"' in html and "Choose one of the datasets listed" in html


@pytest.mark.parametrize(("message", "expected"), [
    ("the live database has no roster and no cases yet: import the roster (`upstander people import`), generate a "
     "synthetic force (`upstander worldgen`) or use an imported dataset (`--dataset NAME`)",
     "This system has no roster and no cases yet"),
    ("no dataset named 'x' (stored datasets: a, b); import one with `upstander insight import cpdp DIR --name x`",
     "No dataset named 'x' (stored datasets: a, b)."),
    ("12 complaints in this dataset are dated only to the month, and the window 2020-01-15 to the end cuts through "
     "their month: the data cannot say on which side they fall. Count at the precision the data has: start it on "
     "the first day of a month and end it on the last day of one (e.g. --from 2020-01-01).",
     "(for example from 2020-01-01)"),
])
def test_dataset_errors_are_told_without_commands_or_options(message: str, expected: str) -> None:
    words = plain_error(message)
    assert expected in words
    assert "`" not in words and "--" not in words and not INTERNAL.search(words)
