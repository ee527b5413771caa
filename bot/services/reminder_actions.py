"""What a reminder says, and what its buttons do: done, postpone a business day, write a note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session

from bot.domain.calendar import month_bounds
from bot.domain.reminder_plan import QuietHours, SendFacts, send_verdict, superseded
from bot.domain.wards import is_theme_ref
from bot.errors import InvalidInput, NotFound, PermissionDenied
from bot.results import NoteTarget, ReminderCard
from bot.services import access, home, notes, reminder_planning, tasks, wards
from bot.services.cards import make_card, task_card, theme_card
from bot.services.context import Ctx
from bot.services.wards import resolve_theme
from storage import prefs as pref_rows
from storage import queries, reminders
from storage import tasks as task_rows
from storage import teams as team_rows
from storage.models import Reminder, Task


@dataclass(frozen=True)
class ActionResult:
    """A button's outcome: the card to show again and whether anything changed."""

    card: ReminderCard
    changed: bool
    key: str  # message key of the short confirmation


def parse_task_value(value: str) -> tuple[int, date | None]:
    """`12` or `12:2024-12-10` (the due date the button was drawn with)."""
    head, _, tail = (value or "").partition(":")
    try:
        task_id = int(head.lstrip("#"))
        return task_id, date.fromisoformat(tail) if tail else None
    except ValueError:
        raise InvalidInput("error.bad_button", value=value[:40]) from None


def _load(s: Session, *, user: str, task_id: int) -> Task:
    task = s.get(Task, task_id)
    if task is None:
        raise NotFound("error.task_not_found", id=task_id)
    if not access.may_change_task(s, task=task, user=user):  # the creator as such may not
        raise PermissionDenied("error.not_allowed_task", id=task_id)
    return task


def complete(ctx: Ctx, *, user: str, value: str) -> ActionResult:
    """完了: the assignee or a team member marks the task done; twice changes nothing."""
    task_id, _ = parse_task_value(value)
    with ctx.session() as s:
        _load(s, user=user, task_id=task_id)
    try:
        tasks.complete_task(ctx, user=user, task_id=task_id)
        changed, key = True, "reminder.done_ok"
    except InvalidInput as exc:
        if exc.key not in ("error.task_done", "error.task_cancelled"):
            raise
        changed, key = False, exc.key
    with ctx.session() as s:
        task = _load(s, user=user, task_id=task_id)
        return ActionResult(task_card(s, ctx=ctx, task=task, kind="done"), changed, key)


def postpone(ctx: Ctx, *, user: str, value: str) -> ActionResult:
    """1営業日延期: due date one business day later; the same card pressed twice moves it once."""
    task_id, drawn_due = parse_task_value(value)
    users: set[str] = set()
    with ctx.session() as s:
        task = _load(s, user=user, task_id=task_id)
        if task.status != "open":
            raise InvalidInput(f"error.task_{task.status}", id=task_id)
        if task.due is None:
            raise InvalidInput("error.no_due", id=task_id)
        changed = drawn_due is None or drawn_due == task.due
        if changed:
            task.due = ctx.calendar.add_business_days(task.due, 1)
            task.updated_at = ctx.clock.now()
            users = reminder_planning.replan_task(s, ctx=ctx, task=task)
        key = "reminder.postponed" if changed else "reminder.already_postponed"
        result = ActionResult(task_card(s, ctx=ctx, task=task, kind="task"), changed, key)
    home.publish_homes(ctx, users=users)  # after the commit: the tab shows the new due date
    return result


def note_target(ctx: Ctx, *, user: str, value: str) -> NoteTarget:
    """Check the user may write a note on the button's task or theme, before the modal opens."""
    if value.startswith("theme:"):
        with ctx.session() as s:
            theme = resolve_theme(s, ctx=ctx, code_text=value.removeprefix("theme:"), user=user)
            access.require_theme_member(s, theme=theme, user=user)
            ref = wards.theme_refs(s, themes=[theme])[theme.id]
            return NoteTarget(f"theme:{ref}", f"{theme.code} {theme.title}")
    task_id, _ = parse_task_value(value.removeprefix("task:"))
    with ctx.session() as s:
        task = _load(s, user=user, task_id=task_id)
        return NoteTarget(f"task:{task.id}", f"#{task.id} {task.title}")


@dataclass(frozen=True)
class NoteResult:
    saved: notes.NoteSaved
    card: ReminderCard | None  # the reminder drawn again, to update the message


def _as_of(value: object) -> date | None:
    """The modal's date picker (YYYY-MM-DD) or none; anything else is refused."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("error.bad_picked_date", text=str(value)[:40]) from None


def save_note(ctx: Ctx, *, user: str, ref: str, text: str, as_of: object = None) -> NoteResult:
    """Save the modal's text as a progress note on its task or theme (as of a picked date)."""
    kind, _, target = ref.partition(":")
    day = _as_of(as_of)
    if kind == "theme" and is_theme_ref(target):
        saved = notes.add_theme_note(ctx, user=user, theme_code=target, text=text, as_of=day)
        with ctx.session() as s:
            theme = resolve_theme(s, ctx=ctx, code_text=target, user=user)
            ref = wards.theme_refs(s, themes=[theme])[theme.id]
            return NoteResult(saved, theme_card(theme, today=ctx.clock.today(), ref=ref))
    if kind == "task":
        task_id, _ = parse_task_value(target)
        saved = notes.add_task_note(ctx, user=user, task_id=task_id, text=text, as_of=day)
        with ctx.session() as s:
            task = s.get(Task, task_id)
            card = task_card(s, ctx=ctx, task=task, kind=task.kind) if task else None
            return NoteResult(saved, card)
    raise InvalidInput("error.bad_button", value=ref[:40])


@dataclass(frozen=True)
class Verdict:
    """What to do with a claimed row at send time."""

    card: ReminderCard | None = None
    skip: str | None = None  # why it is cancelled instead of sent
    quiet: QuietHours | None = None  # inside the user's quiet hours: send later
    closed: bool = False  # not a business day: send on the next one


def sent_by_us(ctx: Ctx, *, card: ReminderCard, channel: str | None, ts: str | None) -> bool:
    """Whether channel/ts is a reminder the bot sent (outbox row) about this card's task.

    A button's container and the note form's private_metadata come from the client: a
    forged (validly signed) payload could name another team's message. Only a message
    the outbox sent for this very task is redrawn, with this task's card: whoever may
    change the task (the service checked) may redraw its reminders, and nothing else.
    """
    if not channel or not ts:
        return False
    with ctx.session() as s:
        return reminders.sent_message_of(s, channel=channel, ts=ts, task_id=card.task_id)


def check_rows(ctx: Ctx, rows: Sequence[Reminder]) -> dict[int, Verdict]:
    """Re-check claimed rows just before sending; the rule is `reminder_plan.send_verdict`."""
    now = ctx.clock.now()
    with ctx.session() as s:
        task_ids = {r.task_id for r in rows if r.task_id}
        found = task_rows.by_ids(s, task_ids=task_ids)
        teams = team_rows.teams_by_ids(s, team_ids={t.team_id for t in found.values()})
        theme_ids = {t.theme_id for t in found.values()} | {r.theme_id for r in rows}
        themes = team_rows.themes_by_ids(s, theme_ids=theme_ids)
        refs = wards.theme_refs(s, themes=themes.values())
        users = {r.user_id for r in rows if r.user_id}
        prefs = pref_rows.prefs_of(s, user_ids=users)
        first, last = month_bounds(now.date())
        noted = queries.themes_noted_between(s, first=first, last=last)
        out: dict[int, Verdict] = {}
        left_of: dict[date, int] = {}
        older = superseded(
            [(r.id or 0, (r.task_id, r.theme_id, r.user_id, r.channel_id, r.kind),
              r.fire_at or now) for r in rows]
        )  # fmt: skip
        open_day = ctx.calendar.is_business_day(now.date())
        for row in rows:
            pref = prefs.get(row.user_id or "")
            facts = SendFacts(
                row.kind,
                to_user=bool(row.user_id),
                reminders_on=reminder_planning.reminders_on(pref),
                quiet=reminder_planning.quiet_of(pref),
                business_day=open_day,
                superseded=(row.id or 0) in older,
            )
            if row.kind == "year_end_grade":
                theme = themes.get(row.theme_id)
                card = theme_card(theme, today=now.date(), ref=refs[theme.id]) if theme else None
                card = replace(card, kind=row.kind) if card else None
                graded = theme is not None and theme.final_status is not None
                facts = replace(facts, theme_found=theme is not None, theme_graded=graded)
            elif row.kind == "month_end_note":
                theme = themes.get(row.theme_id)
                card = theme_card(theme, today=now.date(), ref=refs[theme.id]) if theme else None
                facts = replace(
                    facts, theme_found=theme is not None, theme_noted=row.theme_id in noted
                )
            else:
                task = found.get(row.task_id)
                card = None
                if task is not None:
                    team, theme = teams.get(task.team_id), themes.get(task.theme_id)
                    card = make_card(
                        ctx, task=task, kind=row.kind, team=team, theme=theme, left_of=left_of
                    )
                facts = replace(facts, task_status=task.status if task else None)
            verdict = send_verdict(facts, now=now.time())
            out[row.id or 0] = Verdict(card, verdict.skip, verdict.quiet, verdict.closed)
        return out
