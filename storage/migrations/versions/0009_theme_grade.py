"""theme grade: every status and year-end grade a lead confirmed, not only the latest

Revision ID: 0009
Revises: 0008

`/wg theme status` and `/wg theme status <code> final:` kept only the latest status
and year-end grade on the theme, so confirming again in December changed November's
report after the fact. Each confirmation is now kept (`theme_grade`: theme, kind
`status` or `final`, grade, reason, who, when) and a report shows the last one given by
its date. A theme that has a status or a final grade today gets one row for each, from
its `status…` and `final…` columns, which stay (they hold the latest).
A new table only: existing rows stay as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fill_from_themes(conn: sa.Connection) -> None:
    """One row per status and per final grade a theme holds now."""
    at = storage.models.UTCDateTime(timezone=True)
    theme = sa.table(
        "theme",
        sa.column("id", sa.Integer),
        *(sa.column(c, sa.String) for c in ("status", "status_reason", "status_by")),
        *(sa.column(c, sa.String) for c in ("final_status", "final_reason", "final_by")),
        sa.column("status_at", at),
        sa.column("final_at", at),
    )
    grade = sa.table(
        "theme_grade",
        sa.column("theme_id", sa.Integer),
        *(sa.column(c, sa.String) for c in ("kind", "grade", "reason", "given_by")),
        sa.column("given_at", at),
    )
    c = theme.c
    # Every confirmation wrote its grade, reason, who and when together (the when is
    # needed to place it; a missing reason or who would be kept as '').
    for kind, given, reason, by, when in (
        ("status", c.status, c.status_reason, c.status_by, c.status_at),
        ("final", c.final_status, c.final_reason, c.final_by, c.final_at),
    ):
        picked = sa.select(
            c.id,
            sa.literal(kind),
            given,
            sa.func.coalesce(reason, ""),
            sa.func.coalesce(by, ""),
            when,
        ).where(given.is_not(None), when.is_not(None))
        columns = ["theme_id", "kind", "grade", "reason", "given_by", "given_at"]
        conn.execute(sa.insert(grade).from_select(columns, picked))


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "theme_grade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("kind", text(length=10), nullable=False),
        sa.Column("grade", text(length=1), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("given_by", text(length=64), nullable=False),
        sa.Column("given_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["theme_id"], ["theme.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_theme_grade_theme_kind_at", "theme_grade", ["theme_id", "kind", "given_at"])
    _fill_from_themes(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_theme_grade_theme_kind_at", table_name="theme_grade")
    op.drop_table("theme_grade")
