"""Small text helpers shared by every renderer."""

from __future__ import annotations

import re

from bot.domain.masking import mask

QUOTED = 40  # characters of a typed value a problem message quotes
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def esc(text: object) -> str:
    """Escape user text for Slack mrkdwn so it cannot mention or link anyone."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What Slack shows for escaped text (the console and the demo print it so)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def tid(task_id: int | None) -> str:
    """Ids are written `#12` in every answer."""
    return f"#{task_id}"


def user(user_id: str | None) -> str:
    """A mention of a known user id (ids come from Slack, never from free text)."""
    return f"<@{user_id}>" if user_id else "—"


def truncate(text: str, limit: int) -> str:
    """Cut text to limit characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str, limit: int = QUOTED) -> str:
    """A typed value as a problem message quotes it: personal data masked, then cut (cut
    first, an e-mail or phone number split in two is no longer recognised by the mask).
    Only the start is masked: the masker is slow on a whole swallowed file, and what
    begins before `limit` ends well within four times it."""
    shown = truncate(mask(text[: limit * 4]).text, limit)
    return _CONTROL.sub(lambda m: f"U+{ord(m[0]):04X}", shown)  # a NUL, not raw on a terminal
