"""A burst's sends are recorded by group commit: the senders Slack answered while one
write was under way share the next transaction, and a refused write still loses nothing
and sends nothing twice."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import select

from bot.gateway import RecordingGateway
from bot.services import outbox
from bot.services.context import Ctx
from storage.models import Reminder
from tests.services.test_outbox_sender import seed, sent_per_user

DMS = 20


class _Marks:
    """Watches the "mark sent" statements: the first waits until every DM got its post
    (so the others queue behind it); counts the marks of each committed transaction;
    `spoil` makes the database refuse the n-th mark (a column it does not have)."""

    def __init__(self, engine: Engine, gw: RecordingGateway, *, spoil: int = 0) -> None:
        self.engine, self.gw, self.spoil = engine, gw, spoil
        self.seen = 0
        self.open: Counter[int] = Counter()  # marks per connection since its last commit
        self.committed: list[int] = []
        self.lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self.statement, retval=True)
        event.listen(engine, "commit", self.commit)

    def statement(self, conn: Any, _cur: Any, sql: str, params: Any, *_: Any) -> Any:
        if not sql.startswith("UPDATE reminder") or "message_ts" not in sql:
            return sql, params
        with self.lock:
            self.seen += 1
            n = self.seen
            self.open[id(conn)] += 1
        if n == 1:
            deadline = time.monotonic() + 5
            while len(self.gw.sent) < DMS and time.monotonic() < deadline:
                time.sleep(0.01)
        if n == self.spoil:
            sql = sql.replace("SET ", "SET no_such_column=0, ", 1)
        return sql, params

    def commit(self, conn: Any) -> None:
        with self.lock:
            if self.open[id(conn)]:
                self.committed.append(self.open.pop(id(conn)))

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self.statement)
        event.remove(self.engine, "commit", self.commit)


def _rows(ctx: Ctx) -> list[Reminder]:
    with ctx.session() as s:
        return list(s.exec(select(Reminder)).all())


def test_sends_answered_during_a_write_are_recorded_together(ctx: Ctx) -> None:
    ctx.gateway = gw = RecordingGateway()
    seed(ctx, {f"U{n}": 1 for n in range(DMS)})
    marks = _Marks(ctx.engine, gw)
    try:
        result = outbox.run_tick(ctx)
    finally:
        marks.remove()
    assert result.sent == DMS and not result.halted
    assert sum(marks.committed) == DMS
    # The first mark alone; the 19 senders that waited meanwhile in one transaction
    # (one transaction a send before: 20).
    assert len(marks.committed) == 2, marks.committed
    rows = _rows(ctx)
    assert {r.status for r in rows} == {"sent"}
    assert {r.message_ts for r in rows} == {m["ts"] for m in gw.sent}
    assert all(len(ids) == 1 for ids in sent_per_user(gw).values())


def test_a_write_the_database_refuses_mid_batch_loses_no_mark(ctx: Ctx) -> None:
    ctx.gateway = gw = RecordingGateway()
    seed(ctx, {f"U{n}": 1 for n in range(DMS)})
    # The third mark is the second of the shared transaction: PostgreSQL aborts the
    # transaction, so the mark before it (already executed) is not committed either;
    # SQLite keeps it. Either way no mark is lost.
    marks = _Marks(ctx.engine, gw, spoil=3)
    try:
        result = outbox.run_tick(ctx)
    finally:
        marks.remove()
    assert result.halted and result.unrecorded == 0  # written once the database took them
    rows = _rows(ctx)
    assert {r.status for r in rows} == {"sent"}  # none left claimed, to be resent later
    assert sorted(r.message_ts or "" for r in rows) == sorted(m["ts"] for m in gw.sent)
    assert len(gw.sent) == DMS
    outbox.run_tick(ctx)
    assert len(gw.sent) == DMS  # nothing twice
