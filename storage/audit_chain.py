"""Appending to the hash-chained audit log, and reading the chain back to verify it.

Appends are serialised by updating the chain's head row (`audit_chain`, id 1) first:
on PostgreSQL that locks the row, on SQLite it takes the file's write lock, until the
transaction ends, so two threads or instances never both link to the same last row.
The audit rows themselves are only ever inserted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import String, func, insert, select, text, type_coerce
from sqlalchemy import update as sql_update
from sqlmodel import Session, col

from bot.domain.audit_chain import (
    GENESIS,
    ChainRow,
    Walk,
    canonical_at,
    first_break,
    link_hash,
)
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
    if found is None:
        _create_head(session)
        found = session.connection().execute(bump).scalar_one()
    return str(found)


def _create_head(session: Session) -> None:
    """Start the head from the table (a database emptied by hand, as tests do).

    Two writers may get here at once: ON CONFLICT makes the second wait for the first
    one's head and then lock it like any other append.
    """
    conn = session.connection()
    last = conn.execute(select(col(AuditLog.row_hash)).order_by(col(AuditLog.id).desc()).limit(1))
    start = last.scalar() or GENESIS
    count = conn.execute(select(func.count()).select_from(AuditLog)).scalar() or 0
    conn.execute(
        text(
            "INSERT INTO audit_chain (id, last_hash, rows) VALUES (:id, :last, :n)"
            " ON CONFLICT (id) DO NOTHING"
        ),
        {"id": HEAD_ID, "last": start, "n": int(count)},
    )


def append(session: Session, rows: Sequence[AuditLog]) -> None:
    """Link and insert audit rows in order, and move the head to the last one."""
    if not rows:
        return
    prev = _lock_head(session, len(rows))
    for row in rows:
        assert row.at is not None
        digest = link_hash(
            prev,
            actor=row.actor,
            action=row.action,
            case_id=row.case_id,
            detail=row.detail,
            at=row.at,
        )
        row.prev_hash, row.row_hash = prev, digest
        prev = digest
    # One Core executemany, not session.add_all: nobody reads the rows' ids back, and the
    # ORM flush (RETURNING id, one statement text per batch) made a retention batch of 500
    # cost 3-4x more on PostgreSQL (bench/bench_cases.py, docs/benchmarks.md).
    columns = ("actor", "action", "case_id", "detail", "at", "prev_hash", "row_hash")
    session.connection().execute(
        insert(AuditLog.__table__),  # type: ignore[attr-defined]
        [{name: getattr(row, name) for name in columns} for row in rows],
    )
    session.connection().execute(
        sql_update(AuditChain).where(col(AuditChain.id) == HEAD_ID).values(last_hash=prev)
    )


# PostgreSQL writes the hashed timestamp text itself (C, not a Python datetime per row):
# the same text as bot.domain.audit_chain.canonical_at, "2024-11-29T00:00:00.000000+00:00".
_PG_CANONICAL = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'


def _sqlite_canonical(stored: str) -> str:
    """SQLite's stored text ("2024-11-29 00:00:00.000000", UTC) as hashed; else parse it."""
    if len(stored) == 26 and stored[10] == " " and stored[19] == ".":
        return f"{stored[:10]}T{stored[11:]}+00:00"
    at = datetime.fromisoformat(stored)
    return canonical_at(at if at.tzinfo else at.replace(tzinfo=UTC))


def _rows(session: Session, batch: int) -> Iterator[ChainRow]:
    """The chain's rows in id order, streamed (server-side cursor), only the hashed columns."""
    table = AuditLog.__table__  # type: ignore[attr-defined]
    pg = session.get_bind().dialect.name == "postgresql"
    at = (
        func.to_char(func.timezone("UTC", table.c.at), _PG_CANONICAL)
        if pg
        else type_coerce(table.c.at, String)  # the raw text, without the per-row type
    )
    stmt = select(
        table.c.id,
        table.c.actor,
        table.c.action,
        table.c.case_id,
        table.c.detail,
        at,
        table.c.prev_hash,
        table.c.row_hash,
    ).order_by(table.c.id)
    result = session.connection().execution_options(stream_results=True, yield_per=batch)
    for part in result.execute(stmt).partitions(batch):
        if pg:
            yield from part  # type: ignore[misc]
        else:
            for r in part:
                yield ChainRow(r[0], r[1], r[2], r[3], r[4], _sqlite_canonical(r[5]), r[6], r[7])


def verify(session: Session, *, batch: int = 10_000) -> Walk:
    """Walk the whole chain in id order (streamed) and check it against the head."""
    head = session.get(AuditChain, HEAD_ID)
    return first_break(
        _rows(session, batch),
        head_hash=head.last_hash if head else None,
        head_rows=head.rows if head else None,
    )
