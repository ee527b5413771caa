"""Plan reminder rows into the outbox, inside the caller's transaction (DESIGN §7).

The rules live in `bot.domain.reminder_plan`; this module reads the facts, then makes
the pending rows match the plan: rows no longer planned are cancelled, new ones are
inserted (unique on `dedupe_key`: task, kind, recipient and business day, so a moved
reminder keeps its row), sent rows are never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import inspect
from sqlmodel import Session

from bot.domain.calendar import fiscal_year, month_bounds
from bot.domain.reminder_plan import (
    GradeFacts,
    PlannedReminder,
    QuietHours,
    ReminderDays,
    TaskFacts,
    ThemeFacts,
    month_end_note_day,
    parse_days,
    parse_quiet,
    plan_month_end_notes,
    plan_task,
    plan_year_end_grades,
)
from bot.services.context import Ctx
from storage import prefs as pref_rows
from storage import queries, reminders
from storage import rollover as year_rows
from storage import tasks as task_rows
from storage import teams as team_rows
from storage.models import Reminder, Task, Team, UserPref

log = logging.getLogger(__name__)
YEAR_END_MONTH = 3  # the fiscal year's last month: its leads are asked for the final grade


def team_days(team: Team | None) -> ReminderDays:
    """A team's reminder days; the defaults when unset or unreadable."""
    if team is None:
        return ReminderDays()
    try:
        return ReminderDays(parse_days(team.task_days), parse_days(team.milestone_days))
    except ValueError:
        return ReminderDays()


def quiet_of(pref: UserPref | None) -> QuietHours | None:
    """A user's quiet hours, if set."""
    if pref is None or not pref.quiet_start or not pref.quiet_end:
        return None
    try:
        return parse_quiet(f"{pref.quiet_start}-{pref.quiet_end}")
    except ValueError:
        return None


def reminders_on(pref: UserPref | None) -> bool:
    """Reminders are on unless the user turned them off."""
    return pref is None or pref.reminders_on


def replan_task(session: Session, *, ctx: Ctx, task: Task) -> set[str]:
    """Cancel the task's pending reminders and plan them again from its state.

    Returns the users whose App Home shows the task (its assignee, and the one it was taken
    from): the calling service publishes their tabs once its transaction has committed.
    """
    users = {task.assignee, *inspect(task).attrs.assignee.history.deleted}
    if task.id is None:
        session.flush()
    team = session.get(Team, task.team_id) if task.team_id else None
    pref = session.get(UserPref, task.assignee) if task.assignee else None
    facts = TaskFacts(
        id=task.id or 0,
        kind=task.kind,
        due=task.due,
        status=task.status,
        assignee=task.assignee,
        channel=team.channel_id if team else None,
        theme_id=task.theme_id,
    )
    plans = plan_task(
        facts,
        days=team_days(team),
        calendar=ctx.calendar,
        tz=ctx.clock.tz,
        quiet=quiet_of(pref),
        dm_on=reminders_on(pref),
    )
    existing = reminders.of_task(session, task_id=task.id)
    sync_rows(session, ctx=ctx, plans=plans, existing=existing)
    return {u for u in users if u}


def sync_rows(
    session: Session, *, ctx: Ctx, plans: Sequence[PlannedReminder], existing: Iterable[Reminder]
) -> None:
    """Make the pending rows among `existing` match `plans`; past rows are not planned."""
    now = ctx.clock.now()
    wanted = {p.key: p for p in plans}
    have = {r.dedupe_key: r for r in existing}
    for key, row in have.items():
        plan = wanted.get(key)
        if row.status == "pending" and plan is None:
            row.status = "cancelled"
        elif row.status == "pending" and plan is not None and row.fire_at != plan.fire_at:
            row.fire_at = plan.fire_at
        elif row.status == "cancelled" and plan is not None and plan.fire_at >= now:
            row.status, row.fire_at, row.attempts, row.last_error = "pending", plan.fire_at, 0, None
            row.retry_at = None
    new = [p for k, p in wanted.items() if k not in have and p.fire_at >= now]
    if new:
        session.flush()
        reminders.insert_pending(session, plans=new)


def replan_tasks(session: Session, *, ctx: Ctx, tasks: Iterable[Task]) -> int:
    """Replan several tasks (a user's or a team's settings changed)."""
    count = 0
    for task in tasks:
        replan_task(session, ctx=ctx, task=task)
        count += 1
    return count


def open_tasks_of_user(session: Session, *, user: str) -> Sequence[Task]:
    """Open tasks assigned to the user."""
    return task_rows.open_assigned_to(session, user=user)


def open_tasks_of_team(session: Session, *, team_id: int) -> Sequence[Task]:
    """Open tasks of a team."""
    return task_rows.open_of_team(session, team_id=team_id)


def theme_facts(session: Session, *, ctx: Ctx, day: date) -> list[ThemeFacts]:
    """Themes with teams, their leads and whether a note was written in day's month."""
    first, last = month_bounds(day)
    noted = queries.themes_noted_between(session, first=first, last=last)
    theme_of = {t.id: t.theme_id for t in team_rows.active_teams(session) if t.theme_id}
    themes = team_rows.themes_by_ids(session, theme_ids=set(theme_of.values()))
    team_ids = [tid for tid, theme_id in theme_of.items() if tid and theme_id in themes]
    members = queries.members_of_teams(session, team_ids=team_ids)
    by_theme = sorted(
        (theme_of[m.team_id], m.id or 0, m.user_id) for m in members if m.is_lead and m.team_id
    )  # themes in id order, each theme's leads in membership order
    leads: dict[int, list[str]] = {}
    for theme_id, _, lead in by_theme:
        leads.setdefault(theme_id, []).append(lead)
    return [ThemeFacts(tid, themes[tid].code, tuple(ls), tid in noted) for tid, ls in leads.items()]


def plan_month_end(ctx: Ctx, *, today: date | None = None) -> int:
    """Plan (or cancel) this month's note reminders; run daily by the scheduler.

    In March it plans the year-end grade reminders too (`plan_year_end`).
    """
    day = today or ctx.clock.today()
    plan_year_end(ctx, today=day)
    if day > month_end_note_day(day.year, day.month, ctx.calendar):
        return 0
    with ctx.session() as s:
        return sync_month_end(s, ctx=ctx, day=day)


def replan_themes(session: Session, *, ctx: Ctx) -> None:
    """Today's month-end note and year-end grade rows, from the teams' themes now.

    What the daily job would plan, in the caller's transaction: a rollover that moved
    teams calls it (those rows go to a theme's team leads; a task's own rows do not
    depend on its theme).
    """
    day = ctx.clock.today()
    if day.month == YEAR_END_MONTH:
        sync_year_end(session, ctx=ctx, day=day)
    if day <= month_end_note_day(day.year, day.month, ctx.calendar):
        sync_month_end(session, ctx=ctx, day=day)


def sync_month_end(session: Session, *, ctx: Ctx, day: date) -> int:
    """Make day's month's pending note rows match the themes' teams, leads and notes."""
    facts = theme_facts(session, ctx=ctx, day=day)
    leads = {lead for f in facts for lead in f.leads}
    prefs = pref_rows.prefs_of(session, user_ids=leads)
    wanted = [
        ThemeFacts(
            f.id,
            f.code,
            tuple(u for u in f.leads if reminders_on(prefs.get(u))),
            f.has_note_this_month,
        )
        for f in facts
    ]
    plans = plan_month_end_notes(
        wanted,
        year=day.year,
        month=day.month,
        calendar=ctx.calendar,
        tz=ctx.clock.tz,
        quiet_of={u: quiet_of(p) for u, p in prefs.items()},
    )
    existing = reminders.month_end_notes(session, year=day.year, month=day.month)
    sync_rows(session, ctx=ctx, plans=_not_before(plans, ctx.clock.now()), existing=existing)
    return len(plans)


def plan_year_end(ctx: Ctx, *, today: date | None = None) -> int:
    """Plan (or cancel) March's year-end grade reminders; none outside March."""
    day = today or ctx.clock.today()
    if day.month != YEAR_END_MONTH:
        return 0
    with ctx.session() as s:
        return sync_year_end(s, ctx=ctx, day=day)


def sync_year_end(session: Session, *, ctx: Ctx, day: date) -> int:
    """Make the fiscal year's pending grade reminders match its ungraded themes' leads.

    Weeks already past are not planned (a row for a day gone by is cancelled); today's
    row goes out at once when planned after 09:00 (a restart).
    """
    fy = fiscal_year(day)
    themes = {t.id: t for t in year_rows.themes_of_year(session, fiscal_year=fy)}
    facts = [f for f in theme_facts(session, ctx=ctx, day=day) if f.id in themes]
    prefs = pref_rows.prefs_of(session, user_ids={lead for f in facts for lead in f.leads})
    wanted = [
        GradeFacts(
            f.id,
            f.code,
            tuple(u for u in f.leads if reminders_on(prefs.get(u))),
            themes[f.id].final_status is not None,
        )
        for f in facts
    ]
    plans = plan_year_end_grades(
        wanted,
        fiscal_year=fy,
        calendar=ctx.calendar,
        tz=ctx.clock.tz,
        quiet_of={u: quiet_of(p) for u, p in prefs.items()},
    )
    plans = _not_before([p for p in plans if p.fire_at.date() >= day], ctx.clock.now())
    existing = reminders.year_end_grades(session, fiscal_year=fy)
    sync_rows(session, ctx=ctx, plans=plans, existing=existing)
    return len(plans)


def _not_before(plans: list[PlannedReminder], now: datetime) -> list[PlannedReminder]:
    # The daily job may run after 09:00 on the day itself (a restart): send at once then.
    return [
        p if p.fire_at >= now else PlannedReminder(**{**p.__dict__, "fire_at": now}) for p in plans
    ]
