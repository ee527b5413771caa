"""Queries of progress notes; keyword-only, each takes the session."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import ProgressNote


def recent_of_theme(session: Session, *, theme_id: int, limit: int) -> list[ProgressNote]:
    """The newest live notes of a theme."""
    stmt = (
        select(ProgressNote)
        .where(ProgressNote.theme_id == theme_id, col(ProgressNote.archived_at).is_(None))
        .order_by(col(ProgressNote.as_of).desc(), col(ProgressNote.id).desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())
