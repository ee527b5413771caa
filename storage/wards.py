"""Queries about wards: which there are, a person's ward, each ward's plan of a year."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Membership, Plan, Staff, Team, UserPref
from storage.queries import active_member

_KNOWN = "wgbot.wards"  # key in Session.info


def wards(session: Session) -> list[str]:
    """Every ward that has a plan, in the order its first plan was imported.

    Asked several times while one command is answered (who may see a team, how a theme is
    written), so the answer is kept for the session; storage.plans.add_plan forgets it.
    """
    known = session.info.get(_KNOWN)
    if known is None:
        stmt = select(Plan.ward, func.min(Plan.id)).group_by(col(Plan.ward))
        rows = session.exec(stmt.order_by(func.min(Plan.id))).all()
        known = session.info[_KNOWN] = [ward for ward, _ in rows]
    return list(known)


def forget_wards(session: Session) -> None:
    """Drop the session's kept list of wards (a plan was added)."""
    session.info.pop(_KNOWN, None)


def plan_wards(session: Session, *, plan_ids: set[int]) -> dict[int, str]:
    """The ward of each plan."""
    stmt = select(Plan.id, Plan.ward).where(col(Plan.id).in_(plan_ids))
    return {plan_id: ward for plan_id, ward in session.exec(stmt).all() if plan_id is not None}


def staff_ward(session: Session, *, user_id: str) -> str | None:
    """The ward the operator's staff list gives the user."""
    row = session.get(Staff, user_id)
    return row.ward if row else None


def team_wards(session: Session, *, user_id: str) -> set[str | None]:
    """The wards of the user's active teams (None for a team made before wards)."""
    stmt = (
        select(Team.ward)
        .join(Membership, col(Membership.team_id) == col(Team.id))
        .where(Membership.user_id == user_id, col(Team.archived_at).is_(None), active_member())
    )
    return set(session.exec(stmt).all())


def own_ward(session: Session, *, user_id: str) -> str | None:
    """The ward the user gave with `/wg me ward:`."""
    pref = session.get(UserPref, user_id)
    return pref.ward if pref else None


def plans_of_year(session: Session, *, fiscal_year: int) -> Sequence[Plan]:
    """Each ward's plan of the fiscal year, else that ward's newest plan; in ward order."""

    def rank(plan: Plan) -> tuple[bool, int]:
        return plan.fiscal_year == fiscal_year, plan.fiscal_year

    chosen: dict[str, Plan] = {}
    for plan in session.exec(select(Plan).order_by(col(Plan.id))).all():
        held = chosen.get(plan.ward)
        if held is None or rank(plan) > rank(held):
            chosen[plan.ward] = plan
    return list(chosen.values())
