"""Reminder settings: a user's on/off and quiet hours, a team's reminder days."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlmodel import Session

from bot.domain.reminder_plan import (
    QuietHours,
    ReminderDays,
    format_days,
    parse_days,
    parse_quiet,
)
from bot.errors import InvalidInput
from bot.services import access
from bot.services import reminder_planning as planning
from bot.services.context import Ctx
from bot.services.teams import find_team
from storage.models import UserPref


@dataclass(frozen=True)
class UserSettings:
    reminders_on: bool
    quiet: QuietHours | None
    replanned: int = 0


@dataclass(frozen=True)
class TeamSettings:
    team: str
    days: ReminderDays
    replanned: int = 0


def _pref(s: Session, user: str) -> UserPref:
    pref = s.get(UserPref, user)
    if pref is None:
        pref = UserPref(user_id=user)
        s.add(pref)
    return pref


def get_settings(ctx: Ctx, *, user: str) -> UserSettings:
    """The user's reminder settings."""
    with ctx.session() as s:
        pref = s.get(UserPref, user)
        return UserSettings(planning.reminders_on(pref), planning.quiet_of(pref))


def set_reminders(ctx: Ctx, *, user: str, on: bool) -> UserSettings:
    """Turn the user's reminders on or off; their open tasks are planned again."""
    with ctx.session() as s:
        pref = _pref(s, user)
        pref.reminders_on = on
        s.flush()
        n = planning.replan_tasks(s, ctx=ctx, tasks=planning.open_tasks_of_user(s, user=user))
        result = UserSettings(on, planning.quiet_of(pref), n)
    planning.plan_month_end(ctx)
    return result


def set_quiet(ctx: Ctx, *, user: str, text: str) -> UserSettings:
    """Set quiet hours from `HH:MM-HH:MM`, `18時～8時`… (or `off`); InvalidInput for 25:00."""
    quiet: QuietHours | None = None
    if unicodedata.normalize("NFKC", text).strip().casefold() not in ("off", "なし", "解除"):
        try:
            quiet = parse_quiet(text)
        except ValueError:
            raise InvalidInput("error.bad_quiet", text=text[:40]) from None
    with ctx.session() as s:
        pref = _pref(s, user)
        pref.quiet_start = f"{quiet.start:%H:%M}" if quiet else None
        pref.quiet_end = f"{quiet.end:%H:%M}" if quiet else None
        s.flush()
        n = planning.replan_tasks(s, ctx=ctx, tasks=planning.open_tasks_of_user(s, user=user))
        result = UserSettings(planning.reminders_on(pref), quiet, n)
    planning.plan_month_end(ctx)
    return result


def set_team_days(
    ctx: Ctx,
    *,
    user: str,
    team_name: str,
    task_days: str | None = None,
    milestone_days: str | None = None,
) -> TeamSettings:
    """A lead changes when the team is reminded; the team's open tasks are planned again."""
    parsed: dict[str, tuple[int, ...]] = {}
    for name, text in (("task", task_days), ("milestone", milestone_days)):
        if text is None:
            continue
        try:
            parsed[name] = parse_days(text)
        except ValueError:
            raise InvalidInput("error.bad_days", text=text[:40]) from None
    with ctx.session() as s:
        team = find_team(s, ctx=ctx, name=team_name)
        access.require_lead(s, team=team, user=user)
        if "task" in parsed:
            team.task_days = format_days(parsed["task"])
        if "milestone" in parsed:
            team.milestone_days = format_days(parsed["milestone"])
        s.flush()
        tasks = planning.open_tasks_of_team(s, team_id=team.id or 0)
        n = planning.replan_tasks(s, ctx=ctx, tasks=tasks)
        return TeamSettings(team.name, planning.team_days(team), n)


def show_team_days(ctx: Ctx, *, team_name: str) -> TeamSettings:
    """A team's reminder days."""
    with ctx.session() as s:
        team = find_team(s, ctx=ctx, name=team_name)
        return TeamSettings(team.name, planning.team_days(team))
