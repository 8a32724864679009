"""Plain words for the overseer's audit pages, beyond accounts' staff_words: machine connections and roster people
by name, and actor labels inside an event's reason ("investigator user:handler_b") replaced by the person's name."""

from __future__ import annotations

import re

from django import template

from upstander.accounts.templatetags.staff_words import who
from upstander.people.models import Person

register = template.Library()

LABEL = re.compile(r"\b(?:user|system|person|token):[\w.@+-]*\w")
KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # a policy key such as sexual_misconduct or line_manager


@register.filter
def actor_words(label: str) -> str:
    """Who an actor label stands for: a staff account or named system actor (staff_words.who), a machine
    connection by its token's name, or a member of staff by their roster number."""
    label = str(label or "")
    kind, _, name = label.partition(":")
    if kind == "token" and name:
        return f"the machine connection “{name}”"
    if kind == "person" and name:
        person = Person.objects.filter(number=name).only("given_name", "family_name", "rank").first()
        return f"{person.rank} {person.full_name}" if person else "a member of staff"
    return who(label)


@register.filter
def plain_reason(text: str) -> str:
    """An event's reason with every actor label in it replaced by who it stands for, and policy keys
    ("line_manager") written as words."""
    named = LABEL.sub(lambda m: actor_words(m.group(0)), str(text or ""))
    return KEY.sub(lambda m: m.group(0).replace("_", " "), named)
