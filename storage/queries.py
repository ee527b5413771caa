"""Small lookups shared by the services; keyword-only, each takes the session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, case, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import Membership, Plan, ProgressNote, Task, Team, Theme


def current_plan(session: Session, *, fiscal_year: int) -> Plan | None:
    """The plan of that fiscal year, else the newest plan."""
    plan = session.exec(select(Plan).where(Plan.fiscal_year == fiscal_year)).first()
    if plan is None:
        plan = session.exec(select(Plan).order_by(col(Plan.fiscal_year).desc())).first()
    return plan


def theme_by_code(session: Session, *, plan_id: int | None, code: str) -> Theme | None:
    """A theme of the plan by canonical code."""
    return session.exec(select(Theme).where(Theme.plan_id == plan_id, Theme.code == code)).first()


def team_by_name(session: Session, *, name: str) -> Team | None:
    """An active team by exact name (case-insensitive)."""
    stmt = select(Team).where(
        func.lower(Team.name) == name.strip().lower(), col(Team.archived_at).is_(None)
    )
    return session.exec(stmt).first()


def themes_noted_between(session: Session, *, first: date, last: date) -> set[int]:
    """Ids of the themes with a progress note (not archived) as of a day from first to last."""
    stmt = select(ProgressNote.theme_id).where(
        col(ProgressNote.archived_at).is_(None),
        col(ProgressNote.as_of) >= first,
        col(ProgressNote.as_of) <= last,
    )
    return {theme_id for theme_id in session.exec(stmt).all() if theme_id is not None}


def active_member() -> ColumnElement[bool]:
    """Memberships not taken back: every membership query filters with this."""
    return col(Membership.removed_at).is_(None)


def teams_of_user(session: Session, *, user_id: str) -> Sequence[Team]:
    """Active teams the user belongs to."""
    stmt = (
        select(Team)
        .join(Membership, col(Membership.team_id) == col(Team.id))
        .where(Membership.user_id == user_id, col(Team.archived_at).is_(None), active_member())
        .order_by(col(Team.id))
    )
    return session.exec(stmt).all()


def membership(session: Session, *, team_id: int | None, user_id: str) -> Membership | None:
    """The user's membership of a team, unless it was taken back."""
    return session.exec(
        _membership_stmt(team_id=team_id, user_id=user_id).where(active_member())
    ).first()


def membership_row(session: Session, *, team_id: int | None, user_id: str) -> Membership | None:
    """The user's membership row, removed or not (a re-add re-activates it)."""
    return session.exec(_membership_stmt(team_id=team_id, user_id=user_id)).first()


def _membership_stmt(*, team_id: int | None, user_id: str) -> SelectOfScalar[Membership]:
    return select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)


def members(session: Session, *, team_id: int | None) -> Sequence[Membership]:
    """Present members of a team, leads first."""
    stmt = (
        select(Membership)
        .where(Membership.team_id == team_id, active_member())
        .order_by(col(Membership.is_lead).desc(), col(Membership.id))
    )
    return session.exec(stmt).all()


def task_counts(
    session: Session, *, today: date, team_id: int | None = None, theme_id: int | None = None
) -> tuple[int, int]:
    """(open, overdue) task counts of a team or theme, in one query."""
    overdue = func.sum(case((col(Task.due) < today, 1), else_=0))
    stmt = select(func.count(), func.coalesce(overdue, 0)).where(Task.status == "open")
    if team_id is not None:
        stmt = stmt.where(Task.team_id == team_id)
    if theme_id is not None:
        stmt = stmt.where(Task.theme_id == theme_id)
    open_count, overdue_count = session.exec(stmt).one()
    return int(open_count or 0), int(overdue_count or 0)
