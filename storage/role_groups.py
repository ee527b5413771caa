"""Queries of the operator-run role groups (a team with `role` set); keyword-only.

A role (`case_admin`, `city_planning`) belongs to the present members of an active
team carrying it; only the operator changes who they are (bot.services.role_groups).
Each query here takes the role, so both groups follow the one rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from storage.models import Membership, Team
from storage.queries import active_member


def _in_group(role: str) -> tuple[ColumnElement[bool], ...]:
    """Present members of an active team with the role (joined Membership and Team)."""
    return (col(Team.role) == role, col(Team.archived_at).is_(None), active_member())


def has_role(session: Session, *, role: str, user: str) -> bool:
    """True when the user is a present member of an active team with the role."""
    if not user:
        return False
    stmt = (
        select(func.count())
        .select_from(Membership)
        .join(Team, col(Team.id) == col(Membership.team_id))
        .where(Membership.user_id == user, *_in_group(role))
    )
    return bool(session.exec(stmt).one())


def role_teams(session: Session, *, role: str) -> Sequence[Team]:
    """The active teams with the role, oldest first."""
    stmt = (
        select(Team)
        .where(Team.role == role, col(Team.archived_at).is_(None))
        .order_by(col(Team.id))
    )
    return session.exec(stmt).all()


def role_members(session: Session, *, role: str) -> list[Membership]:
    """The present holders of the role, one membership each (the earliest), oldest first."""
    stmt = (
        select(Membership)
        .join(Team, col(Team.id) == col(Membership.team_id))
        .where(*_in_group(role))
        .order_by(col(Membership.added_at), col(Membership.id))
    )
    seen: dict[str, Membership] = {}
    for row in session.exec(stmt).all():
        seen.setdefault(row.user_id, row)
    return list(seen.values())


def role_memberships(session: Session, *, role: str, user: str) -> Sequence[Membership]:
    """The user's present memberships of the role's teams (what `remove` takes back)."""
    stmt = (
        select(Membership)
        .join(Team, col(Team.id) == col(Membership.team_id))
        .where(Membership.user_id == user, *_in_group(role))
    )
    return session.exec(stmt).all()
