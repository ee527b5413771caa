"""Plan import from YAML, CSV and XLSX; broken rows are named and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import col, select

from bot.services.context import Ctx
from bot.services.plans import PlanImportError, import_plan, read_plan_file
from storage.models import Theme
from tests.factories import SAMPLE_PLAN

HEADER = "ward,fiscal_year,mission,code,title,content,background,approach,pillar,subgoal\n"


def test_sample_plan_imports_every_theme_in_order(ctx: Ctx) -> None:
    result = import_plan(ctx, data=read_plan_file(SAMPLE_PLAN))
    assert (result.created, result.updated) == (12, 0)
    with ctx.session() as s:
        codes = [t.code for t in s.exec(select(Theme).order_by(col(Theme.position)))]
    assert codes[:3] == ["A(1)", "A(2)", "A(3)"] and codes[-1] == "C(2)"


def test_reimport_updates_instead_of_duplicating(ctx: Ctx) -> None:
    import_plan(ctx, data=read_plan_file(SAMPLE_PLAN))
    result = import_plan(ctx, data=read_plan_file(SAMPLE_PLAN))
    assert (result.created, result.updated) == (0, 12)


def test_csv_in_shift_jis_imports(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes((HEADER + "若松区,2024,使命,A1,コンビニ交付,,,,,\n").encode("cp932"))
    assert import_plan(ctx, data=read_plan_file(path)).created == 1


def test_csv_with_broken_rows_names_row_and_field_and_writes_nothing(
    ctx: Ctx, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    rows = [
        "若松区,2024,,A1,良い行,,,,,",
        "若松区,2024,,XYZ,悪いコード,,,,,",
        "若松区,2024,,A3,,,,,,",
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(path))
    assert any(p.startswith("2行目 code") for p in info.value.problems)
    assert any(p.startswith("3行目 title") for p in info.value.problems)
    with ctx.session() as s:
        assert s.exec(select(Theme)).all() == []


def test_xlsx_imports(ctx: Ctx, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(["若松区", 2024, "使命", "C(1)", "北海岸", "内容", "背景", "取組み", None, None])
    wb.save(tmp_path / "plan.xlsx")
    assert import_plan(ctx, data=read_plan_file(tmp_path / "plan.xlsx")).created == 1


def test_unknown_extension_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text("x")
    with pytest.raises(PlanImportError):
        read_plan_file(tmp_path / "plan.txt")
