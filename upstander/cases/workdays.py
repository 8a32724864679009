"""Day arithmetic for clocks: calendar days, or working days less the England-and-Wales bank holidays.

Pure functions of dates: clocks work on local calendar dates (see clocks.py), so clock changes cannot shift a deadline.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

# One-off changes to the England-and-Wales pattern (royal occasions, moved May holidays): (added days, removed days).
_ONE_OFF_ADDED = {
    date(2011, 4, 29), date(2012, 6, 4), date(2012, 6, 5), date(2020, 5, 8), date(2022, 6, 2), date(2022, 6, 3),
    date(2022, 9, 19), date(2023, 5, 8),
}
_ONE_OFF_REMOVED = {date(2012, 5, 28), date(2020, 5, 4), date(2022, 5, 30)}


def easter_sunday(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = ((h + ell - 7 * m + 114) % 31) + 1
    return date(year, month, day)


def _first_monday(year: int, month: int) -> date:
    d = date(year, month, 1)
    return d + timedelta(days=(7 - d.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    d = date(year, month, calendar.monthrange(year, month)[1])
    return d - timedelta(days=d.weekday())


@cache
def england_and_wales_bank_holidays(year: int) -> frozenset[date]:
    days: set[date] = set()
    new_year = date(year, 1, 1)
    days.add(new_year if new_year.weekday() < 5 else new_year + timedelta(days=7 - new_year.weekday()))
    easter = easter_sunday(year)
    days.update({easter - timedelta(days=2), easter + timedelta(days=1)})
    days.update({_first_monday(year, 5), _last_monday(year, 5), _last_monday(year, 8)})
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: substitutes on Monday 27 and Tuesday 28
        days.update({date(year, 12, 27), date(year, 12, 28)})
    elif christmas.weekday() == 6:  # Sunday: Boxing Day Monday 26, Christmas substitute Tuesday 27
        days.update({boxing, date(year, 12, 27)})
    elif boxing.weekday() == 5:  # Friday Christmas, Saturday Boxing Day: substitute Monday 28
        days.update({christmas, date(year, 12, 28)})
    else:
        days.update({christmas, boxing})
    days -= {d for d in _ONE_OFF_REMOVED if d.year == year}
    days |= {d for d in _ONE_OFF_ADDED if d.year == year}
    return frozenset(days)


def add_months(start: date, months: int) -> date:
    """The same day of the month `months` later, or the last day of a shorter month (31 Jan + 1 month = 28/29 Feb)."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DayCalendar:
    working: bool = False
    bank_holidays: str = "england-and-wales"
    extra_non_working: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_policy(cls, spec: dict) -> DayCalendar:
        extra = frozenset(date.fromisoformat(str(d)) for d in spec.get("extra_non_working_days", []))
        return cls(working=spec.get("day_mode", "calendar") == "working",
                   bank_holidays=str(spec.get("bank_holidays", "england-and-wales")), extra_non_working=extra)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= 5 or day in self.extra_non_working:
            return False
        if self.bank_holidays == "england-and-wales":
            return day not in england_and_wales_bank_holidays(day.year)
        return True

    def add_days(self, start: date, days: int) -> date:
        """The day a period of `days` ends, counting from the day after `start` (day 1) — so 7 days from a Monday
        receipt end on the next Monday. In working mode only working days count."""
        if not self.working:
            return start + timedelta(days=days)
        current, counted = start, 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    def add_months(self, start: date, months: int) -> date:
        end = add_months(start, months)
        return self.next_working_day(end) if self.working else end

    def next_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add(self, start: date, period: dict) -> date:
        if "months" in period:
            return self.add_months(start, int(period["months"]))
        return self.add_days(start, int(period.get("days", 0)))

    def working_days_between(self, start: date, end: date) -> int:
        return sum(1 for d in _days(start, end) if self.is_working_day(d))


def _days(start: date, end: date) -> Iterable[date]:
    current = start + timedelta(days=1)
    while current <= end:
        yield current
        current += timedelta(days=1)
