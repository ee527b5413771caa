"""The audit log's hash chain: each row's hash covers the previous row's hash and its own content.

A row changed, deleted or slipped in afterwards breaks the chain at that row;
`first_break` walks the rows in id order and names the first broken link
(docs/cases.md, "Tamper-evident audit log").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
# The same text as json.dumps(..., ensure_ascii=False), without building an encoder per
# row: verify hashes a million rows (bench/bench_cases.py).
_JSON = json.JSONEncoder(ensure_ascii=False)


def canonical_at(at: datetime) -> str:
    """The timestamp as hashed: UTC, microseconds, so both databases give the same text."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def link_hash(
    prev_hash: str,
    *,
    actor: str,
    action: str,
    case_id: int | None,
    detail: str | None,
    at: datetime,
) -> str:
    """sha256 over the previous hash and the row's fields (JSON: unambiguous separators)."""
    body = _JSON.encode([prev_hash, actor, action, case_id, detail, canonical_at(at)])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    """One audit row as stored, hashes included."""

    id: int
    actor: str
    action: str
    case_id: int | None
    detail: str | None
    at: datetime
    prev_hash: str | None
    row_hash: str | None


@dataclass(frozen=True)
class Break:
    """The first broken link: which row, and how ("changed", "deleted_or_inserted", "tail")."""

    row_id: int | None
    problem: str


@dataclass(frozen=True)
class Walk:
    """What a walk over the chain found."""

    rows: int
    last_hash: str
    broken: Break | None


def first_break(
    rows: Iterable[ChainRow], *, head_hash: str | None = None, head_rows: int | None = None
) -> Walk:
    """Walk rows in id order; the head (latest hash, row count) catches rows cut off the end."""
    prev = GENESIS
    count = 0
    last_id: int | None = None
    for row in rows:
        count += 1
        if row.prev_hash != prev:
            return Walk(count, prev, Break(row.id, "deleted_or_inserted"))
        expected = link_hash(
            prev,
            actor=row.actor,
            action=row.action,
            case_id=row.case_id,
            detail=row.detail,
            at=row.at,
        )
        if expected != row.row_hash:
            return Walk(count, prev, Break(row.id, "changed"))
        prev = row.row_hash
        last_id = row.id
    if head_hash is not None and (head_hash != prev or (head_rows or 0) > count):
        return Walk(count, prev, Break(last_id, "tail"))
    return Walk(count, prev, None)
