"""The office calendar: holidays, the year-end closure, business-day arithmetic, fiscal years."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.calendar import (
    OfficeCalendar,
    fiscal_year,
    fiscal_year_bounds,
    month_bounds,
    month_end,
    next_month_start,
)

CAL = OfficeCalendar()


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2024, 11, 4), "振替休日"),  # 文化の日 fell on Sunday
        (date(2025, 1, 13), "成人の日"),
        (date(2025, 4, 29), "昭和の日"),
        (date(2025, 5, 3), "憲法記念日"),
        (date(2025, 5, 4), "みどりの日"),
        (date(2025, 5, 5), "こどもの日"),
        (date(2025, 5, 6), "振替休日"),
        (date(2026, 9, 22), "国民の休日"),
        (date(2024, 12, 28), "土曜日"),
        (date(2024, 12, 29), "年末年始"),  # a Sunday, but the closure is the better reason
        (date(2024, 12, 30), "年末年始"),
        (date(2024, 12, 31), "年末年始"),
        (date(2025, 1, 1), "元日"),
        (date(2025, 1, 2), "年末年始"),
        (date(2025, 1, 3), "年末年始"),
        (date(2025, 1, 5), "日曜日"),
    ],
)
def test_closed_days_give_their_reason(day: date, reason: str) -> None:
    assert CAL.is_closed(day)
    assert not CAL.is_business_day(day)
    assert CAL.closed_reason(day) == reason


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 5, 2),  # Friday inside Golden Week
        date(2025, 1, 6),  # first day after the closure
        date(2024, 12, 27),
        date(2024, 11, 5),
        date(2025, 3, 31),
    ],
)
def test_ordinary_weekdays_are_business_days(day: date) -> None:
    assert CAL.is_business_day(day)
    assert CAL.closed_reason(day) is None
    assert CAL.holiday_name(day) is None


def test_holiday_name_is_none_on_a_plain_weekend() -> None:
    assert CAL.holiday_name(date(2024, 11, 30)) is None


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 11, 5), -1, date(2024, 11, 1)),  # back over the substitute-holiday Monday
        (date(2024, 11, 1), 1, date(2024, 11, 5)),
        (date(2024, 11, 2), 0, date(2024, 11, 2)),  # n=0 leaves even a closed day alone
        (date(2024, 12, 27), 1, date(2025, 1, 6)),  # over the closure
        (date(2025, 1, 6), -1, date(2024, 12, 27)),
        (date(2024, 11, 30), 1, date(2024, 12, 2)),  # from a Saturday
        (date(2024, 11, 30), -1, date(2024, 11, 29)),
        (date(2025, 4, 28), 2, date(2025, 5, 1)),
        (date(2025, 5, 2), 1, date(2025, 5, 7)),
    ],
)
def test_add_business_days_skips_closed_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_business_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 11, 29), date(2024, 12, 4), 3),  # あと3営業日
        (date(2024, 11, 29), date(2024, 11, 29), 0),
        (date(2024, 12, 4), date(2024, 11, 29), 0),
        (date(2024, 12, 27), date(2025, 1, 6), 1),
        (date(2024, 12, 27), date(2025, 1, 5), 0),
    ],
)
def test_business_days_between_counts_after_start_up_to_end(
    start: date, end: date, expected: int
) -> None:
    assert CAL.business_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "before", "after"),
    [
        (date(2024, 11, 4), date(2024, 11, 1), date(2024, 11, 5)),
        (date(2024, 12, 30), date(2024, 12, 27), date(2025, 1, 6)),
        (date(2024, 11, 29), date(2024, 11, 29), date(2024, 11, 29)),
    ],
)
def test_nearest_business_day_either_side(day: date, before: date, after: date) -> None:
    assert CAL.business_day_on_or_before(day) == before
    assert CAL.business_day_on_or_after(day) == after


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2024, 11, date(2024, 11, 29)),  # 30th is a Saturday
        (2025, 3, date(2025, 3, 31)),
        (2024, 2, date(2024, 2, 29)),
        (2025, 2, date(2025, 2, 28)),
        (2024, 12, date(2024, 12, 27)),  # closure covers the month end
        (2025, 5, date(2025, 5, 30)),
    ],
)
def test_last_business_day_of_month(year: int, month: int, expected: date) -> None:
    assert CAL.last_business_day_of_month(year, month) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 12, 27)), (2025, date(2025, 12, 26)), (2026, date(2026, 12, 28))],
)
def test_last_business_day_before_closure(year: int, expected: date) -> None:
    assert CAL.last_business_day_before_closure(year) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 13), date(2025, 1, 14)),  # Coming-of-Age Monday
        (date(2025, 1, 17), date(2025, 1, 14)),
        (date(2024, 11, 27), date(2024, 11, 25)),
        (date(2024, 12, 1), date(2024, 11, 25)),  # Sunday belongs to the week before
        # Mon 2024-12-30 – Sun 2025-01-05 is all closure and weekend: fall back to the Monday.
        (date(2025, 1, 2), date(2024, 12, 30)),
        (date(2024, 12, 30), date(2024, 12, 30)),
    ],
)
def test_first_business_day_of_week(day: date, expected: date) -> None:
    assert CAL.first_business_day_of_week(day) == expected


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2024, 11, 29), 2024),
        (date(2025, 1, 1), 2024),
    ],
)
def test_fiscal_year_starts_in_april(day: date, fy: int) -> None:
    assert fiscal_year(day) == fy


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2024) == (date(2024, 4, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    ("day", "first", "last", "following"),
    [
        (date(2024, 11, 29), date(2024, 11, 1), date(2024, 11, 30), date(2024, 12, 1)),
        (date(2024, 12, 31), date(2024, 12, 1), date(2024, 12, 31), date(2025, 1, 1)),
        (date(2024, 2, 1), date(2024, 2, 1), date(2024, 2, 29), date(2024, 3, 1)),  # leap year
        (date(2025, 2, 15), date(2025, 2, 1), date(2025, 2, 28), date(2025, 3, 1)),
        (date(2025, 1, 31), date(2025, 1, 1), date(2025, 1, 31), date(2025, 2, 1)),
    ],
)
def test_month_bounds_know_each_months_length(day, first, last, following):
    assert month_bounds(day) == (first, last)
    assert month_end(day) == last
    assert next_month_start(day) == following
