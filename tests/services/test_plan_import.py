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
    # The rows Excel shows: the header is row 1, "XYZ" is on row 3, the empty title on 4.
    assert "3行目 code: 「XYZ」は課題コードではありません（例: A(2)）" in info.value.problems
    assert "4行目 title: 課題名がありません" in info.value.problems
    with ctx.session() as s:
        assert s.exec(select(Theme)).all() == []


def test_a_long_bad_code_is_quoted_cut(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(HEADER + "若松区,2024,,A" + "x" * 200_000 + ",題,,,,,\n", encoding="utf-8")
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(path))
    (problem,) = info.value.problems
    assert problem.startswith("2行目 code: 「A" + "x" * 38 + "…」は課題コードではありません")


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


def test_csv_row_numbers_count_blank_rows_and_multiline_cells_as_excel_does(
    ctx: Ctx, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    rows = ['若松区,2024,,A1,"二行の\n課題名",,,,,', "", "若松区,2024,,A2,,,,,,"]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(path))
    assert info.value.problems == ["4行目 title: 課題名がありません"]


def test_xlsx_broken_rows_name_the_row_excel_shows(ctx: Ctx, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append(["若松区", 2024, "使命", "A(1)", "良い行", None, None, None, None, None])
    ws.append([None] * 10)  # an empty row stays a row in Excel
    ws.append(["若松区", 2024, None, "A(1)", "重複", None, None, None, None, None])
    wb.save(tmp_path / "plan.xlsx")
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(tmp_path / "plan.xlsx"))
    assert info.value.problems == ["4行目 code: A(1) が重複しています"]


@pytest.mark.parametrize("name", ["plan.csv", "plan.txt"])  # .txt: Excel's own name for it
def test_csv_in_utf16_as_excel_saves_unicode_text_imports(
    ctx: Ctx, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    text = HEADER.replace(",", "\t") + "若松区\t2024\t使命\tA1\tコンビニ交付\t\t\t\t\t\n"
    path.write_bytes(text.encode("utf-16"))
    assert import_plan(ctx, data=read_plan_file(path)).created == 1


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("plan.xlsx", b"", "Excel ファイル（.xlsx）として読めません"),
        ("plan.xlsx", bytes(range(256)) * 4, "Excel ファイル（.xlsx）として読めません"),
        ("plan.yaml", "ward: 若松区\n".encode("cp932"), "YAML の文字コードが読めません"),
        ("plan.yaml", b"ward: a\n  b: [\n", "YAML の書き方が正しくありません（2行目あたり）"),
        ("plan.csv", "ward,code\n若松区,A1\n".encode("utf-16-le"), "CSV の文字コードが読めません"),
        ("plan.csv", bytes(range(128, 256)) * 4, "CSV の文字コードが読めません"),
        ("plan.csv", b"", "1行目に見出し code, title がありません"),
        ("plan.csv", b"a,b\n1,2\n", "1行目に見出し code, title がありません"),
        # A quote left open: the rest of a big file is one cell, over what csv reads.
        ("plan.csv", b'code,title\nA1,"' + b"x" * 11_000_000, "2行目から CSV として読めません"),
        # The quote of the last row left open: csv would take the row's rest as its title.
        ("plan.csv", b'code,title\nA1,a\nA2,"b,c,d\n', "3行目から CSV として読めません"),
        ("plan.csv", b'code,title\nA1,"a"b\n', "2行目から CSV として読めません"),  # 'ab' silently
    ],
)
def test_unreadable_plan_file_is_one_problem_naming_it(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(PlanImportError) as info:
        read_plan_file(tmp_path / name)
    assert len(info.value.problems) == 1 and info.value.problems[0].startswith(problem)


def test_plan_problems_in_english(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(HEADER + "若松区,2024,,A1,,,,,,\n", encoding="utf-8")
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(path))
    assert info.value.lines("en") == ["row 2 title: The title is missing."]


@pytest.mark.parametrize(
    ("ward", "problem"),
    [
        ('"若松区\n（旧）"', "ward（区名）は1行で、/ を含まない名前にしてください"),
        ('"' + "若松区\n" * 50_000 + '"', "ward（区名）が長すぎます（20文字まで）"),
        ("若松区/北", "ward（区名）は1行で、/ を含まない名前にしてください"),
        ("全市", "ward（区名）に「全市」は使えません"),
    ],
)
def test_a_ward_name_that_cannot_be_one_is_refused_and_nothing_written(
    ctx: Ctx, tmp_path: Path, ward: str, problem: str
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(HEADER + f"{ward},2024,,A1,題,,,,,\n", encoding="utf-8")
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(path))
    (said,) = info.value.problems
    assert said.startswith(problem) and len(said) < 200
    with ctx.session() as s:
        assert s.exec(select(Theme)).all() == []


@pytest.mark.parametrize("spelling", ["若松", "若松 区", "若松\u3000区"])
def test_another_spelling_of_an_imported_ward_is_refused_naming_it(
    ctx: Ctx, tmp_path: Path, spelling: str
) -> None:
    import_plan(ctx, data=read_plan_file(SAMPLE_PLAN))  # 若松区
    path = tmp_path / "plan.csv"
    path.write_text(HEADER + f"{spelling},2025,,A1,題,,,,,\n", encoding="utf-8")
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(path))
    assert info.value.problems == [
        "ward（区名）は取り込み済みの「若松区」と同じ区です。「若松区」と書いてください"
    ]
    with ctx.session() as s:
        assert len(s.exec(select(Theme)).all()) == 12
