"""Queries of teams and themes looked up by id; keyword-only, each takes the session.

Lookups by name and membership live in `storage/queries.py`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlmodel import Session, col, select

from storage.models import Plan, Team, Theme


def active_teams(session: Session) -> Sequence[Team]:
    """Every team not archived, oldest first."""
    stmt = select(Team).where(col(Team.archived_at).is_(None)).order_by(col(Team.id))
    return session.exec(stmt).all()


def teams_by_ids(session: Session, *, team_ids: Collection[int | None]) -> dict[int | None, Team]:
    """These teams by id."""
    return {t.id: t for t in session.exec(select(Team).where(col(Team.id).in_(team_ids)))}


def themes_by_ids(
    session: Session, *, theme_ids: Collection[int | None]
) -> dict[int | None, Theme]:
    """These themes by id."""
    return {t.id: t for t in session.exec(select(Theme).where(col(Theme.id).in_(theme_ids)))}


def ward_of_theme(session: Session, *, theme: Theme) -> str | None:
    """The ward whose plan holds the theme."""
    plan = session.get(Plan, theme.plan_id)
    return plan.ward if plan else None
