"""The weekly digest of one team, built from plain rows (DESIGN §8)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

MILESTONE_HORIZON = timedelta(days=30)


@dataclass(frozen=True)
class DigestTask:
    id: int
    kind: str
    title: str
    due: date | None
    status: str
    assignee: str | None
    done_on: date | None


@dataclass(frozen=True)
class DigestNote:
    as_of: date
    written_on: date
    author: str
    target: str
    text: str


@dataclass
class Digest:
    team: str
    week_start: date
    today: date  # the day it was built for: dates outside its fiscal year show the year
    done_last_week: list[DigestTask] = field(default_factory=list)
    due_this_week: list[DigestTask] = field(default_factory=list)
    overdue: list[DigestTask] = field(default_factory=list)
    milestones: list[DigestTask] = field(default_factory=list)
    notes: list[DigestNote] = field(default_factory=list)
    new_cases: int | None = None  # only for the harassment PT; never the content
    read_on: date | None = None  # the reader's today, when it is not the digest's own day
    # Section -> how many tasks it holds, when its list holds only the first of them (a
    # digest built for posting: the rest is only counted, in the database).
    totals: dict[str, int] = field(default_factory=dict)

    def total(self, section: str) -> int:
        """How many tasks the section ("overdue", …) holds, listed or only counted."""
        listed: list[DigestTask] = getattr(self, section)
        return max(self.totals.get(section, 0), len(listed))

    @property
    def date_ref(self) -> date:
        """The day dates are shown against: the reader's today (a past week shows its year)."""
        return self.read_on or self.today

    @property
    def empty(self) -> bool:
        """Nothing happened and nothing is coming."""
        return not (
            self.done_last_week
            or self.due_this_week
            or self.overdue
            or self.milestones
            or self.notes
            or self.new_cases
        )


def week_monday(d: date) -> date:
    """The Monday of d's week (Monday–Sunday)."""
    return d - timedelta(days=d.weekday())


def build_digest(
    *,
    team: str,
    today: date,
    tasks: list[DigestTask],
    notes: list[DigestNote],
    new_cases: int | None = None,
    read_on: date | None = None,
    totals: dict[str, int] | None = None,
) -> Digest:
    """Sort the team's tasks and notes into the digest's sections for today's week.

    "Notes written last week" are those dated (as-of) in last week: what they are about,
    which is also the day of writing for nearly every note (docs/decisions.md).
    `totals`: the sections' sizes when `tasks` holds only the first of each section.
    """
    start = week_monday(today)
    last_start, next_start = start - timedelta(days=7), start + timedelta(days=7)
    digest = Digest(
        team=team,
        week_start=start,
        today=today,
        new_cases=new_cases,
        read_on=read_on,
        totals=dict(totals or {}),
    )
    by_due = sorted(tasks, key=lambda t: (t.due or date.max, t.id))
    for t in by_due:
        if t.status == "done" and t.done_on and last_start <= t.done_on < start:
            digest.done_last_week.append(t)
        if t.status != "open" or t.due is None:
            continue
        if t.due < today:
            digest.overdue.append(t)
        elif t.due < next_start:
            digest.due_this_week.append(t)
        # A milestone due this week is already listed above; the outlook starts next week.
        if t.kind == "milestone" and next_start <= t.due <= today + MILESTONE_HORIZON:
            digest.milestones.append(t)
    digest.notes = sorted(
        (n for n in notes if last_start <= n.as_of < start),
        key=lambda n: (n.as_of, n.written_on, n.target),
    )
    return digest
