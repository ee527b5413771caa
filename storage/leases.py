"""Queries of lease rows (name, holder, expires_at); keyword-only, each takes the session.

Taking or renewing a lease is one conditional UPDATE (ours, or expired) or, when the
row is missing, an INSERT that loses quietly to a concurrent one; whoever's statement
changed the row holds it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import Lease


def take(session: Session, *, name: str, holder: str, now: datetime, expires: datetime) -> bool:
    """Take or renew the lease `name` for `holder` until `expires`; False when another holds it."""
    stmt = (
        update(Lease)
        .where(col(Lease.name) == name)
        .where((col(Lease.holder) == holder) | (col(Lease.expires_at) < now))
        .values(holder=holder, expires_at=expires)
    )
    if _changed(session, stmt) or _insert(session, name=name, holder=holder, expires=expires):
        return True
    # Lost an insert race: the row exists now (perhaps ours, from a concurrent call).
    return _changed(session, stmt)


def _changed(session: Session, stmt: Any) -> bool:
    return int(session.execute(stmt).rowcount) == 1  # type: ignore[attr-defined]


def _insert(session: Session, *, name: str, holder: str, expires: datetime) -> bool:
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt: Any = (pg_insert if postgres else sqlite_insert)(Lease).values(
        name=name, holder=holder, expires_at=expires
    )
    stmt = stmt.on_conflict_do_nothing(index_elements=["name"]).returning(col(Lease.name))
    return session.execute(stmt).first() is not None


def expire(session: Session, *, name: str, holder: str, at: datetime) -> None:
    """Make the lease `name` expire at `at`, if `holder` holds it."""
    session.execute(
        update(Lease)
        .where(col(Lease.name) == name, col(Lease.holder) == holder)
        .values(expires_at=at)
    )


def live_holders(session: Session, *, prefix: str, now: datetime) -> list[str]:
    """Holders of the leases named `prefix…` that have not expired."""
    stmt = select(Lease.holder).where(
        col(Lease.name).startswith(prefix), col(Lease.expires_at) >= now
    )
    return list(session.exec(stmt).all())


def holder_at(session: Session, *, name: str, now: datetime) -> str | None:
    """Who holds the lease `name` at `now`, if anyone."""
    lease = session.get(Lease, name)
    if lease is None or lease.expires_at is None or lease.expires_at < now:
        return None
    return lease.holder
