"""Fitting text into Slack's limits without losing count of what did not fit.

Slack refuses a section whose text passes 3,000 characters, a message with more than
50 blocks and a Home tab with more than 100. A list cut to fit always ends with a line
saying how many were left out; a record that must be shown whole is split over blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

SECTION_TEXT_LIMIT = 3000  # characters in a section block's text
MESSAGE_BLOCK_LIMIT = 50  # blocks in one message
HOME_BLOCK_LIMIT = 100  # blocks in a Home tab or modal
# Slack truncates a message's text at 40,000 characters but advises 4,000 at most.
MESSAGE_TEXT_LIMIT = 4000
FIELD_TEXT_LIMIT = 2000  # characters in one of a section's fields
LABEL_LIMIT = 150  # a plain_text label, a header, an error under a field
OPTION_TEXT_LIMIT = 75  # a button's or an option's text
VIEW_TITLE_LIMIT = 24  # a modal's title, submit and close texts

B = TypeVar("B")  # a block, whether a slack_sdk object or its JSON


def _size(lines: Sequence[str]) -> int:
    """Characters of the lines joined by newlines (one per line, counted generously)."""
    return sum(len(line) + 1 for line in lines)


def cut_lines(
    lines: Sequence[str],
    *,
    more: Callable[[int], str],
    limit: int = SECTION_TEXT_LIMIT,
    max_lines: int | None = None,
    used: int = 0,
    total: int | None = None,
) -> list[str]:
    """The lines that fit in `limit` characters (after `used` ones) and `max_lines` lines.

    When some are left out, the last line is `more(n)` with n the number left out; room
    for it is kept, so the count itself is never what gets cut. `total`: the length of
    the whole list when `lines` is only its head (a caller that shows at most
    `max_lines` need not format the rest).
    """
    count = len(lines) if total is None else total
    cap = len(lines) if max_lines is None else min(max_lines, len(lines))
    if cap == count and used + _size(lines) <= limit:
        return list(lines)
    budget = limit - used - (len(more(count)) + 1)
    shown: list[str] = []
    for line in lines[:cap]:
        if _size(shown) + len(line) + 1 > budget:
            break
        shown.append(line)
    return [*shown, more(count - len(shown))]


def cut_blocks(blocks: Sequence[B], *, more: Callable[[int], B], limit: int) -> list[B]:
    """At most `limit` blocks; when some are left out the last block is `more(n)`."""
    if len(blocks) <= limit:
        return list(blocks)
    shown = list(blocks[: limit - 1])
    return [*shown, more(len(blocks) - len(shown))]


def _cut_at(text: str, limit: int) -> int:
    """Where to split `text` at or before `limit`: a line break if there is one in the
    second half, never inside an escape such as `&amp;`."""
    cut = limit
    newline = text.rfind("\n", limit // 2, limit)
    if newline > 0:
        return newline + 1
    amp = text.rfind("&", max(0, cut - 5), cut)
    if amp > 0 and ";" not in text[amp:cut]:
        cut = amp
    return cut


def split_text(lines: Sequence[str], *, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Lines joined into chunks of at most `limit` characters, for consecutive sections.

    A line never shares a chunk boundary with another: whole lines go together; a line
    longer than `limit` (a long free-text field) continues in the next chunks, so nothing
    is dropped.
    """
    chunks: list[str] = []
    current = ""
    for line in lines:
        joined = f"{current}\n{line}" if current else line
        if len(joined) <= limit:
            current = joined
            continue
        if current:
            chunks.append(current)
        current = line
        while len(current) > limit:
            cut = _cut_at(current, limit)
            chunks.append(current[:cut].rstrip("\n"))
            current = current[cut:]
    if current:
        chunks.append(current)
    return chunks
