"""Tokenise `/wg` text: words, `key:value` options, @mentions, #channels, #ids.

Hand-written because Slack's escaped mentions (`<@U123|name>`, `<#C1|ch>`)
and Japanese aliases are outside what shlex or argparse understand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

ALIASES = {
    "タスク": "task",
    "チーム": "team",
    "テーマ": "theme",
    "課題": "theme",
    "追加": "add",
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
}

_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
_ID = re.compile(r"^#(\d{1,9})$")
_OPTION = re.compile(r"^([A-Za-z_\-]+|[\u3040-\u30ff\u4e00-\u9fff]+)[:：](.*)$")


@dataclass
class ParsedCommand:
    """The words of a command with options, mentions and channel refs pulled out."""

    words: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    users: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)

    def word(self, i: int) -> str:
        """The i-th word, canonicalised through the alias table, or ''."""
        return canonical(self.words[i]) if i < len(self.words) else ""


def canonical(word: str) -> str:
    """English command word for an English or Japanese alias."""
    w = unicodedata.normalize("NFKC", word).strip()
    return ALIASES.get(w, w.lower())


def tokenize(text: str) -> ParsedCommand:
    """Split the command text; quotes group words ("..." or 「...」)."""
    cmd = ParsedCommand()
    for tok in _split(text):
        norm = unicodedata.normalize("NFKC", tok)
        if m := _USER.match(norm):
            cmd.users.append(m.group(1))
        elif m := _CHANNEL.match(norm):
            cmd.channels.append(m.group(1))
        elif (m := _OPTION.match(norm)) and not norm.startswith("http"):
            key = OPTION_ALIASES.get(m.group(1), m.group(1).lower())
            cmd.options[key] = m.group(2).strip()
        else:
            cmd.words.append(tok)
    return cmd


def _split(text: str) -> list[str]:
    out: list[str] = []
    buf: list[str] = []
    closing = ""
    for ch in text.replace("\u3000", " "):
        if closing:
            if ch == closing:
                out.append("".join(buf))
                buf, closing = [], ""
            else:
                buf.append(ch)
        elif ch in '"「“':
            if buf:
                out.append("".join(buf))
                buf = []
            closing = {'"': '"', "「": "」", "“": "”"}[ch]
        elif ch.isspace():
            if buf:
                out.append("".join(buf))
                buf = []
        else:
            buf.append(ch)
    if buf:
        out.append("".join(buf))
    return [t for t in out if t]


def parse_id(token: str) -> int | None:
    """`#12` or `12` (full-width too) to 12, else None."""
    norm = unicodedata.normalize("NFKC", token).strip()
    if m := _ID.match(norm):
        return int(m.group(1))
    return int(norm) if norm.isdigit() and len(norm) < 10 else None
