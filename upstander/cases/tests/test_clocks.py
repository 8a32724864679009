"""Clocks are pure functions of events and policy: checked by example and by property (month ends, leap days, clock
changes in Europe/London, working days)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from upstander.cases import clocks
from upstander.cases.clocks import Facts, compute
from upstander.cases.workdays import DayCalendar, add_months, england_and_wales_bank_holidays
from upstander.lib import policy

LONDON = ZoneInfo("Europe/London")
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
WORKING = DayCalendar(working=True)
CALENDAR = DayCalendar(working=False)


def by_key(found):
    return {c.key: c for c in found}


def test_acknowledgement_is_due_seven_days_after_receipt_and_overdue_the_day_after():
    facts = Facts(received_on=date(2025, 3, 3), came_to_attention_on=date(2025, 3, 3), stages=(("received", date(2025, 3, 3)),))
    assert by_key(compute(facts, date(2025, 3, 10)))["acknowledge"].status == clocks.RUNNING
    late = by_key(compute(facts, date(2025, 3, 11)))["acknowledge"]
    assert late.status == clocks.OVERDUE and late.due_on == date(2025, 3, 10)
    assert late.days_late(date(2025, 3, 11)) == 1
    assert [b.key for b in late.breaches] == ["acknowledge:2025-03-10"]


def test_feedback_runs_three_months_from_the_acknowledgement():
    facts = Facts(received_on=date(2025, 1, 2), came_to_attention_on=date(2025, 1, 2),
                  stages=(("received", date(2025, 1, 2)), ("acknowledged", date(2025, 1, 5))))
    assert by_key(compute(facts, date(2025, 1, 6)))["feedback"].due_on == date(2025, 4, 5)


def test_feedback_runs_from_the_end_of_the_seven_days_when_no_acknowledgement_was_sent():
    facts = Facts(received_on=date(2025, 1, 2), came_to_attention_on=date(2025, 1, 2), stages=(("received", date(2025, 1, 2)),))
    feedback = by_key(compute(facts, date(2025, 1, 6)))["feedback"]
    assert feedback.started_on == date(2025, 1, 9) and feedback.due_on == date(2025, 4, 9)


def test_a_message_to_the_reporter_meets_the_feedback_clock():
    facts = Facts(received_on=date(2025, 1, 2), came_to_attention_on=date(2025, 1, 2),
                  stages=(("received", date(2025, 1, 2)), ("acknowledged", date(2025, 1, 3))),
                  messages_to_reporter=(date(2025, 2, 1),))
    feedback = by_key(compute(facts, date(2025, 6, 1)))["feedback"]
    assert feedback.status == clocks.MET and feedback.met_on == date(2025, 2, 1)


def test_the_reporter_must_hear_something_every_28_days_while_the_case_is_open():
    facts = Facts(received_on=date(2025, 1, 2), came_to_attention_on=date(2025, 1, 2),
                  stages=(("received", date(2025, 1, 2)), ("acknowledged", date(2025, 1, 3))),
                  messages_to_reporter=(date(2025, 2, 1),))
    update = by_key(compute(facts, date(2025, 3, 2)))["reporter_update"]
    assert update.status == clocks.OVERDUE and update.due_on == date(2025, 3, 1)
    closed = Facts(**{**facts.__dict__, "closed_on": date(2025, 2, 20)})
    assert by_key(compute(closed, date(2025, 3, 2)))["reporter_update"].status == clocks.STOPPED


def test_an_investigation_open_past_twelve_months_is_reported_then_every_six_months():
    facts = Facts(received_on=date(2023, 1, 10), came_to_attention_on=date(2023, 1, 10),
                  stages=(("received", date(2023, 1, 10)), ("investigation", date(2023, 3, 1))))
    assert by_key(compute(facts, date(2024, 1, 10)))["investigation"].status == clocks.RUNNING
    at_13 = by_key(compute(facts, date(2024, 2, 1)))["investigation"]
    assert [b.key for b in at_13.breaches] == ["investigation:2024-01-10"]
    assert at_13.breaches[0].escalate == "overseer"
    at_19 = by_key(compute(facts, date(2024, 7, 11)))["investigation"]
    assert [b.key for b in at_19.breaches] == ["investigation:2024-01-10", "investigation:2024-07-10"]
    concluded = Facts(**{**facts.__dict__, "stages": facts.stages + (("case_to_answer", date(2024, 3, 1)),)})
    assert by_key(compute(concluded, date(2024, 7, 11)))["investigation"].status == clocks.MET_LATE


def test_the_review_window_is_28_days_starting_the_day_after_the_outcome_and_is_never_escalated():
    facts = Facts(received_on=date(2025, 1, 2), came_to_attention_on=date(2025, 1, 2),
                  stages=(("received", date(2025, 1, 2)), ("outcome", date(2025, 5, 30))))
    window = by_key(compute(facts, date(2025, 6, 27)))["review_window"]
    assert window.due_on == date(2025, 6, 27) and window.status == clocks.RUNNING
    lapsed = by_key(compute(facts, date(2025, 6, 28)))["review_window"]
    assert lapsed.status == clocks.LAPSED and lapsed.breaches == ()


def test_the_due_date_cache_is_the_same_whatever_day_it_is_computed_on():
    facts = Facts(received_on=date(2025, 1, 2), came_to_attention_on=date(2025, 1, 2), stages=(("received", date(2025, 1, 2)),))
    assert clocks.next_due(compute(facts, date(2025, 1, 3))) == clocks.next_due(compute(facts, date(2026, 1, 3)))
    assert clocks.next_due(compute(facts, date(2025, 1, 3))) == (date(2025, 1, 9), "acknowledge")


@given(start=days, months=st.integers(min_value=0, max_value=60))
def test_adding_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    last = calendar.monthrange(end.year, end.month)[1]
    assert end.day == min(start.day, last)


@given(year=st.integers(min_value=2016, max_value=2040).filter(calendar.isleap))
def test_a_leap_day_plus_a_year_is_the_28th_of_february_and_plus_four_years_the_29th(year):
    leap_day = date(year, 2, 29)
    assert add_months(leap_day, 12) == date(year + 1, 2, 28)
    assert add_months(leap_day, 48) == date(year + 4, 2, 29)
    assert CALENDAR.add_days(date(year, 2, 25), 7) == date(year, 3, 3)


@given(received=days, ack_after=st.integers(min_value=0, max_value=30))
def test_an_acknowledgement_is_on_time_exactly_when_sent_within_seven_calendar_days(received, ack_after):
    facts = Facts(received_on=received, came_to_attention_on=received,
                  stages=(("received", received), ("acknowledged", received + timedelta(days=ack_after))))
    ack = by_key(compute(facts, received + timedelta(days=60)))["acknowledge"]
    assert ack.status == (clocks.MET if ack_after <= 7 else clocks.MET_LATE)


def _dst_changes(year: int) -> list[date]:
    """The last Sundays of March and October, when UK clocks change."""
    return [max(d for d in (date(year, m, day) for day in range(25, 32)) if d.weekday() == 6) for m in (3, 10)]


@given(year=st.integers(min_value=2016, max_value=2035), which=st.sampled_from([0, 1]),
       minutes=st.integers(min_value=-36 * 60, max_value=36 * 60))
def test_an_event_near_a_clock_change_counts_on_its_london_day_and_the_deadline_does_not_shift(year, which, minutes):
    change = _dst_changes(year)[which]
    moment = datetime(change.year, change.month, change.day, 1, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    local = clocks.local_date(moment)
    assert local == moment.astimezone(LONDON).date()
    facts = Facts(received_on=local, came_to_attention_on=local, stages=(("received", local),))
    ack = by_key(compute(facts, local))["acknowledge"]
    assert ack.due_on == local + timedelta(days=7)
    # Counted in whole London days, a week is a week: the hour lost or gained changes nothing.
    end_of_due_day = datetime(ack.due_on.year, ack.due_on.month, ack.due_on.day, 23, 59, tzinfo=LONDON)
    assert clocks.local_date(end_of_due_day) == ack.due_on


def test_an_event_at_half_past_midnight_summer_time_belongs_to_the_london_day_not_the_utc_day():
    moment = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)  # 00:30 BST on 31 March
    assert clocks.local_date(moment) == date(2025, 3, 31)


@given(start=days, first=st.integers(min_value=0, max_value=40), second=st.integers(min_value=0, max_value=40))
@settings(max_examples=60)
def test_working_days_add_up_and_land_on_a_working_day(start, first, second):
    end = WORKING.add_days(start, first + second)
    assert end == WORKING.add_days(WORKING.add_days(start, first), second)
    if first + second:
        assert WORKING.is_working_day(end)
        assert WORKING.working_days_between(start, end) == first + second


@given(start=days, months=st.integers(min_value=1, max_value=24))
def test_in_working_mode_a_period_in_months_ends_on_a_working_day_no_earlier_than_the_calendar_date(start, months):
    end = WORKING.add_months(start, months)
    assert WORKING.is_working_day(end)
    assert end >= add_months(start, months)
    assert (end - add_months(start, months)).days <= 5


def test_the_england_and_wales_bank_holidays_include_easter_and_substitute_christmas_days():
    holidays_2025 = england_and_wales_bank_holidays(2025)
    assert {date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5), date(2025, 5, 26), date(2025, 8, 25),
            date(2025, 12, 25), date(2025, 12, 26), date(2025, 1, 1)} == set(holidays_2025)
    assert {date(2022, 12, 26), date(2022, 12, 27), date(2022, 9, 19), date(2022, 6, 2), date(2022, 6, 3)} <= set(
        england_and_wales_bank_holidays(2022))
    assert date(2021, 12, 27) in england_and_wales_bank_holidays(2021)  # Christmas on a Saturday


def test_seven_working_days_over_easter_end_later_than_seven_calendar_days():
    received = date(2025, 4, 16)  # Wednesday before Good Friday
    assert CALENDAR.add_days(received, 7) == date(2025, 4, 23)
    assert WORKING.add_days(received, 7) == date(2025, 4, 29)


def test_the_policy_can_switch_the_clocks_to_working_days(tmp_path):
    spec = dict(policy.load("clocks"))
    spec["day_mode"] = "working"
    facts = Facts(received_on=date(2025, 4, 16), came_to_attention_on=date(2025, 4, 16), stages=(("received", date(2025, 4, 16)),))
    assert by_key(compute(facts, date(2025, 4, 17), spec))["acknowledge"].due_on == date(2025, 4, 29)


def test_the_eu_directive_profile_keeps_only_the_directives_reporter_deadlines():
    with override_settings(POLICY_PROFILE="eu-directive"):
        facts = Facts(received_on=date(2025, 1, 2), came_to_attention_on=date(2025, 1, 2), stages=(("received", date(2025, 1, 2)),))
        assert [c.key for c in compute(facts, date(2025, 1, 3))] == ["acknowledge", "feedback"]
    assert "reporter_update" in [c.key for c in compute(facts, date(2025, 1, 3))]
