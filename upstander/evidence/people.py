"""Who a sender is: roster people whose names match a sender as the export writes them ("Dave Smith", "PC Smith 🚓",
"Smithy", "+44 7700 900123"), with the case's own subjects first. The matching uses the subject resolution's own
name keys (insight/resolution.py: ranks, sound keys and nicknames), so a chat name is read the way a reporter's
written name is; nothing is linked until a handler confirms it (do_link_sender)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from upstander.cases.triage import search_roster
from upstander.insight.resolution import RANK_OF, _nicknames, sound_key
from upstander.people.models import Person

_WORD = re.compile(r"[a-z][a-z'-]+")


@dataclass(frozen=True)
class Suggestion:
    person: Person
    reason: str
    subject: bool


def name_words(name: str) -> list[str]:
    """Lower-case words of a chat name, without ranks, emoji or punctuation ("Sgt. O'Brien 🚓" -> ["o'brien"])."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    words = [w.strip("'-") for w in _WORD.findall(text)]
    return [w for w in words if w and w not in RANK_OF and w.rstrip(".") not in RANK_OF]


@cache
def _full_names() -> dict[str, list[str]]:
    """Nickname or short form -> the given names it stands for."""
    return _nicknames()


def _given_matches(word: str, person: Person) -> bool:
    given = person.given_name.lower()
    known = (person.known_as or "").lower()
    return word in (given, known) or given in _full_names().get(word, []) or (len(word) == 1 and given.startswith(word))


def _score(words: list[str], person: Person) -> tuple[int, str]:
    family = person.family_name.lower()
    family_hit = next((w for w in words if w == family), None)
    sounds_like = family_hit is None and any(sound_key(w) == sound_key(family) and len(w) > 2 for w in words)
    given_hit = any(_given_matches(w, person) for w in words if w != family_hit)
    if family_hit and given_hit:
        return 3, "given and family name"
    if family_hit:
        return 2, "family name"
    if sounds_like and given_hit:
        return 2, "given name, and a family name that sounds the same"
    if given_hit and len(words) == 1:
        return 1, "given name or nickname only"
    return 0, ""


def suggestions(sender_name: str, subjects: list[Person], limit: int = 5) -> list[Suggestion]:
    words = name_words(sender_name)
    if not words:
        return []
    found: dict[int, tuple[int, Suggestion]] = {}
    subject_ids = {p.pk for p in subjects}
    candidates = list(subjects)
    for word in words:
        if len(word) > 2:
            candidates += list(search_roster(word, limit=25))
    for person in candidates:
        score, reason = _score(words, person)
        is_subject = person.pk in subject_ids
        if score >= 2 or (score == 1 and is_subject):
            found[person.pk] = (score + (2 if is_subject else 0), Suggestion(person, reason, is_subject))
    ranked = sorted(found.values(), key=lambda item: (-item[0], item[1].person.family_name, item[1].person.number))
    return [s for _, s in ranked[:limit]]
