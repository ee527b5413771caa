"""Deliver due reminder rows (DESIGN §7): claim, check, send paced per channel, mark.

`pending` -> `claimed` (one indexed statement; PostgreSQL skips rows another instance
has locked) -> `sent` right after Slack answers. A failed send goes back to `pending`
until MAX_ATTEMPTS, then `failed`. Rows claimed by an instance that stopped renewing
its heartbeat lease (a crash) go back to `pending` at the next tick.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy import and_, or_, select, update
from sqlmodel import col

from bot.domain.reminder_plan import apply_quiet
from bot.render import reminder_blocks
from bot.services import lease
from bot.services.context import Ctx
from bot.services.reminder_actions import Verdict, check_rows
from storage.models import Reminder

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
CLAIM_BATCH = 500
SENDERS = 32  # threads sending at once (each channel is still one at a time)
PER_CHANNEL = 60  # rows one channel may take per claim (a minute at Slack's pace)
STUCK_AFTER = timedelta(hours=1)  # even a live instance's claim is recovered after this
PERMANENT = {"channel_not_found", "user_not_found", "is_archived", "not_in_channel",
             "invalid_blocks", "account_inactive", "cannot_dm_bot", "invalid_auth"}  # fmt: skip


@dataclass
class TickResult:
    """What one tick did."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0
    recovered: int = 0
    errors: list[str] = field(default_factory=list)


def _retry_gap(ctx: Ctx) -> timedelta:
    return timedelta(seconds=min(30.0, ctx.tick_seconds))


def claim_due(
    ctx: Ctx,
    *,
    now: datetime,
    limit: int = CLAIM_BATCH,
    skip: Collection[str] = (),
) -> list[Reminder]:
    """Claim up to `limit` due pending rows for this instance in one statement.

    `skip`: channels (`C…`) and DM users (`@U…`) that already had their share this tick.
    """
    t = Reminder.__table__  # type: ignore[attr-defined]
    retry_before = now - _retry_gap(ctx)
    due = (
        select(t.c.id)
        .where(t.c.status == "pending", t.c.fire_at <= now)
        .where(or_(t.c.claimed_at.is_(None), t.c.claimed_at <= retry_before))
        .order_by(t.c.fire_at, t.c.id)
        .limit(limit)
    )
    channels = [k for k in skip if not k.startswith("@")]
    users = [k[1:] for k in skip if k.startswith("@")]
    if channels:
        due = due.where(or_(t.c.channel_id.is_(None), t.c.channel_id.not_in(channels)))
    if users:
        due = due.where(or_(t.c.channel_id.is_not(None), t.c.user_id.not_in(users)))
    me = lease.holder_id(ctx)
    values = {
        "status": "claimed",
        "claimed_by": me,
        "claimed_at": now,
        "attempts": t.c.attempts + 1,
    }
    with ctx.session() as s:
        if s.get_bind().dialect.name == "postgresql":
            # SKIP LOCKED: a second instance claims other rows instead of waiting for these.
            locked = due.with_for_update(skip_locked=True).cte("due")
            stmt = update(t).where(t.c.id == locked.c.id).values(**values)
        else:
            # SQLite has one writer at a time: the UPDATE … WHERE status is the claim.
            stmt = update(t).where(t.c.id.in_(due.scalar_subquery())).values(**values)
        ids = [r[0] for r in s.execute(stmt.returning(t.c.id)).all()]
        if not ids:
            return []
        stmt_rows = select(Reminder).where(col(Reminder.id).in_(ids))
        return list(s.scalars(stmt_rows.order_by(col(Reminder.fire_at), col(Reminder.id))).all())


def recover_claims(ctx: Ctx, *, now: datetime) -> int:
    """Put rows claimed by instances that are no longer alive back to `pending`."""
    t = Reminder.__table__  # type: ignore[attr-defined]
    with ctx.session() as s:
        live = lease.live_instances(s, now=now)
        live.append(lease.holder_id(ctx))
        stmt = (
            update(t)
            .where(t.c.status == "claimed")
            .where(or_(t.c.claimed_by.not_in(live), t.c.claimed_at < now - STUCK_AFTER))
            .values(status="pending", claimed_by=None, claimed_at=None)
        )
        return int(s.execute(stmt).rowcount)  # type: ignore[attr-defined]


def _finish(ctx: Ctx, row_id: int, **values: object) -> bool:
    t = Reminder.__table__  # type: ignore[attr-defined]
    mine = and_(t.c.id == row_id, t.c.status == "claimed", t.c.claimed_by == lease.holder_id(ctx))
    with ctx.session() as s:
        return bool(s.execute(update(t).where(mine).values(**values)).rowcount)  # type: ignore[attr-defined]


def _send_one(ctx: Ctx, row: Reminder, verdict: Verdict, result: TickResult) -> float:
    """Send one row and record the outcome; returns when Slack answered (monotonic)."""
    gw = ctx.gateway
    assert gw is not None and row.id is not None
    try:
        if verdict.card is None:
            raise ValueError("no card to send")
        text, blocks = reminder_blocks.reminder_message(ctx.lang, verdict.card)
        if row.channel_id:
            channel, ts = row.channel_id, gw.post(row.channel_id, text, blocks)
        else:
            channel, ts = gw.post_dm(row.user_id or "", text, blocks)
    except Exception as exc:  # every failure is recorded on the row; nothing is dropped
        answered = time.monotonic()
        _failed_send(ctx, row, exc, result)
        return answered
    answered = time.monotonic()
    now = ctx.clock.now()
    try:
        _finish(ctx, row.id, status="sent", sent_at=now, message_ts=ts, message_channel=channel)
    except Exception:
        # Slack has it; putting the row back now would send it twice at once. It stays
        # `claimed`; recover_claims takes it back (and it is resent once) only when this
        # instance dies or after STUCK_AFTER.
        log.exception("reminder %s was sent but could not be marked sent", row.id)
    with _LOCK:
        result.sent += 1
    return answered


_LOCK = threading.Lock()


def _failed_send(ctx: Ctx, row: Reminder, exc: Exception, result: TickResult) -> None:
    error = exc.response.get("error", "") if isinstance(exc, SlackApiError) else ""
    message = f"{type(exc).__name__}: {error or exc}"[:500]
    final = error in PERMANENT or row.attempts >= MAX_ATTEMPTS
    status = "failed" if final else "pending"
    _finish(ctx, row.id or 0, status=status, claimed_by=None, last_error=message)
    with _LOCK:
        if final:
            result.failed += 1
            result.errors.append(f"#{row.id}: {message}")
        else:
            result.retried += 1
    level = logging.ERROR if final else logging.WARNING
    log.log(level, "reminder %s %s (attempt %s): %s", row.id, status, row.attempts, message)


def _release(ctx: Ctx, rows: list[Reminder], *, fire_at: datetime | None = None) -> None:
    for row in rows:
        values: dict[str, object] = {"status": "pending", "claimed_by": None, "claimed_at": None}
        values["attempts"] = max(0, row.attempts - 1)  # not sending is not an attempt
        if fire_at is not None:
            values["fire_at"] = fire_at
        _finish(ctx, row.id or 0, **values)


class _PacedSender:
    """Per-channel queues that stay open for the whole tick, fed claim after claim.

    Each channel's next message goes no sooner than `interval` after Slack answered its
    previous one; many channels go out in parallel on SENDERS threads. Because a channel
    keeps its place between claims, a burst larger than one claim flows at Slack's pace
    instead of stalling at every batch boundary.
    """

    def __init__(self, ctx: Ctx, result: TickResult) -> None:
        assert ctx.gateway is not None
        self.ctx, self.result = ctx, result
        self.interval = ctx.gateway.pacer.interval
        self.queues: dict[str, deque[tuple[Reminder, Verdict]]] = defaultdict(deque)
        self.taken: dict[str, int] = defaultdict(int)  # rows per channel this tick
        self.ready: list[tuple[float, int, str]] = []  # (monotonic time, tie, channel)
        self.order: dict[str, int] = {}
        self.scheduled: set[str] = set()  # channels in `ready` or being sent to
        self.waiting = 0  # queued rows not yet sent
        self.busy = 0
        self.closed = False
        self.cond = threading.Condition()
        self.threads: list[threading.Thread] = []

    def add(self, rows: list[Reminder]) -> int:
        """Check and queue claimed rows; returns how many were put back (over a share)."""
        try:
            verdicts = check_rows(self.ctx, rows)
        except Exception:
            _release(self.ctx, rows)  # nothing was sent: back to pending for the next tick
            raise
        skipped: list[tuple[Reminder, str]] = []
        quiet: list[tuple[Reminder, Verdict]] = []
        over: list[Reminder] = []
        with self.cond:
            for row in rows:
                verdict = verdicts[row.id or 0]
                key = row.channel_id or f"@{row.user_id}"
                if verdict.skip:
                    skipped.append((row, verdict.skip))
                elif verdict.quiet is not None:
                    quiet.append((row, verdict))
                elif self.taken[key] >= PER_CHANNEL:
                    over.append(row)
                else:
                    self.taken[key] += 1
                    self.waiting += 1
                    self.order.setdefault(key, len(self.order))
                    self.queues[key].append((row, verdict))
                    if key not in self.scheduled:
                        self.scheduled.add(key)
                        heapq.heappush(self.ready, (0.0, self.order[key], key))
            self._start_threads()
            self.cond.notify_all()
        # The database writes happen outside the lock, while the senders already run.
        for row, why in skipped:
            _finish(self.ctx, row.id or 0, status="cancelled", claimed_by=None, last_error=why)
        for row, verdict in quiet:
            assert verdict.quiet is not None
            fire_at = apply_quiet(self.ctx.clock.now(), verdict.quiet, self.ctx.calendar)
            _release(self.ctx, [row], fire_at=fire_at)
        with _LOCK:
            self.result.skipped += len(skipped)
            self.result.deferred += len(quiet)
        _release(self.ctx, over)
        return len(over)

    def full(self) -> set[str]:
        """Channels and DM users that took their PER_CHANNEL share this tick."""
        with self.cond:
            return {key for key, n in self.taken.items() if n >= PER_CHANNEL}

    def _start_threads(self) -> None:
        want = min(SENDERS, len(self.order))
        while len(self.threads) < want:
            th = threading.Thread(target=self._work, name=f"outbox-{len(self.threads)}",
                                  daemon=True)  # fmt: skip
            self.threads.append(th)
            th.start()

    def _work(self) -> None:
        while True:
            with self.cond:
                while not self.ready and not (self.closed and self.busy == 0):
                    self.cond.wait()
                if not self.ready or self.ctx.stopping.is_set():
                    return  # shutting down: close() puts the queued rows back
                at, n, key = heapq.heappop(self.ready)
                row, verdict = self.queues[key].popleft()
                self.busy += 1
            time.sleep(max(0.0, at - time.monotonic()))
            answered = time.monotonic()
            try:
                answered = _send_one(self.ctx, row, verdict, self.result)
            except Exception:  # a sender thread must outlive any one row (the tick waits on it)
                log.exception("reminder %s: unexpected error while sending", row.id)
            finally:
                with self.cond:
                    self.busy -= 1
                    self.waiting -= 1
                    if self.queues[key]:
                        heapq.heappush(self.ready, (answered + self.interval, n, key))
                    else:
                        self.scheduled.discard(key)
                    self.cond.notify_all()

    def wait_below(self, count: int) -> None:
        """Block while more than `count` claimed rows still wait to be sent."""
        with self.cond:
            while self.waiting > count and any(th.is_alive() for th in self.threads):
                self.cond.wait(timeout=1.0)

    def close(self) -> None:
        """Send everything queued, then stop the threads."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()
        for th in self.threads:
            th.join()
        # Only if a sender died: whatever it left queued goes back for the next tick.
        left = [row for queue in self.queues.values() for row, _ in queue]
        if left:
            why = "shutting down" if self.ctx.stopping.is_set() else "a sender stopped"
            log.warning("outbox: %s queued reminders put back (%s)", len(left), why)
            _release(self.ctx, left)


def run_tick(ctx: Ctx, *, limit: int = CLAIM_BATCH, max_rounds: int = 20) -> TickResult:
    """Send every due reminder once: claim in batches while the previous batch still flows."""
    if ctx.gateway is None:
        raise ValueError("run_tick needs a Ctx with a gateway")
    result = TickResult()
    with _Heartbeat(ctx):
        result.recovered = recover_claims(ctx, now=ctx.clock.now())
        sender = _PacedSender(ctx, result)
        try:
            for _ in range(max_rounds):
                if ctx.stopping.is_set():
                    break  # SIGTERM: claim nothing more; the next holder goes on
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
            except Exception:
                log.exception("heartbeat failed")

    def __enter__(self) -> _Heartbeat:
        lease.heartbeat(self.ctx)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def due_and_failed(ctx: Ctx, *, limit: int = 200) -> tuple[list[Reminder], list[Reminder]]:
    """Rows that would be sent now, and rows that failed (for `tick --dry-run`)."""
    t = Reminder.__table__  # type: ignore[attr-defined]
    now = ctx.clock.now()
    with ctx.session() as s:
        due = select(Reminder).where(t.c.status == "pending", t.c.fire_at <= now)
        failed = select(Reminder).where(t.c.status == "failed")
        return (
            list(s.scalars(due.order_by(t.c.fire_at, t.c.id).limit(limit)).all()),
            list(s.scalars(failed.order_by(t.c.fire_at, t.c.id).limit(limit)).all()),
        )


def _line(ctx: Ctx, row: Reminder) -> str:
    at = row.fire_at.astimezone(ctx.clock.tz) if row.fire_at else None
    target = row.channel_id or f"@{row.user_id}"
    what = f"#{row.task_id}" if row.task_id else f"theme {row.theme_id}"
    return f"  {at:%Y-%m-%d %H:%M} [{row.id}] {row.kind:<17} {target:<14} {what}"


def tick_cli(ctx: Ctx, *, dry_run: bool) -> int:
    """`wgbot tick [--now] [--dry-run]`: send what is due once, or print it and the failures."""
    if dry_run:
        due, failed = due_and_failed(ctx)
        verdicts = check_rows(ctx, due)
        print(f"{ctx.clock.now():%Y-%m-%d %H:%M} 時点で送る予定のリマインダー: {len(due)}件")
        for row in due:
            verdict = verdicts[row.id or 0]
            note = f"  （送らない: {verdict.skip}）" if verdict.skip else ""
            note = note or ("  （お休み時間のため後で）" if verdict.quiet else "")
            print(_line(ctx, row) + note)
        print(f"送信に失敗したリマインダー: {len(failed)}件")
        for row in failed:
            print(_line(ctx, row) + f"  attempts={row.attempts} {row.last_error or ''}")
        return 0
    if ctx.instance_id == "local":
        ctx.instance_id = f"tick-{threading.get_native_id()}-{id(ctx):x}"
    result = run_tick(ctx)
    print(
        f"送信 {result.sent}件、再試行待ち {result.retried}件、失敗 {result.failed}件、"
        f"取りやめ {result.skipped}件、お休み時間で延期 {result.deferred}件"
    )
    for error in result.errors:
        print(f"  失敗 {error}")
    return 1 if result.failed else 0
