"""Import a policy plan (課題 list) from YAML, CSV or XLSX, all rows or none.

A plan may also state its own form (bot.domain.plan_form): how it heads ①–⑤
(`labels`), the order of its pillars (重点項目) and of its areas. YAML keys
`labels`, `pillars`, `areas`; CSV/XLSX columns `label_<key>`, `pillar_order`,
`area_order` on any one row. Without them a plan imports exactly as before.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from bot.domain import csv_file
from bot.domain.plan_form import DEFAULT_LABELS, LABEL_KEYS, PlanForm
from bot.domain.text import bad_character
from bot.domain.themes import area_of, normalize_theme_code
from bot.domain.wards import WARD_NAME_MAX, match_ward, ward_name_problem
from bot.render.messages import t_plain
from bot.render.text import quoted
from bot.services.context import Ctx
from storage import plans
from storage import wards as ward_rows
from storage.models import Theme

THEME_FIELDS = ("code", "title", "content", "background", "approach", "pillar", "subgoal")
LIMITS = {
    "title": 200,
    "pillar": 100,
    "subgoal": 200,
    "content": 5000,
    "background": 5000,
    "approach": 5000,
}
LABEL_LIMIT = 100
AREAS = ("A", "B", "C")
FORM_COLUMNS = ("pillar_order", "area_order")
# A list in one cell: 「感動区役所|働きがいのある職場」, 「A、B、C」, or one per line.
_LIST_SEPARATORS = re.compile(r"[|｜、,，;；\n]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file: a catalogue key, where it is, and its values."""

    key: str
    row: int = 0  # the row Excel shows (header = 1), the theme's place in a YAML list, or a line
    unit: str = "row"  # "row" (CSV, XLSX), "item" (a YAML theme) or "line" (the YAML's form)
    column: str = ""
    params: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str = "ja") -> str:
        """The problem as one line, with its row and field in front."""
        where = ""
        if self.row:
            where = t_plain(lang, f"plan.at_{self.unit}", n=self.row, field=self.column)
        return where + t_plain(lang, self.key, **self.params)


class PlanImportError(Exception):
    """The file cannot be imported; each problem names the row and the field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" / ".join(p.key for p in problems))
        self.found = problems

    @property
    def problems(self) -> list[str]:
        """The problems in Japanese, one line each."""
        return self.lines("ja")

    def lines(self, lang: str) -> list[str]:
        """The problems in `lang`, one line each."""
        return [p.text(lang) for p in self.found]


def _fail(key: str, **params: object) -> PlanImportError:
    return PlanImportError([Problem(key, params=params)])


@dataclass(frozen=True)
class Where:
    """Where a value of the plan's form is in the file: a row (CSV, XLSX) or a YAML line."""

    row: int
    unit: str
    column: str

    def problem(self, message: str, /, **params: object) -> Problem:
        return Problem(message, row=self.row, unit=self.unit, column=self.column, params=params)


@dataclass
class PlanData:
    ward: str = ""
    fiscal_year: int = 0
    title: str = ""
    mission: str = ""
    themes: list[dict[str, str]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # where each theme is in the file
    unit: str = "row"
    # The plan's own form, each value with where it was written (None: not given).
    labels: dict[str, tuple[str, Where]] = field(default_factory=dict)
    pillar_order: tuple[list[str], Where] | None = None
    area_order: tuple[list[str], Where] | None = None
    form_problems: list[Problem] = field(default_factory=list)  # found while reading

    def form(self) -> PlanForm:
        """The form as given (defaults for what the file does not say)."""
        given = {k: text for k, (text, _) in self.labels.items()}
        return PlanForm(
            labels={**DEFAULT_LABELS, **given},
            pillar_order=tuple(self.pillar_order[0]) if self.pillar_order else (),
            area_order=tuple(_area(a) for a in self.area_order[0]) if self.area_order else (),
        )


@dataclass(frozen=True)
class ImportResult:
    ward: str
    fiscal_year: int
    created: int
    updated: int


def read_plan_file(path: Path) -> PlanData:
    """Read a plan file by its extension (.yml/.yaml, .csv, .xlsx)."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise _fail("cli.file_missing", path=path)
    if path.is_dir():
        raise _fail("cli.file_is_dir", path=path)
    if suffix not in (".yml", ".yaml", ".csv", ".txt", ".xlsx"):
        raise _fail("plan.bad_format", name=path.name)
    if suffix == ".xlsx":
        return _from_rows(_xlsx_rows(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail("cli.file_access", path=path, kind=type(exc).__name__) from None
    if suffix in (".csv", ".txt"):  # .txt: Excel's "Unicode text" (tab-separated UTF-16)
        return _from_rows(_csv_rows(_decode_csv(raw)))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _fail("plan.yaml_encoding") from None
    return _from_yaml(text)


def _decode_csv(raw: bytes) -> str:
    try:
        return csv_file.decode(raw)
    except csv_file.CsvUnreadable:
        raise _fail("plan.csv_encoding") from None


def _csv_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    try:
        return _table(csv_file.records(text))
    except csv_file.CsvBroken as broken:
        raise _fail("plan.csv_broken", row=broken.row) from None


def _from_yaml(text: str) -> PlanData:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        raise _fail("plan.yaml_syntax", line=mark.line + 1 if mark else "?") from None
    if not isinstance(doc, dict):
        raise _fail("plan.yaml_top")
    themes = doc.get("themes") or []
    if not isinstance(themes, list):
        raise _fail("plan.yaml_themes")
    rows = [{k: _s(v) for k, v in t.items()} if isinstance(t, dict) else {} for t in themes]
    data = PlanData(
        ward=_s(doc.get("ward")),
        fiscal_year=_int(doc.get("fiscal_year")),
        title=_s(doc.get("title")),
        mission=_s(doc.get("mission")),
        themes=rows,
        rows=list(range(1, len(rows) + 1)),
        unit="item",
    )
    if any(doc.get(k) is not None for k in ("labels", "pillars", "areas")):
        _yaml_form(data, doc, _yaml_lines(text))
    return data


def _yaml_lines(text: str) -> dict[str, int]:
    """The line each form value starts on: 'labels', 'labels.content', 'pillars', 'pillars.2'."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        name = str(key.value)
        lines[name] = value.start_mark.line + 1
        if isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                lines[f"{name}.{k.value}"] = v.start_mark.line + 1
        elif isinstance(value, yaml.SequenceNode):
            for i, v in enumerate(value.value, start=1):
                lines[f"{name}.{i}"] = v.start_mark.line + 1
    return lines


def _yaml_form(data: PlanData, doc: dict[str, Any], lines: dict[str, int]) -> None:
    """The YAML's labels, pillars and areas, each with its line."""

    def at(name: str) -> Where:
        return Where(lines.get(name, 0), "line", name)

    labels = doc.get("labels")
    if isinstance(labels, dict):
        for key, value in labels.items():
            where = at(f"labels.{key}")
            if str(key) not in LABEL_KEYS:
                data.form_problems.append(
                    where.problem("plan.form_label_key", word=key, keys=_KEYS)
                )
            elif isinstance(value, dict | list):
                data.form_problems.append(where.problem("plan.form_not_text"))
            elif _s(value):
                data.labels[str(key)] = (_s(value), where)
    elif labels is not None:
        data.form_problems.append(at("labels").problem("plan.form_labels_map", keys=_KEYS))
    for name, slot in (("pillars", "pillar_order"), ("areas", "area_order")):
        value = doc.get(name)
        if value is None:
            continue
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        ):
            data.form_problems.append(at(name).problem("plan.form_list"))
            continue
        items = [_s(v) for v in value] if isinstance(value, list) else _split(_s(value))
        setattr(data, slot, ([v for v in items if v], at(name)))


def _xlsx_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        records = [list(row) for row in ws.iter_rows(values_only=True)]
    except OSError as exc:
        raise _fail("cli.file_access", path=path, kind=type(exc).__name__) from None
    except Exception:  # openpyxl raises a dozen types (zip, XML, KeyError) for a broken file
        raise _fail("plan.xlsx_unreadable") from None
    return _table(records)


def _table(records: list[list[Any]]) -> list[tuple[int, dict[str, str]]]:
    """Rows under the header as (the row number Excel shows, {heading: value})."""
    if not records:
        raise _fail("plan.no_header", missing="code, title", header="")
    header = [_s(h).lower() for h in records[0]]
    missing = [h for h in ("code", "title") if h not in header]
    if missing:
        shown = ", ".join(h for h in header if h)[:80]
        raise _fail("plan.no_header", missing=", ".join(missing), header=shown)
    return [
        (number, {h: _s(v) for h, v in zip(header, row, strict=False) if h})
        for number, row in enumerate(records[1:], start=2)  # the header is row 1
        if any(_s(v) for v in row)
    ]


def _from_rows(rows: list[tuple[int, dict[str, Any]]]) -> PlanData:
    # Flat tables repeat ward and fiscal_year on each row; the first non-empty wins.
    data = PlanData()
    for number, row in rows:
        data.ward = data.ward or _s(row.get("ward"))
        data.fiscal_year = data.fiscal_year or _int(row.get("fiscal_year"))
        data.title = data.title or _s(row.get("plan_title"))
        data.mission = data.mission or _s(row.get("mission"))
        data.themes.append({k: _s(row.get(k)) for k in THEME_FIELDS})
        data.rows.append(number)
        _row_form(data, number, row)
    return data


def _row_form(data: PlanData, number: int, row: dict[str, Any]) -> None:
    """A row's label_<key>, pillar_order and area_order: given once, or the same again."""
    for column, value in row.items():
        text = _s(value)
        if not text or not (column.startswith("label_") or column in FORM_COLUMNS):
            continue
        where = Where(number, "row", column)
        key = column.removeprefix("label_")
        if column in FORM_COLUMNS:
            earlier = getattr(data, column)
            if earlier is None:
                setattr(data, column, (_split(text), where))
            elif earlier[0] != _split(text):
                data.form_problems.append(where.problem("plan.form_conflict", n=earlier[1].row))
        elif key not in LABEL_KEYS:
            data.form_problems.append(where.problem("plan.form_label_key", word=key, keys=_KEYS))
        elif key not in data.labels:
            data.labels[key] = (text, where)
        elif data.labels[key][0] != text:
            n = data.labels[key][1].row
            data.form_problems.append(where.problem("plan.form_conflict", n=n))


def _split(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def _area(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper()


_KEYS = ", ".join(LABEL_KEYS)


def _s(v: object) -> str:
    return "" if v is None else str(v).strip()


def _int(v: object) -> int:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return 0


def validate(data: PlanData) -> list[Problem]:
    """Every problem of the plan, each naming the row and the field."""
    problems = []
    if not data.ward:
        problems.append(Problem("plan.ward_missing"))
    elif key := ward_name_problem(data.ward):
        problems.append(Problem(key, params={"limit": WARD_NAME_MAX}))
    if not 2019 <= data.fiscal_year <= 2100:
        problems.append(Problem("plan.fiscal_year_bad"))
    if not data.themes:
        problems.append(Problem("plan.no_themes"))
    seen: set[str] = set()
    numbers = data.rows or list(range(1, len(data.themes) + 1))
    for number, row in zip(numbers, data.themes, strict=False):
        at = partial(_at, number, data.unit)
        code = normalize_theme_code(row.get("code", ""))
        if code is None:
            problems.append(at("code", "plan.code_bad", code=quoted(row.get("code", ""))))
        elif code in seen:
            problems.append(at("code", "plan.code_duplicate", code=code))
        elif code[0] not in "ABC":
            problems.append(at("code", "plan.code_area", code=code))
        else:
            seen.add(code)
        if not row.get("title"):
            problems.append(at("title", "plan.title_missing"))
        for name, limit in LIMITS.items():
            if len(row.get(name, "")) > limit:
                problems.append(at(name, "plan.too_long", limit=limit))
            if char := bad_character(row.get(name, "")):
                problems.append(at(name, "plan.control_char", char=char))
    return problems + validate_form(data)


def validate_form(data: PlanData) -> list[Problem]:
    """Every problem of the plan's labels, pillar order and area order, each with its place."""
    problems = list(data.form_problems)
    for text, where in data.labels.values():
        if len(text) > LABEL_LIMIT:
            problems.append(where.problem("plan.too_long", limit=LABEL_LIMIT))
        if "\n" in text or "\r" in text:
            problems.append(where.problem("plan.form_one_line"))
        elif char := bad_character(text):
            problems.append(where.problem("plan.control_char", char=char))
    if data.pillar_order:
        names, where = data.pillar_order
        used = {row.get("pillar", "") for row in data.themes}
        problems += _order_problems(names, where, limit=LIMITS["pillar"])
        problems += [
            where.problem("plan.form_pillar_unknown", name=n) for n in names if n not in used
        ]
    if data.area_order:
        names, where = data.area_order
        problems += _order_problems([_area(a) for a in names], where, limit=None)
        problems += [
            where.problem("plan.form_area_bad", name=n) for n in names if _area(n) not in AREAS
        ]
    return problems


def _order_problems(names: list[str], where: Where, *, limit: int | None) -> list[Problem]:
    problems = []
    for name in dict.fromkeys(n for n in names if names.count(n) > 1):
        problems.append(where.problem("plan.form_duplicate", name=name))
    for name in names:
        if char := bad_character(name):
            problems.append(where.problem("plan.control_char", char=char))
        elif limit is not None and len(name) > limit:
            problems.append(where.problem("plan.too_long", limit=limit))
    return problems


def _at(row: int, unit: str, column: str, key: str, /, **params: object) -> Problem:
    return Problem(key, row=row, unit=unit, column=column, params=params)


def import_plan(ctx: Ctx, *, data: PlanData, user: str = "cli") -> ImportResult:
    """Create or update the plan and its themes; nothing is written if any row is bad."""
    problems = validate(data)
    if problems:
        raise PlanImportError(problems)
    now = ctx.clock.now()
    created = updated = 0
    with ctx.session() as s:
        # `若松` or `ＷＡＫＡＭＡＴＳＵ区` beside an imported `若松区` would be a second ward.
        same = match_ward(data.ward, ward_rows.wards(s))
        if same is not None and same != data.ward:
            raise PlanImportError([Problem("plan.ward_spelling", params={"ward": same})])
        plan = plans.plan_of(s, ward=data.ward, fiscal_year=data.fiscal_year)
        if plan is None:
            plan = plans.add_plan(s, ward=data.ward, fiscal_year=data.fiscal_year)
        plan.title, plan.mission = data.title, data.mission
        plan.form = data.form().to_json()  # None when the file states no form of its own
        plan.imported_at, plan.imported_by = now, user
        s.flush()
        existing = {t.code: t for t in plans.themes_of_plan(s, plan_id=plan.id)}
        for position, row in enumerate(data.themes, start=1):
            code = normalize_theme_code(row["code"]) or ""
            theme = existing.get(code)
            if theme is None:
                theme = Theme(
                    plan_id=plan.id or 0,
                    code=code,
                    area=area_of(code),
                    position=position,
                    title=row["title"],
                )
                s.add(theme)
                created += 1
            else:
                updated += 1
            theme.position, theme.title = position, row["title"]
            for name in ("content", "background", "approach", "pillar", "subgoal"):
                setattr(theme, name, row.get(name) or None)
        return ImportResult(data.ward, data.fiscal_year, created, updated)
