"""A task's or theme's reminder card, as reminders, buttons and the App Home show it."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bot.domain.reminder_plan import business_days_left
from bot.results import ReminderCard
from bot.services.context import Ctx
from storage.models import Task, Team, Theme


def task_card(s: Session, *, ctx: Ctx, task: Task, kind: str) -> ReminderCard:
    """The card of a task reminder (loads the team and theme names)."""
    team = s.get(Team, task.team_id) if task.team_id else None
    theme = s.get(Theme, task.theme_id) if task.theme_id else None
    return make_card(ctx, task=task, kind=kind, team=team, theme=theme)


def make_card(
    ctx: Ctx,
    *,
    task: Task,
    kind: str,
    team: Team | None,
    theme: Theme | None,
    left_of: dict[date, int] | None = None,
) -> ReminderCard:
    """The card of a task reminder from loaded rows (`left_of` caches days left per due date)."""
    left = None
    if task.due is not None:
        cache = left_of if left_of is not None else {}
        if task.due not in cache:
            cache[task.due] = business_days_left(ctx.clock.today(), task.due, ctx.calendar)
        left = cache[task.due]
    return ReminderCard(
        kind=kind,
        task_id=task.id,
        title=task.title,
        team=team.name if team else None,
        theme_code=theme.code if theme else None,
        due=task.due,
        days_left=left,
        assignee=task.assignee,
        today=ctx.clock.today(),
        status=task.status,
        done_by=task.done_by,
    )


def theme_card(theme: Theme, *, today: date, ref: str | None = None) -> ReminderCard:
    """The card of a month-end note reminder (`ref`: how its button names the theme)."""
    return ReminderCard(
        "month_end_note",
        None,
        theme.title,
        None,
        theme.code,
        None,
        None,
        None,
        today,
        theme_ref=ref or theme.code,
    )
