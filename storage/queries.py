"""Small lookups shared by the services; keyword-only, each takes the session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, case, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from bot.domain.text import team_name_key
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


def team_by_name(session: Session, *, name: str, archived_too: bool = False) -> Team | None:
    """The active team (or any team) whose name has the same key: `ＷＧ` finds `WG`.

    Every lookup of a team by a typed name comes here; the key is computed in Python
    (team_name_key) because SQL's lower() leaves full-width letters as they are.
    """
    stmt = select(Team).where(Team.name_key == team_name_key(name))
    if not archived_too:
        stmt = stmt.where(col(Team.archived_at).is_(None))
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


def membership_row(session: Session, *, team_id: int | None, user_id: str) -> Membership | None:
    """The user's membership row, removed or not (a re-add re-activates it).

    Whether someone is a member is asked through `members_of_teams` (bot.services.access).
    """
    stmt = select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
    return session.exec(stmt).first()


def members_of_teams(session: Session, *, team_ids: Sequence[int]) -> Sequence[Membership]:
    """Present members of several teams, leads first (what every access check is decided on)."""
    stmt = (
        select(Membership)
        .where(col(Membership.team_id).in_(team_ids), active_member())
        .order_by(col(Membership.is_lead).desc(), col(Membership.id))
    )
    return session.exec(stmt).all() if team_ids else []


def team_ids_of_user(user_id: str) -> SelectOfScalar[int]:
    """Subquery: ids of the teams the user is a present member of (for task lists)."""
    return select(Membership.team_id).where(Membership.user_id == user_id, active_member())


def teams_of_theme(session: Session, *, theme_id: int | None) -> Sequence[Team]:
    """The teams working on a theme, oldest first."""
    stmt = select(Team).where(Team.theme_id == theme_id).order_by(col(Team.id))
    return session.exec(stmt).all()


def members(session: Session, *, team_id: int | None) -> Sequence[Membership]:
    """Present members of a team, leads first."""
    return members_of_teams(session, team_ids=[team_id]) if team_id is not None else []


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
