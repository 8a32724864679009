"""The staff pickers (the case page's hand-over, assignment and override; the queue's owner filter) list case workers
by name: the same list on every case, so it says nothing about who reported or who has a conflict. Tests that look
for a name leaking onto a page read the page without those lists, and check the lists themselves offer only staff."""

from __future__ import annotations

import html
import re

from upstander.cases.forms import OWNER_CHOICES

STAFF_PICKER = re.compile(r"<select[^>]*data-staff-picker[^>]*>(.*?)</select>", re.S)
OPTION = re.compile(r"<option[^>]*>(.*?)</option>", re.S)
NOT_A_PERSON = {"Choose a person", *(label for _, label in OWNER_CHOICES)}


def without_staff_pickers(page: str) -> str:
    return STAFF_PICKER.sub("<select data-staff-picker></select>", page)


def picker_names(page: str) -> list[set[str]]:
    """The people each staff picker on the page offers (their labels, the empty choice left out)."""
    return [{html.unescape(o).strip() for o in OPTION.findall(body)} - NOT_A_PERSON for body in STAFF_PICKER.findall(page)]
