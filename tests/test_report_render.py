"""The progress report as Markdown, DOCX, XLSX, CSV and a chart: same content in each."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import matplotlib as mpl
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from openpyxl import load_workbook

from bot.domain.report import MilestoneInput, NoteInput, PlanInput, Report, build_report
from bot.render.chart import JA_FONT, milestone_counts, report_chart, report_chart_png
from bot.render.report_docx import report_docx
from bot.render.report_md import md_escape, report_markdown
from bot.render.report_xlsx import HEADER, report_csv, report_table_rows, report_xlsx
from tests.domain.test_report import AS_OF, PLAN, sample_report, theme

HEADINGS = [
    "A(1) 証明書のコンビニ交付を広める",
    "A(2) 施設内の案内・市政情報紙の配置",
    "B(1) 福祉の手続を電子申請にする",
    "C(1) 北海岸を観光の場にする",
    "C(2) 市民センター運営の見直し",
]


def positions(text: str, parts: list[str]) -> list[int]:
    return [text.index(p) for p in parts]


def test_markdown_opens_with_title_and_mission() -> None:
    md = report_markdown(sample_report())
    assert md.startswith("# 若松区 令和6年度 方針 進捗状況（令和6年11月末時点）\n")
    assert "## 組織の使命\n\n自然と新しい産業が共にある、持続可能なまちをつくる。" in md


def test_markdown_headings_in_order() -> None:
    md = report_markdown(sample_report())
    groups = positions(md, ["## 分野A", "## 分野B", "## 分野C"])
    themes = positions(md, [f"### {h}" for h in HEADINGS])
    assert groups == sorted(groups) and themes == sorted(themes)
    assert groups[0] < themes[0] < groups[1] < themes[2] < groups[2] < themes[3]


def test_markdown_theme_section_has_items_and_dated_progress() -> None:
    md = report_markdown(sample_report())
    c2 = md[md.index("### C(2)") :]
    for label in ("① 課題名", "② 内容", "③ 背景", "④ 取組み"):
        assert f"**{label}**" in c2
    assert "**⑤ 進捗状況・取組結果（令和6年11月末時点）**" in c2
    assert "- 11月19日 自治会長研修の2回目を開いた。" in c2
    assert "- 達成したマイルストーン: 10月29日 自治会長研修 第1回" in c2
    assert "- 今後の予定: 12月10日（火） 自治会長研修 第3回" in c2


def test_markdown_shows_tasks_indicators_status_and_missing_note() -> None:
    md = report_markdown(sample_report())
    a1, a2 = md[md.index("### A(1)") : md.index("### A(2)")], md[md.index("### A(2)") :]
    assert "（今月の進捗記録なし）" in a1
    assert "コンビニ交付率: 40%（基準 30% → 目標 45%） 10月31日時点" in a1
    assert "評価: 提案 — / 確定 未確定" in a1
    assert "未完了タスク 2件（うち期限超過 1件）・未達成のマイルストーン 2件（うち" in a2
    assert "評価: 提案 A 順調 / 確定 A 順調（WGが予定どおり始動）" in a2
    assert "（今月の進捗記録なし）" not in a2.split("### B(1)")[0]
    assert "12月に書いたメモ" not in md


def test_markdown_escapes_staff_text_that_would_become_markup() -> None:
    plan = replace(PLAN, themes=(theme("A(1)", "# 見出し | 表 *強調*"),))
    notes = (NoteInput("A(1)", AS_OF, "- 箇条書きではない\n1. 番号でもない <タグ>", "U1"),)
    md = report_markdown(build_report(plan, notes=notes, milestones=(), indicators=(), as_of=AS_OF))
    assert "### A(1) # 見出し \\| 表 \\*強調\\*" in md
    assert "- 11月30日 - 箇条書きではない  \n  1\\. 番号でもない \\<タグ\\>" in md
    assert md_escape("# a_b\n> c") == "\\# a\\_b\n\\> c"


_MARKS = "\\`*_[]<>|~#>+=-.)0123456789"
_STAFF_TEXT = st.text(
    alphabet=st.sampled_from(list(_MARKS + " \t\n\r\u3000\u2028あ記録Ａ１")), max_size=30
) | st.text(max_size=30)


@settings(max_examples=300, deadline=None)
@given(_STAFF_TEXT)
def test_markdown_escape_keeps_every_character_and_leaves_no_line_as_markup(text: str) -> None:
    escaped = md_escape(text)
    lines = escaped.split("\n")
    # Every character typed is still there: dropping the escapes gives the text back.
    unescaped = [_unescape(line) for line in lines]
    assert "\n".join(unescaped) == "\n".join(text.splitlines())
    for line in lines:
        body = line.lstrip()
        assert not body[:1] or body[0] not in "#>+=-"  # no heading, quote or list item
        digits = len(body) - len(body.lstrip("0123456789"))
        assert not digits or body[digits : digits + 1] not in (".", ")")  # no numbered item


def _unescape(line: str) -> str:
    out, i = [], 0
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] in _MARKS:
            i += 1
        out.append(line[i])
        i += 1
    return "".join(out)


def test_markdown_keeps_the_indent_staff_typed_at_the_start_of_a_line() -> None:
    text = "会議の結果\n\u3000全角スペースで始まる行\n    半角スペース4つの行\n\t字下げ"
    notes = (NoteInput("A(1)", AS_OF, text, "U1"),)
    md = report_markdown(build_report(PLAN, notes=notes, milestones=(), indicators=(), as_of=AS_OF))
    assert "  \n  \u3000全角スペースで始まる行  \n" in md
    assert "  \n  &nbsp;&nbsp;&nbsp;&nbsp;半角スペース4つの行  \n" in md
    assert "  \n  &nbsp;&nbsp;&nbsp;&nbsp;字下げ\n" in md


def test_markdown_group_by_pillar_uses_pillar_names() -> None:
    md = report_markdown(sample_report(group_by="pillar"))
    assert positions(md, ["## 感動区役所", "## 働き方改革", "## その他"]) == sorted(
        positions(md, ["## 感動区役所", "## 働き方改革", "## その他"])
    )
    assert "## 分野A" not in md


def test_docx_has_theme_headings_and_items_one_to_five() -> None:
    doc = Document(io.BytesIO(report_docx(sample_report())))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert heads == HEADINGS
    groups = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert groups == ["組織の使命", "分野A", "分野B", "分野C"]
    texts = [p.text for p in doc.paragraphs]
    c2 = texts[texts.index(HEADINGS[4]) :]
    assert c2[1:9] == [
        "① 課題名",
        "市民センター運営の見直し",
        "② 内容",
        "市民センター運営の見直しについての課題。",
        "③ 背景",
        "市民センター運営の見直しの背景。",
        "④ 取組み",
        "市民センター運営の見直しへの取組み。",
    ]
    assert "⑤ 進捗状況・取組結果（令和6年11月末時点）" in c2
    assert "・11月19日 自治会長研修の2回目を開いた。" in c2
    assert "今後の予定: 12月10日（火） 自治会長研修 第3回" in c2


def test_docx_and_xlsx_keep_line_breaks_and_drop_control_characters() -> None:
    notes = (NoteInput("A(1)", AS_OF, "1行目\r\n2行目\x0b（Wordから貼付）", "U1"),)
    plan = replace(PLAN, themes=(theme("A(1)", "a"),))
    report = build_report(plan, notes=notes, milestones=(), indicators=(), as_of=AS_OF)
    texts = [p.text for p in Document(io.BytesIO(report_docx(report))).paragraphs]
    assert "・11月30日 1行目\n2行目（Wordから貼付）" in texts
    ws = load_workbook(io.BytesIO(report_xlsx(report)))["進捗状況"]
    assert ws["G2"].value.startswith("・11月30日 1行目\n2行目（Wordから貼付）")


def test_docx_title_and_japanese_font_on_styles() -> None:
    doc = Document(io.BytesIO(report_docx(sample_report())))
    assert doc.paragraphs[0].text == "若松区 令和6年度 方針 進捗状況（令和6年11月末時点）"
    for name in ("Normal", "Heading 1", "Heading 2"):
        fonts = doc.styles[name].element.rPr.rFonts
        assert fonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        ) in ("游明朝", "游ゴシック")


def test_xlsx_has_one_row_per_theme_with_the_table_rows_cells() -> None:
    report = sample_report()
    ws = load_workbook(io.BytesIO(report_xlsx(report)))["進捗状況"]
    cells = [[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]
    assert cells == report_table_rows(report)
    assert len(cells) == 1 + len(HEADINGS)
    assert [r[1] for r in cells[1:]] == [h.split()[0] for h in HEADINGS]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold


def test_table_rows_columns() -> None:
    rows = report_table_rows(sample_report())
    assert tuple(rows[0]) == HEADER
    a1 = dict(zip(HEADER, rows[1], strict=True))
    assert a1["今月の記録"] == "なし" and a1["提案評価"] == "—" and a1["確定評価"] == ""
    a2 = dict(zip(HEADER, rows[2], strict=True))
    assert (a2["未完了タスク"], a2["期限超過"], a2["今月の記録"]) == (2, 1, "あり")
    assert a2["未達成マイルストーン"] == 2
    assert a2["⑤進捗状況"].startswith("・11月5日 ラック19台の配置図を作成。\n")
    assert a2["確定評価"] == "A 順調（WGが予定どおり始動）"


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text() -> None:
    plan = replace(PLAN, themes=(theme("A(1)", "=1+1"),))
    report = build_report(plan, notes=(), milestones=(), indicators=(), as_of=AS_OF)
    ws = load_workbook(io.BytesIO(report_xlsx(report)))["進捗状況"]
    assert ws["C2"].value == "=1+1" and ws["C2"].data_type == "s"
    # The CSV's columns start with its ward and as-of date (区, 時点).
    assert report_csv(report).decode("utf-8-sig").split("\r\n")[1].split(",")[4] == "'=1+1"


def test_csv_utf8_starts_with_bom_and_matches_the_table() -> None:
    report = sample_report()
    data = report_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    table = report_table_rows(report)
    # Each row says its ward and as-of date first: a CSV has no title or page header.
    assert rows[0] == ["区", "時点", *table[0]]
    assert rows[1:] == [["若松区", "2024-11-30", *(str(c) for c in row)] for row in table[1:]]


def test_csv_cp932_decodes_for_excel_on_japanese_windows() -> None:
    report = sample_report()
    data = report_csv(report, encoding="cp932")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))
    assert rows[0][4] == "①課題名" and rows[2][3] == "A(2)" and rows[2][0] == "若松区"
    assert rows[1][9] == "―"  # the em dash has no cp932 code; its look-alike is kept


def test_chart_is_a_png_drawn_with_ipaexgothic() -> None:
    png = report_chart_png(sample_report())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    family = mpl.rcParams["font.family"]
    assert JA_FONT in family
    path = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert font_manager.get_font(path).family_name == "IPAexGothic"
    assert "DejaVu" not in path


def test_chart_is_the_same_for_the_same_report() -> None:
    assert report_chart_png(sample_report()) == report_chart_png(sample_report())


def test_chart_with_no_milestones_or_indicators() -> None:
    plan = PlanInput("若松区", 2024, "", (theme("A(1)", "a"),))
    report = build_report(plan, notes=(), milestones=(), indicators=(), as_of=date(2024, 11, 30))
    assert report_chart_png(report).startswith(b"\x89PNG")


def _every_file_text(report: Report) -> dict[str, str]:
    """What a reader sees in each report file, as text."""
    doc = Document(io.BytesIO(report_docx(report)))
    ws = load_workbook(io.BytesIO(report_xlsx(report)))["進捗状況"]
    return {
        "md": report_markdown(report),
        "docx": "\n".join(p.text for p in doc.paragraphs),
        "xlsx": "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c),
        "csv": report_csv(report).decode("utf-8-sig"),
    }


def test_files_show_a_bare_slack_mention_as_at_id() -> None:
    """A mention stored without a name (no users:read scope) reads @U0SATO in every file."""
    plan = replace(
        PLAN,
        themes=(theme("A(1)", "a", confirmed_status="B", status_reason="<@U0SATO> が確認"),),
    )
    notes = (NoteInput("A(1)", AS_OF, "<@U0SATO> と <#C0WG> で打合せ", "U1"),)
    milestones = (MilestoneInput("A(1)", "<@U0SUZUKI> の報告", date(2024, 12, 10), None),)
    report = build_report(plan, notes=notes, milestones=milestones, indicators=(), as_of=AS_OF)
    for name, text in _every_file_text(report).items():
        assert "@U0SATO と #C0WG で打合せ" in text, name
        assert "@U0SUZUKI の報告" in text, name
        assert "B 一定の進捗（@U0SATO が確認）" in text, name
        assert "<@" not in text and "<#" not in text, name


def _chart_texts(report: Report) -> list[str]:
    fig = report_chart(report)
    out = []
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts + ax.get_yticklabels()]
        legend = ax.get_legend()
        out += [t.get_text() for t in legend.get_texts()] if legend else []
    return out


def test_chart_draws_the_milestones_the_files_list() -> None:
    """Only planned milestones: the files list them, so the chart must not say 登録なし."""
    plan = PlanInput("若松区", 2024, "", (theme("A(1)", "a"), theme("B(1)", "b")))
    milestones = (
        MilestoneInput("A(1)", "中間報告", date(2024, 12, 11), None),
        MilestoneInput("A(1)", "準備会", date(2024, 11, 1), None),
    )
    report = build_report(plan, notes=(), milestones=milestones, indicators=(), as_of=AS_OF)
    assert "今後の予定: 12月11日（水） 中間報告" in report_markdown(report)
    texts = _chart_texts(report)
    assert "マイルストーンの登録なし" not in texts
    assert "A(1)" in texts and "B(1)" not in texts
    assert {"達成済み", "期限を過ぎた未達成", "今後の予定"} <= set(texts)
    assert milestone_counts(report) == [("A(1)", 0, 1, 1)]
