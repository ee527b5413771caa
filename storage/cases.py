"""Queries of the case log and its audit trail; keyword-only, each takes the session.

Every query of cases goes through `visible_to(viewer)`, the one default-deny
filter and the only place the rule lives: a case admin sees every case, anyone
else only the cases they reported. `is_case_admin` is the one answer to "is this
person a case admin", asked afresh on every request (never cached).
The audit log is append-only: there is an insert here and no update or delete.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, false, func, literal_column, true
from sqlmodel import Session, col, select

from storage import audit_chain, role_groups
from storage.models import AuditLog, HarassmentCase, Membership, Team

CASE_ADMIN = "case_admin"


@dataclass(frozen=True)
class Viewer:
    """Who is asking, and whether they belong to a case-admin team."""

    user: str
    admin: bool


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The default-deny filter applied to every query of cases (the one visibility rule)."""
    if not viewer.user:
        return false()
    if viewer.admin:
        return true()
    return col(HarassmentCase.reporter) == viewer.user


def is_case_admin(session: Session, *, user: str) -> bool:
    """True when the user is a present member of an active team with role case_admin."""
    return role_groups.has_role(session, role=CASE_ADMIN, user=user)


def case_admin_teams(session: Session) -> Sequence[Team]:
    """The active teams with role case_admin (one, unless release 0.1 designated several)."""
    return role_groups.role_teams(session, role=CASE_ADMIN)


def case_admins(session: Session) -> list[Membership]:
    """The present case admins, one membership each (the earliest), oldest first."""
    return role_groups.role_members(session, role=CASE_ADMIN)


def count_actions(
    session: Session, *, actor: str, since: datetime, like: str | None = None, action: str = ""
) -> int:
    """How many audit rows of one actor since a time: one action, or actions LIKE a pattern."""
    what = col(AuditLog.action).like(like) if like else col(AuditLog.action) == action
    stmt = (
        select(func.count())
        .select_from(AuditLog)
        .where(AuditLog.actor == actor, col(AuditLog.at) >= since, what)
    )
    return int(session.exec(stmt).one() or 0)


def get_case(session: Session, *, viewer: Viewer, case_id: int) -> HarassmentCase | None:
    """A case the viewer may see, else None (missing and forbidden look the same)."""
    stmt = select(HarassmentCase).where(HarassmentCase.id == case_id, visible_to(viewer))
    return session.exec(stmt).first()


def case_exists(session: Session, *, case_id: int) -> bool:
    """Whether a case has this id, whoever may see it (refused-attempt alerts only)."""
    stmt = select(HarassmentCase.id).where(HarassmentCase.id == case_id)
    return session.exec(stmt).first() is not None


def list_cases(session: Session, *, viewer: Viewer, limit: int = 50) -> Sequence[HarassmentCase]:
    """Newest first, only what the viewer may see."""
    stmt = (
        select(HarassmentCase)
        .where(visible_to(viewer))
        .order_by(col(HarassmentCase.occurred_at).desc(), col(HarassmentCase.id).desc())
        .limit(limit)
    )
    return session.exec(stmt).all()


def count_cases(session: Session, *, viewer: Viewer) -> int:
    """How many cases the viewer may see (a cut list says how many it left out)."""
    stmt = select(func.count()).select_from(HarassmentCase).where(visible_to(viewer))
    return int(session.exec(stmt).one())


@dataclass
class StatsRows:
    """Aggregates straight from SQL: totals and counts per group key."""

    total: int = 0
    minutes: int = 0
    staff_minutes: int = 0
    kind_combos: dict[str, int] = field(default_factory=dict)  # "abusive,detention" -> n
    months: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)


def _month(session: Session, *, tz_name: str, offset: timedelta) -> ColumnElement[str]:
    occurred = col(HarassmentCase.occurred_at)
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(tz_name, occurred), "YYYY-MM")
    minutes = int(offset.total_seconds() // 60)
    return func.strftime("%Y-%m", occurred, f"{minutes:+d} minutes")


def stats(
    session: Session,
    *,
    viewer: Viewer,
    start: datetime | None,
    end: datetime | None,
    tz_name: str,
    offset: timedelta,
) -> StatsRows:
    """Aggregates in SQL (GROUP BY), never loading the cases themselves."""
    return stats_ranges(
        session, viewer=viewer, ranges=[(start, end)], tz_name=tz_name, offset=offset
    )[0]


Bounds = tuple[datetime | None, datetime | None]  # [start, end); None is open-ended


def _covers(outer: Bounds, inner: Bounds) -> bool:
    """True when the period `inner` lies within `outer`."""
    (start, end), (lo, hi) = outer, inner
    after = start is None or (lo is not None and start <= lo)
    before = end is None or (hi is not None and hi <= end)
    return after and before


def _segments(ranges: Sequence[Bounds]) -> tuple[list[datetime], list[list[int]]]:
    """Cut the timeline at every range's start and end: the cut points, and for each
    range the segments (between two cuts) it covers, wholly, since every end is a cut."""
    cuts = sorted({t for r in ranges for t in r if t is not None})
    pieces: list[Bounds] = list(zip([None, *cuts], [*cuts, None], strict=True))
    covered = [[i for i, piece in enumerate(pieces) if _covers(r, piece)] for r in ranges]
    return cuts, covered


def stats_ranges(
    session: Session,
    *,
    viewer: Viewer,
    ranges: Sequence[Bounds],
    tz_name: str,
    offset: timedelta,
) -> list[StatsRows]:
    """The aggregates of several overlapping ranges [start, end) in one pass over the cases.

    The ranges' starts and ends cut the timeline into a few segments; each of the four
    GROUP BYs also groups by the segment (one CASE), and a range's counts are the sum
    of its segments'. So the ranges a stats call compares (docs/cases.md, rule 3) cost
    the same four queries as one range, not four more each. The WHERE is the ranges'
    hull (they overlap the asked one, so it is their union).
    """
    occurred = col(HarassmentCase.occurred_at)
    cuts, covered = _segments(ranges)
    where: list[ColumnElement[bool]] = [visible_to(viewer)]
    if all(start is not None for start, _ in ranges):
        where.append(occurred >= min(start for start, _ in ranges if start is not None))
    if all(end is not None for _, end in ranges):
        where.append(occurred < max(end for _, end in ranges if end is not None))
    # No cut (one open range): one segment, nothing to group by. Computed columns are
    # grouped by their names: SQLite evaluates a repeated expression (its own `?`
    # parameters) twice a row otherwise.
    segment = case(*((occurred < cut, i) for i, cut in enumerate(cuts)), else_=len(cuts))
    by_segment: list[Any] = [segment.label("grp_seg")] if cuts else []
    seg_names: list[Any] = [literal_column("grp_seg")] if cuts else []
    results = [StatsRows() for _ in ranges]
    in_segment = [
        [r for r, segs in zip(results, covered, strict=True) if i in segs]
        for i in range(len(cuts) + 1)
    ]
    minutes = col(HarassmentCase.minutes)
    # Grouping by the stored kind list (a few dozen combinations) is much cheaper
    # than testing every case for every kind; the combinations are split afterwards.
    combos: Sequence[Any] = session.exec(
        select(  # type: ignore[call-overload]
            col(HarassmentCase.kinds),
            func.count(),
            func.sum(minutes),
            func.sum(minutes * col(HarassmentCase.staff_count)),
            *by_segment,
        )
        .where(*where)
        .group_by(col(HarassmentCase.kinds), *seg_names)
    ).all()
    for combo, n, spent, staff_spent, *seg in combos:
        for result in in_segment[int(seg[0]) if seg else 0]:
            result.total += int(n)
            result.minutes += int(spent or 0)
            result.staff_minutes += int(staff_spent or 0)
            result.kind_combos[str(combo)] = result.kind_combos.get(str(combo), 0) + int(n)
    month = _month(session, tz_name=tz_name, offset=offset)
    for name, expr in (
        ("months", month),
        ("places", col(HarassmentCase.place)),
        ("sections", col(HarassmentCase.section)),
    ):
        rows: Sequence[Any] = session.exec(
            select(expr.label("grp_key"), func.count(), *by_segment)  # type: ignore[call-overload]
            .where(*where)
            .group_by(literal_column("grp_key"), *seg_names)
        ).all()
        for key, n, *seg in rows:
            for result in in_segment[int(seg[0]) if seg else 0]:
                cells: dict[str, int] = getattr(result, name)
                cells[str(key)] = cells.get(str(key), 0) + int(n)
    return results


def export_cases(session: Session, *, viewer: Viewer) -> Sequence[HarassmentCase]:
    """Cases for the anonymised export, oldest first (the renderer drops the free text)."""
    stmt = (
        select(HarassmentCase)
        .where(visible_to(viewer))
        .order_by(col(HarassmentCase.occurred_at), col(HarassmentCase.id))
    )
    return session.exec(stmt).all()


def count_created(session: Session, *, since: datetime, until: datetime) -> int:
    """How many cases were logged in [since, until) (the weekly digest's number)."""
    stmt = (
        select(func.count())
        .select_from(HarassmentCase)
        .where(
            col(HarassmentCase.created_at) >= since,
            col(HarassmentCase.created_at) < until,
        )
    )
    return int(session.exec(stmt).one() or 0)


VIA = " via="  # ends an audit detail: who really acted (add_audit)


def add_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    at: datetime,
    case_id: int | None = None,
    detail: str | None = None,
    via: str | None = None,
) -> None:
    """Append one audit row, linked into the hash chain (storage.audit_chain).

    `via` names who really acted when the actor is a user another person speaks for
    (`wgbot console --user U9` run by the OS user alice: `via=console:alice`); it ends
    the detail, so the row stays one line in `case audit` and inside the hash.
    """
    if via:
        detail = f"{detail}{VIA}{via}" if detail else f"{VIA.strip()}{via}"
    row = AuditLog(actor=actor[:32], action=action[:30], case_id=case_id, detail=detail, at=at)
    audit_chain.append(session, [row])


def stats_details(session: Session, *, actor: str, since: datetime) -> list[str]:
    """The details (`from=… to=…`) of the user's stats calls since a time, oldest first."""
    stmt = (
        select(AuditLog.detail)
        .where(AuditLog.actor == actor, AuditLog.action == "stats", col(AuditLog.at) >= since)
        .order_by(col(AuditLog.id))
    )
    return [d.split(VIA)[0] for d in session.exec(stmt).all() if d]


def audit_entries(session: Session, *, limit: int = 50) -> Sequence[AuditLog]:
    """The newest audit rows."""
    stmt = select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit)
    return session.exec(stmt).all()
