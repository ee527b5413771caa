"""Progress notes: the source of ⑤ in the month-end report."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bot.domain.text import check_free_text
from bot.errors import InvalidInput, NotFound
from bot.results import NoteSaved
from bot.services import access
from bot.services.context import Ctx
from bot.services.reports import require_in_theme_year
from bot.services.wards import resolve_theme
from storage import notes as note_rows
from storage.models import ProgressNote, Task, Theme

NOTE_LIMIT = 3000


def check_note_text(text: str) -> str:
    """Strip and check a note's length; raises InvalidInput."""
    text = check_free_text("note", text).strip()
    if not text:
        raise InvalidInput("error.empty_note")
    if len(text) > NOTE_LIMIT:
        raise InvalidInput("error.too_long", field="進捗", limit=NOTE_LIMIT, length=len(text))
    return text


def check_as_of(ctx: Ctx, as_of: date | None) -> None:
    """Progress and figures are recorded as they stood, so never as of a day to come."""
    if as_of is not None and as_of > ctx.clock.today():
        raise InvalidInput("error.future_as_of", date=as_of)  # worded per language


def add_task_note(
    ctx: Ctx, *, user: str, task_id: int, text: str, as_of: date | None = None
) -> NoteSaved:
    """A note on a task; it also counts for the task's theme."""
    text = check_note_text(text)
    check_as_of(ctx, as_of)
    with ctx.session() as s:
        task = s.get(Task, task_id)
        if task is None:
            raise NotFound("error.task_not_found", id=task_id)
        access.require_task_change(s, task=task, user=user)
        # Dated within the task's theme's plan year, the rule indicator values follow.
        require_in_theme_year(s, theme_id=task.theme_id, day=as_of or ctx.clock.today())
        note = _save(
            s, ctx, user=user, text=text, as_of=as_of, task_id=task.id, theme_id=task.theme_id
        )
        return NoteSaved(note.id or 0, f"#{task.id}", note.as_of, ctx.clock.today(), note.text)


def add_theme_note(
    ctx: Ctx, *, user: str, theme_code: str, text: str, as_of: date | None = None
) -> NoteSaved:
    """A note on a theme, by a member of one of its teams (anyone if it has none)."""
    text = check_note_text(text)
    check_as_of(ctx, as_of)
    with ctx.session() as s:
        theme = resolve_theme(s, ctx=ctx, code_text=theme_code, user=user)
        access.require_theme_member(s, theme=theme, user=user)
        require_in_theme_year(s, theme_id=theme.id, day=as_of or ctx.clock.today())
        note = _save(s, ctx, user=user, text=text, as_of=as_of, task_id=None, theme_id=theme.id)
        return NoteSaved(note.id or 0, theme.code, note.as_of, ctx.clock.today(), note.text)


def correct_note(ctx: Ctx, *, user: str, note_id: int, text: str) -> NoteSaved:
    """The author corrects a note: the old one is archived, a new one keeps its date."""
    text = check_note_text(text)
    now = ctx.clock.now()
    with ctx.session() as s:
        old = s.get(ProgressNote, note_id)
        if old is None or old.author != user:
            raise NotFound("error.note_not_found", id=note_id)
        if old.archived_at is not None:
            raise InvalidInput("error.note_already_fixed", id=note_id, cmd=ctx.command)
        old.archived_at, old.archived_by = now, user
        note = _save(
            s,
            ctx,
            user=user,
            text=text,
            as_of=old.as_of,
            task_id=old.task_id,
            theme_id=old.theme_id,
        )
        if old.task_id is not None:  # named as when it was written: the task, else the theme
            target = f"#{old.task_id}"
            return NoteSaved(note.id or 0, target, note.as_of, ctx.clock.today(), note.text)
        theme = s.get(Theme, old.theme_id) if old.theme_id else None
        code = theme.code if theme else "—"
        return NoteSaved(note.id or 0, code, note.as_of, ctx.clock.today(), note.text)


def recent_theme_notes(s: Session, *, theme_id: int, limit: int = 3) -> list[ProgressNote]:
    """The newest live notes of a theme."""
    return note_rows.recent_of_theme(s, theme_id=theme_id, limit=limit)


def _save(
    s: Session,
    ctx: Ctx,
    *,
    user: str,
    text: str,
    as_of: date | None,
    task_id: int | None,
    theme_id: int | None,
) -> ProgressNote:
    now = ctx.clock.now()
    note = ProgressNote(
        theme_id=theme_id,
        task_id=task_id,
        author=user,
        text=text,
        as_of=as_of or now.date(),
        created_at=now,
        updated_at=now,
    )
    s.add(note)
    s.flush()
    return note
