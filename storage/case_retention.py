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

from sqlalchemy import bindparam
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


def expired(
    session: Session, *, closed_before: datetime, limit: int, after_id: int = 0
) -> list[Expired]:
    """Closed, not yet disposed cases closed before the cut-off with an id above `after_id`,
    oldest id first (keyset pagination: a batch never re-reads the ones before it)."""
    stmt = (
        select(HarassmentCase.id, HarassmentCase.closed_at, HarassmentCase.section)  # type: ignore[call-overload]
        .where(
            col(HarassmentCase.id) > after_id,
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
    # One executemany by primary key (Core, not the ORM unit of work: no objects loaded).
    table = HarassmentCase.__table__  # type: ignore[attr-defined]
    conn = session.connection()
    conn.execute(
        sql_update(table).where(table.c.id == bindparam("case_id")),
        [{"case_id": p.pop("id"), **p} for p in params],
    )
    _scrub_versions(session, case_ids=[c.id for c in cases])


def _scrub_versions(session: Session, *, case_ids: Sequence[int]) -> None:
    """Empty the free text in the earlier versions of these cases: one read, one executemany."""
    versions = CaseVersion.__table__  # type: ignore[attr-defined]
    conn = session.connection()
    rows = conn.execute(
        select(versions.c.id, versions.c.before).where(versions.c.case_id.in_(case_ids))
    ).all()
    if not rows:
        return
    scrubbed = [
        {
            "version_id": vid,
            "before": json.dumps(
                {k: (None if k in FREE_TEXT else val) for k, val in json.loads(before).items()},
                ensure_ascii=False,
            ),
        }
        for vid, before in rows
    ]
    conn.execute(sql_update(versions).where(versions.c.id == bindparam("version_id")), scrubbed)
