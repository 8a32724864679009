"""Every page of the safeguarding, custody, oversight and audit apps, opened by every persona the URL table lets in
(issue 12): no internal label, model label, file path or command line; no two elements sharing an id; every table
fits a phone (wrapped to scroll sideways, or stacked with a label on every cell)."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.test import Client

from upstander.custody.tests.test_every_url_every_persona import STAFF, TABLE
from upstander.custody.tests.world import World, build_world
from upstander.testing.fixtures import login

APPS = ("safeguarding/", "custody/", "oversight/", "audit/")
# Words a member of staff should never have to read: internal labels, model labels, file paths, commands.
INTERNAL = re.compile(r"user:\w|system:\w|person:\w|token:\w|cases\.case|\.toml|docs/|upstander \w+ --")


class PageShape(HTMLParser):
    """The ids on a page, and the tables that would not fit a phone."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.unfit: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, is a table-wrap) of the open divs and tables
        self._stacked: list[bool] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids[a["id"]] += 1
        classes = (a.get("class") or "").split()
        if tag == "div":
            self._open.append(("div", "table-wrap" in classes))
        elif tag == "table":
            wrapped = any(is_wrap for _, is_wrap in self._open)
            stacked = "stack" in classes
            if not (wrapped or stacked):
                self.unfit.append(f"a table neither wrapped nor stacked (caption follows: {self.getpos()})")
            self._stacked.append(stacked and not wrapped)
            self._open.append(("table", False))
        elif tag == "td" and self._stacked and self._stacked[-1] and "data-label" not in a and "colspan" not in a:
            self.unfit.append(f"a cell of a stacked table without data-label at {self.getpos()}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("div", "table"):
            while self._open:
                opened, _ = self._open.pop()
                if opened == tag:
                    break
            if tag == "table" and self._stacked:
                self._stacked.pop()


def shape_of(html: str) -> PageShape:
    parser = PageShape()
    parser.feed(html)
    return parser


def pages_for(world: World, persona: str) -> list[str]:
    """Every page of the four apps this persona may open, and the audit search with something found."""
    urls = [make(world) for route, (allowed, make) in sorted(TABLE.items())
            if route.startswith(APPS) and persona in allowed and "/api/" not in route]
    if persona == "overseer":
        urls += [f"/audit/?object={world.case.code}", "/audit/?actor=handler", "/audit/?page=2",
                 "/safeguarding/?status=", f"/custody/accounts/{world.user('overseer').public_id}/"]
    if persona == "admin":
        urls += [f"/custody/accounts/{world.user('admin').public_id}/"]
    return urls


@pytest.fixture
def world(db, tmp_path) -> World:
    return build_world(tmp_path)


@pytest.mark.parametrize("persona", STAFF)
def test_no_page_of_these_apps_shows_an_internal_label_a_shared_id_or_a_table_wider_than_a_phone(world, persona):
    client = login(Client(), world.cast, persona)
    problems = []
    for url in pages_for(world, persona):
        response = client.get(url)
        if response.status_code != 200:
            continue  # a POST-only address, or a redirect: the every-URL test checks who may use it
        html = response.content.decode()
        found = INTERNAL.search(html)
        if found:
            problems.append(f"{url}: shows {found.group(0)!r} in …{html[max(0, found.start() - 80):found.end() + 40]}…")
        shape = shape_of(html)
        shared = sorted(i for i, n in shape.ids.items() if n > 1)
        if shared:
            problems.append(f"{url}: ids used more than once: {shared}")
        problems += [f"{url}: {p}" for p in shape.unfit]
    assert problems == [], f"{persona}:\n" + "\n".join(problems)


def test_the_check_itself_finds_shared_ids_and_tables_that_do_not_fit():
    shape = shape_of('<div id="a"></div><p id="a"></p><table><tr><td>1</td></tr></table>'
                     '<table class="stack"><tr><td>2</td></tr></table><div class="table-wrap"><table></table></div>')
    assert shape.ids["a"] == 2
    assert len(shape.unfit) == 2  # the bare table, and the stacked table's unlabelled cell
