"""When a reminder fires, and to whom (DESIGN §7): pure rules, no Slack, no database.

Every reminder fires at 09:00 office time on a business day:

- task: `task_days` business days before the due day (default 3, 1 and 0), DM to the assignee;
- milestone: `milestone_days` before (default 5 and 0), DM to the assignee and a post in
  the team channel;
- overdue: the next business day after the due day, then every Monday (or the business
  day after it, when it is closed) until done, at most four in all; DM to the assignee;
- month-end note: three business days before the month's last business day, DM to the
  lead(s) of each theme's teams when the theme has no progress note that month;
- year-end grade: in March, on the first business day of each week, DM to the lead(s) of
  each theme of the fiscal year that has no final A–D grade (取組結果) yet.

A due date on a closed day counts from the business day before it. A reminder that
would fall on a closed day moves to the business day before (overdue: the one after).

Quiet hours (`HH:MM-HH:MM`, the end excluded): a DM whose time falls inside the window
moves to the window's end, on the same day when the window ends later that day, else
on the next business day; the end time is kept. Channel posts ignore quiet hours.

A reminder is identified by its task, kind, recipient and the business day it belongs
to (`reminder_key`), not by when it is sent: a replan moves a reminder not yet sent and
never repeats one that was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import OfficeCalendar

FIRE_TIME = time(9, 0)
MAX_OVERDUE = 4
MONTH_END_DAYS_BEFORE = 3
DEFAULT_TASK_DAYS = (3, 1, 0)
DEFAULT_MILESTONE_DAYS = (5, 0)
MAX_DAYS_BEFORE = 60
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")
# `18時`, `8時30分`, `8時半`: how a time is said in Japanese. A bare `9` stays unread:
# `9-17` could be days or hours.
_JA_TIME = re.compile(r"^(\d{1,2})時(?:(\d{1,2})分|(半))?$")
# Between start and end: `-`, `~` (NFKC of `－` `～`), wave dash `〜`, dashes, the long-vowel
# mark an IME gives for `-`, and `から` (`18時から8時まで`).
_QUIET_SEP = re.compile(r"\s*(?:-|~|〜|‐|–|—|―|ー|から)\s*")


@dataclass(frozen=True)
class ReminderDays:
    """How many business days before the due day a team is reminded."""

    task: tuple[int, ...] = DEFAULT_TASK_DAYS
    milestone: tuple[int, ...] = DEFAULT_MILESTONE_DAYS


@dataclass(frozen=True)
class QuietHours:
    """A user's quiet window in office time; it may wrap midnight (18:00-08:00)."""

    start: time
    end: time

    def contains(self, t: time) -> bool:
        """True when t is inside the window (start included, end excluded)."""
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def label(self) -> str:
        """`18:00-08:00`."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class TaskFacts:
    """What planning needs to know about a task."""

    id: int
    kind: str  # task | milestone
    due: date | None
    status: str  # open | done | cancelled
    assignee: str | None
    channel: str | None = None  # the team channel, for milestones
    theme_id: int | None = None


@dataclass(frozen=True)
class ThemeFacts:
    """A theme that may need a month-end note reminder."""

    id: int
    code: str
    leads: tuple[str, ...]
    has_note_this_month: bool


@dataclass(frozen=True)
class PlannedReminder:
    """One row of the outbox, as planned."""

    kind: str  # task | milestone | milestone_channel | overdue | month_end_note | year_end_grade
    fire_at: datetime
    user_id: str | None
    channel_id: str | None
    key: str
    task_id: int | None = None
    theme_id: int | None = None


def parse_hhmm(text: str) -> time:
    """`09:30`, `９：３０`, `9時30分`, `9時半` -> time(9, 30); ValueError for 25:00 or `9`."""
    norm = unicodedata.normalize("NFKC", text).strip()
    m = _HHMM.match(norm) or _JA_TIME.match(norm)
    if not m:
        raise ValueError(text)
    half = m.re is _JA_TIME and m.group(3) is not None
    minute = 30 if half else int(m.group(2) or 0)
    if int(m.group(1)) > 23 or minute > 59:
        raise ValueError(text)
    return time(int(m.group(1)), minute)


def parse_quiet(text: str) -> QuietHours:
    """`18:00-08:00`, `１８：００～０８：００`, `18時から8時` -> QuietHours.

    ValueError when malformed or empty (start == end). NFKC makes full-width digits,
    `：`, `－` and `～` ASCII; the other separators people type are listed in _QUIET_SEP.
    """
    norm = unicodedata.normalize("NFKC", text).strip()
    norm = norm.removesuffix("まで")
    parts = _QUIET_SEP.split(norm)
    if len(parts) != 2:
        raise ValueError(text)
    quiet = QuietHours(parse_hhmm(parts[0]), parse_hhmm(parts[1]))
    if quiet.start == quiet.end:
        raise ValueError(text)
    return quiet


def parse_days(text: str) -> tuple[int, ...]:
    """`3,1,0` -> (3, 1, 0): distinct, sorted, 0..60; ValueError otherwise."""
    try:
        days = {int(p) for p in text.split(",") if p.strip()}
    except ValueError:
        raise ValueError(text) from None
    if not days or any(d < 0 or d > MAX_DAYS_BEFORE for d in days):
        raise ValueError(text)
    return tuple(sorted(days, reverse=True))


def format_days(days: Iterable[int]) -> str:
    """(3, 1, 0) -> `3,1,0`."""
    return ",".join(str(d) for d in days)


def effective_due(due: date, calendar: OfficeCalendar) -> date:
    """The day reminders count from: the business day on or before the due date."""
    return calendar.business_day_on_or_before(due)


def business_days_left(today: date, due: date, calendar: OfficeCalendar) -> int:
    """Business days from today to the (effective) due day; negative once overdue."""
    target = effective_due(due, calendar)
    if target >= today:
        return calendar.business_days_between(today, target)
    return -calendar.business_days_between(target, today)


def apply_quiet(at: datetime, quiet: QuietHours | None, calendar: OfficeCalendar) -> datetime:
    """Move `at` to the end of the quiet window, or off a closed day (DESIGN §7).

    A time on a closed day (a deferred reminder due again on a Sunday) moves to the next
    business day at 09:00, or at the quiet window's end when 09:00 is inside it.
    """
    if quiet is None or not quiet.contains(at.time()):
        if calendar.is_business_day(at.date()):
            return at
        day = calendar.business_day_on_or_after(at.date())
        fire = quiet.end if quiet is not None and quiet.contains(FIRE_TIME) else FIRE_TIME
        return datetime.combine(day, fire, tzinfo=at.tzinfo)
    day = at.date()
    wraps_to_tomorrow = quiet.start > quiet.end and at.time() >= quiet.start
    if wraps_to_tomorrow or quiet.end <= at.time():
        day = calendar.add_business_days(day, 1)
    elif not calendar.is_business_day(day):
        day = calendar.business_day_on_or_after(day)
    return datetime.combine(day, quiet.end, tzinfo=at.tzinfo)


def overdue_days(due: date, calendar: OfficeCalendar) -> list[date]:
    """The next business day after the due day, then each following Monday; at most 4."""
    first = calendar.add_business_days(effective_due(due, calendar), 1)
    days = [first]
    monday = first + timedelta(days=7 - first.weekday())
    while len(days) < MAX_OVERDUE:
        day = calendar.business_day_on_or_after(monday)
        if day > days[-1]:
            days.append(day)
        monday += timedelta(days=7)
    return days


def _at(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, FIRE_TIME, tzinfo=tz)


def reminder_key(task_id: int, kind: str, day: date, recipient: str) -> str:
    """A task reminder's identity: what it is about, never the minute it goes out.

    `task:12:task:2024-12-05:U2`. Quiet hours, a replan or a retry move the row's
    `fire_at`, never its key, so a reminder sent for a business day is not sent again
    for that day whatever changes afterwards.
    """
    return f"task:{task_id}:{kind}:{day.isoformat()}:{recipient}"


def plan_task(
    task: TaskFacts,
    *,
    days: ReminderDays,
    calendar: OfficeCalendar,
    tz: ZoneInfo,
    quiet: QuietHours | None = None,
    dm_on: bool = True,
) -> list[PlannedReminder]:
    """Every reminder of a task from its state; none when done, cancelled or undated."""
    if task.status != "open" or task.due is None:
        return []
    due = effective_due(task.due, calendar)
    before = days.milestone if task.kind == "milestone" else days.task
    kind = "milestone" if task.kind == "milestone" else "task"
    dm_days = [(kind, calendar.add_business_days(due, -n)) for n in before]
    dm_days += [("overdue", d) for d in overdue_days(task.due, calendar)]
    plans: list[PlannedReminder] = []
    if task.assignee and dm_on:
        for k, day in dm_days:
            at = apply_quiet(_at(day, tz), quiet, calendar)
            key = reminder_key(task.id, k, day, task.assignee)
            plans.append(PlannedReminder(k, at, task.assignee, None, key, task.id))
    if task.kind == "milestone" and task.channel:
        for n in before:
            day = calendar.add_business_days(due, -n)
            key = reminder_key(task.id, "milestone_channel", day, task.channel)
            plans.append(
                PlannedReminder("milestone_channel", _at(day, tz), None, task.channel, key, task.id)
            )
    return _unique(plans)


def month_end_note_day(year: int, month: int, calendar: OfficeCalendar) -> date:
    """Three business days before the month's last business day."""
    last = calendar.last_business_day_of_month(year, month)
    return calendar.add_business_days(last, -MONTH_END_DAYS_BEFORE)


def plan_month_end_notes(
    themes: Iterable[ThemeFacts],
    *,
    year: int,
    month: int,
    calendar: OfficeCalendar,
    tz: ZoneInfo,
    quiet_of: Mapping[str, QuietHours | None] | None = None,
) -> list[PlannedReminder]:
    """A DM to each lead of each theme with no progress note in that month."""
    fire = _at(month_end_note_day(year, month, calendar), tz)
    plans = []
    for theme in themes:
        if theme.has_note_this_month:
            continue
        for lead in dict.fromkeys(theme.leads):
            at = apply_quiet(fire, (quiet_of or {}).get(lead), calendar)
            key = f"note:{theme.id}:{year:04d}-{month:02d}:{lead}"
            plans.append(PlannedReminder("month_end_note", at, lead, None, key, None, theme.id))
    return plans


@dataclass(frozen=True)
class GradeFacts:
    """A theme of the fiscal year that may need its year-end grade (取組結果) asked for."""

    id: int
    code: str
    leads: tuple[str, ...]
    graded: bool


def year_end_grade_days(fiscal_year: int, calendar: OfficeCalendar) -> list[date]:
    """The first business day in March of each week of the fiscal year's March."""
    days: list[date] = []
    day = date(fiscal_year + 1, 3, 1)
    while day.month == 3:
        week = day.isocalendar()[:2]
        if calendar.is_business_day(day) and (not days or days[-1].isocalendar()[:2] != week):
            days.append(day)
        day += timedelta(days=1)
    return days


def plan_year_end_grades(
    themes: Iterable[GradeFacts],
    *,
    fiscal_year: int,
    calendar: OfficeCalendar,
    tz: ZoneInfo,
    quiet_of: Mapping[str, QuietHours | None] | None = None,
) -> list[PlannedReminder]:
    """Each week of March, a DM to each lead of each theme with no year-end grade yet."""
    plans = []
    for day in year_end_grade_days(fiscal_year, calendar):
        for theme in themes:
            if theme.graded:
                continue
            for lead in dict.fromkeys(theme.leads):
                at = apply_quiet(_at(day, tz), (quiet_of or {}).get(lead), calendar)
                key = f"final:{theme.id}:{day.isoformat()}:{lead}"
                plans.append(PlannedReminder("year_end_grade", at, lead, None, key, None, theme.id))
    return plans


def _unique(plans: list[PlannedReminder]) -> list[PlannedReminder]:
    seen: dict[str, PlannedReminder] = {}
    for p in plans:
        seen.setdefault(p.key, p)
    return sorted(seen.values(), key=lambda p: (p.fire_at, p.key))


@dataclass(frozen=True)
class SendFacts:
    """What is known about a claimed reminder just before it is sent."""

    kind: str  # task | milestone | milestone_channel | overdue | month_end_note | year_end_grade
    task_status: str | None = None  # open | done | cancelled; None when the task is gone
    theme_found: bool = False  # month-end notes: the theme still exists
    theme_noted: bool = False  # month-end notes: the theme has a note this month
    theme_graded: bool = False  # year-end grade: the theme has its final grade
    to_user: bool = False  # a DM (quiet hours and the reminders switch apply)
    reminders_on: bool = True
    quiet: QuietHours | None = None
    business_day: bool = True  # today is a business day: reminders go out on those only
    superseded: bool = False  # a newer one of the same task, recipient and kind is due too


@dataclass(frozen=True)
class SendVerdict:
    """Send now (no skip, no wait), cancel (skip says why), or send later (quiet, closed day)."""

    skip: str | None = None
    quiet: QuietHours | None = None  # inside these quiet hours now: moved to their end
    closed: bool = False  # not a business day: moved to the next one (`apply_quiet`)

    @property
    def later(self) -> bool:
        """Not now, but later (quiet hours or a closed day)."""
        return self.quiet is not None or self.closed


def send_verdict(facts: SendFacts, *, now: time) -> SendVerdict:
    """Whether a claimed reminder still goes out at `now` (office time), and if not why."""
    skip = _subject_gone(facts)
    if skip is None and facts.to_user and not facts.reminders_on:
        skip = "reminders off"
    if skip is None and facts.superseded:
        # Several of one kind due at once (deferred past their days): only the newest says
        # what is true now; the older ones are never sent late.
        skip = "superseded"
    quiet = facts.quiet if facts.to_user else None
    quiet = quiet if quiet is not None and quiet.contains(now) else None
    return SendVerdict(skip, quiet, closed=not facts.business_day)


def superseded(due: Collection[tuple[int, Hashable, datetime]]) -> set[int]:
    """Of (id, what-it-is-about, fire_at) due at once, the ids an equal newer one replaces.

    "What it is about" is task or theme, recipient and kind: the newest such reminder is
    sent, the older ones (deferred past their own days) never.
    """
    newest: dict[Hashable, tuple[datetime, int]] = {}
    for row_id, about, fire_at in due:
        newest[about] = max(newest.get(about, (fire_at, row_id)), (fire_at, row_id))
    keep = {row_id for _, row_id in newest.values()}
    return {row_id for row_id, _, _ in due if row_id not in keep}


def _subject_gone(facts: SendFacts) -> str | None:
    """Why the reminder's task or theme no longer needs it, or None."""
    if facts.kind == "year_end_grade":
        if not facts.theme_found:
            return "theme gone"
        return "graded" if facts.theme_graded else None
    if facts.kind == "month_end_note":
        if not facts.theme_found:
            return "theme gone"
        return "note written" if facts.theme_noted else None
    if facts.task_status is None:
        return "task gone"
    return None if facts.task_status == "open" else f"task {facts.task_status}"
