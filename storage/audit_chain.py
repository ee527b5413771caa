"""Appending to the hash-chained audit log, and reading the chain back to verify it.

Appends are serialised by updating the chain's head row (`audit_chain`, id 1) first:
on PostgreSQL that locks the row, on SQLite it takes the file's write lock, until the
transaction ends, so two threads or instances never both link to the same last row.
The audit rows themselves are only ever inserted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy import update as sql_update
from sqlmodel import Session, col

from bot.domain.audit_chain import GENESIS, ChainRow, Walk, first_break, link_hash
from storage.models import AuditChain, AuditLog

HEAD_ID = 1


def _lock_head(session: Session, added: int) -> str:
    """Take the chain's lock and return its last hash (creating the head if it is missing)."""
    bump = (
        sql_update(AuditChain)
        .where(col(AuditChain.id) == HEAD_ID)
        .values(rows=col(AuditChain.rows) + added)
        .returning(col(AuditChain.last_hash))
    )
    found = session.connection().execute(bump).scalar_one_or_none()
    if found is not None:
        return str(found)
    # A database emptied by hand (tests truncate tables): start the head from the table.
    last = session.exec(
        select(AuditLog.row_hash).order_by(col(AuditLog.id).desc()).limit(1)  # type: ignore[call-overload]
    ).first()
    count = session.exec(select(func.count()).select_from(AuditLog)).one()
    start = (last[0] if last else None) or GENESIS
    session.connection().execute(
        insert(AuditChain).values(id=HEAD_ID, last_hash=start, rows=int(count) + added)
    )
    return start


def append(session: Session, rows: Sequence[AuditLog]) -> None:
    """Link and insert audit rows in order, and move the head to the last one."""
    if not rows:
        return
    prev = _lock_head(session, len(rows))
    for row in rows:
        assert row.at is not None
        row.prev_hash = prev
        row.row_hash = link_hash(
            prev,
            actor=row.actor,
            action=row.action,
            case_id=row.case_id,
            detail=row.detail,
            at=row.at,
        )
        prev = row.row_hash
    session.add_all(rows)
    session.connection().execute(
        sql_update(AuditChain).where(col(AuditChain.id) == HEAD_ID).values(last_hash=prev)
    )


def _rows(session: Session, batch: int) -> Iterator[ChainRow]:
    stmt = select(
        AuditLog.id,  # type: ignore[call-overload]
        AuditLog.actor,
        AuditLog.action,
        AuditLog.case_id,
        AuditLog.detail,
        AuditLog.at,
        AuditLog.prev_hash,
        AuditLog.row_hash,
    ).order_by(col(AuditLog.id))
    result = session.connection().execution_options(stream_results=True, yield_per=batch)
    for part in result.execute(stmt).partitions(batch):
        for r in part:
            yield ChainRow(*r)


def verify(session: Session, *, batch: int = 10_000) -> Walk:
    """Walk the whole chain in id order (streamed) and check it against the head."""
    head = session.get(AuditChain, HEAD_ID)
    return first_break(
        _rows(session, batch),
        head_hash=head.last_hash if head else None,
        head_rows=head.rows if head else None,
    )
