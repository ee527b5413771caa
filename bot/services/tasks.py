"""Use cases for tasks and milestones: add, list, done, due, assign."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.domain.dates import ParsedDate
from bot.domain.text import check_free_text
from bot.errors import InvalidInput, NotFound
from bot.render.messages import closed_day_text
from bot.results import TaskList, TaskRow
from bot.services import access, home, reminder_planning, wards
from bot.services.context import Ctx
from bot.services.teams import find_team
from bot.services.wards import known_wards, resolve_theme, ward_of
from storage import queries
from storage import tasks as task_rows
from storage import teams as team_rows
from storage.models import Task, Team

TITLE_LIMIT = 300
LIST_LIMIT = 40


@dataclass
class TaskResult:
    task: TaskRow
    closed_note: str | None = None


def add_task(
    ctx: Ctx,
    *,
    user: str,
    title: str,
    due: ParsedDate | None = None,
    assignee: str | None = None,
    team_name: str | None = None,
    theme_code: str | None = None,
    milestone: bool = False,
) -> TaskResult:
    """Create a task (or milestone) in a team the user belongs to."""
    title = check_free_text("title", title).strip()
    if not title:
        raise InvalidInput("error.usage", usage_keys=("usage.task.add",))
    if len(title) > TITLE_LIMIT:
        raise InvalidInput("error.too_long", field="件名", limit=TITLE_LIMIT, length=len(title))
    now = ctx.clock.now()
    with ctx.session() as s:
        team = _team_for_new_task(s, ctx=ctx, user=user, team_name=team_name)
        theme = resolve_theme(s, ctx=ctx, code_text=theme_code, user=user) if theme_code else None
        theme_id = theme.id if theme else team.theme_id
        task = Task(
            kind="milestone" if milestone else "task",
            title=title,
            team_id=team.id,
            theme_id=theme_id,
            assignee=assignee or user,
            due=due.value if due else None,
            created_by=user,
            created_at=now,
            updated_at=now,
        )
        s.add(task)
        s.flush()
        users = reminder_planning.replan_task(s, ctx=ctx, task=task)
        note = closed_day_text(ctx.lang, due, ref=ctx.clock.today()) if due else None
        result = TaskResult(_row(s, ctx, task, user=user), note)
    home.publish_homes(ctx, users=users)  # after the commit, so the tab shows the new task
    return result


def _team_for_new_task(s: Session, *, ctx: Ctx, user: str, team_name: str | None) -> Team:
    if team_name:
        team = find_team(s, ctx=ctx, name=team_name)
        access.require_member(s, team=team, user=user)
        return team
    teams = queries.teams_of_user(s, user_id=user)
    if len(teams) != 1:
        raise InvalidInput("error.no_team_for_task")
    return teams[0]


def _load_for_change(s: Session, *, ctx: Ctx, user: str, task_id: int) -> Task:
    task = s.get(Task, task_id)
    if task is None:
        raise NotFound("error.task_not_found", id=task_id)
    access.require_task_change(s, task=task, user=user)
    return task


def _require_open(task: Task) -> None:
    if task.status != "open":
        raise InvalidInput(f"error.task_{task.status}", id=task.id)


def complete_task(ctx: Ctx, *, user: str, task_id: int, done_on: date | None = None) -> TaskResult:
    """Mark a task done (assignee or team member); done twice is refused politely.

    `done_on`: the day it was completed when that was earlier (`on:11/15`); the report
    counts a milestone reached on that day. Not after today, not before it was recorded.
    """
    now = ctx.clock.now()
    with ctx.session() as s:
        task = _load_for_change(s, ctx=ctx, user=user, task_id=task_id)
        _require_open(task)
        if done_on is not None:
            _check_done_on(ctx, task, done_on)
        task.status, task.done_at, task.done_by, task.updated_at = "done", now, user, now
        task.done_on = done_on
        users = reminder_planning.replan_task(s, ctx=ctx, task=task)
        result = TaskResult(_row(s, ctx, task, user=user))
    home.publish_homes(ctx, users=users)
    return result


def _check_done_on(ctx: Ctx, task: Task, done_on: date) -> None:
    if done_on > ctx.clock.today():
        raise InvalidInput("task.done_on_future", date=done_on)
    created = task.created_at.astimezone(ctx.clock.tz).date() if task.created_at else None
    if created is not None and done_on < created:
        raise InvalidInput("task.done_on_before_created", date=done_on, id=task.id, created=created)


def change_due(ctx: Ctx, *, user: str, task_id: int, due: ParsedDate) -> TaskResult:
    """Set a new due date; the reminders are planned again."""
    with ctx.session() as s:
        task = _load_for_change(s, ctx=ctx, user=user, task_id=task_id)
        _require_open(task)
        task.due, task.updated_at = due.value, ctx.clock.now()
        users = reminder_planning.replan_task(s, ctx=ctx, task=task)
        note = closed_day_text(ctx.lang, due, ref=ctx.clock.today())
        result = TaskResult(_row(s, ctx, task, user=user), note)
    home.publish_homes(ctx, users=users)
    return result


def assign_task(ctx: Ctx, *, user: str, task_id: int, assignee: str) -> TaskResult:
    """Give the task to someone else; the reminders follow."""
    with ctx.session() as s:
        task = _load_for_change(s, ctx=ctx, user=user, task_id=task_id)
        _require_open(task)
        task.assignee, task.updated_at = assignee, ctx.clock.now()
        users = reminder_planning.replan_task(s, ctx=ctx, task=task)
        result = TaskResult(_row(s, ctx, task, user=user))
    home.publish_homes(ctx, users=users)
    return result


def list_tasks(
    ctx: Ctx,
    *,
    user: str,
    scope: str = "mine",
    team_name: str | None = None,
    theme_code: str | None = None,
    limit: int = LIST_LIMIT,
) -> TaskList:
    """Open tasks by due date: mine, overdue (in my teams), a team's, or a theme's."""
    today = ctx.clock.today()
    with ctx.session() as s:
        result = TaskList(scope=scope)
        known: dict[int | None, str] = {}  # team names already read
        if team_name:
            team = find_team(s, ctx=ctx, name=team_name)
            access.require_team_visible(s, team=team, user=user)
            page = task_rows.open_in_team(s, team_id=team.id, limit=limit)
            result.scope, result.label_param = "team", team.name
            known[team.id] = team.name
        elif theme_code:
            theme = resolve_theme(s, ctx=ctx, code_text=theme_code, user=user)
            # With one ward everyone sees every team's work: no filter, no ward lookups.
            several = len(known_wards(s)) > 1
            page = task_rows.open_in_theme(
                s,
                theme_id=theme.id,
                limit=limit,
                seen_by=user if several else None,
                ward=ward_of(s, user=user) if several else None,
            )
            result.scope, result.label_param = "theme", theme.code
        elif scope == "overdue":
            page = task_rows.overdue_for(s, user=user, today=today, limit=limit)
        else:
            page = task_rows.open_of_assignee(s, user=user, limit=limit)
            result.scope = "mine"
        result.total = page.total
        result.rows = _rows(s, ctx, page.rows, user=user, known=known)
        return result


def _rows(
    s: Session,
    ctx: Ctx,
    tasks: Sequence[Task],
    *,
    user: str | None = None,
    known: dict[int | None, str] | None = None,
) -> list[TaskRow]:
    """Tasks as rows with their team's name and theme's code (`known`: team names in hand)."""
    teams = dict(known or {})
    team_ids = {t.team_id for t in tasks if t.team_id and t.team_id not in teams}
    theme_ids = {t.theme_id for t in tasks if t.theme_id}
    if team_ids:
        teams |= {i: t.name for i, t in team_rows.teams_by_ids(s, team_ids=team_ids).items()}
    # Another ward's theme is written with its ward (`東港区/A(2)`) when the city has several.
    found = team_rows.themes_by_ids(s, theme_ids=theme_ids).values()
    themes = wards.theme_refs(s, themes=found, reader=user)
    today = ctx.clock.today()
    return [_make_row(t, teams.get(t.team_id), themes.get(t.theme_id), today) for t in tasks]


def _row(s: Session, ctx: Ctx, task: Task, *, user: str | None = None) -> TaskRow:
    return _rows(s, ctx, [task], user=user)[0]


def _make_row(t: Task, team: str | None, theme: str | None, today: date) -> TaskRow:
    overdue = t.status == "open" and t.due is not None and t.due < today
    return TaskRow(
        id=t.id or 0,
        kind=t.kind,
        title=t.title,
        due=t.due,
        assignee=t.assignee,
        team=team,
        theme_code=theme,
        status=t.status,
        overdue=overdue,
        today=today,
    )


def get_task(ctx: Ctx, *, task_id: int) -> TaskRow:
    """One task as a row (no permission needed to read a task's title and due date)."""
    with ctx.session() as s:
        task = s.get(Task, task_id)
        if task is None:
            raise NotFound("error.task_not_found", id=task_id)
        return _row(s, ctx, task)
