"""What services return and render shows: plain dataclasses, below both layers.

A service builds these and `bot/render/` turns them into text or Block Kit; keeping them
here lets render import them without importing a service (see docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from storage.models import HarassmentCase, Plan, ProgressNote, Team, Theme


@dataclass(frozen=True)
class TaskRow:
    id: int
    kind: str
    title: str
    due: date | None
    assignee: str | None
    team: str | None
    theme_code: str | None
    status: str
    overdue: bool
    today: date  # the day it was listed on: due dates outside its fiscal year show the year


@dataclass
class TaskList:
    scope: str
    label_param: str = ""
    rows: list[TaskRow] = field(default_factory=list)
    total: int = 0


@dataclass(frozen=True)
class NoteSaved:
    id: int
    target: str  # "#12" or "A(2)"
    as_of: date
    today: date  # the day it was saved: an as-of date in an earlier fiscal year shows the year
    text: str = ""  # as stored, for the confirmation to quote


@dataclass(frozen=True)
class TeamView:
    team: Team
    theme_code: str | None
    leads: list[str]
    members: list[str]
    open_tasks: int
    overdue_tasks: int


@dataclass(frozen=True)
class ThemeList:
    plan: Plan
    themes: list[Theme]


@dataclass(frozen=True)
class ThemeDetail:
    theme: Theme
    teams: list[str]
    open_tasks: int
    overdue_tasks: int
    notes: list[ProgressNote]
    today: date  # shown dates outside its fiscal year carry the year
    ref: str = ""  # how a button names the theme (see ReminderCard.theme_ref)


@dataclass(frozen=True)
class ReminderCard:
    """Everything a reminder message shows."""

    kind: str  # task | milestone | milestone_channel | overdue | month_end_note | done
    task_id: int | None
    title: str
    team: str | None
    theme_code: str | None
    due: date | None
    days_left: int | None  # business days; negative when overdue
    assignee: str | None
    today: date  # the day it is shown for: a due date outside its fiscal year shows the year
    status: str = "open"
    done_by: str | None = None
    # How a button names the theme: its code, or `若松区/A(5)` when the city has several
    # wards (a city-wide team's lead may be of another ward).
    theme_ref: str | None = None


@dataclass(frozen=True)
class NoteTarget:
    """What a note modal writes to: `task:12` or `theme:A(2)`."""

    ref: str
    label: str


@dataclass(frozen=True)
class HomeData:
    user: str
    at: datetime
    tasks: list[ReminderCard] = field(default_factory=list)
    milestones: list[ReminderCard] = field(default_factory=list)
    # How many there are in all: the tab lists the first ones and says how many it left out.
    tasks_total: int = 0
    milestones_total: int = 0


@dataclass(frozen=True)
class Version:
    """One earlier version: its number, who replaced it and when, the fields and values it had."""

    number: int
    edited_by: str
    edited_at: datetime
    before: dict[str, Any]


@dataclass(frozen=True)
class History:
    case: HarassmentCase
    versions: list[Version]
