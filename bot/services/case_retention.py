"""Retention of the case log (docs/cases.md, "Retention"): dispose of the free text of
cases past their retention period, in batches, each disposal audited; never delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.domain.case_privacy import retention_cutoff, section_category
from bot.services.context import Ctx
from storage import audit_chain
from storage import case_retention as store
from storage.models import AuditLog

BATCH = 500  # cases per transaction: a running bot's requests wait at most one batch
DEFAULT_YEARS = 5


@dataclass(frozen=True)
class Disposal:
    """What a retention run found (dry run) or disposed of."""

    cutoff: datetime  # cases closed before this are past retention
    cases: list[store.Expired]
    applied: bool


def cutoff(ctx: Ctx, *, years: int) -> datetime:
    """The first instant a case closed then is still kept (office midnight of 1 April)."""
    day = retention_cutoff(ctx.clock.today(), years=years)
    return datetime.combine(day, time(0), tzinfo=ctx.clock.tz)


def find_expired(ctx: Ctx, *, years: int = DEFAULT_YEARS) -> Disposal:
    """The cases a run would dispose of (ids and closing times; no content)."""
    before = cutoff(ctx, years=years)
    with ctx.session() as s:
        found = store.expired(s, closed_before=before, limit=10**9)
    return Disposal(before, found, applied=False)


def dispose_expired(ctx: Ctx, *, years: int = DEFAULT_YEARS, batch: int = BATCH) -> Disposal:
    """Dispose of every case past retention, `batch` per transaction; one audit row each."""
    before = cutoff(ctx, years=years)
    done: list[store.Expired] = []
    last_id = 0  # keyset: each batch starts after the last one, never re-reading done rows
    while not ctx.stopping.is_set():
        with ctx.session() as s:
            cases = store.expired(s, closed_before=before, limit=batch, after_id=last_id)
            if not cases:
                break
            now = ctx.clock.now()
            categories = [section_category(c.section) for c in cases]
            store.dispose(s, cases=cases, categories=categories, at=now)
            audit_chain.append(s, [_audit_row(c, now, years) for c in cases])
        done += cases
        last_id = cases[-1].id
    return Disposal(before, done, applied=True)


def _audit_row(case: store.Expired, now: datetime, years: int) -> AuditLog:
    closed = case.closed_at.date().isoformat()
    return AuditLog(
        actor="retention",
        action="dispose",
        case_id=case.id,
        detail=f"closed={closed} retention={years}y",
        at=now,
    )
