"""`/wg report`, `wgbot report` and `/wg kpi` as staff type them, including what they get wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import select

from bot.cli import main as wgbot
from bot.render.report_md import report_markdown
from bot.services.context import Ctx
from bot.services.reports import gather
from storage.models import Kpi, KpiValue, Plan
from tests.factories import load_sample_plan, signage_team, wg

AS_OF = date(2024, 11, 30)


def database_url(engine: Engine) -> str:
    """The URL a second process (the CLI) would be given for this test's database."""
    base = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name != "postgresql":
        return base
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture
def cli(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture
):
    """Run `wgbot …` against the test database; returns (exit code, what it printed)."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.setenv("WGBOT_LANGUAGE", "ja")
    monkeypatch.delenv("WGBOT_REPORT_CHANNEL", raising=False)

    def run(*argv: str) -> tuple[int, str]:
        capsys.readouterr()
        code = wgbot(list(argv))
        out = capsys.readouterr()
        return code, out.out + out.err

    return run


def files_in(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def kpi_rows(ctx: Ctx) -> tuple[int, int]:
    with ctx.session() as s:
        kpis = s.exec(select(func.count()).select_from(Kpi)).one()
        values = s.exec(select(func.count()).select_from(KpiValue)).one()
    return int(kpis), int(values)


def a1_section(ctx: Ctx) -> str:
    md = report_markdown(gather(ctx, as_of=AS_OF))
    return md[md.index("### A(1) ") : md.index("### A(2) ")]


def empty_plan(ctx: Ctx) -> None:
    """A plan row without themes (imports refuse such a file; an emptied plan looks like this)."""
    with ctx.session() as s:
        s.add(Plan(ward="若松区", fiscal_year=2024, title="令和6年度 運営方針", mission="使命"))


# /wg report


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("report as-of:2024-03-31", "令和6年3月31日は方針の年度（令和6年度）より前です。"),
        ("report as-of:2025-04-30", "令和7年4月30日は方針の年度（令和6年度）が終わった後です。"),
        ("report as-of:そのうち", "「そのうち」"),
        ("report group-by:team", "まとめ方「team」は使えません（area か pillar）。"),
        ("report format:md,pdf", "形式「pdf」は使えません（md, docx, xlsx, csv, png）。"),
    ],
)
def test_report_bad_input_is_refused_by_name_without_files(
    ctx: Ctx, line: str, answer: str
) -> None:
    load_sample_plan(ctx)
    reply = wg(ctx, line)
    assert answer in reply.text
    assert reply.files == []


def test_report_format_option_sends_just_those_files(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    reply = wg(ctx, "report format:xlsx,csv")
    assert sorted(f.filename for f in reply.files) == [
        "progress-report-2024-11-30.csv",
        "progress-report-2024-11-30.xlsx",
    ]


def test_report_of_a_plan_without_themes_says_there_is_nothing_to_report(ctx: Ctx) -> None:
    empty_plan(ctx)
    reply = wg(ctx, "report")
    assert reply.text == "方針に課題が1件もないため、報告を作れません。"
    assert reply.files == []


def test_report_before_any_plan_was_imported_says_how_to_import_one(ctx: Ctx) -> None:
    reply = wg(ctx, "report")
    assert "方針（課題一覧）がまだ取り込まれていません" in reply.text
    assert "wgbot plan import" in reply.text and reply.files == []


# wgbot report


def test_wgbot_report_writes_the_asked_formats(ctx: Ctx, cli, tmp_path: Path) -> None:
    load_sample_plan(ctx)
    code, out = cli("report", "--as-of", "2024-11-30", "--format", "md,xlsx", "--out", "out")
    assert code == 0
    assert files_in(tmp_path / "out") == [
        "progress-report-2024-11-30.md",
        "progress-report-2024-11-30.xlsx",
    ]
    assert "令和6年11月末時点: 課題 12件、今月の記録なし 12件" in out


def test_wgbot_report_before_the_fiscal_year_prints_why_and_writes_nothing(
    ctx: Ctx, cli, tmp_path: Path
) -> None:
    load_sample_plan(ctx)
    code, out = cli("report", "--as-of", "2024-03-31", "--out", "out")
    assert code == 2
    assert out.strip() == "wgbot: 令和6年3月31日は方針の年度（令和6年度）より前です。"
    assert files_in(tmp_path / "out") == []


def test_wgbot_report_in_an_unknown_format_names_it_and_writes_nothing(
    ctx: Ctx, cli, tmp_path: Path
) -> None:
    load_sample_plan(ctx)
    code, out = cli("report", "--as-of", "2024-11-30", "--format", "md,pdf", "--out", "out")
    assert code == 2
    assert out.strip() == "wgbot: 形式「pdf」は使えません（md, docx, xlsx, csv, png）。"
    assert files_in(tmp_path / "out") == []


def test_wgbot_report_of_a_plan_without_themes_prints_why(ctx: Ctx, cli, tmp_path: Path) -> None:
    empty_plan(ctx)
    code, out = cli("report", "--as-of", "2024-11-30", "--out", "out")
    assert code == 2
    assert out.strip() == "wgbot: 方針に課題が1件もないため、報告を作れません。"
    assert files_in(tmp_path / "out") == []


# /wg kpi


@pytest.mark.parametrize(
    ("typed", "shown", "reported"),
    [
        ("４２．５%", "42.5%", "42.5%"),
        ("４２．５％", "42.5%", "42.5%"),
        ("42.5", "42.5%", "42.5%"),
        ("１，２３４", "1234%", "1,234%"),  # the report writes thousands separators
    ],
)
def test_kpi_value_typed_in_full_width_digits_is_recorded_and_reported(
    ctx: Ctx, typed: str, shown: str, reported: str
) -> None:
    load_sample_plan(ctx)
    added = wg(ctx, "kpi add A(1) コンビニ交付率 unit:% baseline:３０ target:４５％").text
    assert "A(1)" in added and "#1" in added and "コンビニ交付率" in added
    reply = wg(ctx, f"kpi set #1 {typed}")
    assert "コンビニ交付率" in reply.text and shown in reply.text
    assert f"- コンビニ交付率: {reported}（基準 30% → 目標 45%） 11月29日時点" in a1_section(ctx)


def test_kpi_value_that_is_not_a_number_is_refused_and_nothing_is_written(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    wg(ctx, "kpi add A(1) コンビニ交付率 unit:% baseline:30 target:45")
    wg(ctx, "kpi set #1 40 as-of:2024-10-31")
    before = kpi_rows(ctx)
    reply = wg(ctx, "kpi set #1 たくさん")
    assert reply.text == "「たくさん」は数値として読めません（例: 40、40%、４０．５）。"
    assert kpi_rows(ctx) == before
    assert "- コンビニ交付率: 40%（基準 30% → 目標 45%） 10月31日時点" in a1_section(ctx)


def test_kpi_with_a_target_that_is_not_a_number_is_not_created(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    reply = wg(ctx, "kpi add A(1) コンビニ交付率 unit:% baseline:30 target:半分くらい")
    assert reply.text == "「半分くらい」は数値として読めません（例: 40、40%、４０．５）。"
    assert kpi_rows(ctx) == (0, 0)
    assert "コンビニ交付率" not in a1_section(ctx)


@pytest.mark.parametrize("code", ["A(9)", "Z(1)"])
def test_kpi_on_a_theme_the_plan_does_not_have_is_refused(ctx: Ctx, code: str) -> None:
    load_sample_plan(ctx)
    reply = wg(ctx, f"kpi add {code} 道案内の件数 unit:件 target:60")
    assert reply.text.startswith(f"課題「{code}」は見つかりません。")
    assert "/wg theme list" in reply.text
    assert kpi_rows(ctx) == (0, 0)


def test_value_for_an_unknown_kpi_is_refused(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    assert wg(ctx, "kpi set #99 40").text == "指標 #99 は見つかりません。"
    assert kpi_rows(ctx) == (0, 0)


def test_kpi_of_a_teams_theme_is_refused_to_someone_outside_the_team(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    reply = wg(ctx, "kpi add A(2) 道案内の件数 unit:件 target:60", user="U_OUTSIDER")
    assert "案内表示WG" in reply.text and "メンバーではない" in reply.text
    assert kpi_rows(ctx) == (0, 0)


def test_kpi_value_dated_before_the_fiscal_year_is_refused_in_the_reports_words(
    ctx: Ctx,
) -> None:
    load_sample_plan(ctx)
    wg(ctx, "kpi add A(1) コンビニ交付率 unit:% baseline:30 target:45")
    reply = wg(ctx, "kpi set #1 42 as-of:2024-03-31")
    assert kpi_rows(ctx) == (1, 0)
    assert reply.text == "令和6年3月31日は方針の年度（令和6年度）より前です。"


def test_kpi_added_answer_gives_units_and_a_dash_for_a_missing_baseline(ctx: Ctx) -> None:
    load_sample_plan(ctx)
    both = wg(ctx, "kpi add A(1) コンビニ交付率 unit:% baseline:30 target:40").text
    assert "（基準 30% → 目標 40%）" in both
    no_baseline = wg(ctx, "kpi add A(4) 事務時間 unit:時間 target:12").text
    assert "（基準 — → 目標 12時間）" in no_baseline
