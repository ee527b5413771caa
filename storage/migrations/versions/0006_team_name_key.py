"""team name key: the normalised name that finds a team, unique

Revision ID: 0006
Revises: 0005

`team.name` stays exactly as typed; `team.name_key` (NFKC, casefolded, spaces
collapsed: bot.domain.text.team_name_key) is what every lookup compares, and its
unique constraint keeps `WG` and `ＷＧ` from being two teams. Existing rows get their
key here, oldest first. Two existing teams whose names give the same key (say
`広報WG` and `広報ＷＧ`, both allowed before) both keep working: the later one's key
gets the suffix `#<id>`, so it is found by typing `<name>#<id>` (e.g. `広報ＷＧ#7`)
until someone renames or archives it; the earlier one keeps the plain key.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from bot.domain.text import team_name_key

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fill_keys(conn: sa.Connection) -> None:
    team = sa.table(
        "team",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )
    seen: set[str] = set()
    for team_id, name in conn.execute(sa.select(team.c.id, team.c.name).order_by(team.c.id)):
        key = team_name_key(name)
        if key in seen:
            # A collision from before keys existed: keep both teams, the later one by id.
            key = f"{key}#{team_id}"
        seen.add(key)
        conn.execute(sa.update(team).where(team.c.id == team_id).values(name_key=key))


def upgrade() -> None:
    op.add_column(
        "team", sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
    )
    bind = op.get_bind()
    _fill_keys(bind)
    # A unique index, not a table rebuild: SQLite's batch copy would drop `team`, which
    # every task, membership and digest row refers to. NOT NULL only where ALTER can say it;
    # on SQLite the model fills the key on every insert.
    op.create_index("uq_team_name_key", "team", ["name_key"], unique=True)
    if bind.dialect.name != "sqlite":
        op.alter_column(
            "team",
            "name_key",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=100),
            nullable=False,
        )


def downgrade() -> None:
    op.drop_index("uq_team_name_key", table_name="team")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("name_key")
