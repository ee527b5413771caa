"""Leases: which instance runs the scheduled jobs, and which instances are alive.

A lease is one row (name, holder, expires_at), taken or renewed atomically
(`storage/leases.py`); whoever's statement changed the row holds it.
Every running instance also keeps an `inst:` lease of its own, so that rows it
claimed can be recovered as soon as it stops renewing (a crash).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.services.context import Ctx
from storage import leases

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
    with ctx.session() as s:
        return leases.take(s, name=name, holder=holder_id(ctx), now=now, expires=expires)


def release(ctx: Ctx, *, name: str) -> None:
    """Give the lease up at once (a clean shutdown), if this instance holds it."""
    with ctx.session() as s:
        leases.expire(
            s, name=name, holder=holder_id(ctx), at=ctx.clock.now() - timedelta(seconds=1)
        )


def heartbeat(ctx: Ctx) -> None:
    """Say this instance is alive (its claims must not be recovered)."""
    acquire(ctx, name=instance_lease_name(ctx.instance_id))


def live_instances(s: Session, *, now: datetime) -> list[str]:
    """Ids of instances whose heartbeat has not expired."""
    return leases.live_holders(s, prefix=INSTANCE_PREFIX, now=now)


def current_holder(ctx: Ctx, *, name: str = SCHEDULER) -> str | None:
    """Who holds the lease now, if anyone."""
    with ctx.session() as s:
        return leases.holder_at(s, name=name, now=ctx.clock.now())
