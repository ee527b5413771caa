"""Block Kit of reminders: the DM / channel message, the note modal, the App Home tab."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from bot.domain.dates import show_date
from bot.render.fit import HOME_BLOCK_LIMIT, cut_blocks, split_text
from bot.render.messages import paren, t
from bot.render.modals import modal, plain, text_input
from bot.render.text import esc, tid, truncate, user

if TYPE_CHECKING:
    from bot.services.home import HomeData
    from bot.services.reminder_actions import NoteTarget, ReminderCard

ACTION_DONE = "reminder_done"
ACTION_POSTPONE = "reminder_postpone"
ACTION_NOTE = "reminder_note"
NOTE_MODAL = "note_modal"
NOTE_FIELD = "note"
NOTE_AS_OF = "as_of"
NOTE_LIMIT = 3000


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": text}


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


def _button(lang: str, key: str, action: str, value: str, style: str | None = None) -> dict:
    button: dict[str, Any] = {
        "type": "button",
        "text": plain(t(lang, key)),
        "action_id": action,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def reminder_message(lang: str, card: ReminderCard) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) of a reminder; buttons only while the task is open."""
    head = _head(lang, card)
    if card.kind == "month_end_note":
        body = t(lang, "reminder.month_end_body", code=esc(card.theme_code), title=esc(card.title))
        note_blocks: list[dict[str, Any]] = [
            {"type": "section", "text": mrkdwn(f"*{head}*\n{body}")},
            {
                "type": "actions",
                "elements": [
                    _button(lang, "reminder.button.note", ACTION_NOTE, f"theme:{card.theme_code}")
                ],
            },
        ]
        return f"{head}: {card.theme_code} {truncate(card.title, 80)}", note_blocks
    title = f"{tid(card.task_id)} {esc(truncate(card.title, 200))}"
    fields = [mrkdwn(t(lang, "reminder.field.due", due=due_line(lang, card)))]
    fields.append(mrkdwn(t(lang, "reminder.field.assignee", assignee=user(card.assignee))))
    if card.team:
        fields.append(mrkdwn(t(lang, "reminder.field.team", team=esc(card.team))))
    if card.theme_code:
        fields.append(mrkdwn(t(lang, "reminder.field.theme", theme=esc(card.theme_code))))
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": mrkdwn(f"*{head}*\n{title}"), "fields": fields}
    ]
    if card.status == "open" and card.kind != "done":
        due_value = f"{card.task_id}:{card.due.isoformat()}" if card.due else str(card.task_id)
        buttons = [
            _button(lang, "reminder.button.done", ACTION_DONE, str(card.task_id), "primary"),
            _button(lang, "reminder.button.postpone", ACTION_POSTPONE, due_value),
            _button(lang, "reminder.button.note", ACTION_NOTE, f"task:{card.task_id}"),
        ]
        blocks.append(
            {"type": "actions", "block_id": f"reminder:{card.task_id}", "elements": buttons}
        )
    elif card.done_by:
        done = t(lang, "reminder.done_by", user=user(card.done_by))
        blocks.append({"type": "context", "elements": [mrkdwn(done)]})
    text = f"{head}: {tid(card.task_id)} {esc(truncate(card.title, 80))} — {due_line(lang, card)}"
    return text, blocks


def theme_blocks(lang: str, text: str, code: str) -> list[dict[str, Any]]:
    """`/wg theme show` with a 進捗を書く button that opens the note modal for the theme."""
    sections = [{"type": "section", "text": mrkdwn(part)} for part in split_text(text.split("\n"))]
    return [
        *sections,
        {
            "type": "actions",
            "elements": [_button(lang, "reminder.button.note", ACTION_NOTE, f"theme:{code}")],
        },
    ]


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
    blocks = [
        {
            "type": "section",
            "text": mrkdwn(t(lang, "modal.note.target", label=esc(truncate(target.label, 150)))),
        },
        text_input(
            NOTE_FIELD,
            t(lang, "modal.note.text", limit=NOTE_LIMIT),
            multiline=True,
            max_length=NOTE_LIMIT,
        ),
        {
            "type": "input",
            "block_id": NOTE_AS_OF,
            "optional": True,
            "label": plain(t(lang, "modal.note.as_of")),
            "element": {"type": "datepicker", "action_id": NOTE_AS_OF}
            | ({"initial_date": today.isoformat()} if today else {}),
        },
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
    blocks: list[dict[str, Any]] = [{"type": "section", "text": mrkdwn(t(lang, "home.title"))}]
    blocks += [_home_line(lang, c) for c in data.tasks] or [_context(t(lang, "home.none"))]
    blocks += _left_out(lang, data.tasks_total - len(data.tasks))
    blocks += [{"type": "divider"}, {"type": "section", "text": mrkdwn(t(lang, "home.milestones"))}]
    blocks += [_home_line(lang, c) for c in data.milestones] or [
        _context(t(lang, "home.no_milestones"))
    ]
    blocks += _left_out(lang, data.milestones_total - len(data.milestones))
    day = show_date(data.at.date(), ref=data.at.date(), lang=lang)
    updated = t(lang, "home.updated", at=f"{day} {data.at:%H:%M}")
    blocks.append({"type": "context", "elements": [mrkdwn(updated)]})
    more = lambda n: _context(t(lang, "home.more", more=n))  # noqa: E731
    return {"type": "home", "blocks": cut_blocks(blocks, more=more, limit=HOME_BLOCK_LIMIT)}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(text)]}


def _left_out(lang: str, n: int) -> list[dict[str, Any]]:
    """「…ほか N件」 under a list the service cut, or nothing."""
    return [_context(t(lang, "home.more", more=n))] if n > 0 else []


def _home_line(lang: str, card: ReminderCard) -> dict[str, Any]:
    flag = ":triangular_flag_on_post: " if card.kind == "milestone" else ""
    where = " / ".join(esc(x) for x in (card.team, card.theme_code) if x)
    line = f"{tid(card.task_id)} {flag}{esc(truncate(card.title, 120))} — {due_line(lang, card)}"
    if where:
        line += t(lang, "fmt.gap", x=where)
    return {"type": "section", "text": mrkdwn(line)}
