"""The ward office's working days: weekdays minus Japanese holidays and the year-end closure.

Public holidays come from the `holidays` package (substitute and citizens'
holidays included); it does not know the office closure of 29 Dec – 3 Jan,
so that is added here. The fiscal year runs 1 April – 31 March.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from dateutil.relativedelta import relativedelta

YEAR_END_CLOSURE = "年末年始"
WEEKEND_NAMES = {5: "土曜日", 6: "日曜日"}
ONE_DAY = timedelta(days=1)


def _in_year_end_closure(d: date) -> bool:
    return (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)


class OfficeCalendar:
    """Which days the office is open, and date arithmetic in business days."""

    def __init__(self) -> None:
        self._years: dict[int, dict[date, str]] = {}

    def _holidays_of(self, year: int) -> dict[date, str]:
        # Built per year on first use: building the table for every year up front is slow.
        if year not in self._years:
            table = holidays.country_holidays("JP", language="ja", years=year)
            self._years[year] = dict(table.items())
        return self._years[year]

    def holiday_name(self, d: date) -> str | None:
        """The public holiday's Japanese name, "年末年始" in the closure, else None."""
        name = self._holidays_of(d.year).get(d)
        if name:
            return name
        return YEAR_END_CLOSURE if _in_year_end_closure(d) else None

    def closed_reason(self, d: date) -> str | None:
        """Why the office is closed on d (holiday name, 年末年始, 土曜日/日曜日), or None."""
        # A holiday name says more than the weekday: "12月29日（年末年始）", not "（日曜日）".
        return self.holiday_name(d) or WEEKEND_NAMES.get(d.weekday())

    def is_closed(self, d: date) -> bool:
        """True on weekends, public holidays and during the year-end closure."""
        return self.closed_reason(d) is not None

    def is_business_day(self, d: date) -> bool:
        """True when the office is open on d."""
        return not self.is_closed(d)

    def business_day_on_or_before(self, d: date) -> date:
        """d if the office is open, else the nearest earlier business day."""
        while self.is_closed(d):
            d -= ONE_DAY
        return d

    def business_day_on_or_after(self, d: date) -> date:
        """d if the office is open, else the nearest later business day."""
        while self.is_closed(d):
            d += ONE_DAY
        return d

    def add_business_days(self, d: date, n: int) -> date:
        """The n-th business day after d (before d if n < 0); d itself for n == 0."""
        step = ONE_DAY if n > 0 else -ONE_DAY
        for _ in range(abs(n)):
            d += step
            while self.is_closed(d):
                d += step
        return d

    def business_days_between(self, start: date, end: date) -> int:
        """Business days after start up to and including end (0 if end <= start)."""
        count, d = 0, start + ONE_DAY
        while d <= end:
            count += self.is_business_day(d)
            d += ONE_DAY
        return count

    def last_business_day_of_month(self, year: int, month: int) -> date:
        """The last day of the month the office is open."""
        return self.business_day_on_or_before(month_end(date(year, month, 1)))

    def last_business_day_before_closure(self, year: int) -> date:
        """The last business day before the year-end closure starts on 29 Dec."""
        return self.business_day_on_or_before(date(year, 12, 28))

    def first_business_day_of_week(self, d: date) -> date:
        """The first business day of d's Monday–Sunday week; the Monday if none is open.

        Falling back to the Monday keeps a weekly job anchored in a week with
        no open day at all (e.g. 2024-12-30 – 2025-01-05, the year-end closure).
        """
        monday = d - timedelta(days=d.weekday())
        for offset in range(7):
            day = monday + timedelta(days=offset)
            if self.is_business_day(day):
                return day
        return monday


def fiscal_year(d: date) -> int:
    """The fiscal year d belongs to; it starts 1 April (2025-03-31 is FY2024)."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """First and last day of the fiscal year: 1 April fy – 31 March fy+1."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def month_end(d: date) -> date:
    """The last calendar day of d's month."""
    # relativedelta clamps day=31 to the month's length (30 April, 28 or 29 February).
    return d + relativedelta(day=31)


def month_bounds(d: date) -> tuple[date, date]:
    """First and last calendar day of d's month."""
    return d.replace(day=1), month_end(d)


def next_month_start(d: date) -> date:
    """The first day of the month after d's."""
    return month_end(d) + ONE_DAY
