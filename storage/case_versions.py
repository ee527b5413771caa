"""Queries of case_version: the earlier versions of edited cases (only ever added to;
their free text is emptied at disposal, bot.services.case_retention)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import CaseVersion


def count(session: Session, *, case_id: int) -> int:
    """How many earlier versions the case has (= how many times it was edited)."""
    stmt = select(func.count()).select_from(CaseVersion).where(CaseVersion.case_id == case_id)
    return int(session.exec(stmt).one())


def of_case(session: Session, *, case_id: int) -> Sequence[CaseVersion]:
    """The earlier versions of one case, oldest first."""
    stmt = (
        select(CaseVersion).where(CaseVersion.case_id == case_id).order_by(col(CaseVersion.version))
    )
    return session.exec(stmt).all()
