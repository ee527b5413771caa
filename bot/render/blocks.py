"""Block Kit objects (slack_sdk.models) built with Slack's limits already kept.

slack_sdk checks lengths when an object is turned into JSON (`to_dict()`) and raises
SlackObjectFormationError. Every text is cut here first (lists are cut with 「…ほか N件」
earlier, in bot/render/fit.py), so that error can never reach a user.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
)

from bot.render.fit import (
    FIELD_TEXT_LIMIT,
    LABEL_LIMIT,
    OPTION_TEXT_LIMIT,
    SECTION_TEXT_LIMIT,
)
from bot.render.text import truncate


def plain(text: str, limit: int = LABEL_LIMIT) -> PlainTextObject:
    """A plain_text object (emoji on), cut to `limit` characters."""
    return PlainTextObject(text=text[:limit], emoji=True)


def mrkdwn(text: str) -> MarkdownTextObject:
    """A mrkdwn text object."""
    return MarkdownTextObject(text=text)


def section(text: str, *, fields: Sequence[str] = (), block_id: str | None = None) -> SectionBlock:
    """A section; callers fit the text already, the cut is only a last guard."""
    return SectionBlock(
        text=mrkdwn(truncate(text, SECTION_TEXT_LIMIT)),
        fields=[mrkdwn(truncate(f, FIELD_TEXT_LIMIT)) for f in fields] or None,
        block_id=block_id,
    )


def context(text: str) -> ContextBlock:
    """A context block with one mrkdwn line."""
    return ContextBlock(elements=[mrkdwn(text)])


def button(text: str, *, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    """A button; its text is cut to what Slack shows (75 characters)."""
    return ButtonElement(
        text=plain(text, OPTION_TEXT_LIMIT), action_id=action_id, value=value, style=style
    )


def actions(*elements: ButtonElement, block_id: str | None = None) -> ActionsBlock:
    """An actions block holding the given buttons."""
    return ActionsBlock(elements=list(elements), block_id=block_id)


def option(text: str, value: str) -> Option:
    """An option of a select or checkboxes (text cut to 75 characters)."""
    return Option(text=plain(text, OPTION_TEXT_LIMIT), value=value)


def to_dicts(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    """The JSON Slack receives; callers keep handling blocks as dicts."""
    return [b.to_dict() for b in blocks]
