"""The weekly digest as plain text and as Block Kit."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block, HeaderBlock, PlainTextObject

from bot.domain.dates import show_date
from bot.domain.digest import Digest, DigestTask
from bot.render import blocks as kit
from bot.render.fit import LABEL_LIMIT, cut_lines
from bot.render.messages import paren, t
from bot.render.text import esc, tid, truncate, unescape, user

MAX_LINES = 15


def _task(lang: str, task: DigestTask, *, today: date, owner: bool = True) -> str:
    flag = ":triangular_flag_on_post: " if task.kind == "milestone" else ""
    due = show_date(task.due, ref=today, lang=lang) if task.due else t(lang, "task.no_due")
    who = f" — {user(task.assignee)}" if owner else ""
    return f"• {tid(task.id)} {flag}{esc(truncate(task.title, 100))}{paren(lang, due)}{who}"


def _section(title: str, lines: list[str], lang: str) -> str:
    """A titled list that fits one section block, ending with ほか N件 when cut."""
    head = f"*{title}*\n"
    shown = cut_lines(
        lines,
        more=lambda n: t(lang, "digest.more", more=n),
        max_lines=MAX_LINES,
        used=len(head),
    )
    return head + "\n".join(shown)


def digest_sections(lang: str, d: Digest) -> list[str]:
    """The digest's non-empty sections as mrkdwn strings, in DESIGN §8's order."""
    out = []
    sections = [
        ("digest.done", d.done_last_week),
        ("digest.due", d.due_this_week),
        ("digest.overdue", d.overdue),
    ]
    for key, tasks in sections:
        if tasks:
            lines = [_task(lang, x, today=d.date_ref) for x in tasks]
            out.append(_section(t(lang, key), lines, lang))
    if d.milestones:
        lines = [_task(lang, x, today=d.date_ref, owner=False) for x in d.milestones]
        out.append(_section(t(lang, "digest.milestones"), lines, lang))
    if d.notes:
        lines = [
            f"• {show_date(n.as_of, ref=d.date_ref, lang=lang)} {esc(n.target)}"
            f" {esc(truncate(n.text, 200))}"
            f" — {user(n.author)}"
            for n in d.notes
        ]
        out.append(_section(t(lang, "digest.notes"), lines, lang))
    if d.new_cases is not None:
        out.append(t(lang, "digest.cases", count=d.new_cases))
    return out


def digest_title(lang: str, d: Digest) -> str:
    """`案内表示WG の週間まとめ（12月2日（月）の週）`."""
    week = show_date(d.week_start, ref=d.date_ref, lang=lang)
    return t(lang, "digest.title", team=esc(d.team), week=week)


def digest_text(lang: str, d: Digest) -> str:
    """Plain mrkdwn text (also the notification fallback of the blocks)."""
    body = digest_sections(lang, d)
    if d.empty:
        body = [t(lang, "digest.empty")]
    return "\n\n".join([digest_title(lang, d), *body])


def digest_blocks(lang: str, d: Digest) -> list[dict[str, Any]]:
    """Block Kit: a header, then one section per part (Slack's 3,000-character limit kept)."""
    # A header is plain text: the title's escapes are undone and it is cut to 150 characters.
    title = truncate(unescape(digest_title(lang, d)), LABEL_LIMIT)
    blocks: list[Block] = [HeaderBlock(text=PlainTextObject(text=title))]
    body = digest_sections(lang, d) if not d.empty else [t(lang, "digest.empty")]
    # Each part already fits (cut_lines); kit.section's cut is only a last guard for Slack.
    blocks += [kit.section(part) for part in body]
    return kit.to_dicts(blocks)
