"""theme move: a record of each task and team a fiscal year's rollover moved

Revision ID: 0008
Revises: 0007

`wgbot plan rollover --apply` moves open tasks and active teams from last year's themes
to this year's. The report of a date before the move must still count them on the
theme they were on then (last year's reports stay as they were), so each move is kept:
what moved (a task or a team), from which theme to which, when and by whom.
A new table only: existing rows stay as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "theme_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("from_theme_id", sa.Integer(), nullable=False),
        sa.Column("to_theme_id", sa.Integer(), nullable=False),
        sa.Column("moved_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("moved_by", text(length=64), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.ForeignKeyConstraint(["from_theme_id"], ["theme.id"]),
        sa.ForeignKeyConstraint(["to_theme_id"], ["theme.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_theme_move_moved_at", "theme_move", ["moved_at"])


def downgrade() -> None:
    op.drop_index("ix_theme_move_moved_at", table_name="theme_move")
    op.drop_table("theme_move")
