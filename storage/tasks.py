"""Queries of tasks and milestones; keyword-only, each takes the session."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, union
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage import queries
from storage.models import Task, Team


@dataclass(frozen=True)
class TaskPage:
    """The first rows of a task list and how many there are in all."""

    total: int
    rows: Sequence[Task]


def open_assigned_to(session: Session, *, user: str) -> Sequence[Task]:
    """Every open task assigned to the user (to plan again)."""
    return session.exec(select(Task).where(Task.assignee == user, Task.status == "open")).all()


def open_of_team(session: Session, *, team_id: int) -> Sequence[Task]:
    """Every open task of a team (to plan again)."""
    return session.exec(select(Task).where(Task.team_id == team_id, Task.status == "open")).all()


def by_ids(session: Session, *, task_ids: Collection[int | None]) -> dict[int | None, Task]:
    """These tasks by id."""
    return {t.id: t for t in session.exec(select(Task).where(col(Task.id).in_(task_ids)))}


def _open() -> SelectOfScalar[Task]:
    return select(Task).where(Task.status == "open")


def _by_due(session: Session, stmt: SelectOfScalar[Task], *, limit: int) -> TaskPage:
    """Undated tasks last; the count is of the whole list, not the page."""
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    ordered = stmt.order_by(col(Task.due).is_(None), col(Task.due), col(Task.id)).limit(limit)
    return TaskPage(int(total), session.exec(ordered).all())


def open_of_assignee(session: Session, *, user: str, limit: int) -> TaskPage:
    """Open tasks assigned to the user, by due date."""
    return _by_due(session, _open().where(Task.assignee == user), limit=limit)


def open_in_team(session: Session, *, team_id: int | None, limit: int) -> TaskPage:
    """Open tasks of a team, by due date."""
    return _by_due(session, _open().where(Task.team_id == team_id), limit=limit)


def open_in_theme(
    session: Session,
    *,
    theme_id: int | None,
    limit: int,
    seen_by: str | None = None,
    ward: str | None = None,
) -> TaskPage:
    """Open tasks of a theme, by due date; with `seen_by`, only those of teams that user
    may see: of their `ward`, of no ward, or teams they are on. The same rule as
    bot.domain.access.may_see_team_work, said in SQL so that the page and its count agree."""
    stmt = _open().where(Task.theme_id == theme_id)
    if seen_by is not None:
        seen = or_(
            col(Team.ward).is_(None),
            col(Team.id).in_(queries.team_ids_of_user(seen_by)),
            *([col(Team.ward) == ward] if ward else []),
        )
        visible = select(Team.id).where(seen)
        stmt = stmt.where(or_(col(Task.team_id).is_(None), col(Task.team_id).in_(visible)))
    return _by_due(session, stmt, limit=limit)


def overdue_for(session: Session, *, user: str, today: date, limit: int) -> TaskPage:
    """Open tasks past due in the user's teams or assigned to the user, by due date."""
    # Two indexed lookups joined by UNION, not `team IN (…) OR assignee = …`: PostgreSQL
    # answers that OR with a scan of every task (62 ms at 100,000 tasks, bench_city).
    in_my_teams = select(Task.id).where(
        col(Task.team_id).in_(queries.team_ids_of_user(user)), Task.status == "open"
    )
    mine = select(Task.id).where(Task.assignee == user, Task.status == "open")
    ids = union(in_my_teams, mine).subquery()
    stmt = _open().where(col(Task.due) < today).where(col(Task.id).in_(select(ids.c.id)))
    return _by_due(session, stmt, limit=limit)


def next_milestones(session: Session, *, user: str, today: date, limit: int) -> TaskPage:
    """Open milestones of the user's teams from today on, soonest first."""
    stmt = select(Task).where(
        Task.kind == "milestone",
        Task.status == "open",
        col(Task.team_id).in_(queries.team_ids_of_user(user)),
        col(Task.due) >= today,
    )
    return _by_due(session, stmt, limit=limit)  # every one has a due date (>= today)
