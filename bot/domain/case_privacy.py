"""Figures and exports that cannot point at a person, name warnings, and retention dates.

The rules are stated in docs/cases.md ("Figures that cannot point at a person",
"Names", "Retention"); each is one function here, pure, so it is tested as a table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from bot.domain.cases import CaseForm, CaseStats, ExportRow

K = 3  # no figure under 3 cases is shown; every exported combination occurs at least 3 times
MAX_RANGES_PER_DAY = 10
TOTAL = ("total", "")
BREAKDOWNS = ("by_month", "by_kind", "by_place", "by_section")
# Breakdowns whose cells add up to the total (a case has one month, place, section;
# it may have several kinds, so kinds do not).
PARTITIONS = ("by_month", "by_place", "by_section")


# --- statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """Statistics with the cells that may not be shown: (breakdown, key), or TOTAL."""

    stats: CaseStats
    hidden: frozenset[tuple[str, str]]

    def is_hidden(self, breakdown: str, key: str = "") -> bool:
        """True when this cell is shown as 「3件未満」."""
        return (breakdown, key) in self.hidden


def _small(n: int) -> bool:
    return 0 < n < K


def suppress(stats: CaseStats, *, earlier: Sequence[CaseStats] = ()) -> Shown:
    """Hide cells under 3, cells differing by 1-2 from an earlier overlapping range, complements."""
    hidden: set[tuple[str, str]] = set()
    if _small(stats.total) or any(_small(abs(stats.total - e.total)) for e in earlier):
        hidden.add(TOTAL)
    for name in BREAKDOWNS:
        cells: Mapping[str, int] = getattr(stats, name)
        for key, n in cells.items():
            before = [getattr(e, name).get(key, 0) for e in earlier]
            if _small(n) or any(_small(abs(n - b)) for b in before):
                hidden.add((name, key))
        if name in PARTITIONS:
            _complement(name, cells, hidden)
    return Shown(stats, frozenset(hidden))


def _complement(name: str, cells: Mapping[str, int], hidden: set[tuple[str, str]]) -> None:
    """Hide the next smallest cells until the hidden ones hold 3 or more (total - shown)."""
    out = [k for k in cells if (name, k) in hidden]
    shown = sorted((n, k) for k, n in cells.items() if (name, k) not in hidden)
    held = sum(cells[k] for k in out)
    while out and (len(out) == 1 or held < K) and shown:
        n, key = shown.pop(0)
        hidden.add((name, key))
        out.append(key)
        held += n


@dataclass(frozen=True)
class Range:
    """A stats query's period; None is open-ended."""

    start: date | None
    end: date | None

    def overlaps(self, other: Range) -> bool:
        """True when the two periods share a day."""
        lo = max(self.start or date.min, other.start or date.min)
        hi = min(self.end or date.max, other.end or date.max)
        return lo <= hi

    def detail(self) -> str:
        """How the range is written in the audit log."""
        return f"from={self.start or ''} to={self.end or ''}"


def read_range(detail: str | None) -> Range | None:
    """The range of a `stats` audit row's detail (`from=2024-11-01 to=`), else None."""
    m = re.fullmatch(r"from=(\S*) to=(\S*)", detail or "")
    if m is None:
        return None
    try:
        start, end = (date.fromisoformat(v) if v else None for v in m.groups())
    except ValueError:
        return None
    return Range(start, end)


def earlier_overlapping(current: Range, earlier: Sequence[Range]) -> list[Range]:
    """The distinct earlier ranges of the day that overlap the current one and differ from it."""
    out: list[Range] = []
    for r in earlier:
        if r != current and r not in out and r.overlaps(current):
            out.append(r)
    return out


# --- export for outside use ---------------------------------------------------------------

BANDS = {"am": ("午前", "morning"), "pm": ("午後", "afternoon"), "night": ("夜間", "night")}
ANY = "—"
# Checked in this order: 市民税課 is about taxes before it is a counter (市民).
CATEGORIES: list[tuple[str, tuple[str, ...]]] = [
    ("税・収納系", ("税", "収納", "徴収", "料金")),
    ("保険・年金系", ("保険", "年金", "医療")),
    (
        "福祉・子育て系",
        ("保護", "福祉", "介護", "障害", "高齢", "こども", "子ども", "子育て", "保育", "児童"),
    ),
    ("窓口・戸籍系", ("市民", "区民", "戸籍", "住民", "窓口")),
    (
        "まちづくり・環境系",
        ("まちづくり", "整備", "建築", "道路", "公園", "環境", "清掃", "土木", "都市"),
    ),
    ("総務・企画系", ("総務", "企画", "秘書", "広報", "人事", "財政", "会計")),
]
OTHER_CATEGORY = "その他"


def time_band(hour: int) -> str:
    """午前 06:00-11:59, 午後 12:00-17:59, 夜間 18:00-05:59 (band codes am/pm/night)."""
    if 6 <= hour < 12:
        return "am"
    if 12 <= hour < 18:
        return "pm"
    return "night"


def section_category(section: str) -> str:
    """The category of a section as typed, by the first keyword found (その他 if none)."""
    for category, words in CATEGORIES:
        if any(w in section for w in words):
            return category
    return OTHER_CATEGORY


def fiscal_quarter(month: str) -> str:
    """ "2024-11" -> "2024年度Q3" (April starts Q1 of the fiscal year)."""
    year, mon = (int(p) for p in month.split("-"))
    fiscal_year = year if mon >= 4 else year - 1
    return f"{fiscal_year}年度Q{(mon - 4) % 12 // 3 + 1}"


@dataclass(frozen=True)
class OutsideRow:
    """One row of the export for outside use: quasi-identifiers coarsened."""

    number: int
    period: str  # "2024-11", or "2024年度Q3" when generalised
    band: str  # am / pm / night, or ANY
    place: str  # place code, or ANY
    category: str
    kinds: tuple[str, ...]
    minutes: int
    staff_count: int
    police: bool
    follow_up: bool
    status: str

    def key(self) -> tuple[str, str, str, str]:
        """The quasi-identifiers: the combination that must occur at least K times."""
        return (self.period, self.band, self.place, self.category)


def _coarse(row: ExportRow) -> OutsideRow:
    return OutsideRow(
        number=0,
        period=f"{row.day:%Y-%m}",
        band=time_band(row.hour),
        place=row.place,
        category=section_category(row.section),
        kinds=row.kinds,
        minutes=row.minutes,
        staff_count=row.staff_count,
        police=row.police,
        follow_up=row.follow_up,
        status=row.status,
    )


def _generalise(row: OutsideRow, level: int) -> OutsideRow:
    if level == 1:
        return replace(row, band=ANY)
    if level == 2:
        return replace(row, place=ANY)
    return replace(row, period=fiscal_quarter(row.period))


MAX_LEVEL = 3


def k_anonymise(rows: Sequence[ExportRow], *, k: int = K) -> tuple[list[OutsideRow], int]:
    """Coarsen, then generalise rows in groups under k step by step; drop what stays small.

    Rows only ever leave a group that is under k, so a group that reached k keeps it:
    the loop ends with every combination occurring at least k times. Returns (rows, left out).
    """
    current = [_coarse(r) for r in rows]
    levels = [0] * len(current)
    kept = [True] * len(current)
    while True:
        counts = Counter(r.key() for r, ok in zip(current, kept, strict=True) if ok)
        changed = False
        for i, row in enumerate(current):
            if not kept[i] or counts[row.key()] >= k:
                continue
            changed = True
            if levels[i] == MAX_LEVEL:
                kept[i] = False
            else:
                levels[i] += 1
                current[i] = _generalise(row, levels[i])
        if not changed:
            break
    out = [r for r, ok in zip(current, kept, strict=True) if ok]
    numbered = [replace(r, number=n) for n, r in enumerate(out, start=1)]
    return numbered, len(rows) - len(out)


# --- names ------------------------------------------------------------------------------

# A whole run of kanji (1-8), katakana (2-10) or hiragana (2-5) right before an
# honorific; not when the honorific starts another word (様子, 氏名, 殿堂, 君臨 ...).
_NAME = re.compile(
    r"((?<![\u4e00-\u9fff々])[\u4e00-\u9fff々]{1,8}|[\u30a1-\u30faー]{2,10}|[\u3041-\u3096]{2,5})"
    r"(様|さん|氏|君|殿)(?![子式々相態名族臨主堂下])"
)
# Words before an honorific that are roles or ordinary words, not names. Single kanji
# only as the whole word (名前の末尾: 花子, 健一, 井上 are names); roles as endings
# (相談者様, 来庁者様, 職員さん, 市民課さん all end in one).
_NOT_NAMES_EXACT = frozenset("客皆母父兄姉弟妹子奥同多仕模王神仏孫嫁婿各諸御宮両貴彼異一上外隣方人")
_NOT_NAMES_ENDING = (
    *"者員長民課係局区県店院族",
    "業者",
    "会社",
    "役所",
    "事務所",
    "近所",
    "主人",
    "旦那",
    "先生",
    "先方",
    "相手",
    "運転手",
    "本人",
    "友人",
    "知人",
    "婦人",
    "老人",
    "住人",
    "隣人",
    "代理人",
    "管理人",
    "外国人",
    "家族",
    "たく",
    "みな",
    "おば",
    "おじ",
    "おばあ",
    "おじい",
    "おかあ",
    "おとう",
    "おにい",
    "おねえ",
    "くろう",
    "つかれ",
    "きゃく",
    "だんな",
    "ヘルパー",
    "ワーカー",
    "スタッフ",
    "ドライバー",
    "ガードマン",
    "マネージャー",
    "リーダー",
    "オーナー",
)


def name_mentions(text: str) -> list[str]:
    """What looks like a name with an honorific (「山田様」), in order, each once."""
    found: list[str] = []
    for m in _NAME.finditer(text):
        word = m.group(1)
        if word in _NOT_NAMES_EXACT or word.endswith(_NOT_NAMES_ENDING):
            continue
        # 担当者田中様: the name is what follows the role word.
        shown = re.sub(r"^.*(者|員|課長|係長|部長|課|係)", "", word) or word
        if shown + m.group(2) not in found:
            found.append(shown + m.group(2))
    return found


# --- retention --------------------------------------------------------------------------


def fiscal_year(day: date) -> int:
    """The fiscal year (April to March) a day belongs to."""
    return day.year if day.month >= 4 else day.year - 1


def retention_cutoff(today: date, *, years: int) -> date:
    """Cases closed before this day are past retention: kept through the fiscal year
    `years` after the one they were closed in (closed FY2019, years 5 -> kept to 2025-03-31)."""
    return date(fiscal_year(today) - years, 4, 1)


def disposable_from(closed_on: date, *, years: int) -> date:
    """The first day a case closed on `closed_on` may be disposed of."""
    return date(fiscal_year(closed_on) + years + 1, 4, 1)


def form_names(form: CaseForm) -> dict[str, list[str]]:
    """Name patterns per form field (block id) of a case form; empty when there are none."""
    texts = {
        "section": form.section,
        "staff": form.staff_involved,
        "what": form.what_happened,
        "response": form.response,
    }
    found = {name: name_mentions(text) for name, text in texts.items()}
    return {name: words for name, words in found.items() if words}
