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
from typing import NamedTuple

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


class ChainRow(NamedTuple):
    """One audit row as stored, hashes included; `at` may come already canonical (text).

    A tuple, not a dataclass: verify unpacks a million of them (bench/bench_cases.py).
    """

    id: int
    actor: str
    action: str
    case_id: int | None
    detail: str | None
    at: datetime | str
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
    # link_hash inlined, with its lookups bound once: this loop is verify's whole cost
    # (the same JSON text and digest as link_hash; a test checks both agree).
    encode, sha256 = _JSON.encode, hashlib.sha256
    for row_id, actor, action, case_id, detail, at, prev_hash, row_hash in rows:
        count += 1
        if prev_hash != prev:
            return Walk(count, prev, Break(row_id, "deleted_or_inserted"))
        when = at if isinstance(at, str) else canonical_at(at)
        body = encode([prev, actor, action, case_id, detail, when])
        if sha256(body.encode("utf-8")).hexdigest() != row_hash:
            return Walk(count, prev, Break(row_id, "changed"))
        prev = row_hash
        last_id = row_id
    if head_hash is not None and (head_hash != prev or (head_rows or 0) > count):
        return Walk(count, prev, Break(last_id, "tail"))
    return Walk(count, prev, None)
