"""Queries of the retention run: which closed cases are past retention, and their disposal.

Disposal rewrites the case row in place (free text emptied, section replaced by its
category, disposed_at set) and empties the free text kept in its earlier versions;
nothing is deleted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update as sql_update
from sqlmodel import Session, col, select

from storage.models import CaseVersion, HarassmentCase

# Free text of a case and of its earlier versions: removed at disposal.
FREE_TEXT = ("what_happened", "response", "staff_involved", "section")


@dataclass(frozen=True)
class Expired:
    """A case past retention: its id, closing time and section (to keep its category)."""

    id: int
    closed_at: datetime
    section: str


def expired(session: Session, *, closed_before: datetime, limit: int) -> list[Expired]:
    """Closed, not yet disposed cases closed before the cut-off, oldest id first."""
    stmt = (
        select(HarassmentCase.id, HarassmentCase.closed_at, HarassmentCase.section)  # type: ignore[call-overload]
        .where(
            col(HarassmentCase.status) == "closed",
            col(HarassmentCase.disposed_at).is_(None),
            col(HarassmentCase.closed_at) < closed_before,
        )
        .order_by(col(HarassmentCase.id))
        .limit(limit)
    )
    rows = session.exec(stmt).all()
    return [Expired(int(i), at, str(sec)) for i, at, sec in rows if i is not None and at]


def dispose(
    session: Session, *, cases: Sequence[Expired], categories: Sequence[str], at: datetime
) -> None:
    """Empty the free text of these cases (section -> its category) and of their versions."""
    params = [
        {
            "id": c.id,
            "what_happened": "",
            "response": None,
            "staff_involved": None,
            "section": category,
            "disposed_at": at,
        }
        for c, category in zip(cases, categories, strict=True)
    ]
    session.execute(sql_update(HarassmentCase), params)  # ORM bulk update by primary key
    ids = [c.id for c in cases]
    versions = session.exec(select(CaseVersion).where(col(CaseVersion.case_id).in_(ids))).all()
    for v in versions:
        before = json.loads(v.before)
        v.before = json.dumps(
            {k: (None if k in FREE_TEXT else val) for k, val in before.items()},
            ensure_ascii=False,
        )
        session.add(v)
