"""Tokenise `/wg` text: words, `key:value` options, @mentions, #channels, #ids.

Hand-written because Slack's escaped mentions (`<@U123|name>`, `<#C1|ch>`),
Japanese aliases and full-width spaces and colons are outside what shlex or
argparse understand, and because free text must come out exactly as typed:
each token keeps its place in the line, so a command cuts its text out of the
original instead of joining words (which lost brackets and spacing).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.domain.dates import is_weekday_note
from bot.domain.text import SLACK_MARKUP, slack_plain

ALIASES = {
    "タスク": "task",
    "チーム": "team",
    "テーマ": "theme",
    "課題": "theme",
    "追加": "add",
    "外す": "remove",
    "解除": "remove",
    "新規": "new",
    "作成": "new",
    "完了": "done",
    "一覧": "list",
    "表示": "show",
    "期限": "due",
    "担当": "assign",
    "進捗": "note",
    "メモ": "note",
    "ヘルプ": "help",
    "使い方": "help",
    "自分": "mine",
    "期限切れ": "overdue",
    "期限超過": "overdue",
    "マイルストーン": "milestone",
    "リーダー": "lead",
    "ダイジェスト": "digest",
    "報告": "report",
    "レポート": "report",
    "指標": "kpi",
    "評価": "status",
    "事例": "case",
    "カスハラ": "case",
    "統計": "stats",
    "出力": "export",
    "監査": "audit",
    "閉じる": "close",
    "訂正": "fix",
    "修正": "fix",
    "リマインド": "remind",
    "通知": "remind",
    "オン": "on",
    "オフ": "off",
    "静音": "quiet",
    "設定": "set",
}
OPTION_ALIASES = {
    "期限": "due",
    "チーム": "team",
    "テーマ": "theme",
    "課題": "theme",
    "種別": "kind",
    "単位": "unit",
    "基準": "baseline",
    "目標": "target",
    "時点": "as-of",
    "基準日": "as-of",
    "asof": "as-of",
    "as_of": "as-of",
    "週": "week",
    "から": "from",
    "まで": "to",
    "理由": "reason",
    "区": "ward",
    "完了日": "on",
    "最終": "final",
}

# Every option a command reads. Only these names (or an alias above) followed by `:`
# or `：` make an option; any other `word:` or `単語：` is text (「参加者：32名」).
OPTION_NAMES = frozenset(
    {
        "due",
        "team",
        "theme",
        "as-of",
        "kind",
        "reason",
        "unit",
        "baseline",
        "target",
        "week",
        "from",
        "to",
        "format",
        "group-by",
        "task",
        "milestone",
        "ward",  # the ward of a team or report, or of the person (`me ward:`)
        "on",  # the day a task was completed (`task done #5 on:11/15`)
        "final",  # the year-end grade (`status A(1) final:A <reason>`)
    }
)
# Options whose value is a date: a weekday typed after it, `due:12月10日 （火）`, is its part.
DATE_OPTIONS = frozenset({"due", "as-of", "from", "to", "week", "on"})
# An option's value may be quoted to hold spaces: team:"観光 PT", team:「観光 PT」.
QUOTES = {'"': '"', "「": "」", "“": "”", "『": "』"}

_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_ID = re.compile(r"^#(\d{1,9})$")
_OPTION = re.compile(r"^([^\s:：<>]+?)[:：](.*)$", re.DOTALL)


@dataclass(frozen=True)
class Token:
    """One whitespace-separated piece of the line and where it stands in it."""

    kind: str  # "word", "option", "user" or "channel"
    start: int
    end: int
    key: str = ""  # the option's canonical name, or the user or channel id


@dataclass
class ParsedCommand:
    """The words of a command with options, mentions and channel refs pulled out.

    `source` and `tokens` keep the line as typed, so a command takes its free text
    as the original substring (`free_text`) instead of joining words again.
    """

    words: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)  # NFKC, for dates, codes, numbers
    raw_options: dict[str, str] = field(default_factory=dict)  # as typed, for stored text
    users: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    source: str = ""
    tokens: list[Token] = field(default_factory=list)

    def word(self, i: int) -> str:
        """The i-th word, canonicalised through the alias table, or ''."""
        return canonical(self.words[i]) if i < len(self.words) else ""

    def rest(
        self,
        skip: int = 0,
        *,
        options: Collection[str] = (),
        people: bool = False,
        channels: bool = False,
    ) -> list[Token]:
        """The text's tokens after the command words and `skip` more words.

        Only what the command reads is taken out: the options named in `options`,
        @people if `people`, #channels if `channels`. Everything else is text,
        `期限：12月` in a note included.
        """
        indexed = list(enumerate(self.tokens))
        word_at = [i for i, tok in indexed if tok.kind == "word"]
        used = len(word_at) - len(self.words) + skip  # the router drops leading words
        if used > len(word_at):
            return []
        first = word_at[used - 1] + 1 if used > 0 else 0
        kept = [tok for _, tok in indexed[first:]]
        return [tok for tok in kept if not self._is_arg(tok, options, people, channels)]

    @staticmethod
    def _is_arg(tok: Token, options: Collection[str], people: bool, channels: bool) -> bool:
        return (
            (tok.kind == "option" and tok.key in options)
            or (tok.kind == "user" and people)
            or (tok.kind == "channel" and channels)
        )

    def text_of(self, tokens: Sequence[Token]) -> str:
        """The tokens as typed, with the spacing that followed each one (Slack markup undone)."""
        parts: list[str] = []
        for k, tok in enumerate(tokens):
            if k:
                prev = tokens[k - 1]
                parts.append(self.source[prev.end : self._next_start(prev)])
            parts.append(self.source[tok.start : tok.end])
        return slack_plain("".join(parts))

    def free_text(self, skip: int = 0, **args: Any) -> str:
        """`text_of(rest(skip, ...))`: the line's free text exactly as typed."""
        return self.text_of(self.rest(skip, **args))

    def _next_start(self, tok: Token) -> int:
        later = [t.start for t in self.tokens if t.start >= tok.end]
        return min(later) if later else len(self.source)


def canonical(word: str) -> str:
    """English command word for an English or Japanese alias."""
    w = unicodedata.normalize("NFKC", word).strip()
    return ALIASES.get(w, w.lower())


def option_name(name: str) -> str | None:
    """The canonical option for `due`, `ｄｕｅ`, `期限`…, or None for any other word."""
    norm = unicodedata.normalize("NFKC", name).strip().lower()
    key = OPTION_ALIASES.get(norm, norm)
    return key if key in OPTION_NAMES else None


def tokenize(text: str) -> ParsedCommand:
    """Split Slack's text of a `/wg` line at whitespace; nothing of it is changed or lost."""
    cmd = ParsedCommand(source=text)
    for start, end in _spans(text):
        if _weekday_of_date(cmd, text[start:end]):
            _extend_option(cmd, end)
            continue
        cmd.tokens.append(_classify(cmd, text[start:end], start, end))
    return cmd


def _weekday_of_date(cmd: ParsedCommand, raw: str) -> bool:
    """Whether raw is a weekday in brackets right after a date option's value."""
    last = cmd.tokens[-1] if cmd.tokens else None
    is_date = last is not None and last.kind == "option" and last.key in DATE_OPTIONS
    return is_date and is_weekday_note(raw)


def _extend_option(cmd: ParsedCommand, end: int) -> None:
    """The last option's value runs on to `end`, the spacing typed before it included."""
    last = cmd.tokens[-1]
    raw = cmd.raw_options[last.key] + slack_plain(cmd.source[last.end : end])
    cmd.raw_options[last.key] = raw
    cmd.options[last.key] = unicodedata.normalize("NFKC", raw).strip()
    cmd.tokens[-1] = Token("option", last.start, end, last.key)


def _classify(cmd: ParsedCommand, raw: str, start: int, end: int) -> Token:
    if m := _USER.match(raw):
        cmd.users.append(m.group(1))
        return Token("user", start, end, m.group(1))
    if m := _CHANNEL.match(raw):
        cmd.channels.append(m.group(1))
        return Token("channel", start, end, m.group(1))
    if (m := _OPTION.match(raw)) and (key := option_name(m.group(1))):
        value = _unquote(m.group(2))
        cmd.options[key] = unicodedata.normalize("NFKC", slack_plain(value)).strip()
        cmd.raw_options[key] = slack_plain(value)
        return Token("option", start, end, key)
    cmd.words.append(slack_plain(raw))
    return Token("word", start, end)


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token: whitespace (full-width too) separates, except inside
    Slack markup (`<@U1|sato taro>`) and an option's quoted value (`team:「観光 PT」`)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if _is_space(text[i]):
            i += 1
            continue
        start = i
        while i < n and not _is_space(text[i]):
            i = _skip_group(text, start, i)
        spans.append((start, i))
    return spans


def _is_space(ch: str) -> bool:
    # \x0b, \x1f, \x85 count as spaces to str.isspace; here they stay in the token, so
    # the check for control characters refuses them instead of dropping them unseen.
    return ch.isspace() and (ch in "\n\r\t" or unicodedata.category(ch) != "Cc")


def _skip_group(text: str, start: int, i: int) -> int:
    """Index after the character at i, or after the markup or quoted value it opens."""
    if text[i] == "<" and (m := SLACK_MARKUP.match(text, i)):
        return m.end()
    opens_value = i > start and text[i - 1] in ":：" and option_name(text[start : i - 1])
    if text[i] in QUOTES and opens_value:
        close = text.find(QUOTES[text[i]], i + 1)
        if close > 0:
            return close + 1
    return i + 1


def _unquote(value: str) -> str:
    if len(value) >= 2 and QUOTES.get(value[0]) == value[-1]:
        return value[1:-1]
    return value


def drop_option_name(text: str, key: str) -> str:
    """`text` without a leading `key:` (or its alias, `理由：`), else as it is."""
    m = _OPTION.match(text)
    return m.group(2) if m and option_name(m.group(1)) == key else text


def unquote_name(name: str) -> str:
    """A name wholly in one pair of quotes without them: quotes group a name's words."""
    return _unquote(name.strip())


def parse_id(token: str) -> int | None:
    """`#12` or `12` (full-width too) to 12, else None."""
    norm = unicodedata.normalize("NFKC", token).strip()
    if m := _ID.match(norm):
        return int(m.group(1))
    return int(norm) if norm.isdigit() and len(norm) < 10 else None
