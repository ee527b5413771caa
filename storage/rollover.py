"""Queries of the fiscal year's turn: plans and themes of a year, what still works on them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlmodel import Session, col, select

from storage.models import Plan, Task, Team, Theme


def plans_of(session: Session, *, fiscal_year: int, ward: str | None = None) -> Sequence[Plan]:
    """The plans of a fiscal year (of one ward, when given), in the order they were imported."""
    stmt = select(Plan).where(Plan.fiscal_year == fiscal_year)
    if ward is not None:
        stmt = stmt.where(Plan.ward == ward)
    return session.exec(stmt.order_by(col(Plan.id))).all()


def themes_of_plans(session: Session, *, plan_ids: Collection[int | None]) -> Sequence[Theme]:
    """The plans' themes, each plan's in plan order."""
    stmt = (
        select(Theme)
        .where(col(Theme.plan_id).in_(plan_ids))
        .order_by(col(Theme.plan_id), col(Theme.position))
    )
    return session.exec(stmt).all()


def open_tasks_of_themes(session: Session, *, theme_ids: Collection[int | None]) -> Sequence[Task]:
    """Open tasks (not done, not cancelled) on the themes, oldest first."""
    stmt = (
        select(Task)
        .where(col(Task.theme_id).in_(theme_ids), Task.status == "open")
        .order_by(col(Task.id))
    )
    return session.exec(stmt).all()


def teams_of_themes(session: Session, *, theme_ids: Collection[int | None]) -> Sequence[Team]:
    """Active (not archived) teams working on the themes, oldest first."""
    stmt = (
        select(Team)
        .where(col(Team.theme_id).in_(theme_ids), col(Team.archived_at).is_(None))
        .order_by(col(Team.id))
    )
    return session.exec(stmt).all()


def themes_of_year(session: Session, *, fiscal_year: int) -> Sequence[Theme]:
    """Every ward's themes of the fiscal year."""
    stmt = (
        select(Theme)
        .join(Plan, col(Plan.id) == col(Theme.plan_id))
        .where(Plan.fiscal_year == fiscal_year)
        .order_by(col(Theme.id))
    )
    return session.exec(stmt).all()
