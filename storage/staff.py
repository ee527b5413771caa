"""The operator's staff list (staff table); keyword-only, each takes the session."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Staff


def staff_of(session: Session, *, user_ids: Collection[str]) -> dict[str, Staff]:
    """The staff rows of these users, by user id (someone not on the list is absent)."""
    stmt = select(Staff).where(col(Staff.user_id).in_(user_ids))
    return {row.user_id: row for row in session.exec(stmt)}


def put_staff(
    session: Session,
    *,
    user_id: str,
    name: str,
    ward: str,
    section: str,
    email: str | None,
    at: datetime,
    by: str,
    held: Staff | None,
) -> bool:
    """Write a person's row (replacing `held`, their row read before); True when new."""
    row = held or Staff(user_id=user_id, name=name, ward=ward, section=section, imported_by=by)
    row.name, row.ward, row.section, row.email = name, ward, section, email
    row.imported_at, row.imported_by = at, by
    session.add(row)
    return held is None
