"""Deliver due reminder rows (DESIGN §7): claim, check, send paced per channel, mark.

The row states and the retry rule live in `outbox_rows`, the paced sender and what it
does when the database refuses a write in `outbox_sender`, the operator's report of
failures in `outbox_report`. This module runs one tick; `wgbot tick` (bot/cli.py)
prints what it did.
"""

from __future__ import annotations

import logging
import threading

from bot.services import lease
from bot.services.context import Ctx
from bot.services.outage import MONITOR, is_outage
from bot.services.outbox_report import due_and_failed, report_failures
from bot.services.outbox_rows import (
    CLAIM_BATCH,
    PER_CHANNEL,
    PERMANENT,
    TickResult,
    claim_due,
    recover_claims,
)
from bot.services.outbox_sender import SENDERS, PacedSender, backlog_of

__all__ = [
    "CLAIM_BATCH",
    "PERMANENT",
    "PER_CHANNEL",
    "SENDERS",
    "TickResult",
    "claim_due",
    "due_and_failed",
    "recover_claims",
    "run_tick",
]
log = logging.getLogger(__name__)


def run_tick(ctx: Ctx, *, limit: int = CLAIM_BATCH, max_rounds: int = 20) -> TickResult:
    """Send every due reminder once: claim in batches while the previous batch still flows."""
    if ctx.gateway is None:
        raise ValueError("run_tick needs a Ctx with a gateway")
    result = TickResult()
    with _Heartbeat(ctx):
        backlog_of(ctx).flush(ctx)  # sends an earlier tick could not record come first
        result.recovered = recover_claims(ctx, now=ctx.clock.now())
        sender = PacedSender(ctx, result)
        try:
            for _ in range(max_rounds):
                if sender.stopped():
                    break
                rows = claim_due(ctx, now=ctx.clock.now(), limit=limit, skip=sender.full())
                put_back = sender.add(rows) if rows else 0
                result.claimed += len(rows) - put_back
                if len(rows) < limit:
                    break
                # Claim the next batch once half of this one is out: rows stay claimed
                # (and at risk in a crash) only about one batch ahead of Slack's pace.
                sender.wait_below(limit // 2)
        finally:
            sender.close()
        if result.halted:
            log.error("outbox: tick stopped early; %s sent, %s not recorded",
                      result.sent, result.unrecorded)  # fmt: skip
        else:
            report_failures(ctx)
    return result


class _Heartbeat:
    """Renews this instance's heartbeat lease while a tick runs (a long burst included)."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx, self.stop = ctx, threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name="heartbeat")

    def _beat(self) -> None:
        interval = lease.lease_ttl(self.ctx).total_seconds() / 3
        while not self.stop.wait(interval):
            try:
                lease.heartbeat(self.ctx)
            except Exception as exc:  # the database is away; the tick itself will notice
                if is_outage(exc):
                    MONITOR.failed(exc, where="heartbeat")  # one line a minute, not each beat
                else:
                    log.warning("heartbeat failed (%s)", type(exc).__name__)

    def __enter__(self) -> _Heartbeat:
        lease.heartbeat(self.ctx)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
