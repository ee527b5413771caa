"""Free text as people typed it: Slack's markup turned back, control characters refused.

One home for the rule "what a person typed is stored exactly, or refused with a
reason": every service that stores free text calls `check_free_text` before it
writes, whether the text came from `/wg`, a modal, a button's form or a file.
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.masking import has_my_number
from bot.errors import InvalidInput

# Line breaks and tabs are part of what people write; every other C0/C1 control,
# NUL and lone surrogates are invisible, break XLSX files and PostgreSQL text.
ALLOWED_CONTROLS = frozenset("\n\r\t")

# Slack's markup in a slash command's text: <@U1|name>, <#C1|name>, <!here>, <url|label>.
# A `<` typed by a person arrives as `&lt;`, so in Slack's text every `<` opens markup.
SLACK_MARKUP = re.compile(r"<((?:[@#!]|[A-Za-z][A-Za-z0-9+.\-]*:)[^<>|]*)(?:\|([^<>]*))?>")
_ENTITIES = re.compile(r"&(amp|lt|gt);")
_ENTITY = {"amp": "&", "lt": "<", "gt": ">"}
_SPECIAL = {"!here": "@here", "!channel": "@channel", "!everyone": "@everyone"}


def bad_character(value: str) -> str | None:
    """The first character we refuse to store (as `U+0007`), or None."""
    for ch in value:
        if ch in ALLOWED_CONTROLS:
            continue
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return f"U+{ord(ch):04X}"
    return None


def check_free_text(field: str, value: str, *, my_number: bool = True) -> str:
    """`value` unchanged, or InvalidInput naming the control character or My Number it holds.

    A My Number is refused (NOTES: a chat tool must never store one) unless the caller
    masks it before storing (`my_number=False`: the case log, docs/cases.md). Phone
    numbers and e-mail addresses are kept: a note may name a counter's number
    (docs/decisions.md, "My Numbers in free text").
    """
    char = bad_character(value)
    if char is not None:
        raise InvalidInput("error.control_char", field=field, char=char)
    if my_number and has_my_number(value):
        raise InvalidInput("error.my_number", field=field)
    return value


def unescape_entities(text: str) -> str:
    """Slack's `&amp;` `&lt;` `&gt;` back to what was typed (one pass: `&amp;lt;` is `&lt;`)."""
    return _ENTITIES.sub(lambda m: _ENTITY[m.group(1)], text)


def slack_plain(text: str) -> str:
    """Text Slack sent (escaped, mentions as markup) as the person typed and saw it.

    `<@U1|sato>` is `@sato`, `<#C1|wg>` is `#wg`, `<!here>` is `@here`, a link Slack made
    of a typed address (`<http://x.jp|x.jp>`) is that address, a link with a label of its
    own keeps both, `資料（https://x.jp/a）`; a mention Slack sent without a name stays
    `<@U1>`, the only form that still says who was meant.
    """
    out: list[str] = []
    pos = 0
    for m in SLACK_MARKUP.finditer(text):
        out.append(unescape_entities(text[pos : m.start()]))
        out.append(_markup_text(m.group(0), m.group(1), m.group(2)))
        pos = m.end()
    out.append(unescape_entities(text[pos:]))
    return "".join(out)


def _markup_text(whole: str, target: str, label: str | None) -> str:
    if target in _SPECIAL:
        return _SPECIAL[target]
    if label is not None:
        label = unescape_entities(label)
        if target[0] in "@#" and not label.startswith(target[0]):
            return target[0] + label
        if target[0] != "!":
            return _link_text(unescape_entities(target), label)
        return label
    if target[0] in "@#!":
        return whole
    return unescape_entities(target)


def _link_text(address: str, label: str) -> str:
    """A labelled link as text: the label, and the address unless the label is it."""
    bare = re.sub(r"^(?:https?://|mailto:|tel:)", "", address, flags=re.IGNORECASE)
    if label.strip() in ("", address, bare, bare.rstrip("/")):
        return label or address
    # Full-width brackets: Slack's and mail clients' link detection stops before them.
    return f"{label}（{address}）"


def team_name_key(name: str) -> str:
    """The lookup key of a team name: NFKC, casefolded, runs of spaces made one.

    IME typing gives `ＷＧ`, `Ｗｇ` or a full-width space where another person types
    `WG`; the name is stored as typed and this key finds (and keeps unique) the team.
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
