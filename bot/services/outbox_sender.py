"""One tick's sender: a paced queue per channel, and what it does when the database fails.

A row Slack took must be marked `sent`; if that write fails, the row would be recovered
and sent again. So at the first write the database refuses, the sender stops at once
(no more posts in this tick), keeps what it could not write in memory (`Backlog`: the
row, Slack's ts and channel; claimed rows to put back) and writes it as soon as the
database answers: with short pauses before the tick returns, then at the start of every
later tick in this process. Only the posts in flight when the database went away (at
most one per channel) can then be sent twice, and only if the process ends first.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.domain.reminder_plan import apply_quiet
from bot.gateway import failure_kind
from bot.render import reminder_blocks
from bot.services import lease
from bot.services.context import Ctx
from bot.services.outbox_rows import PER_CHANNEL, PERMANENT, TickResult, finish, record_failure
from bot.services.paced_pool import ChannelPool
from bot.services.reminder_actions import Verdict, check_rows
from storage import outbox
from storage.models import Reminder

log = logging.getLogger(__name__)
SENDERS = 32  # threads sending at once (each channel is still one at a time)
MARK_RETRY_SECONDS = 20.0  # how long a tick waits for the database to record its sends
_LOCK = threading.Lock()


@dataclass
class Backlog:
    """Writes the database refused: sent rows to mark, claimed rows to put back."""

    marks: dict[int, tuple[datetime, str, str]] = field(default_factory=dict)  # sent_at, ts, ch
    releases: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def flush(self, ctx: Ctx) -> None:
        """Write everything in one transaction; raises (and keeps it all) when that fails."""
        with self.lock:
            marks, releases = dict(self.marks), set(self.releases)
        if not marks and not releases:
            return
        with ctx.session() as s:
            for row_id, (at, ts, channel) in marks.items():
                outbox.mark_sent(s, row_id=row_id, at=at, ts=ts, channel=channel)
            if releases:
                outbox.put_back(s, ids=releases - marks.keys(), holder=lease.holder_id(ctx))
        with self.lock:
            for row_id in marks:
                self.marks.pop(row_id, None)
            self.releases -= releases

    def flush_patiently(self, ctx: Ctx, *, seconds: float) -> bool:
        """Retry `flush` with short pauses for up to `seconds`; False if it never worked."""
        deadline, pause = time.monotonic() + seconds, 0.1
        while True:
            try:
                self.flush(ctx)
                return True
            except Exception as exc:  # the database is away: wait and try again, bounded
                if time.monotonic() + pause > deadline:
                    log.warning("outbox: %s sends still unrecorded (%s)", len(self.marks),
                                type(exc).__name__)  # fmt: skip
                    return False
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


@dataclass(eq=False)
class _Mark:
    """One send to record: the row, Slack's ts and channel; `error` once it is known."""

    row_id: int
    at: datetime
    ts: str
    channel: str
    done: bool = False
    error: Exception | None = None


_INTERRUPTED: Exception | None = RuntimeError("the write of the marks was interrupted")


class MarkWriter:
    """Records sends as `sent` by group commit: one transaction for all senders waiting.

    A sender waits until its own mark is committed before it takes another row, as it
    did with one transaction a row, so at most one post per sender is ever unrecorded;
    the senders that Slack answered meanwhile share the next transaction instead of
    opening one each. A statement refused mid-batch keeps the marks written before it
    (they are committed, when the transaction still holds them) and fails the rest.
    """

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.cond = threading.Condition()
        self.queue: list[_Mark] = []
        self.writing = False

    def record(self, row_id: int, at: datetime, ts: str, channel: str) -> Exception | None:
        """Write one mark (with whatever else is waiting); the error if it was not written."""
        mark = _Mark(row_id, at, ts, channel)
        with self.cond:
            self.queue.append(mark)
            while self.writing and not mark.done:
                self.cond.wait()
            if mark.done:
                return mark.error
            batch, self.queue, self.writing = self.queue, [], True
        written, error = 0, _INTERRUPTED
        try:
            written, error = self._write(batch)
        finally:  # the waiting senders are always told, whatever happened
            with self.cond:
                for n, m in enumerate(batch):
                    m.done, m.error = True, (None if n < written else error)
                self.writing = False
                self.cond.notify_all()
        return mark.error

    def _write(self, batch: list[_Mark]) -> tuple[int, Exception | None]:
        """How many of `batch` (from the first) were committed, and the error if not all."""
        holder, written = lease.holder_id(self.ctx), 0
        error: Exception | None = None
        try:
            with self.ctx.session() as s:
                try:
                    for m in batch:
                        outbox.mark_claimed_sent(
                            s, row_id=m.row_id, holder=holder, at=m.at, ts=m.ts, channel=m.channel
                        )
                        written += 1
                except Exception as exc:
                    error = exc
                    if not outbox.can_still_commit(s):
                        raise
        except Exception as exc:  # not committed: none of the batch is recorded
            return 0, exc
        return written, error


# Per database (engine) and instance; an engine that is gone takes its backlog with it.
_BACKLOGS: weakref.WeakKeyDictionary[Engine, dict[str, Backlog]] = weakref.WeakKeyDictionary()


def backlog_of(ctx: Ctx) -> Backlog:
    """This instance's backlog (kept across ticks for as long as the process lives)."""
    with _LOCK:
        per_engine = _BACKLOGS.setdefault(ctx.engine, {})
        return per_engine.setdefault(lease.holder_id(ctx), Backlog())


class PacedSender:
    """Per-channel queues that stay open for the whole tick, fed claim after claim.

    Each channel's next message goes when the gateway's pacer (`ChannelPacer`, the one
    pacing rule) lets it; many channels go out in parallel on SENDERS threads
    (`paced_pool.ChannelPool`). Because a channel keeps its place between claims, a burst
    larger than one claim flows at Slack's pace instead of stalling at every batch boundary.
    """

    def __init__(self, ctx: Ctx, result: TickResult) -> None:
        assert ctx.gateway is not None
        self.ctx, self.result = ctx, result
        self.backlog = backlog_of(ctx)
        self.marks = MarkWriter(ctx)
        self.pacer = ctx.gateway.pacer
        self.taken: dict[str, int] = defaultdict(int)  # rows per channel this tick
        self.lock = threading.Lock()
        self.halted = threading.Event()  # the database refused a write: send nothing more
        self.pool: ChannelPool[tuple[Reminder, Verdict]] = ChannelPool(
            pacer=self.pacer,
            send=lambda job: self._send_one(*job),
            stopped=self.stopped,
            on_error=self._unexpected,
            senders=SENDERS,
            name="outbox",
        )

    def stopped(self) -> bool:
        """True once nothing more may be sent (database refused a write, or shutdown)."""
        return self.halted.is_set() or self.ctx.stopping.is_set()

    def add(self, rows: list[Reminder]) -> int:
        """Check and queue claimed rows; returns how many were put back (over a share)."""
        try:
            verdicts = check_rows(self.ctx, rows)
        except Exception:
            self._hold(rows)  # nothing was sent: back to pending when the database answers
            raise
        skipped: list[tuple[Reminder, str]] = []
        quiet: list[tuple[Reminder, Verdict]] = []
        over: list[Reminder] = []
        jobs: list[tuple[str, tuple[Reminder, Verdict]]] = []
        with self.lock:
            for row in rows:
                verdict = verdicts[row.id or 0]
                key = row.channel_id or f"@{row.user_id}"
                if verdict.skip:
                    skipped.append((row, verdict.skip))
                elif verdict.quiet is not None or verdict.closed:
                    quiet.append((row, verdict))
                elif self.taken[key] >= PER_CHANNEL:
                    over.append(row)
                else:
                    self.taken[key] += 1
                    jobs.append((key, (row, verdict)))
        self.pool.add(jobs)
        # The database writes happen outside the lock, while the senders already run.
        try:
            self._settle(skipped, quiet, over)
        except Exception:
            self._hold([r for r, _ in skipped] + [r for r, _ in quiet] + over)
            raise
        return len(over)

    def _settle(
        self,
        skipped: list[tuple[Reminder, str]],
        quiet: list[tuple[Reminder, Verdict]],
        over: list[Reminder],
    ) -> None:
        for row, why in skipped:
            finish(self.ctx, row.id or 0, status="cancelled", claimed_by=None, last_error=why)
        for row, verdict in quiet:
            fire_at = apply_quiet(self.ctx.clock.now(), verdict.quiet, self.ctx.calendar)
            finish(self.ctx, row.id or 0, status="pending", claimed_by=None, claimed_at=None,
                   fire_at=fire_at)  # fmt: skip
        with _LOCK:
            self.result.skipped += len(skipped)
            self.result.deferred += len(quiet)
        for row in over:
            finish(self.ctx, row.id or 0, status="pending", claimed_by=None, claimed_at=None)

    def _hold(self, rows: list[Reminder]) -> None:
        with self.backlog.lock:
            self.backlog.releases.update(r.id or 0 for r in rows)

    def full(self) -> set[str]:
        """Channels and DM users that took their PER_CHANNEL share this tick."""
        with self.lock:
            return {key for key, n in self.taken.items() if n >= PER_CHANNEL}

    def _unexpected(self, job: tuple[Reminder, Verdict]) -> None:
        log.exception("reminder %s: unexpected error while sending", job[0].id)

    def _send_one(self, row: Reminder, verdict: Verdict) -> str | None:
        """Send one row and record the outcome; returns the channel the pacer knows it by."""
        gw = self.ctx.gateway
        assert gw is not None and row.id is not None
        channel = row.channel_id
        try:
            if verdict.card is None:
                raise ValueError("no card to send")
            text, blocks = reminder_blocks.reminder_message(
                self.ctx.lang, verdict.card, command=self.ctx.command
            )
            channel = channel or gw.dm_channel(row.user_id or "")
            ts = gw.post(channel, text, blocks)
        except Exception as exc:  # every failure is recorded on the row; nothing is dropped
            if channel is None:  # nothing reached a channel: still space this user's queue
                self.pacer.answered(f"@{row.user_id}")
            self._failed_send(row, exc)
            return channel
        with _LOCK:
            self.result.sent += 1
        now = self.ctx.clock.now()
        error = self.marks.record(row.id, now, ts, channel)
        if error is not None:
            # Slack has it but the database does not know: stop sending before more pile
            # up, and keep the mark to write as soon as the database answers.
            with self.backlog.lock:
                self.backlog.marks[row.id] = (now, ts, channel)
            self._halt(error)
        return channel

    def _failed_send(self, row: Reminder, exc: Exception) -> None:
        # Recorded, printed and logged as a kind, never as the exception's text: a Slack
        # error code, `server_error` for an error page (its HTML), else the class alone.
        error = failure_kind(exc) if isinstance(exc, SlackApiError) else ""
        message = f"{type(exc).__name__}: {error}" if error else type(exc).__name__
        try:
            final = record_failure(self.ctx, row, message=message, permanent=error in PERMANENT)
        except Exception as db_exc:  # not recorded: put back (free) once the database answers
            self._hold([row])
            self._halt(db_exc)
            return
        with _LOCK:
            if final:
                self.result.failed += 1
                self.result.errors.append(f"#{row.id}: {message}")
            else:
                self.result.retried += 1
        level = logging.ERROR if final else logging.WARNING
        status = "failed" if final else "pending"
        log.log(level, "reminder %s %s (failure %s): %s", row.id, status, row.attempts + 1,
                message)  # fmt: skip

    def _halt(self, exc: Exception) -> None:
        if not self.halted.is_set():
            log.error("outbox: the database refused a write (%s); sending stopped",
                      type(exc).__name__)  # fmt: skip
        self.halted.set()
        self.pool.wake()

    def wait_below(self, count: int) -> None:
        """Block while more than `count` claimed rows still wait to be sent."""
        self.pool.wait_below(count)

    def close(self) -> None:
        """Send what is queued (unless stopped), stop the threads, write or keep the rest."""
        left = [row for row, _ in self.pool.close()]
        if left:
            why = (
                "shutting down"
                if self.ctx.stopping.is_set()
                else (
                    "the database refused a write" if self.halted.is_set() else "a sender stopped"
                )
            )
            log.warning("outbox: %s queued reminders put back (%s)", len(left), why)
        self._hold(left)
        if self.backlog.marks:
            self.backlog.flush_patiently(self.ctx, seconds=MARK_RETRY_SECONDS)
        else:
            try:
                self.backlog.flush(self.ctx)
            except Exception:  # kept: the next tick (or, if this process ends, recovery)
                log.warning("outbox: %s claimed rows not yet put back", len(self.backlog.releases))
        self.result.unrecorded = len(self.backlog.marks)
        self.result.halted = self.halted.is_set()
