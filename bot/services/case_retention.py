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


def retention_cli(ctx: Ctx, *, apply: bool, years: int) -> int:
    """`wgbot case retention --dry-run|--apply`: list or dispose; returns the exit code."""
    from bot.render.messages import t_plain

    result = dispose_expired(ctx, years=years) if apply else find_expired(ctx, years=years)
    key = "case.retention.applied" if apply else "case.retention.dry_run"
    limit = result.cutoff.date().isoformat()
    print(t_plain(ctx.lang, key, n=len(result.cases), before=limit, years=years))
    if not apply:
        for c in result.cases:
            closed = c.closed_at.astimezone(ctx.clock.tz).date().isoformat()
            print(t_plain(ctx.lang, "case.retention.line", id=c.id, closed=closed))
    return 0
