"""Import a policy plan (課題 list) from YAML, CSV or XLSX, all rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import select

from bot.domain.themes import area_of, normalize_theme_code
from bot.services.context import Ctx
from storage.models import Plan, Theme

THEME_FIELDS = ("code", "title", "content", "background", "approach", "pillar", "subgoal")
LIMITS = {
    "title": 200,
    "pillar": 100,
    "subgoal": 200,
    "content": 5000,
    "background": 5000,
    "approach": 5000,
}


class PlanImportError(Exception):
    """The file has broken rows; each problem names the row and the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class PlanData:
    ward: str = ""
    fiscal_year: int = 0
    title: str = ""
    mission: str = ""
    themes: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    ward: str
    fiscal_year: int
    created: int
    updated: int


def read_plan_file(path: Path) -> PlanData:
    """Read a plan file by its extension (.yml/.yaml, .csv, .xlsx)."""
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        return _from_yaml(path.read_text(encoding="utf-8"))
    if suffix == ".csv":
        return _from_rows(list(csv.DictReader(io.StringIO(_decode_csv(path.read_bytes())))))
    if suffix == ".xlsx":
        return _from_rows(_xlsx_rows(path))
    raise PlanImportError([f"{path.name}: 形式がわかりません（.yaml / .csv / .xlsx のいずれか）"])


def _decode_csv(raw: bytes) -> str:
    # Excel on a Japanese PC saves CSV as Shift_JIS unless told otherwise.
    for enc in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise PlanImportError(["CSV の文字コードが読めません（UTF-8 か Shift_JIS で保存してください）"])


def _from_yaml(text: str) -> PlanData:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PlanImportError([f"YAML を読めません: {exc}"]) from None
    if not isinstance(doc, dict):
        raise PlanImportError(
            ["YAML の最上位は ward / fiscal_year / themes を持つ辞書にしてください"]
        )
    themes = doc.get("themes") or []
    if not isinstance(themes, list):
        raise PlanImportError(["themes はリストにしてください"])
    rows = [{k: _s(v) for k, v in t.items()} if isinstance(t, dict) else {} for t in themes]
    return PlanData(
        ward=_s(doc.get("ward")),
        fiscal_year=_int(doc.get("fiscal_year")),
        title=_s(doc.get("title")),
        mission=_s(doc.get("mission")),
        themes=rows,
    )


def _xlsx_rows(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    if not values:
        return []
    header = [_s(h) for h in values[0]]
    return [
        {h: _s(v) for h, v in zip(header, row, strict=False) if h}
        for row in values[1:]
        if any(v is not None for v in row)
    ]


def _from_rows(rows: list[dict[str, Any]]) -> PlanData:
    # Flat tables repeat ward and fiscal_year on each row; the first non-empty wins.
    data = PlanData()
    for row in rows:
        data.ward = data.ward or _s(row.get("ward"))
        data.fiscal_year = data.fiscal_year or _int(row.get("fiscal_year"))
        data.title = data.title or _s(row.get("plan_title"))
        data.mission = data.mission or _s(row.get("mission"))
        data.themes.append({k: _s(row.get(k)) for k in THEME_FIELDS})
    return data


def _s(v: object) -> str:
    return "" if v is None else str(v).strip()


def _int(v: object) -> int:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return 0


def validate(data: PlanData) -> list[str]:
    """Every problem of the plan, each naming the row and the field."""
    problems = []
    if not data.ward:
        problems.append("ward（区名）がありません")
    if not 2019 <= data.fiscal_year <= 2100:
        problems.append("fiscal_year（年度、例: 2024）がないか、正しくありません")
    if not data.themes:
        problems.append("themes（課題）が1件もありません")
    seen: set[str] = set()
    for i, row in enumerate(data.themes, start=1):
        code = normalize_theme_code(row.get("code", ""))
        if code is None:
            problems.append(
                f"{i}行目 code: 「{row.get('code', '')}」は課題コードではありません（例: A(2)）"
            )
        elif code in seen:
            problems.append(f"{i}行目 code: {code} が重複しています")
        elif code[0] not in "ABC":
            problems.append(f"{i}行目 code: 分野は A・B・C のいずれかです（{code}）")
        else:
            seen.add(code)
        if not row.get("title"):
            problems.append(f"{i}行目 title: 課題名がありません")
        for name, limit in LIMITS.items():
            if len(row.get(name, "")) > limit:
                problems.append(f"{i}行目 {name}: {limit}文字を超えています")
    return problems


def import_plan(ctx: Ctx, *, data: PlanData, user: str = "cli") -> ImportResult:
    """Create or update the plan and its themes; nothing is written if any row is bad."""
    problems = validate(data)
    if problems:
        raise PlanImportError(problems)
    now = ctx.clock.now()
    created = updated = 0
    with ctx.session() as s:
        plan = s.exec(
            select(Plan).where(Plan.ward == data.ward, Plan.fiscal_year == data.fiscal_year)
        ).first()
        if plan is None:
            plan = Plan(ward=data.ward, fiscal_year=data.fiscal_year)
            s.add(plan)
        plan.title, plan.mission = data.title, data.mission
        plan.imported_at, plan.imported_by = now, user
        s.flush()
        existing = {t.code: t for t in s.exec(select(Theme).where(Theme.plan_id == plan.id))}
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
