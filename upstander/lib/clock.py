"""The one clock: what "now" and "today" are, in the policy profile's time zone, and the one reader of clock policy.

Every other module asks this one (a test fails on `timezone.now()`, `timezone.localdate()`, `date.today()` or
`datetime.now()` anywhere else), so a test or a replay can move time in one place and the England-and-Wales and EU
profiles each count days where their deadlines are set (Europe/London, Europe/Brussels).
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from upstander.lib import policy

DEFAULT_ZONE = "Europe/London"


def clock_policy() -> dict[str, Any]:
    """policy/clocks.toml of the active profile: the workflow's clocks, the reporter's timeline and the timeliness
    analysis all read it here, with no fallbacks of their own."""
    return policy.load("clocks")


def clock_spec(key: str) -> dict[str, Any]:
    """One clock of the policy by key; a missing key is a policy error, not a silent default."""
    for spec in clock_policy().get("clock", []):
        if spec["key"] == key:
            return spec
    raise KeyError(f"policy/clocks.toml of this profile has no clock {key!r}")


def zone() -> ZoneInfo:
    return ZoneInfo(str(clock_policy().get("timezone", DEFAULT_ZONE)))


def zone_name_for(policy_dir: str | Path, profile: str) -> str:
    """The profile's time zone, read before Django's settings exist (settings.TIME_ZONE follows the profile)."""
    base = Path(policy_dir)
    path = base / profile / "clocks.toml"
    if not path.exists():
        path = base / "clocks.toml"
    try:
        with open(path, "rb") as fh:
            return str(tomllib.load(fh).get("timezone", DEFAULT_ZONE))
    except FileNotFoundError:
        return DEFAULT_ZONE


def now() -> datetime:
    """An aware moment (UTC)."""
    return timezone.now()


def local_date(moment: datetime) -> date:
    """The calendar day of an aware moment in the policy's time zone."""
    return moment.astimezone(zone()).date()


def today() -> date:
    return local_date(now())


def start_of_day(day: date) -> datetime:
    """Local midnight of a day: reporter-side dates carry the day only."""
    return datetime(day.year, day.month, day.day, tzinfo=zone())
