"""A plan file states its own form: section labels, pillar and area order (both databases)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import select

from bot.domain.plan_form import DEFAULT_LABELS, PlanForm
from bot.services.context import Ctx
from bot.services.plans import PlanImportError, import_plan, read_plan_file
from storage.models import Plan, Theme
from tests.factories import SAMPLE_PLAN

YAML_PLAN = """\
ward: 若松区
fiscal_year: 2024
mission: 使命
labels:
  content: ②課題の内容
  background: ③課題の背景
  approach: ④課題に対する取組み
  progress: ⑤取組みの進捗状況
  result: ⑤取組結果
pillars: [働きがいのある職場, 感動区役所]
areas: [C, A, B]
themes:
  - code: A(1)
    title: コンビニ交付の利用促進
    pillar: 感動区役所
    subgoal: 来庁しなくても証明書が取れるまち
  - code: C(1)
    title: 北海岸の観光
    pillar: 働きがいのある職場
"""
HEADER = "ward,fiscal_year,mission,code,title,pillar,label_content,pillar_order,area_order\n"


def stored_form(ctx: Ctx) -> tuple[str | None, PlanForm]:
    with ctx.session() as s:
        plan = s.exec(select(Plan)).one()
        return plan.form, PlanForm.from_json(plan.form)


def refused(ctx: Ctx, path: Path) -> list[str]:
    """The problems of a refused file; nothing was written."""
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(path))
    with ctx.session() as s:
        assert s.exec(select(Plan)).all() == [] and s.exec(select(Theme)).all() == []
    return info.value.problems


def test_yaml_plan_states_its_labels_and_the_order_of_pillars_and_areas(
    ctx: Ctx, tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(YAML_PLAN, encoding="utf-8")
    import_plan(ctx, data=read_plan_file(path))
    _, form = stored_form(ctx)
    assert form.label("content") == "②課題の内容"
    assert form.label("result") == "⑤取組結果"
    assert form.label("title") == DEFAULT_LABELS["title"]  # not given: the default
    assert form.pillar_order == ("働きがいのある職場", "感動区役所")
    assert form.area_order == ("C", "A", "B")
    with ctx.session() as s:
        theme = s.exec(select(Theme).where(Theme.code == "A(1)")).one()
    assert theme.subgoal == "来庁しなくても証明書が取れるまち"


def test_plan_without_a_form_imports_as_before_with_no_form_stored(ctx: Ctx) -> None:
    import_plan(ctx, data=read_plan_file(SAMPLE_PLAN))
    assert stored_form(ctx) == (None, PlanForm())


def test_importing_again_without_the_form_takes_it_away(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(YAML_PLAN, encoding="utf-8")
    import_plan(ctx, data=read_plan_file(path))
    start, end = YAML_PLAN.index("labels:"), YAML_PLAN.index("themes:")
    path.write_text(YAML_PLAN[:start] + YAML_PLAN[end:], encoding="utf-8")
    import_plan(ctx, data=read_plan_file(path))
    assert stored_form(ctx)[0] is None


def test_yaml_form_problems_name_their_line_and_nothing_is_written(
    ctx: Ctx, tmp_path: Path
) -> None:
    text = (
        YAML_PLAN.replace("  result: ⑤取組結果", "  reslut: ⑤取組結果")
        .replace("[働きがいのある職場, 感動区役所]", "[働きがいのある職場, 感動区役所, 未来区役所]")
        .replace("[C, A, B]", "[C, A, D, A]")
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    problems = refused(ctx, path)
    assert problems == [
        "9行目 labels.reslut: 「reslut」は見出しの名前ではありません"
        "（使えるのは title, content, background, approach, progress, result）",
        "10行目 pillars: 重点項目「未来区役所」はどの課題の pillar にもありません",
        "11行目 areas: 「A」が2回あります",
        "11行目 areas: 「D」は分野ではありません（A、B、C）",
    ]


def test_yaml_labels_not_a_mapping_or_a_heading_with_a_line_break_is_refused(
    ctx: Ctx, tmp_path: Path
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(YAML_PLAN.replace("  content: ②課題の内容", '  content: "②課題\\nの内容"'))
    assert refused(ctx, path) == ["5行目 labels.content: 見出しに改行は入れられません"]
    start, end = YAML_PLAN.index("labels:"), YAML_PLAN.index("pillars:")
    path.write_text(YAML_PLAN[:start] + "labels: [②課題の内容]\n" + YAML_PLAN[end:])
    (problem,) = refused(ctx, path)
    assert problem.startswith("4行目 labels: labels は「content: ②課題の内容」のように")


def test_csv_gives_the_form_on_one_row_and_a_different_repeat_is_refused(
    ctx: Ctx, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    rows = [
        "若松区,2024,使命,A1,コンビニ交付,感動区役所,②課題の内容,感動区役所|働きがいのある職場,C、A、B",
        "若松区,2024,,C1,北海岸,働きがいのある職場,,,",
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    import_plan(ctx, data=read_plan_file(path))
    _, form = stored_form(ctx)
    assert form.label("content") == "②課題の内容"
    assert form.pillar_order == ("感動区役所", "働きがいのある職場")
    assert form.area_order == ("C", "A", "B")


def test_csv_form_problems_name_the_row_excel_shows(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    header = HEADER.strip() + ",label_summary\n"
    rows = [
        "若松区,2024,使命,A1,コンビニ交付,感動区役所,②課題の内容,,Ａ、b,",
        "若松区,2024,,C1,北海岸,,②内容,感動区役所|感動区役所,,要約",
    ]
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    assert refused(ctx, path) == [
        "3行目 label_content: 2行目と違う値です（1か所に書くか、同じ値にしてください）",
        "3行目 label_summary: 「summary」は見出しの名前ではありません"
        "（使えるのは title, content, background, approach, progress, result）",
        "3行目 pillar_order: 「感動区役所」が2回あります",
    ]


def test_xlsx_takes_the_same_columns(ctx: Ctx, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([*HEADER.strip().split(","), "label_result"])
    order = "働きがいのある職場\n感動区役所"  # one per line in the cell (Alt+Enter)
    ws.append(
        [
            "若松区",
            2024,
            "使命",
            "A(1)",
            "コンビニ交付",
            "感動区役所",
            None,
            order,
            None,
            "⑤取組結果",
        ]
    )
    ws.append(
        ["若松区", 2024, None, "A(2)", "案内表示", "働きがいのある職場", None, None, None, None]
    )
    wb.save(tmp_path / "plan.xlsx")
    import_plan(ctx, data=read_plan_file(tmp_path / "plan.xlsx"))
    _, form = stored_form(ctx)
    assert form.pillar_order == ("働きがいのある職場", "感動区役所")
    assert form.label("result") == "⑤取組結果" and form.area_order == ()


def test_form_problems_in_english(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(YAML_PLAN.replace("[C, A, B]", "[C, A, X]"), encoding="utf-8")
    with pytest.raises(PlanImportError) as info:
        import_plan(ctx, data=read_plan_file(path))
    assert info.value.lines("en") == ["line 11 areas: “X” is not an area (A, B, C)."]
