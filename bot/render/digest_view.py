"""The weekly digest as plain text and as Block Kit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from slack_sdk.models.blocks import Block, HeaderBlock, PlainTextObject

from bot.domain.dates import show_date
from bot.domain.digest import Digest, DigestNote, DigestTask
from bot.render import blocks as kit
from bot.render.fit import LABEL_LIMIT, cut_lines
from bot.render.messages import paren, t
from bot.render.text import esc, tid, truncate, unescape, user

MAX_LINES = 15
X = TypeVar("X")


def _task(lang: str, task: DigestTask, *, today: date, owner: bool = True) -> str:
    flag = ":triangular_flag_on_post: " if task.kind == "milestone" else ""
    due = show_date(task.due, ref=today, lang=lang) if task.due else t(lang, "task.no_due")
    who = f" — {user(task.assignee)}" if owner else ""
    return f"• {tid(task.id)} {flag}{esc(truncate(task.title, 100))}{paren(lang, due)}{who}"


def _section(
    title: str, items: Sequence[X], line: Callable[[X], str], lang: str, total: int | None = None
) -> str:
    """A titled list that fits one section block, ending with ほか N件 when cut.

    Only the first MAX_LINES items are formatted: a team's list can hold hundreds, and the
    rest only count towards ほか N件 (`total`: the list's size when `items` is its head).
    """
    head = f"*{title}*\n"
    shown = cut_lines(
        [line(x) for x in items[:MAX_LINES]],
        more=lambda n: t(lang, "digest.more", more=n),
        max_lines=MAX_LINES,
        used=len(head),
        total=len(items) if total is None else total,
    )
    return head + "\n".join(shown)


def digest_sections(lang: str, d: Digest) -> list[str]:
    """The digest's non-empty sections as mrkdwn strings, in DESIGN §8's order."""

    def task(x: DigestTask) -> str:
        return _task(lang, x, today=d.date_ref)

    def milestone(x: DigestTask) -> str:
        return _task(lang, x, today=d.date_ref, owner=False)

    def note(n: DigestNote) -> str:
        return (
            f"• {show_date(n.as_of, ref=d.date_ref, lang=lang)} {esc(n.target)}"
            f" {esc(truncate(n.text, 200))}"
            f" — {user(n.author)}"
        )

    out = []
    sections = [
        ("digest.done", "done_last_week", d.done_last_week),
        ("digest.due", "due_this_week", d.due_this_week),
        ("digest.overdue", "overdue", d.overdue),
    ]
    for key, name, tasks in sections:
        if tasks:
            out.append(_section(t(lang, key), tasks, task, lang, d.total(name)))
    if d.milestones:
        title = t(lang, "digest.milestones")
        out.append(_section(title, d.milestones, milestone, lang, d.total("milestones")))
    if d.notes:
        out.append(_section(t(lang, "digest.notes"), d.notes, note, lang))
    if d.new_cases is not None:
        out.append(t(lang, "digest.cases", count=d.new_cases))
    return out


def digest_title(lang: str, d: Digest) -> str:
    """`案内表示WG の週間まとめ（12月2日（月）の週）`."""
    week = show_date(d.week_start, ref=d.date_ref, lang=lang)
    return t(lang, "digest.title", team=esc(d.team), week=week)


def _body(lang: str, d: Digest) -> list[str]:
    return digest_sections(lang, d) if not d.empty else [t(lang, "digest.empty")]


def _text(lang: str, d: Digest, body: list[str]) -> str:
    return "\n\n".join([digest_title(lang, d), *body])


def _blocks(lang: str, d: Digest, body: list[str]) -> list[dict[str, Any]]:
    # A header is plain text: the title's escapes are undone and it is cut to 150 characters.
    title = truncate(unescape(digest_title(lang, d)), LABEL_LIMIT)
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text=title))]
    # Each part already fits (cut_lines); kit.section's cut is only a last guard for Slack.
    blocks += [kit.section(part) for part in body]
    return kit.to_dicts(blocks)


def digest_text(lang: str, d: Digest) -> str:
    """Plain mrkdwn text (also the notification fallback of the blocks)."""
    return _text(lang, d, _body(lang, d))


def digest_message(lang: str, d: Digest) -> tuple[str, list[dict[str, Any]]]:
    """The text and the Block Kit blocks of the posted digest (a header, then one section
    per part, Slack's 3,000-character limit kept), its sections rendered once for both."""
    body = _body(lang, d)
    return _text(lang, d, body), _blocks(lang, d, body)
