"""Queries of the policy plan and its themes (課題); keyword-only, each takes the session."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Plan, Theme
from storage.wards import forget_wards


def add_plan(session: Session, *, ward: str, fiscal_year: int) -> Plan:
    """A new plan of the ward and year (flushed: it has its id)."""
    plan = Plan(ward=ward, fiscal_year=fiscal_year)
    session.add(plan)
    session.flush()
    forget_wards(session)
    return plan


def plan_of(session: Session, *, ward: str, fiscal_year: int) -> Plan | None:
    """The ward's plan of that fiscal year, if imported."""
    return session.exec(
        select(Plan).where(Plan.ward == ward, Plan.fiscal_year == fiscal_year)
    ).first()


def themes_of_plan(session: Session, *, plan_id: int | None) -> list[Theme]:
    """The plan's themes in plan order."""
    stmt = select(Theme).where(Theme.plan_id == plan_id).order_by(col(Theme.position))
    return list(session.exec(stmt).all())


def plan_of_theme(session: Session, *, theme_id: int | None) -> Plan | None:
    """The plan a theme belongs to (None for no theme)."""
    theme = session.get(Theme, theme_id) if theme_id is not None else None
    return session.get(Plan, theme.plan_id) if theme is not None else None
