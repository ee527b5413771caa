"""membership removal: members are taken off a team, never deleted; team_history

Revision ID: 0004
Revises: 0003

A membership gets `removed_at`/`removed_by` when a lead (or, for the case-admin group,
the operator) takes someone off; re-adding the person re-activates the same row. Every
add and removal of an ordinary team is also kept in `team_history`, so the re-activation
does not lose the earlier removal. Release rows stay as they are: all active.
An index on audit_log (actor, at) lets each refused attempt count the user's last hour.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("removed_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("removed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
    op.create_table(
        "team_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_history_team_id"), ["team_id"], unique=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_actor_at", ["actor", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_actor_at")
    with op.batch_alter_table("team_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_history_team_id"))
    op.drop_table("team_history")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("removed_by")
        batch_op.drop_column("removed_at")
