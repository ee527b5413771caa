"""The outbox rows' states (DESIGN §7): claim, recover, finish, and when a failure gives up.

`pending` -> `claimed` (one indexed statement; PostgreSQL skips rows another instance
has locked) -> `sent`. `attempts` counts failed sends only: a claim that sent nothing
(recovered from a dead instance, put back, deferred) costs nothing. A failed send is
retried with a doubling pause (30 s, 1 min, 2 min, … at most RETRY_CAP) until 18:00
office time of the day it was due (at least GIVE_UP_MIN after it was due), then it is
`failed`; Slack's permanent errors fail at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from bot.services import lease
from bot.services.context import Ctx
from storage import outbox
from storage.models import Reminder

CLAIM_BATCH = 500
PER_CHANNEL = 60  # rows one channel may take per claim (a minute at Slack's pace)
STUCK_AFTER = timedelta(hours=1)  # even a live instance's claim is recovered after this
RETRY_FIRST = timedelta(seconds=30)
RETRY_CAP = timedelta(minutes=30)
GIVE_UP_AT = time(18, 0)  # office time, the day the reminder was due
GIVE_UP_MIN = timedelta(hours=3)  # a reminder due late in the day still gets some retries
PERMANENT = {"channel_not_found", "user_not_found", "is_archived", "not_in_channel",
             "invalid_blocks", "account_inactive", "cannot_dm_bot", "invalid_auth"}  # fmt: skip


@dataclass
class TickResult:
    """What one tick did."""

    claimed: int = 0
    sent: int = 0  # Slack took them (recorded or not)
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0
    recovered: int = 0
    unrecorded: int = 0  # sent, but the database refused to record it (may be resent)
    halted: bool = False  # stopped early: the database refused a write, or shutdown
    errors: list[str] = field(default_factory=list)


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
    channels = [k for k in skip if not k.startswith("@")]
    users = [k[1:] for k in skip if k.startswith("@")]
    with ctx.session() as s:
        return outbox.claim_due(
            s, now=now, holder=lease.holder_id(ctx), limit=limit, channels=channels, users=users
        )


def recover_claims(ctx: Ctx, *, now: datetime) -> int:
    """Put rows claimed by instances that are no longer alive back to `pending`, at no cost."""
    with ctx.session() as s:
        live = [*lease.live_instances(s, now=now), lease.holder_id(ctx)]
        return outbox.recover(s, live=live, claimed_before=now - STUCK_AFTER)


def finish(ctx: Ctx, row_id: int, **values: object) -> bool:
    """Write `values` to a row this instance still holds; False when it is no longer ours."""
    with ctx.session() as s:
        return outbox.finish(s, row_id=row_id, holder=lease.holder_id(ctx), values=values)


def release(ctx: Ctx, rows: list[Reminder], *, fire_at: datetime | None = None) -> None:
    """Put claimed rows back to `pending` (nothing was sent: no attempt used)."""
    for row in rows:
        values: dict[str, object] = {"status": "pending", "claimed_by": None, "claimed_at": None}
        if fire_at is not None:
            values["fire_at"] = fire_at
        finish(ctx, row.id or 0, **values)


def retry_delay(ctx: Ctx, failures: int) -> timedelta:
    """The pause after the n-th failed send: 30 s, 1 min, 2 min, … at most RETRY_CAP."""
    # A test or benchmark ticking faster than 30 s retries at its own pace.
    first = min(RETRY_FIRST, timedelta(seconds=ctx.tick_seconds))
    return min(first * 2 ** min(max(failures, 1) - 1, 16), RETRY_CAP)


def give_up_at(ctx: Ctx, fire_at: datetime) -> datetime:
    """When a failing reminder stops being retried: 18:00 of its day, GIVE_UP_MIN at least."""
    local = fire_at.astimezone(ctx.clock.tz)
    evening = datetime.combine(local.date(), GIVE_UP_AT, tzinfo=ctx.clock.tz)
    return max(evening, local + GIVE_UP_MIN)


def record_failure(ctx: Ctx, row: Reminder, *, message: str, permanent: bool) -> bool:
    """Count a failed send on the row: retry later, or `failed` for good (returns True)."""
    now = ctx.clock.now()
    failures = row.attempts + 1
    retry = now + retry_delay(ctx, failures)
    final = permanent or row.fire_at is None or retry > give_up_at(ctx, row.fire_at)
    values: dict[str, object] = {"attempts": failures, "last_error": message, "claimed_by": None}
    if final:
        values |= {"status": "failed", "claimed_at": now, "retry_at": None}
    else:
        values |= {"status": "pending", "claimed_at": None, "retry_at": retry}
    finish(ctx, row.id or 0, **values)
    return final
