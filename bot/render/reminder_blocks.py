"""Block Kit of reminders: the DM / channel message, the note modal, the App Home tab."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import Block, ButtonElement, DatePickerElement, DividerBlock
from slack_sdk.models.views import View

from bot.domain.dates import show_date
from bot.render import blocks as kit
from bot.render.fit import HOME_BLOCK_LIMIT, cut_blocks, split_text
from bot.render.messages import paren, t, t_plain
from bot.render.modals import input_block, modal, text_input
from bot.render.text import esc, tid, truncate, user

if TYPE_CHECKING:
    from bot.results import HomeData, NoteTarget, ReminderCard

ACTION_DONE = "reminder_done"
ACTION_POSTPONE = "reminder_postpone"
ACTION_NOTE = "reminder_note"
NOTE_MODAL = "note_modal"
NOTE_FIELD = "note"
NOTE_AS_OF = "as_of"
NOTE_LIMIT = 3000


def days_left_text(lang: str, n: int | None) -> str:
    """`あと3営業日`, `今日が期限`, `2営業日超過`."""
    if n is None:
        return ""
    if n > 0:
        return t(lang, "reminder.left.future", n=n)
    if n == 0:
        return t(lang, "reminder.left.today")
    return t(lang, "reminder.left.overdue", n=-n)


def due_line(lang: str, card: ReminderCard) -> str:
    """`12月10日（火）（あと3営業日）`; the year too outside this fiscal year."""
    if card.due is None:
        return t(lang, "task.no_due")
    left = days_left_text(lang, card.days_left)
    due = show_date(card.due, ref=card.today, lang=lang)
    return due + paren(lang, left) if left else due


def _head(lang: str, card: ReminderCard) -> str:
    if card.kind == "done" or card.status == "done":
        return t(lang, "reminder.head.done")
    if card.status != "open":
        return t(lang, "reminder.head.closed")
    if card.kind in ("task", "milestone") and card.days_left == 0:
        return t(lang, "reminder.head.today")
    return t(lang, f"reminder.head.{card.kind}")


def _button(
    lang: str, key: str, action: str, value: str, style: str | None = None
) -> ButtonElement:
    return kit.button(t(lang, key), action_id=action, value=value, style=style)


def reminder_message(
    lang: str, card: ReminderCard, *, extra: str = "", command: str = "/wg"
) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) of a reminder; buttons only while the task is open.

    `extra` is a line shown under the card (what a button press just did); `command` is
    the slash command the year-end grade reminder tells the lead to type.
    """
    head = _head(lang, card)
    if card.kind == "year_end_grade":
        text = f"{head}: {card.theme_code} {truncate(card.title, 80)}"
        # The command names the ward when the city has several (theme_ref): a lead of a
        # city-wide team may be of another ward, whose own code is another theme.
        ref = card.theme_ref or card.theme_code
        typed = t_plain(lang, "reminder.year_end_command", cmd=command, code=ref)
        body = t(
            lang,
            "reminder.year_end_body",
            code=esc(card.theme_code),
            title=esc(card.title),
            command=esc(typed),
        )
        blocks: list[Block] = [kit.section(f"*{head}*\n{body}")]
    elif card.kind == "month_end_note":
        text = f"{head}: {card.theme_code} {truncate(card.title, 80)}"
        body = t(lang, "reminder.month_end_body", code=esc(card.theme_code), title=esc(card.title))
        ref = card.theme_ref or card.theme_code
        note = _button(lang, "reminder.button.note", ACTION_NOTE, f"theme:{ref}")
        blocks = [kit.section(f"*{head}*\n{body}"), kit.actions(note)]
    else:
        text = f"{head}: {tid(card.task_id)} {esc(truncate(card.title, 80))}"
        text += f" — {due_line(lang, card)}"
        blocks = _task_card(lang, card, head)
    if extra:
        blocks.append(kit.context(extra))
    return text, kit.to_dicts(blocks)


def _task_card(lang: str, card: ReminderCard, head: str) -> list[Block]:
    """A task's or milestone's card: title, due, assignee, team, theme, then its buttons."""
    title = f"{tid(card.task_id)} {esc(truncate(card.title, 200))}"
    fields = [t(lang, "reminder.field.due", due=due_line(lang, card))]
    fields.append(t(lang, "reminder.field.assignee", assignee=user(card.assignee)))
    if card.team:
        fields.append(t(lang, "reminder.field.team", team=esc(card.team)))
    if card.theme_code:
        fields.append(t(lang, "reminder.field.theme", theme=esc(card.theme_code)))
    blocks: list[Block] = [kit.section(f"*{head}*\n{title}", fields=fields)]
    if card.status == "open" and card.kind != "done":
        due_value = f"{card.task_id}:{card.due.isoformat()}" if card.due else str(card.task_id)
        buttons = [
            _button(lang, "reminder.button.done", ACTION_DONE, str(card.task_id), "primary"),
            _button(lang, "reminder.button.postpone", ACTION_POSTPONE, due_value),
            _button(lang, "reminder.button.note", ACTION_NOTE, f"task:{card.task_id}"),
        ]
        blocks.append(kit.actions(*buttons, block_id=f"reminder:{card.task_id}"))
    elif card.done_by:
        blocks.append(kit.context(t(lang, "reminder.done_by", user=user(card.done_by))))
    return blocks


def theme_blocks(lang: str, text: str, code: str) -> list[dict[str, Any]]:
    """`/wg theme show` with a 進捗を書く button that opens the note modal for the theme."""
    sections = [kit.section(part) for part in split_text(text.split("\n"))]
    note = _button(lang, "reminder.button.note", ACTION_NOTE, f"theme:{code}")
    return kit.to_dicts([*sections, kit.actions(note)])


def note_modal(
    lang: str,
    target: NoteTarget,
    *,
    channel: str | None = None,
    ts: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The 進捗を書く modal; private_metadata carries the target and the message to update."""
    meta = json.dumps({"target": target.ref, "channel": channel, "ts": ts}, ensure_ascii=False)
    as_of = DatePickerElement(initial_date=today.isoformat() if today else None)
    blocks = [
        kit.section(t(lang, "modal.note.target", label=esc(truncate(target.label, 150)))),
        text_input(
            NOTE_FIELD,
            t(lang, "modal.note.text", limit=NOTE_LIMIT),
            multiline=True,
            max_length=NOTE_LIMIT,
        ),
        input_block(NOTE_AS_OF, t(lang, "modal.note.as_of"), as_of, optional=True),
    ]
    return modal(NOTE_MODAL, t(lang, "modal.note.title"), blocks, lang, private_metadata=meta)


def read_note_metadata(raw: str | None) -> dict[str, str | None]:
    """The modal's private_metadata back as a dict (empty on anything unreadable)."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def home_view(lang: str, data: HomeData) -> dict[str, Any]:
    """The App Home tab: my open tasks by due date, my teams' next milestones."""
    blocks: list[Block] = [kit.section(t(lang, "home.title"))]
    blocks += [_home_line(lang, c) for c in data.tasks] or [kit.context(t(lang, "home.none"))]
    blocks += _left_out(lang, data.tasks_total - len(data.tasks))
    blocks += [DividerBlock(), kit.section(t(lang, "home.milestones"))]
    blocks += [_home_line(lang, c) for c in data.milestones] or [
        kit.context(t(lang, "home.no_milestones"))
    ]
    blocks += _left_out(lang, data.milestones_total - len(data.milestones))
    day = show_date(data.at.date(), ref=data.at.date(), lang=lang)
    blocks.append(kit.context(t(lang, "home.updated", at=f"{day} {data.at:%H:%M}")))
    more = lambda n: kit.context(t(lang, "home.more", more=n))  # noqa: E731
    # Cut to Slack's 100 blocks (with 「…ほか N件」) before the View checks the count.
    shown = cut_blocks(blocks, more=more, limit=HOME_BLOCK_LIMIT)
    return View(type="home", blocks=shown).to_dict()


def _left_out(lang: str, n: int) -> list[Block]:
    """「…ほか N件」 under a list the service cut, or nothing."""
    return [kit.context(t(lang, "home.more", more=n))] if n > 0 else []


def _home_line(lang: str, card: ReminderCard) -> Block:
    flag = ":triangular_flag_on_post: " if card.kind == "milestone" else ""
    where = " / ".join(esc(x) for x in (card.team, card.theme_code) if x)
    line = f"{tid(card.task_id)} {flag}{esc(truncate(card.title, 120))} — {due_line(lang, card)}"
    if where:
        line += t(lang, "fmt.gap", x=where)
    return kit.section(line)
