"""Dates as the office writes and types them: 令和, 「12月10日（火）」, 「来週金曜」, 「年度末」.

dateutil's parser reads neither Japanese dates nor 令和, so the accepted
forms are a small hand-written grammar. Today and the calendar are passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.calendar import (
    OfficeCalendar,
    fiscal_year,
    fiscal_year_bounds,
    month_end,
    next_month_start,
)

WEEKDAYS_JA = "月火水木金土日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_EN_FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
REIWA_OFFSET = 2018  # 令和1年 (元年) is 2019
ACCEPTED_FORMS_JA = (
    "2024-12-10, 2024/12/10, 12/10, 12月10日, 12月10日（火）, 2025年3月10日, 令和6年12月10日, "
    "R6.12.10, 今日, 明日, 明後日, 来週金曜, 今週金曜, 月末, 今月末, 来月末, 12月末, 12月中, "
    "年内, 今年度中, 年度末, 3月, 令和7年3月, 2025年3月, 令和7年3月末"
)

_YEAR = r"(?:(?P<western>\d{4})|令和(?P<reiwa>\d{1,2}|元))"
_ISO = re.compile(r"(?P<western>\d{4})([-/])(?P<month>\d{1,2})\2(?P<day>\d{1,2})")
_SLASH_MD = re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})")
_R_DATE = re.compile(r"[Rr](?P<reiwa>\d{1,2}|元)([./])(?P<month>\d{1,2})\2(?P<day>\d{1,2})")
# 「3月末」「3月末日」「3月中」 say the same as 「3月」 for a due date: by the month's end.
_KANJI = re.compile(
    rf"(?:{_YEAR}年)?(?P<month>\d{{1,2}})月(?:(?P<day>\d{{1,2}})日|(?P<end>末日?|中))?"
)
_THIS_MONTH = re.compile(r"(?P<which>今|来)月(?P<end>末日?|中)")
# 「12月上旬」: no one day is meant, so it is refused rather than guessed (docs/decisions.md).
_PART_OF_MONTH = re.compile(r".*月[上中下]旬")
_WEEK = re.compile(rf"(?P<week>今週|来週)(?P<weekday>[{WEEKDAYS_JA}])(?:曜日?)?")


def reiwa_year(d: date) -> int:
    """The 令和 year of d (year - 2018); dates before 2019-05-01 get the same arithmetic."""
    return d.year - REIWA_OFFSET


def _reiwa_label(year: int) -> str:
    return "元" if year == 1 else str(year)


def show_date(
    d: date, *, ref: date, lang: str = "ja", weekday: bool = True, year: str = "auto"
) -> str:
    """How every answer, reminder, digest, Home tab and report shows a day.

    `ref` is today, or a report's as-of date. Within ref's fiscal year: 「12月10日（火）」;
    outside it with the year, 「令和7年12月1日（月）」, so a day a year away never reads as
    next week. English: `Tue 10 Dec`, `Mon 1 Dec 2025`. weekday=False drops the weekday;
    year="always" writes the year whatever ref is (an error or label read with no today).
    """
    with_year = year == "always" or fiscal_year(d) != fiscal_year(ref)
    if lang == "en":
        text = f"{d.day} {MONTHS_EN[d.month - 1]}" + (f" {d.year}" if with_year else "")
        return f"{WEEKDAYS_EN[d.weekday()]} {text}" if weekday else text
    text = format_reiwa(d) if with_year else f"{d.month}月{d.day}日"
    return f"{text}（{WEEKDAYS_JA[d.weekday()]}）" if weekday else text


def weekday_name(d: date, lang: str = "ja") -> str:
    """「火」 or `Tuesday`."""
    return WEEKDAYS_EN_FULL[d.weekday()] if lang == "en" else WEEKDAYS_JA[d.weekday()]


def format_reiwa(d: date) -> str:
    """「令和6年12月10日」 (令和元年 for 2019)."""
    return f"令和{_reiwa_label(reiwa_year(d))}年{d.month}月{d.day}日"


def format_as_of(d: date) -> str:
    """「令和6年11月末時点」 on a month's last day, else 「令和6年11月20日時点」."""
    era = f"令和{_reiwa_label(reiwa_year(d))}年{d.month}月"
    if d == month_end(d):
        return f"{era}末時点"
    return f"{era}{d.day}日時点"


def format_fiscal_year(fy: int) -> str:
    """「令和6年度」 for fiscal year 2024."""
    return f"令和{_reiwa_label(fy - REIWA_OFFSET)}年度"


@dataclass(frozen=True)
class ParsedDate:
    """A parsed due date; closed_reason is set when the office is closed that day.

    The answer's note (「12月29日は閉庁日です（年末年始）」) is written by
    `bot.render.messages.closed_day_text`, in the user's language.
    """

    value: date
    closed_reason: str | None = None


# What went wrong, for code to switch on (`bot.render.messages.date_error`), and the
# Japanese words of each for str(); rendering never looks at the words.
PROBLEMS_JA = {
    "unreadable": "日付を読み取れません",
    "no_such_day": "存在しない日付です",
    "part_of_month": "上旬・中旬・下旬では日が決まりません。日付か「12月末」で書いてください",
}


class DateParseError(ValueError):
    """Text that is not a date in any accepted form; the message lists the forms.

    `code` says why: "unreadable", "no_such_day", "part_of_month" or "weekday_mismatch".
    """

    def __init__(self, text: str, code: str = "unreadable", problem: str = "") -> None:
        self.text = text
        self.code = code
        self.problem = problem or PROBLEMS_JA[code]
        super().__init__(f"{self.problem}: 「{text}」。使える形式: {ACCEPTED_FORMS_JA}")


class WeekdayMismatch(DateParseError):
    """A date typed with a weekday that is not its own: 「12月10日（水）」."""

    def __init__(self, text: str, *, value: date, written: str, ref: date) -> None:
        self.value = value
        self.written = written  # the weekday as typed, e.g. 「水」 or 「水曜日」
        day = show_date(value, ref=ref, weekday=False)
        problem = f"{day}は{weekday_name(value)}曜日です（{written}と書かれています）"
        super().__init__(text, "weekday_mismatch", problem)

    def __str__(self) -> str:
        # Without the list of forms: the date itself was read, only the weekday is wrong.
        return self.problem


def _keyword_dates(today: date, calendar: OfficeCalendar) -> dict[str, Callable[[], date]]:
    fy_end = fiscal_year_bounds(fiscal_year(today))[1]
    return {
        "今日": lambda: today,
        "明日": lambda: today + timedelta(days=1),
        "明後日": lambda: today + timedelta(days=2),
        "年内": lambda: calendar.last_business_day_before_closure(today.year),
        "今年度中": lambda: calendar.last_business_day_of_month(fy_end.year, fy_end.month),
        "年度末": lambda: calendar.last_business_day_of_month(fy_end.year, fy_end.month),
    }


def _year_of(match: re.Match[str], text: str) -> int | None:
    groups = match.groupdict()
    if groups.get("western"):
        return int(groups["western"])
    if groups.get("reiwa"):
        reiwa = 1 if groups["reiwa"] == "元" else int(groups["reiwa"])
        if reiwa < 1:
            raise DateParseError(text, "no_such_day")
        return reiwa + REIWA_OFFSET
    return None


# How far ahead an "as of" date typed without a year may lie: `as-of:11/30` or `12月`
# typed late in November is this year's, `as-of:1/31` is last January.
AS_OF_AHEAD = timedelta(days=45)


def _choose(make: Callable[[int], date], *, today: date, year_rule: str) -> date | None:
    """The year for a date typed without one, by what the date is for.

    "recent" (an as-of date): the latest occurrence not more than AS_OF_AHEAD ahead;
    "past" (a range start): the latest not after today. Years without the day (29 Feb)
    are skipped. None for "next", which the caller resolves.
    """
    if year_rule == "next":
        return None
    limit = today + AS_OF_AHEAD if year_rule == "recent" else today
    for year in range(today.year + 1, today.year - 9, -1):
        try:
            candidate = make(year)
        except ValueError:
            continue
        if candidate <= limit:
            return candidate
    return None


def _explicit_date(
    *, year: int | None, month: int, day: int, today: date, text: str, year_rule: str = "next"
) -> date:
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            raise DateParseError(text, "no_such_day") from None
    chosen = _choose(lambda y: date(y, month, day), today=today, year_rule=year_rule)
    if chosen is not None:
        return chosen
    # Without a year the next occurrence is meant; up to 8 years ahead reaches a 29 Feb.
    for candidate_year in range(today.year, today.year + 9):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise DateParseError(text, "no_such_day")


def _month_day(
    *,
    year: int | None,
    month: int,
    today: date,
    calendar: OfficeCalendar,
    year_rule: str = "next",
    month_day: str = "last_business",
) -> date:
    """A month typed alone: its last business day (a due date), first day, last day, or
    last day so far (`last_so_far`: a note as of this month is as of today at the latest)."""

    def pick(y: int) -> date:
        if month_day == "first":
            return date(y, month, 1)
        if month_day in ("last", "last_so_far"):
            return month_end(date(y, month, 1))
        return calendar.last_business_day_of_month(y, month)

    if year is not None:
        chosen = pick(year)
    else:
        found = _choose(pick, today=today, year_rule=year_rule)
        # The current month still counts: 「11月」 typed in November is this November.
        chosen = found or pick(today.year if month >= today.month else today.year + 1)
    return min(chosen, today) if month_day == "last_so_far" else chosen


# 「(火)」, 「(火曜)」, 「(火曜日)」 after a date, as the bot writes it; English as typed in en.
_WEEKDAY_NAMES = {
    **{f"{c}{tail}": i for i, c in enumerate(WEEKDAYS_JA) for tail in ("", "曜", "曜日")},
    **{name.lower(): i for i, name in enumerate(WEEKDAYS_EN)},
    **{name.lower(): i for i, name in enumerate(WEEKDAYS_EN_FULL)},
}
_WITH_WEEKDAY = re.compile(r"(?P<date>.+)\((?P<weekday>[^()]+)\)")


def _split_weekday(text: str) -> tuple[str, str | None]:
    """(date text, weekday as written or None); an unknown weekday leaves the text unreadable."""
    match = _WITH_WEEKDAY.fullmatch(text)
    if match is None or match["weekday"].lower() not in _WEEKDAY_NAMES:
        return text, None
    return match["date"], match["weekday"]


def _month_of(match: re.Match[str], today: date) -> tuple[int, int]:
    """(year, month) of 「今月末」 or 「来月末」."""
    first = next_month_start(today) if match["which"] == "来" else today
    return first.year, first.month


def is_weekday_note(text: str) -> bool:
    """「（火）」, `(Tue)`: a weekday in brackets, as written after a date."""
    normalized = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    match = re.fullmatch(r"\((?P<weekday>[^()]+)\)", normalized)
    return match is not None and match["weekday"].lower() in _WEEKDAY_NAMES


def _weekday_in_week(match: re.Match[str], today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    if match["week"] == "来週":
        monday += timedelta(days=7)
    return monday + timedelta(days=WEEKDAYS_JA.index(match["weekday"]))


def _resolve(
    text: str,
    *,
    today: date,
    calendar: OfficeCalendar,
    year_rule: str = "next",
    month_day: str = "last_business",
    day_only: bool = False,
) -> date | None:
    """The date text names; `day_only` (a weekday was written after it): only forms with a
    day of the month, as a weekday after 「月末」 or 「3月」 would say nothing."""
    keyword = None if day_only else _keyword_dates(today, calendar).get(text)
    if keyword is not None:
        return keyword()
    if not day_only and (match := _WEEK.fullmatch(text)):
        return _weekday_in_week(match, today)
    # A month's end is its end even where a bare month means its first day (a range start).
    by_end = "last" if month_day == "first" else month_day
    if not day_only and (match := _THIS_MONTH.fullmatch("今" + text if text == "月末" else text)):
        this_year, this_month = _month_of(match, today)
        return _month_day(year=this_year, month=this_month, today=today, calendar=calendar,
                          month_day=by_end)  # fmt: skip
    match = _ISO.fullmatch(text) or _R_DATE.fullmatch(text) or _SLASH_MD.fullmatch(text)
    match = match or _KANJI.fullmatch(text)
    if match is None or (day_only and match["day"] is None):
        return None
    year, month = _year_of(match, text), int(match["month"])
    if not 1 <= month <= 12:
        raise DateParseError(text, "no_such_day")
    if match.groupdict().get("end"):
        month_day = by_end
    if match["day"] is None:
        return _month_day(year=year, month=month, today=today, calendar=calendar,
                          year_rule=year_rule, month_day=month_day)  # fmt: skip
    return _explicit_date(
        year=year, month=month, day=int(match["day"]), today=today, text=text, year_rule=year_rule
    )


def parse_date(
    text: str,
    *,
    today: date,
    calendar: OfficeCalendar,
    year_rule: str = "next",
    month_day: str = "last_business",
) -> ParsedDate:
    """Read a date in any accepted form; a closed day is kept and flagged.

    Typed without a year, a due date is the next occurrence (`year_rule="next"`); an
    "as of" date (note, indicator, report) the latest occurrence up to AS_OF_AHEAD ahead
    ("recent"); a range start the latest not after today ("past"). A month typed alone is
    its last business day for a due date, else its first day, last day, or last day so
    far (`month_day="first"|"last"|"last_so_far"`).
    """
    # NFKC turns full-width digits, ／, － and （） into ASCII; spaces inside are typing noise.
    normalized = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    normalized, written = _split_weekday(normalized)
    try:
        value = _resolve(normalized, today=today, calendar=calendar, year_rule=year_rule,
                         month_day=month_day, day_only=written is not None)  # fmt: skip
    except DateParseError as exc:
        raise DateParseError(text.strip(), exc.code) from None  # quote what was typed
    if value is None:
        code = "part_of_month" if _PART_OF_MONTH.fullmatch(normalized) else "unreadable"
        raise DateParseError(text.strip(), code)
    if written is not None and _WEEKDAY_NAMES.get(written.lower()) != value.weekday():
        raise WeekdayMismatch(text.strip(), value=value, written=written, ref=today)
    return ParsedDate(value=value, closed_reason=calendar.closed_reason(value))
