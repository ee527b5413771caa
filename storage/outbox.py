"""Queries of the outbox (reminder rows); keyword-only, each takes the session.

A row goes `pending` -> `claimed` (by one instance, `claimed_by`) -> `sent`, or back to
`pending`, or `failed`. Every write to a claimed row names its holder, so a row another
instance recovered meanwhile is left alone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from storage.models import Reminder

OPS_KIND = "ops_failed"  # the daily report of failures to the operator: never claimed as due
_T = Reminder.__table__  # type: ignore[attr-defined]


def claim_due(
    session: Session,
    *,
    now: datetime,
    holder: str,
    limit: int,
    channels: Collection[str] = (),
    users: Collection[str] = (),
) -> list[Reminder]:
    """Claim up to `limit` due pending rows for `holder` in one statement, skipping those
    for `channels` and for DMs to `users`."""
    t = _T
    due = (
        select(t.c.id)
        .where(t.c.status == "pending", t.c.fire_at <= now)
        .where(or_(t.c.retry_at.is_(None), t.c.retry_at <= now), t.c.kind != OPS_KIND)
        .order_by(t.c.fire_at, t.c.id)
        .limit(limit)
    )
    if channels:
        due = due.where(or_(t.c.channel_id.is_(None), t.c.channel_id.not_in(channels)))
    if users:
        due = due.where(or_(t.c.channel_id.is_not(None), t.c.user_id.not_in(users)))
    values = {"status": "claimed", "claimed_by": holder, "claimed_at": now}
    if session.get_bind().dialect.name == "postgresql":
        # SKIP LOCKED: a second instance claims other rows instead of waiting for these.
        locked = due.with_for_update(skip_locked=True).cte("due")
        stmt = update(t).where(t.c.id == locked.c.id).values(**values)
    else:
        # SQLite has one writer at a time: the UPDATE … WHERE status is the claim.
        stmt = update(t).where(t.c.id.in_(due.scalar_subquery())).values(**values)
    ids = [r[0] for r in session.execute(stmt.returning(t.c.id)).all()]
    if not ids:
        return []
    stmt_rows = select(Reminder).where(col(Reminder.id).in_(ids))
    return list(session.scalars(stmt_rows.order_by(col(Reminder.fire_at), col(Reminder.id))).all())


def recover(session: Session, *, live: list[str], claimed_before: datetime) -> int:
    """Put rows claimed by holders not in `live` (or before `claimed_before`) back to pending."""
    t = _T
    stmt = (
        update(t)
        .where(t.c.status == "claimed")
        .where(or_(t.c.claimed_by.not_in(live), t.c.claimed_at < claimed_before))
        .values(status="pending", claimed_by=None, claimed_at=None)
    )
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def finish(session: Session, *, row_id: int, holder: str, values: Mapping[str, object]) -> bool:
    """Write `values` to a row `holder` still has claimed; False when it is no longer theirs."""
    t = _T
    mine = and_(t.c.id == row_id, t.c.status == "claimed", t.c.claimed_by == holder)
    return bool(session.execute(update(t).where(mine).values(**values)).rowcount)  # type: ignore[attr-defined]


# Built once: a burst marks thousands of rows, one statement each (see `mark_claimed_sent`).
_SENT = (
    update(_T)
    .where(_T.c.id == bindparam("b_id"), _T.c.status == "claimed")
    .where(_T.c.claimed_by == bindparam("b_holder"))
    .values(
        status="sent",
        sent_at=bindparam("b_at"),
        message_ts=bindparam("b_ts"),
        message_channel=bindparam("b_ch"),
    )
)


def mark_claimed_sent(
    session: Session, *, row_id: int, holder: str, at: datetime, ts: str, channel: str
) -> bool:
    """Record a send Slack took on a row `holder` still has claimed; False when not theirs.

    One statement a row, so that several rows can share one transaction (the sender's
    group commit) and a failure names the first row not recorded.
    """
    params = {"b_id": row_id, "b_holder": holder, "b_at": at, "b_ts": ts, "b_ch": channel}
    return bool(session.connection().execute(_SENT, params).rowcount)


def can_still_commit(session: Session) -> bool:
    """After a statement failed: whether the transaction still holds the earlier writes.

    PostgreSQL aborts a transaction at an error it raised, and a COMMIT then rolls it
    back without a word; SQLite rolls back by itself after some errors. A statement
    refused before it reached the database leaves the transaction as it was.
    """
    try:
        dbapi = session.connection().connection.dbapi_connection
        if session.get_bind().dialect.name == "postgresql":
            from psycopg.pq import TransactionStatus

            return bool(dbapi.info.transaction_status == TransactionStatus.INTRANS)  # type: ignore[union-attr]
        return bool(dbapi.in_transaction)  # type: ignore[union-attr]
    except Exception:  # the connection is gone: nothing can be committed
        return False


def mark_sent(session: Session, *, row_id: int, at: datetime, ts: str, channel: str) -> None:
    """Record a send Slack took on a row still claimed or pending (recovered meanwhile, unsent)."""
    t = _T
    stmt = update(t).where(t.c.id == row_id, t.c.status.in_(("claimed", "pending")))
    session.execute(stmt.values(status="sent", sent_at=at, message_ts=ts, message_channel=channel))


def put_back(session: Session, *, ids: Collection[int], holder: str) -> None:
    """Put the rows `holder` still has claimed back to pending (nothing was sent)."""
    t = _T
    mine = (t.c.status == "claimed") & (t.c.claimed_by == holder)
    session.execute(
        update(t)
        .where(t.c.id.in_(ids), mine)
        .values(status="pending", claimed_by=None, claimed_at=None)
    )


def failed_since_report(session: Session, *, shown: int) -> tuple[int, list[Reminder]]:
    """Rows failed since the last sent daily report: their count and the first `shown`."""
    t = _T
    last = session.execute(
        select(func.max(t.c.sent_at)).where(t.c.kind == OPS_KIND, t.c.status == "sent")
    ).scalar()
    cond = [t.c.status == "failed", t.c.kind != OPS_KIND]
    if last is not None:
        cond.append(t.c.claimed_at > last)  # a failed row's claimed_at: when it gave up
    total = int(session.execute(select(func.count()).where(*cond)).scalar_one())
    if not total:
        return 0, []
    rows = session.scalars(select(Reminder).where(*cond).order_by(t.c.id).limit(shown)).all()
    return total, list(rows)


def claim_report(
    session: Session, *, key: str, channel: str | None, holder: str, now: datetime
) -> int | None:
    """Create and claim the report row `key`, or retake it if an earlier send was refused."""
    t = _T
    claimed = {"status": "claimed", "claimed_by": holder, "claimed_at": now}
    postgres = session.get_bind().dialect.name == "postgresql"
    stmt: Any = (pg_insert if postgres else sqlite_insert)(t).values(
        dedupe_key=key, kind=OPS_KIND, channel_id=channel, fire_at=now, attempts=0, **claimed
    )
    stmt = stmt.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(t.c.id)
    got = session.execute(stmt).scalar()
    if got is None:  # exists: take it again only if an earlier report was refused
        again = (
            update(t)
            .where(t.c.dedupe_key == key, t.c.status == "pending")
            .where((t.c.retry_at.is_(None)) | (t.c.retry_at <= now))
            .values(**claimed)
            .returning(t.c.id)
        )
        got = session.execute(again).scalar()
    return int(got) if got is not None else None


def due_and_failed(
    session: Session, *, now: datetime, limit: int
) -> tuple[list[Reminder], list[Reminder]]:
    """Rows that would be sent at `now`, and rows that failed (the operator's kinds left out)."""
    t = _T
    due = select(Reminder).where(t.c.status == "pending", t.c.fire_at <= now)
    due = due.where(t.c.kind != OPS_KIND)
    failed = select(Reminder).where(t.c.status == "failed", t.c.kind != OPS_KIND)
    return (
        list(session.scalars(due.order_by(t.c.fire_at, t.c.id).limit(limit)).all()),
        list(session.scalars(failed.order_by(t.c.fire_at, t.c.id).limit(limit)).all()),
    )
