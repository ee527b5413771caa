"""Building the month-end progress report from what staff recorded."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.report import (
    NO_STATUS,
    IndicatorInput,
    MilestoneInput,
    NoteInput,
    PlanInput,
    Report,
    ThemeInput,
    build_report,
    propose_status,
)

AS_OF = date(2024, 11, 30)


def theme(code: str, title: str, **kw: object) -> ThemeInput:
    fields: dict = {
        "content": f"{title}についての課題。",
        "background": f"{title}の背景。",
        "approach": f"{title}への取組み。",
    }
    fields.update(kw)
    return ThemeInput(code=code, area=code[0], title=title, **fields)


PLAN = PlanInput(
    ward="若松区",
    fiscal_year=2024,
    mission="自然と新しい産業が共にある、持続可能なまちをつくる。",
    themes=(
        theme("A(1)", "証明書のコンビニ交付を広める", pillar="感動区役所"),
        theme(
            "A(2)",
            "施設内の案内・市政情報紙の配置",
            pillar="感動区役所",
            open_tasks=4,
            overdue_tasks=1,
            confirmed_status="A",
            status_reason="WGが予定どおり始動",
            team_name="案内表示・情報紙WG",
        ),
        theme("B(1)", "福祉の手続を電子申請にする", pillar="働き方改革"),
        theme("C(1)", "北海岸を観光の場にする"),
        theme("C(2)", "市民センター運営の見直し", pillar="感動区役所"),
    ),
)

NOTES = (
    NoteInput("A(2)", date(2024, 11, 15), "各課から委員が集まり、WGが作業を始めた。", "U1"),
    NoteInput("A(2)", date(2024, 11, 5), "ラック19台の配置図を作成。", "U2"),
    NoteInput("A(2)", date(2024, 12, 2), "12月に書いたメモ（11月末の報告には出ない）。", "U1"),
    NoteInput("A(1)", date(2024, 10, 31), "コンビニ交付の割合が4割を超えた。", "U3"),
    NoteInput("B(1)", date(2024, 11, 29), "仮マニュアルができた。", "U4"),
    NoteInput("C(2)", date(2024, 11, 19), "自治会長研修の2回目を開いた。", "U5"),
    NoteInput("C(1)", date(2024, 11, 1), "他都市の事例を調べ始めた。", "U6"),
)

MILESTONES = (
    MilestoneInput("A(2)", "WG発足", date(2024, 10, 15), date(2024, 10, 15)),
    MilestoneInput("A(2)", "各課の自己点検", date(2024, 12, 27), None),
    MilestoneInput("A(2)", "WGによる現地確認", date(2025, 1, 31), None),
    MilestoneInput("A(2)", "取りやめた説明会", date(2024, 11, 1), None, cancelled=True),
    MilestoneInput("C(2)", "自治会長研修 第1回", date(2024, 10, 29), date(2024, 10, 29)),
    MilestoneInput("C(2)", "自治会長研修 第2回", date(2024, 11, 19), date(2024, 11, 19)),
    MilestoneInput("C(2)", "自治会長研修 第3回", date(2024, 12, 10), None),
    MilestoneInput("B(1)", "仮マニュアル完成", date(2024, 11, 30), date(2024, 12, 3)),
)

INDICATORS = (
    IndicatorInput(
        "A(1)",
        "コンビニ交付率",
        "%",
        30.0,
        45.0,
        ((date(2024, 9, 30), 38.0), (date(2024, 10, 31), 40.0), (date(2024, 12, 31), 46.0)),
    ),
    IndicatorInput("A(2)", "窓口での道案内の件数", "件", 120.0, 60.0, ((date(2024, 11, 1), 55.0),)),
    IndicatorInput("C(1)", "観光客アンケート回答数", "件", None, 300.0, ()),
)


def sample_report(*, as_of: date = AS_OF, group_by: str = "area") -> Report:
    return build_report(
        PLAN,
        notes=NOTES,
        milestones=MILESTONES,
        indicators=INDICATORS,
        as_of=as_of,
        group_by=group_by,
    )


def section(report: Report, code: str):
    return next(s for s in report.sections() if s.code == code)


def test_report_lists_every_theme_in_plan_order_grouped_by_area() -> None:
    report = sample_report()
    assert [g.key for g in report.groups] == ["A", "B", "C"]
    assert [[s.code for s in g.sections] for g in report.groups] == [
        ["A(1)", "A(2)"],
        ["B(1)"],
        ["C(1)", "C(2)"],
    ]
    assert report.as_of_label == "令和6年11月末時点"
    assert report.mission == PLAN.mission


def test_areas_come_out_a_b_c_even_when_the_plan_lists_them_mixed() -> None:
    plan = PlanInput(
        "若松区", 2024, "", (theme("C(1)", "c"), theme("A(1)", "a"), theme("B(1)", "b"))
    )
    report = build_report(plan, notes=(), milestones=(), indicators=(), as_of=AS_OF)
    assert [g.key for g in report.groups] == ["A", "B", "C"]


def test_notes_after_as_of_are_left_out_and_the_rest_sorted_by_date() -> None:
    notes = section(sample_report(), "A(2)").notes
    assert [n.as_of for n in notes] == [date(2024, 11, 5), date(2024, 11, 15)]


def test_reached_and_upcoming_milestones_keep_their_dates() -> None:
    s = section(sample_report(), "C(2)")
    assert [(m.title, m.done_on) for m in s.reached] == [
        ("自治会長研修 第1回", date(2024, 10, 29)),
        ("自治会長研修 第2回", date(2024, 11, 19)),
    ]
    assert [(m.title, m.due) for m in s.upcoming] == [("自治会長研修 第3回", date(2024, 12, 10))]
    assert s.planned_to_date == 2


def test_milestone_done_after_as_of_is_still_upcoming_then() -> None:
    s = section(sample_report(), "B(1)")
    assert s.reached == []
    assert [m.title for m in s.upcoming] == ["仮マニュアル完成"]
    assert s.proposed_status == "A"  # due on the as-of day itself: not late yet


def test_cancelled_milestones_are_neither_reached_nor_upcoming() -> None:
    s = section(sample_report(), "A(2)")
    assert [m.title for m in s.upcoming] == ["各課の自己点検", "WGによる現地確認"]
    assert all(not m.cancelled for m in s.reached + s.upcoming)


def test_theme_whose_last_note_is_in_october_is_flagged() -> None:
    report = sample_report()
    assert section(report, "A(1)").missing_note is True
    assert section(report, "A(2)").missing_note is False
    assert report.themes_without_note == ["A(1)"]


def test_theme_with_no_notes_at_all_is_flagged() -> None:
    plan = PlanInput("若松区", 2024, "", (theme("A(1)", "a"),))
    report = build_report(plan, notes=(), milestones=(), indicators=(), as_of=AS_OF)
    assert report.sections()[0].missing_note is True
    assert report.sections()[0].notes == []


def test_task_counts_and_confirmed_status_come_from_the_plan() -> None:
    s = section(sample_report(), "A(2)")
    # Of the 4 open (storage counts every kind), 2 are the open milestones, shown apart.
    assert (s.open_tasks, s.overdue_tasks) == (2, 1)
    assert (s.open_milestones, s.overdue_milestones) == (2, 0)
    assert (s.confirmed_status, s.status_reason) == ("A", "WGが予定どおり始動")


def test_indicator_uses_latest_value_up_to_as_of() -> None:
    (line,) = section(sample_report(), "A(1)").indicators
    assert (line.latest, line.latest_on) == (40.0, date(2024, 10, 31))
    assert (line.direction, line.achieved) == ("up", False)


def test_indicator_with_lower_target_is_achieved_below_it() -> None:
    (line,) = section(sample_report(), "A(2)").indicators
    assert (line.direction, line.achieved) == ("down", True)


def test_indicator_without_values_has_no_latest() -> None:
    (line,) = section(sample_report(), "C(1)").indicators
    assert (line.latest, line.latest_on, line.achieved) == (None, None, None)


def test_group_by_pillar_keeps_plan_order_and_puts_unassigned_last() -> None:
    report = sample_report(group_by="pillar")
    assert [(g.label, [s.code for s in g.sections]) for g in report.groups] == [
        ("感動区役所", ["A(1)", "A(2)", "C(2)"]),
        ("働き方改革", ["B(1)"]),
        ("その他", ["C(1)"]),
    ]


def test_unknown_group_by_is_refused() -> None:
    with pytest.raises(ValueError):
        sample_report(group_by="team")


def test_records_of_themes_outside_the_plan_are_ignored() -> None:
    plan = PlanInput("若松区", 2024, "", (theme("A(1)", "a"),))
    notes = (NoteInput("Z(9)", AS_OF, "別の方針", "U1"),)
    report = build_report(plan, notes=notes, milestones=(), indicators=(), as_of=AS_OF)
    assert report.sections()[0].notes == []


def d(month: int, day: int) -> date:
    return date(2024, month, day)


def m(due: date | None, done: date | None = None, *, cancelled: bool = False) -> MilestoneInput:
    return MilestoneInput("A(1)", "x", due, done, cancelled)


CASES = [
    ("all reached on time", [m(d(11, 1), d(11, 1))], "A"),
    ("reached early", [m(d(11, 20), d(11, 2))], "A"),
    ("only future milestones", [m(d(12, 10))], "A"),
    ("one reached late", [m(d(11, 1), d(11, 8)), m(d(11, 5), d(11, 5))], "B"),
    ("one overdue", [m(d(11, 20)), m(d(11, 1), d(11, 1))], "C"),
    ("done after as_of counts as overdue", [m(d(11, 20), d(12, 2))], "C"),
    ("overdue 30 days is still C", [m(d(10, 31))], "C"),
    ("overdue 31 days", [m(d(10, 30))], "D"),
    ("two overdue", [m(d(11, 20)), m(d(11, 25))], "D"),
    ("nothing at all", [], NO_STATUS),
    ("only undated", [m(None)], NO_STATUS),
    ("only cancelled", [m(d(11, 1), cancelled=True)], NO_STATUS),
    ("cancelled overdue ignored", [m(d(9, 1), cancelled=True), m(d(12, 1))], "A"),
]


@pytest.mark.parametrize(("case", "milestones", "expected"), CASES, ids=[c[0] for c in CASES])
def test_propose_status(case: str, milestones: list[MilestoneInput], expected: str) -> None:
    assert propose_status(milestones, as_of=AS_OF) == expected


def test_proposed_status_in_report_follows_milestones() -> None:
    report = sample_report()
    assert section(report, "A(2)").proposed_status == "A"
    assert section(report, "A(1)").proposed_status == NO_STATUS
