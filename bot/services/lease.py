"""Leases: which instance runs the scheduled jobs, and which instances are alive.

A lease is one row (name, holder, expires_at). Taking or renewing it is one
conditional UPDATE (ours, or expired) or, when the row is missing, an INSERT that
loses quietly to a concurrent one; whoever's statement changed the row holds it.
Every running instance also keeps an `inst:` lease of its own, so that rows it
claimed can be recovered as soon as it stops renewing (a crash).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from bot.services.context import Ctx
from storage.models import Lease

SCHEDULER = "scheduler"
INSTANCE_PREFIX = "inst:"
MIN_TTL = timedelta(seconds=2)


def lease_ttl(ctx: Ctx) -> timedelta:
    """How long a lease lasts unless renewed: three ticks (at least 2 s)."""
    return max(timedelta(seconds=3 * ctx.tick_seconds), MIN_TTL)


def instance_lease_name(instance_id: str) -> str:
    """The lease row that says an instance is alive (names are at most 40 characters)."""
    return INSTANCE_PREFIX + hashlib.sha1(instance_id.encode()).hexdigest()[:32]


def holder_id(ctx: Ctx) -> str:
    """This instance's id as stored in lease and claim columns (64 characters at most)."""
    return ctx.instance_id[:64]


def acquire(ctx: Ctx, *, name: str, ttl: timedelta | None = None) -> bool:
    """Take or renew the lease `name` for this instance; False when another holds it."""
    now = ctx.clock.now()
    expires = now + (ttl or lease_ttl(ctx))
    me = holder_id(ctx)
    with ctx.session() as s:
        stmt = (
            update(Lease)
            .where(col(Lease.name) == name)
            .where((col(Lease.holder) == me) | (col(Lease.expires_at) < now))
            .values(holder=me, expires_at=expires)
        )
        if _changed(s, stmt) or _insert(s, name=name, holder=me, expires=expires):
            return True
        # Lost an insert race: the row exists now (perhaps ours, from a concurrent call).
        return _changed(s, stmt)


def _changed(s: Session, stmt: Any) -> bool:
    return int(s.execute(stmt).rowcount) == 1  # type: ignore[attr-defined]


def _insert(s: Session, *, name: str, holder: str, expires: datetime) -> bool:
    postgres = s.get_bind().dialect.name == "postgresql"
    stmt: Any = (pg_insert if postgres else sqlite_insert)(Lease).values(
        name=name, holder=holder, expires_at=expires
    )
    stmt = stmt.on_conflict_do_nothing(index_elements=["name"]).returning(col(Lease.name))
    return s.execute(stmt).first() is not None


def release(ctx: Ctx, *, name: str) -> None:
    """Give the lease up at once (a clean shutdown), if this instance holds it."""
    with ctx.session() as s:
        s.execute(
            update(Lease)
            .where(col(Lease.name) == name, col(Lease.holder) == holder_id(ctx))
            .values(expires_at=ctx.clock.now() - timedelta(seconds=1))
        )


def heartbeat(ctx: Ctx) -> None:
    """Say this instance is alive (its claims must not be recovered)."""
    acquire(ctx, name=instance_lease_name(ctx.instance_id))


def live_instances(s: Session, *, now: datetime) -> list[str]:
    """Ids of instances whose heartbeat has not expired."""
    stmt = select(Lease.holder).where(
        col(Lease.name).startswith(INSTANCE_PREFIX), col(Lease.expires_at) >= now
    )
    return list(s.exec(stmt).all())


def current_holder(ctx: Ctx, *, name: str = SCHEDULER) -> str | None:
    """Who holds the lease now, if anyone."""
    with ctx.session() as s:
        lease = s.get(Lease, name)
        if lease is None or lease.expires_at is None or lease.expires_at < ctx.clock.now():
            return None
        return lease.holder
