"""Queries of the fiscal year's turn: plans and themes of a year, what still works on them,
and the moves themselves (bulk statements: 100,000 tasks in one short transaction)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ARRAY, Integer, any_, bindparam, insert, select, update
from sqlmodel import Session, col
from sqlmodel import select as sqlmodel_select

from storage.models import Plan, Task, Team, Theme, ThemeMove

CHUNK = 5000  # ids in one `IN (...)`: under SQLite's 32,766 variables, cheap on PostgreSQL


class Worker(NamedTuple):
    """An open task or an active team on a theme: what a rollover lists and moves."""

    id: int
    name: str  # the task's title or the team's name, as typed
    theme_id: int


def plans_of(session: Session, *, fiscal_year: int, ward: str | None = None) -> Sequence[Plan]:
    """The plans of a fiscal year (of one ward, when given), in the order they were imported."""
    stmt = sqlmodel_select(Plan).where(Plan.fiscal_year == fiscal_year)
    if ward is not None:
        stmt = stmt.where(Plan.ward == ward)
    return session.exec(stmt.order_by(col(Plan.id))).all()


def themes_of_plans(session: Session, *, plan_ids: Collection[int | None]) -> Sequence[Theme]:
    """The plans' themes, each plan's in plan order."""
    stmt = (
        sqlmodel_select(Theme)
        .where(col(Theme.plan_id).in_(plan_ids))
        .order_by(col(Theme.plan_id), col(Theme.position))
    )
    return session.exec(stmt).all()


def open_tasks_of_themes(session: Session, *, theme_ids: Collection[int | None]) -> list[Worker]:
    """Open tasks (not done, not cancelled) on the themes, oldest first: id, title, theme.

    Plain rows, not ORM objects: 100,000 of those cost seconds and hundreds of MB.
    """
    stmt = (
        select(col(Task.id), col(Task.title), col(Task.theme_id))
        .where(col(Task.theme_id).in_(theme_ids), col(Task.status) == "open")
        .order_by(col(Task.id))
    )
    return [Worker(i, name, theme) for i, name, theme in session.execute(stmt)]


def active_teams_of_themes(session: Session, *, theme_ids: Collection[int | None]) -> list[Worker]:
    """Active (not archived) teams working on the themes, oldest first: id, name, theme."""
    stmt = (
        select(col(Team.id), col(Team.name), col(Team.theme_id))
        .where(col(Team.theme_id).in_(theme_ids), col(Team.archived_at).is_(None))
        .order_by(col(Team.id))
    )
    return [Worker(i, name, theme) for i, name, theme in session.execute(stmt)]


def move(
    session: Session,
    *,
    kind: str,
    moves: Sequence[tuple[int, int, int]],
    at: datetime,
    by: str,
) -> None:
    """Move tasks or teams (`kind`) to their new themes and record each move (theme_move).

    `moves` holds (id, from theme, to theme). For each pair of themes and each chunk of
    ids, one INSERT ... SELECT of the theme_move rows and one UPDATE: a few hundred
    statements for 100,000 tasks, the caller's transaction making them all or nothing.
    Task moves set `updated_at`; nothing else of the row changes.
    """
    if not moves:
        return
    table = Task.__table__ if kind == "task" else Team.__table__  # type: ignore[attr-defined]
    record = ThemeMove.__table__  # type: ignore[attr-defined]
    columns = ["task_id" if kind == "task" else "team_id", "from_theme_id", "to_theme_id"]
    columns += ["moved_at", "moved_by"]
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for item, old, new in moves:
        pairs[(old, new)].append(item)
    postgres = session.get_bind().dialect.name == "postgresql"
    for (old, new), ids in pairs.items():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            # PostgreSQL: one array parameter, not 5,000 (their binding was a third of it)
            match = (
                table.c.id == any_(bindparam("ids", chunk, type_=ARRAY(Integer)))
                if postgres
                else table.c.id.in_(chunk)
            )
            rows = select(
                table.c.id,
                bindparam("old", old, type_=Integer),
                bindparam("new", new, type_=Integer),
                bindparam("at", at, type_=record.c.moved_at.type),
                bindparam("by", by, type_=record.c.moved_by.type),
            ).where(match)
            session.execute(insert(record).from_select(columns, rows))
            values: dict[str, Any] = {"theme_id": new}
            if kind == "task":
                values["updated_at"] = at
            session.execute(update(table).where(match).values(values))


def themes_of_year(session: Session, *, fiscal_year: int) -> Sequence[Theme]:
    """Every ward's themes of the fiscal year."""
    stmt = (
        sqlmodel_select(Theme)
        .join(Plan, col(Plan.id) == col(Theme.plan_id))
        .where(Plan.fiscal_year == fiscal_year)
        .order_by(col(Theme.id))
    )
    return session.exec(stmt).all()
