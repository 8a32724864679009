"""Typed readers for environment variables. Each fails loudly on a value it cannot use."""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(Exception):
    """A setting is missing or malformed; the message says what to set."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum of {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded database, keys and stored files live (UPSTANDER_DATA_DIR, default ./var)."""
    return Path(os.environ.get("UPSTANDER_DATA_DIR") or "var").resolve()


def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """Public data sets beside the repository (../shared/data), never copied into it."""
    return repo_root().parent / "shared" / "data"
