"""wards: a team's ward (or 全市), the staff list, a person's own ward, the year's turn

Revision ID: 0007
Revises: 0006

One deployment serves a city of several wards (DESIGN §11).

- `team.ward`: the ward a team belongs to, or `全市` for a city-wide team. Existing
  teams get the ward of their theme's plan, else the ward of the only plan there is;
  with no plan (or several wards and no theme) it stays NULL, read as "the ward of the
  person asking", which is what a single-ward deployment always meant.
- `staff`: the operator's staff list (`wgbot staff import`): Slack user, name, ward,
  section, and the e-mail it was found by.
- `userpref.ward`: the ward a person gave with `/wg me ward:`.
- `task.done_on`: the day a task or milestone was completed when it was not the day it
  was marked done (`/wg task done #5 on:11/15`); NULL means the day it was marked.
- `theme.final_status`, `final_reason`, `final_by`, `final_at`: the year-end grade
  (取組結果, A–D) a theme's lead gives in March, beside the month's status.
- `plan.form`: the plan's own section labels and pillar and area order (JSON), as the
  plan file states them; NULL means the defaults.

Only nullable columns and a new table: release rows stay as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fill_team_wards(conn: sa.Connection) -> None:
    plan = sa.table("plan", sa.column("id", sa.Integer), sa.column("ward", sa.String))
    theme = sa.table("theme", sa.column("id", sa.Integer), sa.column("plan_id", sa.Integer))
    team = sa.table("team", sa.column("theme_id", sa.Integer), sa.column("ward", sa.String))
    of_theme = (
        sa.select(plan.c.ward)
        .join(theme, theme.c.plan_id == plan.c.id)
        .where(theme.c.id == team.c.theme_id)
        .scalar_subquery()
    )
    conn.execute(sa.update(team).where(team.c.theme_id.is_not(None)).values(ward=of_theme))
    wards = conn.execute(sa.select(plan.c.ward).distinct()).scalars().all()
    if len(wards) == 1:
        conn.execute(sa.update(team).where(team.c.ward.is_(None)).values(ward=wards[0]))


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch copy: SQLite's copy would drop `team` and `task`,
    # which other tables refer to.
    text = sqlmodel.sql.sqltypes.AutoString
    op.add_column("team", sa.Column("ward", text(length=100), nullable=True))
    op.create_index("ix_team_ward", "team", ["ward"])
    op.add_column("userpref", sa.Column("ward", text(length=100), nullable=True))
    op.add_column("task", sa.Column("done_on", sa.Date(), nullable=True))
    op.add_column("theme", sa.Column("final_status", text(length=1), nullable=True))
    op.add_column("theme", sa.Column("final_reason", sa.Text(), nullable=True))
    op.add_column("theme", sa.Column("final_by", text(length=32), nullable=True))
    op.add_column(
        "theme",
        sa.Column("final_at", storage.models.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column("plan", sa.Column("form", sa.Text(), nullable=True))
    op.create_table(
        "staff",
        sa.Column("user_id", text(length=32), nullable=False),
        sa.Column("name", text(length=100), nullable=False),
        sa.Column("ward", text(length=100), nullable=False),
        sa.Column("section", text(length=100), nullable=False),
        sa.Column("email", text(length=254), nullable=True),
        sa.Column("imported_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported_by", text(length=64), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_index("ix_staff_ward", "staff", ["ward"])
    _fill_team_wards(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_staff_ward", table_name="staff")
    op.drop_table("staff")
    op.drop_index("ix_team_ward", table_name="team")
    for table, columns in (
        ("plan", ["form"]),
        ("theme", ["final_at", "final_by", "final_reason", "final_status"]),
        ("task", ["done_on"]),
        ("userpref", ["ward"]),
        ("team", ["ward"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
