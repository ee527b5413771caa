"""SQLModel tables: the whole schema of wgbot, one place to read it.

Nothing is hard-deleted (chat records of a public office are administrative
documents): rows are closed, cancelled or archived with who and when.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, Text, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.domain.text import team_name_key


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC; SQLite hands them back naive, so re-attach UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ts(nullable: bool = True) -> object:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


def _text(nullable: bool = True) -> object:
    return Field(default=None, sa_column=Column(Text, nullable=nullable))


class Plan(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("ward", "fiscal_year"),)
    id: int | None = Field(default=None, primary_key=True)
    ward: str = Field(max_length=100)
    fiscal_year: int
    title: str = Field(default="", max_length=200)
    mission: str | None = _text()  # type: ignore[assignment]
    imported_at: datetime | None = _ts()  # type: ignore[assignment]
    imported_by: str | None = None
    # The plan's own section labels and pillar/area order as its file states them (JSON);
    # None: the defaults (0007).
    form: str | None = _text()  # type: ignore[assignment]


class Theme(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("plan_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    code: str = Field(max_length=10)  # normalised "A(2)"
    area: str = Field(max_length=2)
    position: int
    title: str = Field(max_length=200)
    content: str | None = _text()  # type: ignore[assignment]
    background: str | None = _text()  # type: ignore[assignment]
    approach: str | None = _text()  # type: ignore[assignment]
    pillar: str | None = Field(default=None, max_length=100)
    subgoal: str | None = Field(default=None, max_length=200)
    status: str | None = Field(default=None, max_length=1)  # confirmed A-D
    status_reason: str | None = _text()  # type: ignore[assignment]
    status_by: str | None = None
    status_at: datetime | None = _ts()  # type: ignore[assignment]
    # The year-end grade (取組結果) the lead gives in March, with its reason (0007).
    final_status: str | None = Field(default=None, max_length=1)
    final_reason: str | None = _text()  # type: ignore[assignment]
    final_by: str | None = Field(default=None, max_length=32)
    final_at: datetime | None = _ts()  # type: ignore[assignment]


def _name_key_default(context: Any) -> str:
    """Column default of team.name_key: the key of the row's name."""
    return team_name_key(context.get_current_parameters()["name"])


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    # team_name_key(name): what lookups compare, so `WG` and `ＷＧ` are one team (0006).
    # Filled from `name` on insert when not given, so every writer gets the same key.
    name_key: str = Field(
        max_length=100, unique=True, sa_column_kwargs={"default": _name_key_default}
    )
    kind: str = Field(default="WG", max_length=2)  # WG | PT
    # The team's ward, or CITY_WIDE (全市) for a team of several wards (0007). None: made
    # before wards were known; read as the ward of whoever asks (bot.services.wards).
    ward: str | None = Field(default=None, max_length=100, index=True)
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    channel_id: str | None = Field(default=None, max_length=32)
    role: str | None = Field(default=None, max_length=20)  # "case_admin" for the case-admin group
    task_days: str = Field(default="3,1,0", max_length=40)  # business days before due
    milestone_days: str = Field(default="5,0", max_length=40)
    created_by: str
    created_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    archived_at: datetime | None = _ts()  # type: ignore[assignment]
    archived_by: str | None = None


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    user_id: str = Field(max_length=32, index=True)
    is_lead: bool = False
    added_by: str
    added_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    # Taken off the team (never deleted); a re-add clears both and re-activates the row.
    removed_at: datetime | None = _ts()  # type: ignore[assignment]
    removed_by: str | None = Field(default=None, max_length=32)


class TeamHistory(SQLModel, table=True):
    """Append-only: who added or removed whom on a team, and when."""

    __tablename__ = "team_history"
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    user_id: str = Field(max_length=32)
    action: str = Field(max_length=20)  # member_add | member_remove
    actor: str = Field(max_length=32)
    at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]


class Task(SQLModel, table=True):
    __table_args__ = (
        Index("ix_task_team_status", "team_id", "status"),
        Index("ix_task_assignee_status", "assignee", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="task", max_length=10)  # task | milestone
    title: str = Field(max_length=300)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    theme_id: int | None = Field(default=None, foreign_key="theme.id", index=True)
    assignee: str | None = Field(default=None, max_length=32)
    due: date | None = None
    status: str = Field(default="open", max_length=10)  # open | done | cancelled
    created_by: str
    created_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    updated_at: datetime | None = _ts()  # type: ignore[assignment]
    done_at: datetime | None = _ts()  # type: ignore[assignment]
    done_by: str | None = None
    # The day it was completed when given (`done #5 on:11/15`); None: done_at's day (0007).
    done_on: date | None = None
    cancelled_at: datetime | None = _ts()  # type: ignore[assignment]
    cancelled_by: str | None = None


class ProgressNote(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    theme_id: int | None = Field(default=None, foreign_key="theme.id", index=True)
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    author: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    as_of: date
    created_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    updated_at: datetime | None = _ts()  # type: ignore[assignment]
    archived_at: datetime | None = _ts()  # type: ignore[assignment]
    archived_by: str | None = None


class ThemeMove(SQLModel, table=True):
    """A task or team a rollover moved to next year's theme: reports before `moved_at`
    count it on `from_theme_id` (0008)."""

    __tablename__ = "theme_move"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int | None = Field(default=None, foreign_key="task.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    from_theme_id: int = Field(foreign_key="theme.id")
    to_theme_id: int = Field(foreign_key="theme.id")
    moved_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    moved_by: str = Field(max_length=64)


class UserPref(SQLModel, table=True):
    user_id: str = Field(primary_key=True, max_length=32)
    reminders_on: bool = True
    quiet_start: str | None = Field(default=None, max_length=5)  # "HH:MM"
    quiet_end: str | None = Field(default=None, max_length=5)
    ward: str | None = Field(default=None, max_length=100)  # `/wg me ward:` (0007)


class Staff(SQLModel, table=True):
    """The operator's staff list (`wgbot staff import`): whose ward is which."""

    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=100)
    ward: str = Field(max_length=100, index=True)
    section: str = Field(max_length=100)
    email: str | None = Field(default=None, max_length=254)  # what the user was found by
    imported_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    imported_by: str = Field(max_length=64)


class Reminder(SQLModel, table=True):
    """The outbox: one row per message to send, planned ahead (DESIGN §7)."""

    __table_args__ = (Index("ix_reminder_status_fire_at", "status", "fire_at"),)
    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    # task | milestone | overdue | month_end_note | milestone_channel | ops_failed
    kind: str = Field(max_length=20)
    task_id: int | None = Field(default=None, foreign_key="task.id", index=True)
    theme_id: int | None = Field(default=None, foreign_key="theme.id")
    user_id: str | None = Field(default=None, max_length=32)
    channel_id: str | None = Field(default=None, max_length=32)
    fire_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    status: str = Field(default="pending", max_length=10)
    attempts: int = 0  # failed sends only: a claim that sent nothing costs nothing
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = _ts()  # type: ignore[assignment]  # failed: when it gave up
    retry_at: datetime | None = _ts()  # type: ignore[assignment]  # after a failed send
    sent_at: datetime | None = _ts()  # type: ignore[assignment]
    message_ts: str | None = Field(default=None, max_length=32)
    message_channel: str | None = Field(default=None, max_length=32)
    last_error: str | None = _text()  # type: ignore[assignment]


class Lease(SQLModel, table=True):
    """Which instance runs the scheduled jobs; taken over when not renewed."""

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=64)
    expires_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]


class DigestPost(SQLModel, table=True):
    """One weekly digest per team and week, whatever restarts or instances do."""

    __table_args__ = (UniqueConstraint("team_id", "week_start"),)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id")
    week_start: date
    status: str = Field(default="claimed", max_length=10)  # claimed | sent | failed
    claimed_by: str | None = Field(default=None, max_length=64)
    posted_at: datetime | None = _ts()  # type: ignore[assignment]
    message_ts: str | None = Field(default=None, max_length=32)


class Kpi(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", index=True)
    name: str = Field(max_length=100)
    unit: str = Field(default="", max_length=20)
    baseline: float | None = None
    target: float | None = None
    created_by: str
    created_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]


class KpiValue(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kpi_id: int = Field(foreign_key="kpi.id", index=True)
    value: float
    as_of: date
    recorded_by: str
    recorded_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]


class HarassmentCase(SQLModel, table=True):
    """A customer-harassment case; free text is masked before it gets here."""

    __tablename__ = "harassment_case"
    id: int | None = Field(default=None, primary_key=True)
    reporter: str = Field(max_length=32, index=True)
    occurred_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    place: str = Field(max_length=20)
    section: str = Field(max_length=100)
    kinds: str = Field(max_length=300)  # comma-separated kind codes
    minutes: int
    staff_count: int = 1
    staff_involved: str | None = _text()  # type: ignore[assignment]
    what_happened: str = Field(sa_column=Column(Text, nullable=False))
    response: str | None = _text()  # type: ignore[assignment]
    police: bool = False
    follow_up: bool = False
    status: str = Field(default="open", max_length=10)
    created_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    updated_at: datetime | None = _ts()  # type: ignore[assignment]
    closed_at: datetime | None = _ts()  # type: ignore[assignment]
    closed_by: str | None = None
    # Past retention: free text emptied, section replaced by its category (docs/cases.md).
    disposed_at: datetime | None = _ts()  # type: ignore[assignment]


class CaseVersion(SQLModel, table=True):
    """What a case held before an edit: the changed fields' earlier values (JSON), who, when."""

    __tablename__ = "case_version"
    __table_args__ = (UniqueConstraint("case_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="harassment_case.id", index=True)
    version: int  # the version this row keeps: 1 is the case as first recorded
    edited_by: str = Field(max_length=32)
    edited_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    changed: str = Field(max_length=300)  # comma-separated field names
    before: str = Field(sa_column=Column(Text, nullable=False))  # {"field": earlier value}


class AuditLog(SQLModel, table=True):
    """Append-only and hash-chained (storage.audit_chain): who did what to case data, when."""

    __tablename__ = "audit_log"
    # One user's recent refused attempts are counted on every refusal (alerting).
    __table_args__ = (Index("ix_audit_log_actor_at", "actor", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=32)
    action: str = Field(max_length=30)
    case_id: int | None = Field(default=None, index=True)
    detail: str | None = _text()  # type: ignore[assignment]
    at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
    prev_hash: str | None = Field(default=None, max_length=64)
    row_hash: str | None = Field(default=None, max_length=64)


class AuditChain(SQLModel, table=True):
    """The head of the audit hash chain (one row, id 1): updating it serialises appends."""

    __tablename__ = "audit_chain"
    id: int | None = Field(default=None, primary_key=True)
    last_hash: str = Field(max_length=64)
    rows: int = 0


class SlackEvent(SQLModel, table=True):
    """An Events API delivery seen by any instance, so a retry is handled at most once.

    Slack re-delivers an event (X-Slack-Retry-Num > 0) when it thinks the first
    delivery failed; the row, keyed by Slack's `event_id`, says whether one of the
    instances already took it.
    """

    __tablename__ = "slack_event"
    __table_args__ = (Index("ix_slack_event_received_at", "received_at"),)
    event_id: str = Field(primary_key=True, max_length=64)
    received_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]


class ThemeGrade(SQLModel, table=True):
    """Every status (`kind` "status") and year-end grade ("final") a lead confirmed on a
    theme, with its reason, who and when; a report shows the last one by its date (0009).
    `theme.status…` and `theme.final…` keep the latest as well."""

    __tablename__ = "theme_grade"
    __table_args__ = (Index("ix_theme_grade_theme_kind_at", "theme_id", "kind", "given_at"),)
    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id")
    kind: str = Field(max_length=10)  # status | final
    grade: str = Field(max_length=1)  # A-D
    reason: str = Field(sa_column=Column(Text, nullable=False))
    given_by: str = Field(max_length=64)
    given_at: datetime | None = _ts(nullable=False)  # type: ignore[assignment]
