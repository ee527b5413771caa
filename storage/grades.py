"""Every status and year-end grade confirmed on a theme (`theme_grade`, 0009).

A confirmation is appended, never overwritten, so a report of a past date shows the
grade that stood then however often it was confirmed again since.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Theme, ThemeGrade

STATUS, FINAL = "status", "final"


def record(
    session: Session, *, theme: Theme, kind: str, grade: str, reason: str, by: str, at: datetime
) -> None:
    """Keep a confirmation, and make it the theme's latest (`theme.status…` or `final…`)."""
    if kind == STATUS:
        theme.status, theme.status_reason = grade, reason
        theme.status_by, theme.status_at = by, at
    else:
        theme.final_status, theme.final_reason = grade, reason
        theme.final_by, theme.final_at = by, at
    session.add(
        ThemeGrade(
            theme_id=theme.id or 0, kind=kind, grade=grade, reason=reason, given_by=by, given_at=at
        )
    )


def grades_before(
    session: Session, *, theme_ids: Collection[int | None], end: datetime
) -> dict[tuple[int, str], ThemeGrade]:
    """Each theme's last status and last final grade given before `end`, keyed by
    (theme id, kind); one query for all the themes."""
    ids = [i for i in theme_ids if i is not None]
    if not ids:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=(col(ThemeGrade.theme_id), col(ThemeGrade.kind)),
            order_by=(col(ThemeGrade.given_at).desc(), col(ThemeGrade.id).desc()),
        )
        .label("rank")
    )
    ranked = (
        select(col(ThemeGrade.id), rank)
        .where(col(ThemeGrade.theme_id).in_(ids), col(ThemeGrade.given_at) < end)
        .subquery()
    )
    stmt = select(ThemeGrade).join(ranked, ranked.c.id == ThemeGrade.id).where(ranked.c.rank == 1)
    return {(g.theme_id, g.kind): g for g in session.exec(stmt).all()}
