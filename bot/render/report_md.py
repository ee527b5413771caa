"""The progress report as Markdown, and the plain-text lines the DOCX and XLSX share.

Every line is made of what staff recorded: note texts, milestone titles and
dates, task counts, indicator values, statuses. Only labels are added, and the
plan's own section labels (report.form) replace the defaults where it gives them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bot.domain.dates import format_fiscal_year, show_date
from bot.domain.numbers import format_number
from bot.domain.plan_form import DEFAULT_LABELS, PlanForm
from bot.domain.report import (
    NO_STATUS,
    STATUS_LABELS,
    IndicatorLine,
    MilestoneInput,
    Report,
    ReportGroup,
    ThemeSection,
)

NO_NOTE_MARK = "（今月の進捗記録なし）"
ITEM_KEYS = ("title", "content", "background", "approach")
ITEM_LABELS = tuple(DEFAULT_LABELS[k] for k in ITEM_KEYS)
# ⑤ as the report has always headed it, unless the plan gives its own (or it is 31 March).
PROGRESS_LABEL = "⑤ 進捗状況・取組結果"
SUBGOAL_LABEL = "目標"
# A mention Slack sent without a name is stored as <@U0SATO> (or <#C0WG>): the bot has no
# users:read scope to look the name up, so a file shows the id the way Slack writes it.
_BARE_MENTION = re.compile(r"<([@#][A-Z0-9]+)>")


def mention_text(text: str) -> str:
    """「<@U0SATO>」 as 「@U0SATO」 (and 「<#C0WG>」 as 「#C0WG」) for a file read outside Slack."""
    # Most texts have no mention: skipping the regex there keeps the report files fast.
    return _BARE_MENTION.sub(r"\1", text) if "<" in text else text


def for_files(report: Report) -> Report:
    """The report with every text staff recorded fit for a file; each file renderer starts here."""
    return replace(
        report,
        ward=mention_text(report.ward),
        mission=mention_text(report.mission),
        groups=[
            replace(
                g, label=mention_text(g.label), sections=[_section_for_files(s) for s in g.sections]
            )
            for g in report.groups
        ],
    )


def _section_for_files(s: ThemeSection) -> ThemeSection:
    return replace(
        s,
        title=mention_text(s.title),
        content=mention_text(s.content),
        background=mention_text(s.background),
        approach=mention_text(s.approach),
        pillar=mention_text(s.pillar) if s.pillar else s.pillar,
        subgoal=mention_text(s.subgoal) if s.subgoal else s.subgoal,
        team_name=mention_text(s.team_name) if s.team_name else s.team_name,
        # Items are frozen: one without "<" is kept as is, since a dataclasses.replace per
        # note and milestone made the month-end report ~40% slower (issue 10).
        notes=[replace(n, text=mention_text(n.text)) if "<" in n.text else n for n in s.notes],
        reached=[_titled(m) for m in s.reached],
        overdue=[_titled(m) for m in s.overdue],
        upcoming=[_titled(m) for m in s.upcoming],
        indicators=[
            replace(i, name=mention_text(i.name), unit=mention_text(i.unit))
            if "<" in i.name + i.unit
            else i
            for i in s.indicators
        ],
        status_reason=mention_text(s.status_reason) if s.status_reason else s.status_reason,
    )


def _titled(m: MilestoneInput) -> MilestoneInput:
    """The milestone with a bare mention in its title written for a file."""
    return replace(m, title=mention_text(m.title)) if "<" in m.title else m


def report_title(report: Report) -> str:
    """「若松区 令和6年度 方針 進捗状況（令和6年11月末時点）」."""
    fy = format_fiscal_year(report.fiscal_year)
    return f"{report.ward} {fy} 方針 進捗状況（{report.as_of_label}）"


def group_heading(report: Report, group: ReportGroup) -> str:
    """「分野A」 for an area, the pillar's own name for a pillar."""
    return f"分野{group.label}" if report.group_by == "area" else group.label


def theme_heading(section: ThemeSection) -> str:
    """「A(2) 施設内の案内・市政情報紙の配置」."""
    return f"{section.code} {section.title}"


def progress_label(report: Report) -> str:
    """⑤'s label: the plan's 取組結果 on 31 March, else its 進捗状況, else the report's own."""
    if report.year_end:
        return report.label("result")
    given = report.form.labels.get("progress")
    return given if given and given != DEFAULT_LABELS["progress"] else PROGRESS_LABEL


def progress_heading(report: Report) -> str:
    """「⑤ 進捗状況・取組結果（令和6年11月末時点）」, in the plan's words when it has them."""
    return f"{progress_label(report)}（{report.as_of_label}）"


def item_texts(section: ThemeSection, form: PlanForm | None = None) -> list[tuple[str, str]]:
    """① to ④ as (label, text) pairs in the plan's labels, with its 目標 after ① when given."""
    form = form or PlanForm()
    values = (section.title, section.content, section.background, section.approach)
    pairs = [(form.label(k), v) for k, v in zip(ITEM_KEYS, values, strict=True)]
    if section.subgoal:
        pairs.insert(1, (SUBGOAL_LABEL, section.subgoal))
    return pairs


def count(n: int) -> str:
    """「3件」, 「1,234件」."""
    return f"{n:,}件"


def grouped(value: float | None) -> str:
    """A figure with thousands separators: 「1,234」, 「42.5」, 「12,345.67」; 「—」 for none."""
    if value is None:
        return format_number(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    text = format_number(value)
    if "e" in text or "." not in text:  # :g wrote it in exponent form: write out the digits
        return f"{value:,.6f}".rstrip("0").rstrip(".")
    whole, frac = text.split(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}.{frac}"


def status_text(status: str | None, reason: str | None = None) -> str:
    """「B 一定の進捗」, 「A 順調（理由）」, 「—」."""
    if not status or status == NO_STATUS:
        return NO_STATUS
    text = f"{status} {STATUS_LABELS.get(status, '')}".strip()
    return f"{text}（{reason}）" if reason else text


def status_line(section: ThemeSection) -> str:
    """「評価: 提案 B 一定の進捗 / 確定 A 順調（理由）」."""
    proposed = status_text(section.proposed_status)
    if section.confirmed_status:
        confirmed = status_text(section.confirmed_status, section.status_reason)
    else:
        confirmed = "未確定"
    return f"評価: 提案 {proposed} / 確定 {confirmed}"


def final_line(section: ThemeSection) -> str | None:
    """「最終評価: A 順調（理由）」 once the lead has given the year-end grade, else None."""
    if not section.final_status:
        return None
    return f"最終評価: {status_text(section.final_status, section.final_reason)}"


def day(report: Report, d: date, *, weekday: bool = False) -> str:
    """「12月10日」, with the year outside the fiscal year of the report's as-of date."""
    return show_date(d, ref=report.as_of, weekday=weekday)


def indicator_text(report: Report, line: IndicatorLine) -> str:
    """「コンビニ交付率: 40%（基準 30% → 目標 45%） 10月31日時点」."""
    unit = line.unit

    def value(v: float | None) -> str:
        return f"{grouped(v)}{unit}" if v is not None else "未設定"

    latest = f"{grouped(line.latest)}{unit}" if line.latest is not None else "未記録"
    text = f"{line.name}: {latest}（基準 {value(line.baseline)} → 目標 {value(line.target)}）"
    if line.latest_on is not None:
        text += f" {day(report, line.latest_on)}時点"
    if line.achieved:
        text += " 目標達成"
    return text


def task_line(section: ThemeSection) -> str:
    """「未完了タスク 3件（うち期限超過 1件）・未達成のマイルストーン 1件（うち期限超過 0件）」."""
    s = section
    tasks = f"未完了タスク {count(s.open_tasks)}（うち期限超過 {count(s.overdue_tasks)}）"
    milestones = f"未達成のマイルストーン {count(s.open_milestones)}"
    return f"{tasks}・{milestones}（うち期限超過 {count(s.overdue_milestones)}）"


def note_lines(report: Report, section: ThemeSection) -> list[str]:
    """「・11月15日 text」 per note, oldest first."""
    return [f"・{day(report, n.as_of)} {n.text.strip()}" for n in section.notes]


def milestone_lines(report: Report, section: ThemeSection) -> list[str]:
    """Reached, past due and planned milestones, each with its date."""
    lines = [
        f"達成したマイルストーン: {day(report, m.done_on)} {m.title}"
        for m in section.reached
        if m.done_on is not None
    ]
    lines += [
        f"期限を過ぎた未達成: {day(report, m.due, weekday=True)} {m.title}"
        for m in section.overdue
        if m.due is not None
    ]
    for m in section.upcoming:
        when = day(report, m.due, weekday=True) if m.due else "期日未定"
        lines.append(f"今後の予定: {when} {m.title}")
    return lines


def progress_lines(report: Report, section: ThemeSection) -> list[str]:
    """Everything under ⑤, one line each, in the order the report prints them."""
    lines = note_lines(report, section)
    if section.missing_note:
        lines.append(NO_NOTE_MARK)
    lines += milestone_lines(report, section)
    lines.append(task_line(section))
    lines += [indicator_text(report, i) for i in section.indicators]
    lines.append(status_line(section))
    if report.year_end and (final := final_line(section)):
        lines.append(final)
    return lines


# Over the whole text at once, and only when something needs escaping: a year of notes is
# thousands of short plain texts, and three substitutions a line were most of the time.
# After splitlines/join the only line break is "\n", so "[^\S\n]" is a line's white space.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^([^\S\n]*)([#>+=-])", re.MULTILINE)
_ORDERED = re.compile(r"^([^\S\n]*\d+)([.)])", re.MULTILINE)
# Anything one of the three would change (built from them, so it cannot drift apart).
_ANY = re.compile("|".join(p.pattern for p in (_INLINE, _LINE_START, _ORDERED)), re.MULTILINE)


def md_escape(text: str) -> str:
    """Escape what would turn staff text into markup, a table cell break or a heading."""
    text = "\n".join(text.splitlines())
    if not _ANY.search(text):
        return text
    text = _INLINE.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", text))


def _block(text: str, *, indent: str = "") -> str:
    """A paragraph or list item body; staff line breaks stay line breaks."""
    lines = md_escape(text).split("\n")
    return ("  \n" + indent).join(_indented(line) for line in lines)


def _indented(line: str) -> str:
    """A line with the indent staff typed kept: Markdown drops a line's leading spaces (or
    reads four as code), so they are written `&nbsp;` (a tab as four); a full-width space
    is no Markdown white space and stays as it is."""
    body = line.lstrip(" \t")
    lead = line[: len(line) - len(body)].replace("\t", "    ")
    return "&nbsp;" * len(lead) + body.rstrip(" \t")


def _summary(report: Report) -> list[str]:
    head = ["コード", "課題名", "提案評価", "確定評価", "今月の記録"]
    final = report.year_end and any(s.final_status for s in report.sections())
    if final:
        head.insert(4, "最終評価")
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in report.sections():
        cells = [
            s.code,
            s.title,
            status_text(s.proposed_status),
            status_text(s.confirmed_status),
            "なし" if s.missing_note else "あり",
        ]
        if final:
            cells.insert(4, status_text(s.final_status))
        rows.append("| " + " | ".join(_block(c).replace("  \n", " ") for c in cells) + " |")
    return rows


def _section_md(report: Report, section: ThemeSection) -> list[str]:
    out = [f"### {md_escape(theme_heading(section))}", ""]
    for label, text in item_texts(section, report.form):
        out += [f"**{md_escape(label)}**", "", _block(text) if text.strip() else "（記載なし）", ""]
    out += [f"**{progress_heading(report)}**", ""]
    for line in progress_lines(report, section):
        out.append("- " + _block(line.removeprefix("・"), indent="  "))
    return [*out, ""]


def report_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    report = for_files(report)
    out = [f"# {md_escape(report_title(report))}", "", "## 組織の使命", ""]
    out += [_block(report.mission) if report.mission.strip() else "（記載なし）", ""]
    out += [*_summary(report), ""]
    for group in report.groups:
        out += [f"## {md_escape(group_heading(report, group))}", ""]
        for section in group.sections:
            out += _section_md(report, section)
    return "\n".join(out).rstrip() + "\n"
