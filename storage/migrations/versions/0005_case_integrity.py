"""case integrity: case_version, hash-chained audit_log, audit_chain head, disposed_at

Revision ID: 0005
Revises: 0004

Edits of a case keep the earlier values in `case_version`; each audit row carries
`prev_hash`/`row_hash` (docs/cases.md, "Tamper-evident audit log"); `audit_chain`
holds the chain's head; `harassment_case.disposed_at` marks a case whose free text
was removed after retention. The audit rows written before this upgrade are hashed
here, oldest first, so the chain covers the whole history.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models
from bot.domain.audit_chain import GENESIS, link_hash

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _hash_existing(conn: sa.Connection) -> None:
    audit = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("case_id", sa.Integer),
        sa.column("detail", sa.Text),
        sa.column("at", storage.models.UTCDateTime()),
        sa.column("prev_hash", sa.String),
        sa.column("row_hash", sa.String),
    )
    rows = conn.execute(
        sa.select(
            audit.c.id, audit.c.actor, audit.c.action, audit.c.case_id, audit.c.detail, audit.c.at
        ).order_by(audit.c.id)
    ).all()
    prev = GENESIS
    for row_id, actor, action, case_id, detail, at in rows:
        digest = link_hash(prev, actor=actor, action=action, case_id=case_id, detail=detail, at=at)
        conn.execute(
            sa.update(audit).where(audit.c.id == row_id).values(prev_hash=prev, row_hash=digest)
        )
        prev = digest
    chain = sa.table(
        "audit_chain",
        sa.column("id", sa.Integer),
        sa.column("last_hash", sa.String),
        sa.column("rows", sa.Integer),
    )
    conn.execute(sa.insert(chain).values(id=1, last_hash=prev, rows=len(rows)))


def upgrade() -> None:
    with op.batch_alter_table("harassment_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("disposed_at", storage.models.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.create_table(
        "case_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("edited_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("edited_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["harassment_case.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "version"),
    )
    with op.batch_alter_table("case_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_version_case_id"), ["case_id"], unique=False)
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _hash_existing(op.get_bind())


def downgrade() -> None:
    op.drop_table("audit_chain")
    with op.batch_alter_table("case_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_version_case_id"))
    op.drop_table("case_version")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
    with op.batch_alter_table("harassment_case", schema=None) as batch_op:
        batch_op.drop_column("disposed_at")
