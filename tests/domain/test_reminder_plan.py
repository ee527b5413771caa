"""When reminders fire: table tests on the office calendar (DESIGN §7)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import OfficeCalendar
from bot.domain.reminder_plan import (
    QuietHours,
    ReminderDays,
    SendFacts,
    TaskFacts,
    ThemeFacts,
    apply_quiet,
    business_days_left,
    month_end_note_day,
    overdue_days,
    parse_days,
    parse_quiet,
    plan_month_end_notes,
    plan_task,
    send_verdict,
    superseded,
)

JST = ZoneInfo("Asia/Tokyo")
CAL = OfficeCalendar()


def _task(due: date, *, kind: str = "task", status: str = "open", channel: str | None = None):
    return TaskFacts(1, kind, due, status, "U1", channel)


def _days(plans, kind: str) -> list[date]:
    return [p.fire_at.date() for p in plans if p.kind == kind]


def _plan(task: TaskFacts, **kw):
    return plan_task(task, days=kw.pop("days", ReminderDays()), calendar=CAL, tz=JST, **kw)


def test_reminder_before_tuesday_after_monday_holiday_fires_on_friday() -> None:
    # 2024-11-04 (Mon) is a substitute holiday: "1 business day before" 11-05 is Fri 11-01.
    plans = _plan(_task(date(2024, 11, 5)))
    assert _days(plans, "task") == [date(2024, 10, 30), date(2024, 11, 1), date(2024, 11, 5)]
    assert all(p.fire_at.time() == time(9, 0) and p.fire_at.tzinfo == JST for p in plans)


def test_reminder_skips_year_end_closure() -> None:
    plans = _plan(_task(date(2025, 1, 6)))
    assert _days(plans, "task") == [date(2024, 12, 25), date(2024, 12, 27), date(2025, 1, 6)]


def test_reminder_skips_golden_week() -> None:
    # 2025: 4/29 (Tue) 昭和の日, 5/3–5/6 (5/6 substitute): due Wed 5/7.
    plans = _plan(_task(date(2025, 5, 7)))
    assert _days(plans, "task") == [date(2025, 4, 30), date(2025, 5, 2), date(2025, 5, 7)]
    assert _days(plans, "overdue")[0] == date(2025, 5, 8)


def test_due_on_closed_day_counts_from_business_day_before() -> None:
    plans = _plan(_task(date(2024, 12, 29)))  # Sunday in the closure
    assert _days(plans, "task") == [date(2024, 12, 24), date(2024, 12, 26), date(2024, 12, 27)]
    assert _days(plans, "overdue")[0] == date(2025, 1, 6)


def test_milestone_days_and_team_channel_post() -> None:
    plans = _plan(_task(date(2024, 12, 10), kind="milestone", channel="C1"))
    assert _days(plans, "milestone") == [date(2024, 12, 3), date(2024, 12, 10)]
    channel = [p for p in plans if p.kind == "milestone_channel"]
    assert [p.channel_id for p in channel] == ["C1", "C1"] and channel[0].user_id is None


def test_overdue_next_business_day_then_mondays_at_most_four() -> None:
    # Due Fri 2024-12-20 -> Mon 12-23, then Mondays; 12-30 closed -> after: 2025-01-06.
    assert overdue_days(date(2024, 12, 20), CAL) == [
        date(2024, 12, 23),
        date(2025, 1, 6),
        date(2025, 1, 14),  # 1/13 成人の日 -> Tuesday
        date(2025, 1, 20),
    ]


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_nothing_planned_after_done_or_cancelled(status: str) -> None:
    assert _plan(_task(date(2024, 12, 10), status=status)) == []


def test_team_days_change_the_plan_and_keys_are_unique() -> None:
    plans = _plan(_task(date(2024, 12, 10)), days=ReminderDays(task=(2, 0)))
    assert _days(plans, "task") == [date(2024, 12, 6), date(2024, 12, 10)]
    assert len({p.key for p in plans}) == len(plans)


def test_new_due_date_gives_new_keys() -> None:
    before = {p.key for p in _plan(_task(date(2024, 12, 10))) if p.kind == "task"}
    after = {p.key for p in _plan(_task(date(2024, 12, 17))) if p.kind == "task"}
    assert before.isdisjoint(after)


def test_remind_off_keeps_only_channel_posts() -> None:
    plans = _plan(_task(date(2024, 12, 10), kind="milestone", channel="C1"), dm_on=False)
    assert {p.kind for p in plans} == {"milestone_channel"}


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("18:00-08:00", datetime(2024, 12, 10, 9, 0, tzinfo=JST)),  # outside: unchanged
        ("08:00-10:30", datetime(2024, 12, 10, 10, 30, tzinfo=JST)),  # same day at the end
        ("22:00-09:30", datetime(2024, 12, 10, 9, 30, tzinfo=JST)),  # wraps, morning part
        ("09:00-09:01", datetime(2024, 12, 10, 9, 1, tzinfo=JST)),  # start is inside
        ("08:00-09:00", datetime(2024, 12, 10, 9, 0, tzinfo=JST)),  # end is outside
    ],
)
def test_quiet_hours_move_to_window_end(window: str, expected: datetime) -> None:
    at = datetime(2024, 12, 10, 9, 0, tzinfo=JST)
    assert apply_quiet(at, parse_quiet(window), CAL) == expected


def test_quiet_window_wrapping_midnight_moves_to_next_business_day() -> None:
    friday_evening = datetime(2024, 12, 27, 20, 0, tzinfo=JST)  # then the closure
    moved = apply_quiet(friday_evening, QuietHours(time(19, 0), time(7, 30)), CAL)
    assert moved == datetime(2025, 1, 6, 7, 30, tzinfo=JST)


def test_quiet_hours_apply_to_dms_not_channel_posts() -> None:
    quiet = parse_quiet("08:00-10:00")
    plans = _plan(_task(date(2024, 12, 10), kind="milestone", channel="C1"), quiet=quiet)
    assert {p.fire_at.time() for p in plans if p.user_id} == {time(10, 0)}
    assert {p.fire_at.time() for p in plans if p.channel_id} == {time(9, 0)}


@pytest.mark.parametrize("text", ["25:00-07:00", "18:00-24:00", "9-17", "18:00", "08:00-08:00"])
def test_bad_quiet_hours_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quiet(text)


@pytest.mark.parametrize(("text", "days"), [("3,1,0", (3, 1, 0)), ("0,5", (5, 0)), ("1", (1,))])
def test_parse_days(text: str, days: tuple[int, ...]) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["", "a", "-1", "61", "3,,x"])
def test_bad_days_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_days(text)


def test_business_days_left() -> None:
    today = date(2024, 11, 29)  # Friday
    assert business_days_left(today, date(2024, 12, 4), CAL) == 3
    assert business_days_left(today, today, CAL) == 0
    assert business_days_left(today, date(2024, 11, 27), CAL) == -2


def test_month_end_note_three_business_days_before_last_business_day() -> None:
    assert month_end_note_day(2024, 11, CAL) == date(2024, 11, 26)  # last: Fri 11-29
    assert month_end_note_day(2024, 12, CAL) == date(2024, 12, 24)  # last: Fri 12-27


def test_month_end_note_goes_to_leads_of_themes_without_a_note() -> None:
    themes = [
        ThemeFacts(1, "A(2)", ("U1", "U9"), has_note_this_month=False),
        ThemeFacts(2, "B(1)", ("U5",), has_note_this_month=True),
    ]
    plans = plan_month_end_notes(themes, year=2024, month=11, calendar=CAL, tz=JST)
    assert [(p.user_id, p.theme_id) for p in plans] == [("U1", 1), ("U9", 1)]
    assert plans[0].fire_at == datetime(2024, 11, 26, 9, 0, tzinfo=JST)


NIGHT = QuietHours(time(18, 0), time(8, 0))


@pytest.mark.parametrize(
    ("facts", "now", "skip", "quiet"),
    [
        (SendFacts("task", task_status="open", to_user=True), time(9), None, None),
        (SendFacts("task", task_status="done", to_user=True), time(9), "task done", None),
        (SendFacts("overdue", task_status="cancelled"), time(9), "task cancelled", None),
        (SendFacts("task", task_status=None, to_user=True), time(9), "task gone", None),
        (SendFacts("task", task_status="open", to_user=True, reminders_on=False), time(9),
         "reminders off", None),
        # A channel post has no one to switch reminders off or to be quiet for.
        (SendFacts("milestone_channel", task_status="open", reminders_on=False, quiet=NIGHT),
         time(7), None, None),
        (SendFacts("task", task_status="open", to_user=True, quiet=NIGHT), time(7), None, NIGHT),
        (SendFacts("task", task_status="open", to_user=True, quiet=NIGHT), time(8), None, None),
        (SendFacts("month_end_note", theme_found=True, to_user=True), time(9), None, None),
        (SendFacts("month_end_note", theme_found=True, theme_noted=True, to_user=True), time(9),
         "note written", None),
        (SendFacts("month_end_note", theme_found=False, to_user=True), time(9), "theme gone", None),
        # The task's own state wins over the user's switch: the reason names the task.
        (SendFacts("task", task_status="done", to_user=True, reminders_on=False), time(9),
         "task done", None),
    ],
)  # fmt: skip
def test_send_verdict_sends_skips_or_waits_for_quiet_hours(facts, now, skip, quiet):
    verdict = send_verdict(facts, now=now)
    assert (verdict.skip, verdict.quiet) == (skip, quiet)


SUNDAY = datetime(2024, 12, 8, 10, 2, tzinfo=JST)  # the trial's 12-03 and 12-04 reminders


@pytest.mark.parametrize(
    ("at", "window", "expected"),
    [
        # A deferred reminder due again on a closed day waits for the next business day.
        (SUNDAY, None, datetime(2024, 12, 9, 9, 0, tzinfo=JST)),
        (SUNDAY, "12:00-13:00", datetime(2024, 12, 9, 9, 0, tzinfo=JST)),  # 09:00 fits
        (SUNDAY, "08:00-09:30", datetime(2024, 12, 9, 9, 30, tzinfo=JST)),  # quiet at 09:00
        (datetime(2024, 12, 7, 23, 0, tzinfo=JST), "22:00-07:00",
         datetime(2024, 12, 9, 7, 0, tzinfo=JST)),  # Saturday night, wraps: Monday's end
        (datetime(2024, 12, 28, 10, 0, tzinfo=JST), None,
         datetime(2025, 1, 6, 9, 0, tzinfo=JST)),  # the year-end closure
        (datetime(2024, 12, 9, 10, 2, tzinfo=JST), None,
         datetime(2024, 12, 9, 10, 2, tzinfo=JST)),  # a business day: unchanged
    ],
)  # fmt: skip
def test_a_reminder_deferred_onto_a_closed_day_moves_to_the_next_business_day(
    at: datetime, window: str | None, expected: datetime
) -> None:
    moved = apply_quiet(at, parse_quiet(window) if window else None, CAL)
    assert moved == expected and CAL.is_business_day(moved.date())


@pytest.mark.parametrize(
    ("facts", "skip", "later"),
    [
        (SendFacts("task", task_status="open", to_user=True, business_day=False), None, True),
        (SendFacts("milestone_channel", task_status="open", business_day=False), None, True),
        (SendFacts("task", task_status="open", to_user=True, superseded=True), "superseded",
         False),
        # The task's own state still names the reason first.
        (SendFacts("task", task_status="done", to_user=True, superseded=True), "task done",
         False),
        (SendFacts("task", task_status="open", to_user=True), None, False),
    ],
)  # fmt: skip
def test_send_verdict_waits_for_a_business_day_and_drops_superseded_reminders(
    facts: SendFacts, skip: str | None, later: bool
) -> None:
    verdict = send_verdict(facts, now=time(10, 2))
    assert (verdict.skip, verdict.later) == (skip, later)


@pytest.mark.parametrize(
    ("due", "dropped"),
    [
        # The 12-03 and 12-04 reminders of task 7 to U1, both due at once: the newer goes.
        ([(1, (7, "U1", "task"), datetime(2024, 12, 3, 9, tzinfo=JST)),
          (2, (7, "U1", "task"), datetime(2024, 12, 4, 9, tzinfo=JST))], {1}),
        # Another recipient or another kind is another reminder.
        ([(1, (7, "U1", "task"), datetime(2024, 12, 3, 9, tzinfo=JST)),
          (2, (7, "U2", "task"), datetime(2024, 12, 4, 9, tzinfo=JST)),
          (3, (7, "U1", "overdue"), datetime(2024, 12, 2, 9, tzinfo=JST))], set()),
        ([(5, (8, "U1", "task"), datetime(2024, 12, 4, 9, tzinfo=JST)),
          (3, (8, "U1", "task"), datetime(2024, 12, 2, 9, tzinfo=JST)),
          (4, (8, "U1", "task"), datetime(2024, 12, 3, 9, tzinfo=JST))], {3, 4}),
        ([], set()),
    ],
)  # fmt: skip
def test_only_the_newest_of_one_task_recipient_and_kind_is_sent(
    due: list[tuple[int, tuple[int, str, str], datetime]], dropped: set[int]
) -> None:
    assert superseded(due) == dropped
