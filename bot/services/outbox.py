"""Deliver due reminder rows (DESIGN §7): claim, check, send paced per channel, mark.

The row states and the retry rule live in `outbox_rows`, the paced sender and what it
does when the database refuses a write in `outbox_sender`, the operator's report of
failures in `outbox_report`. This module runs one tick and the `wgbot tick` command.
"""

from __future__ import annotations

import logging
import threading

from bot.render.messages import t_plain
from bot.services import lease
from bot.services.context import Ctx
from bot.services.outage import MONITOR, is_outage
from bot.services.outbox_report import due_and_failed, error_code, report_failures
from bot.services.outbox_rows import (
    CLAIM_BATCH,
    PER_CHANNEL,
    PERMANENT,
    TickResult,
    claim_due,
    recover_claims,
)
from bot.services.outbox_sender import SENDERS, PacedSender, backlog_of
from bot.services.reminder_actions import Verdict, check_rows
from storage.models import Reminder

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
    "tick_cli",
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


def _line(ctx: Ctx, row: Reminder) -> str:
    at = row.fire_at.astimezone(ctx.clock.tz) if row.fire_at else None
    target = row.channel_id or f"@{row.user_id}"
    what = f"#{row.task_id}" if row.task_id else t_plain(ctx.lang, "tick.theme", id=row.theme_id)
    return f"  {at:%Y-%m-%d %H:%M} [{row.id}] {row.kind:<17} {target:<14} {what}"


def _due_note(ctx: Ctx, row: Reminder, verdict: Verdict) -> str:
    """Why a due row would not go out now, or after how many failed tries."""
    if verdict.skip:
        return t_plain(ctx.lang, "tick.not_sent", reason=verdict.skip)
    if verdict.quiet:
        return t_plain(ctx.lang, "tick.quiet")
    return t_plain(ctx.lang, "tick.retrying", n=row.attempts) if row.attempts else ""


def _dry_run(ctx: Ctx) -> int:
    due, failed = due_and_failed(ctx)
    verdicts = check_rows(ctx, due)
    print(t_plain(ctx.lang, "tick.due", now=f"{ctx.clock.now():%Y-%m-%d %H:%M}", n=len(due)))
    for row in due:
        print(_line(ctx, row) + _due_note(ctx, row, verdicts[row.id or 0]))
    print(t_plain(ctx.lang, "tick.failed_rows", n=len(failed)))
    for row in failed:
        print(_line(ctx, row) + t_plain(ctx.lang, "tick.failed_row", n=row.attempts,
                                        code=error_code(row)))  # fmt: skip
    return 0


def tick_cli(ctx: Ctx, *, dry_run: bool) -> int:
    """`wgbot tick [--now] [--dry-run]`: send what is due once, or print it and the failures."""
    if dry_run:
        return _dry_run(ctx)
    if ctx.instance_id == "local":
        ctx.instance_id = f"tick-{threading.get_native_id()}-{id(ctx):x}"
    result = run_tick(ctx)
    if result.halted:
        # One line: what went out, and how many of those may go out again next time.
        recorded = (
            t_plain(ctx.lang, "tick.unrecorded", n=result.unrecorded)
            if result.unrecorded
            else t_plain(ctx.lang, "tick.all_recorded")
        )
        print(t_plain(ctx.lang, "tick.halted", sent=result.sent, recorded=recorded))
        return 2
    counts = {k: getattr(result, k) for k in ("sent", "retried", "failed", "skipped", "deferred")}
    print(t_plain(ctx.lang, "tick.done", **counts))
    for error in result.errors:
        print(t_plain(ctx.lang, "tick.error", error=error))
    return 1 if result.failed else 0
