"""Typing and writing dates the office's way."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.calendar import OfficeCalendar
from bot.domain.dates import (
    ACCEPTED_FORMS_JA,
    DateParseError,
    ParsedDate,
    WeekdayMismatch,
    format_as_of,
    format_fiscal_year,
    format_reiwa,
    is_weekday_note,
    parse_date,
    reiwa_year,
    show_date,
)
from bot.render.messages import closed_day_text, date_error, date_label

CAL = OfficeCalendar()
FRI = date(2024, 11, 29)


def parse(text: str, today: date = FRI) -> ParsedDate:
    return parse_date(text, today=today, calendar=CAL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-12-10", date(2024, 12, 10)),
        ("2024/12/10", date(2024, 12, 10)),
        ("12/10", date(2024, 12, 10)),
        ("12月10日", date(2024, 12, 10)),
        ("2025年3月10日", date(2025, 3, 10)),
        ("令和6年12月10日", date(2024, 12, 10)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R6.12.10", date(2024, 12, 10)),
        ("r6.12.10", date(2024, 12, 10)),
        ("R6/12/10", date(2024, 12, 10)),
        ("今日", date(2024, 11, 29)),
        ("明日", date(2024, 11, 30)),
        ("明後日", date(2024, 12, 1)),
        ("来週金曜", date(2024, 12, 6)),
        ("来週月", date(2024, 12, 2)),
        ("来週水曜日", date(2024, 12, 4)),
        ("今週金曜", date(2024, 11, 29)),
        ("今週月曜日", date(2024, 11, 25)),
        ("月末", date(2024, 11, 29)),  # Nov 30 is a Saturday
        ("年内", date(2024, 12, 27)),
        ("今年度中", date(2025, 3, 31)),
        ("年度末", date(2025, 3, 31)),
        ("3月", date(2025, 3, 31)),
        ("令和7年3月", date(2025, 3, 31)),
        ("2025年3月", date(2025, 3, 31)),
        ("11月", date(2024, 11, 29)),  # the current month still counts
        ("２０２４－１２－１０", date(2024, 12, 10)),
        ("１２／１０", date(2024, 12, 10)),
        ("  １２月１０日 ", date(2024, 12, 10)),
        ("Ｒ６．１２．１０", date(2024, 12, 10)),
        # with the weekday, as the bot writes dates: full-width or ASCII brackets
        ("12月10日（火）", date(2024, 12, 10)),
        ("12月10日(火)", date(2024, 12, 10)),
        ("12月10日 (火曜日)", date(2024, 12, 10)),
        ("12月10日（火曜）", date(2024, 12, 10)),
        ("令和6年12月10日（火）", date(2024, 12, 10)),
        ("令和7年12月1日（月）", date(2025, 12, 1)),
        ("2024-12-10（火）", date(2024, 12, 10)),
        ("12/10(火)", date(2024, 12, 10)),
        ("１２／１０（火）", date(2024, 12, 10)),
        ("R6.12.10(火)", date(2024, 12, 10)),
        ("12/10(Tue)", date(2024, 12, 10)),
        ("2024-12-10 (tuesday)", date(2024, 12, 10)),
    ],
)
def test_every_accepted_form_is_read(text: str, expected: date) -> None:
    assert parse(text).value == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("12/10", date(2024, 11, 29), date(2024, 12, 10)),
        ("1/10", date(2024, 11, 29), date(2025, 1, 10)),
        ("12/10", date(2024, 12, 31), date(2025, 12, 10)),
        ("1/10", date(2024, 12, 31), date(2025, 1, 10)),
        ("12/10", date(2024, 12, 10), date(2024, 12, 10)),  # today counts
        ("2/29", date(2025, 3, 1), date(2028, 2, 29)),
        ("3月", date(2025, 4, 1), date(2026, 3, 31)),
    ],
)
def test_year_less_date_means_next_occurrence(text: str, today: date, expected: date) -> None:
    assert parse(text, today).value == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("年内", date(2024, 11, 29), date(2024, 12, 27)),
        ("年内", date(2024, 12, 27), date(2024, 12, 27)),
        ("今年度中", date(2024, 11, 29), date(2025, 3, 31)),
        ("年度末", date(2025, 3, 31), date(2025, 3, 31)),
        ("年度末", date(2025, 4, 1), date(2026, 3, 31)),
        ("月末", date(2024, 11, 29), date(2024, 11, 29)),
        ("来週金曜", date(2024, 12, 1), date(2024, 12, 6)),  # Sunday: next week starts tomorrow
    ],
)
def test_relative_forms_depend_on_today(text: str, today: date, expected: date) -> None:
    parsed = parse(text, today)
    assert parsed.value == expected
    assert parsed.closed_reason is None


@pytest.mark.parametrize(
    ("text", "reason", "note"),
    [
        ("12月29日", "年末年始", "12月29日は閉庁日です（年末年始）"),
        ("2024-11-30", "土曜日", "11月30日は閉庁日です（土曜日）"),
        ("2025/1/13", "成人の日", "1月13日は閉庁日です（成人の日）"),
        ("明日", "土曜日", "11月30日は閉庁日です（土曜日）"),
    ],
)
def test_closed_day_is_kept_and_flagged(text: str, reason: str, note: str) -> None:
    parsed = parse(text)
    assert parsed.closed_reason == reason
    assert closed_day_text("ja", parsed, ref=FRI) == note


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("2025-12-29", "令和7年12月29日は閉庁日です（年末年始）"),  # next fiscal year
        ("2024-03-20", "令和6年3月20日は閉庁日です（春分の日）"),  # last fiscal year
        ("2025-03-20", "3月20日は閉庁日です（春分の日）"),  # this fiscal year, next calendar year
    ],
)
def test_closed_day_outside_the_fiscal_year_is_noted_with_its_year(text: str, note: str) -> None:
    assert closed_day_text("ja", parse(text), ref=FRI) == note


def test_closed_day_note_in_english_shows_the_year_outside_the_fiscal_year() -> None:
    note = closed_day_text("en", parse("2025-12-29"), ref=FRI)
    assert note == "The office is closed on 29 Dec 2025 (year-end holidays)."
    assert "29 Dec (" in str(closed_day_text("en", parse("12/29"), ref=FRI))


def test_open_day_has_no_closed_note() -> None:
    assert closed_day_text("ja", parse("12/10"), ref=FRI) is None


@pytest.mark.parametrize(
    "text", ["abc", "", "   ", "32日", "2月30日", "13/01", "来週", "2025-02-29", "令和0年1月1日"]
)
def test_unreadable_text_is_rejected_with_the_forms(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    assert ACCEPTED_FORMS_JA in str(info.value)
    assert info.value.text == text.strip()


def test_error_message_quotes_the_input_in_japanese() -> None:
    with pytest.raises(DateParseError, match="日付を読み取れません: 「abc」。使える形式: "):
        parse(" abc ")


@pytest.mark.parametrize(
    ("day", "md", "plain", "reiwa"),
    [
        (date(2024, 12, 10), "12月10日（火）", "12月10日", "令和6年12月10日"),
        (date(2025, 1, 5), "1月5日（日）", "1月5日", "令和7年1月5日"),
        (date(2025, 3, 31), "3月31日（月）", "3月31日", "令和7年3月31日"),
    ],
)
def test_dates_written_the_office_way(day: date, md: str, plain: str, reiwa: str) -> None:
    assert show_date(day, ref=FRI) == md
    assert show_date(day, ref=FRI, weekday=False) == plain
    assert format_reiwa(day) == reiwa


@pytest.mark.parametrize(
    ("day", "ref", "ja", "en"),
    [
        # a year away would read as next week without its year
        (date(2025, 12, 1), date(2024, 11, 30), "令和7年12月1日（月）", "Mon 1 Dec 2025"),
        (date(2025, 4, 1), FRI, "令和7年4月1日（火）", "Tue 1 Apr 2025"),  # the next FY
        (date(2024, 3, 29), FRI, "令和6年3月29日（金）", "Fri 29 Mar 2024"),  # the last FY
        (date(2019, 5, 1), FRI, "令和元年5月1日（水）", "Wed 1 May 2019"),
        (date(2025, 3, 31), FRI, "3月31日（月）", "Mon 31 Mar"),  # still this FY
        (date(2024, 4, 1), FRI, "4月1日（月）", "Mon 1 Apr"),
        (date(2024, 12, 10), FRI, "12月10日（火）", "Tue 10 Dec"),
        (date(2025, 12, 1), date(2025, 4, 1), "12月1日（月）", "Mon 1 Dec"),  # as of next FY
    ],
)
def test_dates_outside_the_fiscal_year_show_the_year(
    day: date, ref: date, ja: str, en: str
) -> None:
    assert show_date(day, ref=ref) == ja
    assert show_date(day, ref=ref, lang="en") == en


def test_english_date_without_weekday() -> None:
    assert show_date(date(2025, 12, 1), ref=FRI, lang="en", weekday=False) == "1 Dec 2025"
    assert show_date(date(2024, 12, 10), ref=FRI, lang="en", weekday=False) == "10 Dec"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 11, 30), "令和6年11月末時点"),
        (date(2024, 11, 20), "令和6年11月20日時点"),
        (date(2024, 2, 29), "令和6年2月末時点"),
        (date(2024, 12, 31), "令和6年12月末時点"),
    ],
)
def test_as_of_says_month_end_on_the_last_day(day: date, expected: str) -> None:
    assert format_as_of(day) == expected


@pytest.mark.parametrize(("fy", "expected"), [(2024, "令和6年度"), (2019, "令和元年度")])
def test_fiscal_year_in_reiwa(fy: int, expected: str) -> None:
    assert format_fiscal_year(fy) == expected


def test_reiwa_year_counts_from_2019() -> None:
    assert reiwa_year(date(2019, 5, 1)) == 1
    assert reiwa_year(date(2024, 12, 10)) == 6


JAN6, MAR31, APR5 = date(2025, 1, 6), date(2025, 3, 31), date(2025, 4, 5)


@pytest.mark.parametrize(
    ("text", "today", "rule", "month_day", "expected"),
    [
        ("11/20", FRI, "next", "last_business", date(2025, 11, 20)),  # a due date: next one
        ("11/20", FRI, "recent", "last", date(2024, 11, 20)),  # a note as of 20 Nov
        ("11/30", FRI, "recent", "last", date(2024, 11, 30)),  # the month end just ahead
        ("5/30", FRI, "recent", "last", date(2024, 5, 30)),
        ("1/10", FRI, "recent", "last", date(2025, 1, 10)),  # within a few weeks ahead
        ("1/31", FRI, "recent", "last", date(2024, 1, 31)),  # too far ahead: last January
        ("11月", FRI, "recent", "last", date(2024, 11, 30)),  # a report as of November
        ("11月", FRI, "recent", "last_so_far", FRI),  # a note as of November: up to today
        ("12月", FRI, "recent", "last", date(2024, 12, 31)),
        ("11月", FRI, "next", "last_business", date(2024, 11, 29)),  # a due date
        ("6月", JAN6, "recent", "last", date(2024, 6, 30)),
        ("3/31", APR5, "recent", "last", date(2025, 3, 31)),  # closing the year in April
        ("3月", APR5, "recent", "last", date(2025, 3, 31)),
        ("12/28", APR5, "recent", "last", date(2024, 12, 28)),
        ("3/31", MAR31, "recent", "last", date(2025, 3, 31)),
        ("4/1", FRI, "past", "first", date(2024, 4, 1)),  # a range from 1 April: behind us
        ("12/1", FRI, "past", "first", date(2023, 12, 1)),
        ("10月", FRI, "past", "first", date(2024, 10, 1)),  # from October: all of it
        ("2/29", date(2025, 3, 1), "past", "first", date(2024, 2, 29)),
        ("2023-11-20", FRI, "recent", "last", date(2023, 11, 20)),  # a year given is kept
    ],
)
def test_dates_without_a_year_follow_what_they_are_for(
    text: str, today: date, rule: str, month_day: str, expected: date
) -> None:
    got = parse_date(text, today=today, calendar=CAL, year_rule=rule, month_day=month_day)
    assert got.value == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12月10日（水）", "12月10日は火曜日です（水と書かれています）"),
        ("12/10(水曜日)", "12月10日は火曜日です（水曜日と書かれています）"),
        ("2024-12-10(Wed)", "12月10日は火曜日です（Wedと書かれています）"),
        # outside this fiscal year the answer names the year it read
        ("令和7年12月10日（火）", "令和7年12月10日は水曜日です（火と書かれています）"),
    ],
)
def test_weekday_that_does_not_match_the_date_is_refused(text: str, message: str) -> None:
    with pytest.raises(WeekdayMismatch) as info:
        parse(text)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "text", ["3月（月）", "月末(金)", "来週金曜(金)", "12月10日(祝)", "12月10日()"]
)
def test_weekday_after_something_that_is_not_one_day_is_unreadable(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    assert not isinstance(info.value, WeekdayMismatch)
    assert ACCEPTED_FORMS_JA in str(info.value)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("12月末", FRI, date(2024, 12, 27)),  # the closure starts on the 29th; 28th a Saturday
        ("12月末日", FRI, date(2024, 12, 27)),
        ("１２月末", FRI, date(2024, 12, 27)),
        ("3月末", FRI, date(2025, 3, 31)),
        ("令和7年3月末", FRI, date(2025, 3, 31)),
        ("2025年3月末", FRI, date(2025, 3, 31)),
        ("2025年5月末", FRI, date(2025, 5, 30)),  # 31 May 2025 is a Saturday
        ("11月末", FRI, date(2024, 11, 29)),  # this month still counts
        ("11月末", date(2024, 12, 2), date(2025, 11, 28)),  # a year-less month: the next one
        ("3月末", date(2025, 4, 1), date(2026, 3, 31)),
        ("今月末", FRI, date(2024, 11, 29)),
        ("来月末", FRI, date(2024, 12, 27)),
        ("来月末", date(2024, 12, 2), date(2025, 1, 31)),
        ("11月中", FRI, date(2024, 11, 29)),
        ("今月中", FRI, date(2024, 11, 29)),
        ("来月中", FRI, date(2024, 12, 27)),
    ],
)
def test_a_months_end_as_staff_write_it_is_its_last_business_day(
    text: str, today: date, expected: date
) -> None:
    assert parse(text, today).value == expected


@pytest.mark.parametrize(
    ("text", "rule", "month_day", "expected"),
    [
        ("11月末", "recent", "last", date(2024, 11, 30)),  # a report as of November's end
        ("月末", "recent", "last", date(2024, 11, 30)),
        ("今月末", "recent", "last_so_far", FRI),  # a note is never as of a later day
        ("10月末", "past", "first", date(2024, 10, 31)),  # a range from the end of October
        ("来月末", "past", "first", date(2024, 12, 31)),
    ],
)
def test_a_months_end_is_its_end_whatever_the_date_is_for(
    text: str, rule: str, month_day: str, expected: date
) -> None:
    got = parse_date(text, today=FRI, calendar=CAL, year_rule=rule, month_day=month_day)
    assert got.value == expected


@pytest.mark.parametrize("text", ["12月上旬", "12月中旬", "令和7年1月下旬", "来月上旬"])
def test_parts_of_a_month_are_refused_with_the_forms(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    assert info.value.code == "part_of_month"
    assert "上旬・中旬・下旬では日が決まりません" in str(info.value)
    assert ACCEPTED_FORMS_JA in str(info.value)


def test_the_list_of_forms_names_the_months_end() -> None:
    for form in ("今月末", "来月末", "12月末", "令和7年3月末"):
        assert form in ACCEPTED_FORMS_JA.split(", ")
        parse(form)  # every form listed is read


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", "unreadable"),
        ("12月末(火)", "unreadable"),
        ("2月30日", "no_such_day"),
        ("13/01", "no_such_day"),
        ("令和0年1月1日", "no_such_day"),
        ("12月10日（水）", "weekday_mismatch"),
        ("12月上旬", "part_of_month"),
    ],
)
def test_each_refusal_says_why_in_a_code(text: str, code: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse(text)
    assert info.value.code == code


def test_how_a_refusal_is_worded_depends_on_its_code_not_its_words() -> None:
    reworded = DateParseError("2月30日", "no_such_day", problem="その日はありません")
    assert date_error(reworded, lang="en", ref=FRI) == (
        "error.no_such_date",
        {"message": str(reworded), "text": "2月30日"},
    )
    with pytest.raises(WeekdayMismatch) as info:
        parse("令和7年12月10日（火）")
    key, params = date_error(info.value, lang="en", ref=FRI)
    assert (key, params["date"], params["weekday"]) == (
        "error.weekday_mismatch",
        "10 Dec 2025",
        "Wednesday",
    )


def test_a_date_with_its_year_always_comes_from_the_one_formatter() -> None:
    assert show_date(date(2024, 12, 10), ref=FRI, year="always") == "令和6年12月10日（火）"
    assert show_date(date(2024, 12, 10), ref=FRI, lang="en", year="always") == "Tue 10 Dec 2024"
    assert date_label("ja", date(2025, 3, 1)) == "令和7年3月1日"
    assert date_label("en", date(2025, 3, 1)) == "1 Mar 2025"


@pytest.mark.parametrize("text", ["（火）", "(火曜日)", "（ 火 ）", "(Tue)", "(tuesday)"])
def test_a_weekday_in_brackets_is_recognised(text: str) -> None:
    assert is_weekday_note(text)


@pytest.mark.parametrize("text", ["火", "(祝)", "（第2回）", "()", "(火)(水)"])
def test_other_brackets_are_no_weekday(text: str) -> None:
    assert not is_weekday_note(text)
