"""Policy is data: read `policy/*.toml` (England-and-Wales default, other profiles beside it)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings


def policy_path(name: str) -> Path:
    """A profile may override a file by putting it in policy/<profile>/; otherwise the default applies."""
    base = Path(settings.POLICY_DIR)
    profiled = base / settings.POLICY_PROFILE / f"{name}.toml"
    return profiled if profiled.exists() else base / f"{name}.toml"


@cache
def _load(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def load(name: str) -> dict[str, Any]:
    return _load(str(policy_path(name)))


def categories() -> list[dict[str, Any]]:
    return list(load("categories")["category"])


def category_keys() -> list[str]:
    return [c["key"] for c in categories()]


def category_label(key: str) -> str:
    for c in categories():
        if c["key"] == key:
            return str(c["label"])
    return key


def category_choices() -> list[tuple[str, str]]:
    return [(c["key"], c["label"]) for c in categories()]
