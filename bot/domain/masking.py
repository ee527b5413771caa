"""Mask personal numbers, phone numbers, e-mail addresses, postal codes and house numbers.

Hand-written because no maintained library knows Japanese formats: the PII
maskers we checked (Presidio's recognisers, mask-pii, the-mask) handle e-mail
and international phone numbers but not My Number, 〒 codes, 丁目・番地,
full-width digits or the IME's "ー" typed as a hyphen; and some keep the last
digits visible, which the office must not store at all (NOTES: a chat tool
must never store a My Number).

How it works: a same-length "folded" copy of the text maps full-width ASCII
(ＮＦＫＣ's width folding) and every dash look-alike to ASCII, so offsets in the
copy are offsets in the original. Rules run in order on the copy; each match
is blanked there (so later rules cannot see it) and remembered; the original
is then rebuilt with a token in place of each match. Order matters: an
e-mail may hold digits, "+81 90 1234 5678" has 12 digits like a My Number,
and a My Number must win over two phone-looking halves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

TOKENS = {
    "email": "［メール］",
    "phone": "［電話番号］",
    "my_number": "［個人番号］",
    "postal": "［郵便番号］",
    "address": "［番地］",
}
LABELS_JA = {
    "email": "メールアドレス",
    "phone": "電話番号",
    "my_number": "個人番号（マイナンバー）",
    "postal": "郵便番号",
    "address": "番地",
}

_DASHES = "‐‑‒–—―−－ーｰ﹣─━"


def _fold_table() -> dict[int, str]:
    table = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}  # ＡＢＣ０１２ -> ABC012
    table.update({ord(d): "-" for d in _DASHES})
    table[0x3000] = " "  # ideographic space
    table[ord("（")] = "("
    table[ord("）")] = ")"
    return table


_FOLD = _fold_table()
_BLANK = "\x00"
_D = "[0-9]"
_SEP = r"[ \-]"
_NOT_BEFORE = r"(?<![0-9])(?<![0-9][ \-])"
_NOT_AFTER = r"(?![ \-]?[0-9])"


def _phone_ok(digits: str) -> bool:
    if digits.startswith("81"):  # +81 90 … -> 090 …
        digits = "0" + digits[2:]
    if not digits.startswith("0") or digits.startswith("00"):
        return False
    if len(digits) == 11:
        return digits[:3] in ("050", "060", "070", "080", "090") or digits.startswith("0800")
    return len(digits) == 10


Check = Callable[[str], bool]


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    check: Check | None = None  # on the digits of the match


def _phone_body() -> str:
    """Japanese numbers as written: 10-digit fixed lines, 11-digit mobiles, 0120/0800/0570."""
    sep = r"[ \-]?"
    forms = [
        rf"0[5789]0{sep}[0-9]{{4}}{sep}[0-9]{{4}}",  # mobile, IP phone
        rf"0120{sep}[0-9]{{3}}{sep}[0-9]{{3}}|0570{sep}[0-9]{{3}}{sep}[0-9]{{3}}",
        rf"0800{sep}[0-9]{{3}}{sep}[0-9]{{4}}",
    ]
    # Fixed lines: area code (with its 0) + local part + 4 digits = 10 digits.
    for area in range(2, 6):
        local = 6 - area
        forms.append(rf"\(?0[0-9]{{{area - 1}}}\)?{sep}\(?[0-9]{{{local}}}\)?{sep}[0-9]{{4}}")
    return "(?<![0-9])(?:" + "|".join(forms) + ")(?![0-9])"


# 12 digits, in any grouping by single spaces or hyphens ("1234 5678 9012").
_MY_NUMBER = re.compile(_NOT_BEFORE + _D + rf"(?:{_SEP}?{_D}){{11}}" + _NOT_AFTER)
# Twelve digits written together are one number even right after another group
# ("090-1234-5678 123456789012"), which the grouped form's look-behind has to skip.
_MY_NUMBER_WHOLE = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")

RULES: tuple[Rule, ...] = (
    Rule(
        "email",
        re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"),
    ),
    Rule(
        "phone",
        re.compile(r"(?<![0-9A-Za-z])\+81[ \-]?\(?0?[0-9]{1,4}\)?[ \-]?[0-9]{1,4}[ \-]?[0-9]{4}"),
        _phone_ok,
    ),
    Rule("my_number", _MY_NUMBER),
    Rule("my_number", _MY_NUMBER_WHOLE),
    Rule("phone", re.compile(_phone_body())),
    # A local number after 電話/TEL (市外局番なし: "電話 22-1234").
    Rule(
        "phone",
        re.compile(
            r"(?:電話|携帯|TEL|Tel|tel|☎)[^0-9\n]{0,6}(?P<v>[0-9]{2,4}[ \-][0-9]{4})(?![0-9])"
        ),
    ),
    Rule("postal", re.compile(r"〒 ?[0-9]{3}-?[0-9]{4}(?![0-9])")),
    Rule("postal", re.compile(r"(?:郵便番号)[^0-9\n]{0,3}(?P<v>[0-9]{3}-?[0-9]{4})(?![0-9])")),
    Rule("postal", re.compile(r"(?<![0-9\-])[0-9]{3}-[0-9]{4}(?![0-9\-])")),
    # House numbers: 1丁目2番3号, 2番地の5, or 本町1-2-3 (the town's name may stay).
    Rule(
        "address",
        re.compile(
            r"[0-9]+丁目(?:[0-9]+(?:番地?)?(?:の?[0-9]+号?)?)?|[0-9]+番地(?:の[0-9]+)?"
            r"|[0-9]+番[0-9]+号"
        ),
    ),
    Rule(
        "address",
        re.compile(r"(?<=[\u3041-\u30ff\u4e00-\u9fff])[0-9]{1,3}(?:-[0-9]{1,4}){1,3}(?![0-9])"),
    ),
)


@dataclass(frozen=True)
class MaskResult:
    text: str
    found: dict[str, int] = field(default_factory=dict)

    @property
    def masked(self) -> bool:
        """True when anything was replaced."""
        return bool(self.found)


def mask(text: str) -> MaskResult:
    """Replace personal numbers, phones, e-mails, postal codes and house numbers with tokens."""
    if not text:
        return MaskResult(text or "")
    work = text.translate(_FOLD)
    spans: list[tuple[int, int, str]] = []
    for rule in RULES:
        work = rule.pattern.sub(lambda m, r=rule: _take(m, r, spans), work)  # type: ignore[misc]
    if not spans:
        return MaskResult(text)
    spans.sort()
    out: list[str] = []
    pos = 0
    found: dict[str, int] = {}
    for start, end, kind in spans:
        out.append(text[pos:start])
        out.append(TOKENS[kind])
        pos = end
        found[kind] = found.get(kind, 0) + 1
    out.append(text[pos:])
    return MaskResult("".join(out), found)


def _take(m: re.Match[str], rule: Rule, spans: list[tuple[int, int, str]]) -> str:
    group = "v" if "v" in rule.pattern.groupindex else 0
    start, end = m.span(group)
    value = m.group(group)
    if _BLANK in value:
        return m.group(0)
    if rule.check and not rule.check(re.sub(r"[^0-9]", "", value)):
        return m.group(0)
    spans.append((start, end, rule.kind))
    whole_start = m.start(0)
    text = m.group(0)
    return text[: start - whole_start] + _BLANK * (end - start) + text[end - whole_start :]


def describe(found: dict[str, int]) -> str:
    """「電話番号 1件、郵便番号 1件」: what was masked, for the reporter."""
    return "、".join(f"{LABELS_JA.get(k, k)} {n}件" for k, n in found.items())


# The check digit of a My Number (個人番号), as the 行政手続における特定の個人を識別するための
# 番号の利用等に関する法律施行令 第8条 defines it: weights 2..7 then 2..6 over the first
# eleven digits read from the right. Only one 12-digit number in eleven passes, so an
# order or case number of twelve digits is refused only by that chance.


def my_number_check_ok(digits: str) -> bool:
    """True when twelve digits carry a valid My Number check digit."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = [int(d) for d in reversed(digits[:11])]
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(body, start=1))
    rest = total % 11
    return int(digits[11]) == (0 if rest <= 1 else 11 - rest)


def has_my_number(text: str) -> bool:
    """True when the text holds twelve digits (any grouping, any width) that are a My Number."""
    work = text.translate(_FOLD)
    return any(
        my_number_check_ok(re.sub(r"[^0-9]", "", m.group(0)))
        and work[m.start() - 1 : m.start()] != "+"  # +81 90 1234 5678 is a phone
        for pattern in (_MY_NUMBER, _MY_NUMBER_WHOLE)
        for m in pattern.finditer(work)
    )
