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


def claim_due(ctx: Ctx, *, now: datetime, limit: int = CLAIM_BATCH) -> list[Reminder]:
    """Claim up to `limit` due pending rows for this instance in one statement."""
    t = Reminder.__table__  # type: ignore[attr-defined]
    retry_before = now - _retry_gap(ctx)
    due = (
        select(t.c.id)
        .where(t.c.status == "pending", t.c.fire_at <= now)
        .where(or_(t.c.claimed_at.is_(None), t.c.claimed_at <= retry_before))
        .order_by(t.c.fire_at, t.c.id)
        .limit(limit)
    )
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
    assert gw is not None and verdict.card is not None and row.id is not None
    text, blocks = reminder_blocks.reminder_message(ctx.lang, verdict.card)
    try:
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
    _finish(ctx, row.id, status="sent", sent_at=now, message_ts=ts, message_channel=channel)
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


def _send_paced(ctx: Ctx, groups: dict[str, list[Reminder]], verdicts: dict[int, Verdict],
                result: TickResult) -> None:  # fmt: skip
    """Send every group's rows in order, each channel's next message no sooner than `interval`
    after Slack answered the previous one; a burst over many channels goes out in parallel."""
    assert ctx.gateway is not None
    interval = ctx.gateway.pacer.interval
    queues = {key: deque(rows) for key, rows in groups.items()}
    ready = [(0.0, n, key) for n, key in enumerate(queues)]  # (monotonic time, tie, channel)
    busy, cond = [0], threading.Condition()

    def worker() -> None:
        while True:
            with cond:
                while not ready and busy[0]:
                    cond.wait()
                if not ready:
                    return
                at, n, key = heapq.heappop(ready)
                busy[0] += 1
            time.sleep(max(0.0, at - time.monotonic()))
            row = queues[key].popleft()
            answered = time.monotonic()
            try:
                answered = _send_one(ctx, row, verdicts[row.id or 0], result)
            finally:
                with cond:
                    busy[0] -= 1
                    if queues[key]:
                        heapq.heappush(ready, (answered + interval, n, key))
                    cond.notify_all()

    threads = [threading.Thread(target=worker, name=f"outbox-{i}", daemon=True)
               for i in range(min(SENDERS, len(queues)))]  # fmt: skip
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def deliver(ctx: Ctx, rows: list[Reminder], result: TickResult) -> int:
    """Check and send claimed rows; returns how many were put back (over a channel's share)."""
    verdicts = check_rows(ctx, rows)
    groups: dict[str, list[Reminder]] = defaultdict(list)
    over: list[Reminder] = []
    for row in rows:
        verdict = verdicts[row.id or 0]
        if verdict.skip:
            _finish(ctx, row.id or 0, status="cancelled", claimed_by=None, last_error=verdict.skip)
            result.skipped += 1
        elif verdict.quiet is not None:
            _release(ctx, [row], fire_at=apply_quiet(ctx.clock.now(), verdict.quiet, ctx.calendar))
            result.deferred += 1
        else:
            group = groups[row.channel_id or f"@{row.user_id}"]
            (group if len(group) < PER_CHANNEL else over).append(row)
    _release(ctx, over)
    if groups:
        _send_paced(ctx, groups, verdicts, result)
    return len(over)


def run_tick(ctx: Ctx, *, limit: int = CLAIM_BATCH, max_rounds: int = 20) -> TickResult:
    """Send every due reminder once (several claims while batches come back full)."""
    if ctx.gateway is None:
        raise ValueError("run_tick needs a Ctx with a gateway")
    result = TickResult()
    with _Heartbeat(ctx):
        result.recovered = recover_claims(ctx, now=ctx.clock.now())
        for _ in range(max_rounds):
            rows = claim_due(ctx, now=ctx.clock.now(), limit=limit)
            result.claimed += len(rows)
            put_back = deliver(ctx, rows, result) if rows else 0
            if len(rows) < limit or put_back:
                break
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
