"""reminder identity: keys name the business day, not the send minute; retry_at

Revision ID: 0003
Revises: 0002

Release 0.1 keyed a task reminder by the minute it fires
(`task:12:task:2024-12-05T10:00+09:00:U2`), so quiet hours or any replan that moved it
made a new key and sent it again. From now on the key names the business day it belongs
to (`task:12:task:2024-12-05:U2`, see `bot.domain.reminder_plan.reminder_key`). Old rows
are rewritten here; where two old rows fall on one new key (the resend that bug made),
the one that was sent keeps the key, the others get `~<id>` appended and, if still
waiting, are cancelled, so an upgrade sends nothing twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time, timedelta

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# task:<id>:<kind>:<YYYY-MM-DD>T<HH:MM><offset>:<recipient>, as release 0.1 wrote them.
_LEGACY = re.compile(
    r"^(task:\d+:[a-z_]+):(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?:[+-]\d{2}:\d{2}|Z)?:(.+)$"
)
_FIRE = time(9, 0)
# Which row keeps a shared key: the one already sent wins, then one being sent, ...
_RANK = {"sent": 0, "claimed": 1, "pending": 2, "failed": 3, "cancelled": 4}


def new_key(old: str) -> str | None:
    """The day-based key of a release-0.1 key, or None when it is not one."""
    m = _LEGACY.match(old)
    if m is None:
        return None
    head, day_text, hh, mm, recipient = m.groups()
    day = date.fromisoformat(day_text)
    if time(int(hh), int(mm)) < _FIRE:
        # Only a quiet window wrapping past 09:00 (e.g. 08:00-07:00) moves a reminder to
        # the next business day, before 09:00: it belongs to the business day before.
        day = _business_day_before(day)
    return f"{head}:{day.isoformat()}:{recipient}"


def _business_day_before(day: date) -> date:
    from bot.domain.calendar import OfficeCalendar  # the office's holidays, as the planner

    return OfficeCalendar().business_day_on_or_before(day - timedelta(days=1))


def _rekey(conn: sa.Connection) -> None:
    reminder = sa.table(
        "reminder",
        sa.column("id", sa.Integer),
        sa.column("dedupe_key", sa.String),
        sa.column("status", sa.String),
        sa.column("last_error", sa.Text),
    )
    rows = conn.execute(
        sa.select(reminder.c.id, reminder.c.dedupe_key, reminder.c.status).where(
            reminder.c.dedupe_key.like("task:%")
        )
    ).all()
    groups: dict[str, list[tuple[int, str]]] = {}
    for row_id, key, status in rows:
        key2 = new_key(key)
        if key2 is not None:
            groups.setdefault(key2, []).append((row_id, status))
    for key2, members in groups.items():
        members.sort(key=lambda m: (_RANK.get(m[1], 9), -m[0]))
        (keep, _), *others = members
        for row_id, status in others:
            values: dict[str, object] = {"dedupe_key": f"{key2}~{row_id}"[:200]}
            if status in ("pending", "claimed"):
                values |= {"status": "cancelled", "last_error": "superseded (0003)"}
            conn.execute(sa.update(reminder).where(reminder.c.id == row_id).values(**values))
        conn.execute(sa.update(reminder).where(reminder.c.id == keep).values(dedupe_key=key2))


def upgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("retry_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )
    _rekey(op.get_bind())


def downgrade() -> None:
    # The old keys are not restored: release 0.1 plans new-form keys afresh and treats
    # the day-based ones as unknown rows it cancels or leaves alone (sent ones stay).
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_column("retry_at")
