"""`wgbot plan rollover`: a check by default, the move with --apply, one line when refused."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main as wgbot
from bot.clock import FixedClock
from bot.services.context import Ctx
from bot.services.plans import PlanData, import_plan
from storage.db import make_engine, upgrade
from storage.models import Task, Theme
from tests.conftest import CALENDAR, JST
from tests.factories import operator_shell
from tests.services.test_rollover import fy2024_work

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ctx:
    """An operator's shell over a database with FY2024 work and the FY2025 plan imported."""
    engine = make_engine(operator_shell(monkeypatch, tmp_path))
    upgrade(engine)
    clock = FixedClock(datetime(2024, 11, 29, 9, 0, tzinfo=JST))
    ctx = Ctx(engine=engine, clock=clock, calendar=CALENDAR)
    fy2024_work(ctx)
    themes = [{"code": c, "title": f"R7 {c}"} for c in ("A(1)", "A(2)", "C(1)")]
    import_plan(ctx, data=PlanData(ward="若松区", fiscal_year=2025, title="R7", themes=themes))
    return ctx


def codes(ctx: Ctx) -> dict[int, str]:
    """Each task's theme as `<plan id>:<code>`."""
    with ctx.session() as s:
        return {
            t.id or 0: f"{theme.plan_id}:{theme.code}"
            for t in s.exec(select(Task))
            if (theme := s.get(Theme, t.theme_id)) is not None
        }


def test_check_lists_moves_and_unplaced_and_changes_nothing(
    db: Ctx, capfd: pytest.CaptureFixture[str]
) -> None:
    before = codes(db)
    assert wgbot(["plan", "rollover", "--from", "2024", "--to", "2025"]) == 0
    out = capfd.readouterr().out
    assert "まだ何も変えていません" in out
    assert "#1 各課の自己点検: 若松区 A(2) → A(2)" in out
    assert "チーム「案内表示WG」: 若松区 A(2) → A(2)" in out
    assert "#3 研修の案内: 若松区 C(2) — 2025年度の若松区の計画に C(2) がありません" in out
    assert "#2" not in out  # done: stays
    assert codes(db) == before


def test_apply_moves_and_says_who(db: Ctx, capfd: pytest.CaptureFixture[str]) -> None:
    assert wgbot(["plan", "rollover", "--from", "2024", "--to", "2025", "--apply"]) == 0
    out = capfd.readouterr().out
    assert "移しました（実行: cli:" in out
    assert "移したタスク 1件:" in out and "移したチーム 1件" in out
    assert "タスク 1件とチーム 1件を移し" in out and "移せなかったもの 1件" in out
    after = codes(db)
    assert after[1] == "2:A(2)" and after[2] == "1:A(2)" and after[3] == "1:C(2)"


def test_map_file_in_english(
    db: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WGBOT_LANGUAGE", "en")
    path = tmp_path / "map.csv"
    path.write_text("from_code,to_code\nC(2),C(1)\n", encoding="utf-8")
    argv = ["plan", "rollover", "--from", "2024", "--to", "2025", "--map", str(path), "--apply"]
    assert wgbot(argv) == 0
    out = capfd.readouterr().out
    assert "#3 研修の案内: 若松区 C(2) → C(1) (map)" in out
    assert "Tasks moved: 2" in out and "Moved: tasks 2, teams 1" in out
    assert codes(db)[3] == "2:C(1)"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--from", "2023", "--to", "2025"], "2023年度の計画がありません"),
        (["--from", "2024", "--to", "2026"], "2026年度の計画がありません"),
        (["--from", "2025", "--to", "2024"], "より後の年度"),
        (["--from", "2024", "--to", "2025", "--ward", "戸畑区"], "戸畑区"),
        (["--from", "2024"], "--from"),
        (["--from", "R6", "--to", "2025"], "R6"),
        (["--from", "2024", "--to", "2025", "--map", "nowhere.csv"], "nowhere.csv"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    db: Ctx, capfd: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    before = codes(db)
    assert wgbot(["plan", "rollover", *argv, "--apply"]) == 2
    out, err = capfd.readouterr()
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0] and JAPANESE.search(lines[0]), lines
    assert codes(db) == before


def refused_map(db: Ctx, path: Path, capfd: pytest.CaptureFixture[str]) -> str:
    """`--map path --apply` refused: exit 2, nothing moved; the one line it printed."""
    before = codes(db)
    argv = ["plan", "rollover", "--from", "2024", "--to", "2025", "--map", str(path), "--apply"]
    assert wgbot(argv) == 2
    (line,) = [x for x in "".join(capfd.readouterr()).splitlines() if x.strip()]
    assert codes(db) == before
    return line


def test_bad_map_rows_are_one_line_with_row_numbers(
    db: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "map.csv"
    path.write_text("from_code,to_code\nC(2),C(1)\nXYZ,A(1)\nC2,A(1)\n", encoding="utf-8")
    line = refused_map(db, path, capfd)
    assert "何も移していません" in line and "3行目 from_code" in line
    assert "4行目 from_code: C(2) は2行目にもあります" in line


def test_a_map_saved_with_mac_line_ends_is_read(
    db: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes("from_code,to_code\rC(2),C(1)\r".encode("cp932"))  # Excel's CSV (Mac)
    argv = ["plan", "rollover", "--from", "2024", "--to", "2025", "--map", str(path), "--apply"]
    assert wgbot(argv) == 0
    assert "#3 研修の案内: 若松区 C(2) → C(1)" in capfd.readouterr().out
    assert codes(db)[3] == "2:C(1)"


def test_a_map_file_csv_cannot_read_is_one_clear_line_exit_2(
    db: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "map.csv"  # a quote left open: the rest of a big file is one cell
    path.write_text('from_code,to_code\n"C(2),C(1)\n' + "x" * 11_000_000, encoding="utf-8")
    line = refused_map(db, path, capfd)
    assert "対応表を 2行目から CSV として読めません" in line


def test_a_long_bad_cell_is_quoted_cut(
    db: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "map.csv"
    path.write_text('from_code,to_code\n"' + "x" * 200_000 + '",A(1)\n', encoding="utf-8")
    line = refused_map(db, path, capfd)
    assert "2行目 from_code: 課題コード「" + "x" * 39 + "…」が読めません" in line
    assert len(line) < 300


def test_a_control_character_in_a_bad_cell_is_named_not_printed(
    db: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "map.csv"
    path.write_bytes(b"from_code,to_code\nB(\x002),C(1)\n")
    line = refused_map(db, path, capfd)
    assert "課題コード「B(U+00002)」が読めません" in line and "\x00" not in line


@pytest.mark.parametrize("apply", [[], ["--apply"]])
def test_map_rows_the_plans_do_not_fit_are_one_line_exit_2(
    db: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str], apply: list[str]
) -> None:
    themes = [{"code": c, "title": f"東 {c}"} for c in ("A(1)", "B(1)")]
    for year in (2024, 2025):
        import_plan(db, data=PlanData(ward="東港区", fiscal_year=year, title="東", themes=themes))
    path = tmp_path / "map.csv"
    path.write_text("from_code,to_code\nZ(9),A(1)\n東港区/A(1),B(1)\nA(2),C(7)\n", "utf-8")
    before = codes(db)
    argv = ["plan", "rollover", "--from", "2024", "--to", "2025", "--ward", "若松区"]
    assert wgbot([*argv, "--map", str(path), *apply]) == 2
    (line,) = [x for x in "".join(capfd.readouterr()).splitlines() if x.strip()]
    assert line == (
        "wgbot: 対応表に誤りがあります（何も移していません）: "
        "2行目 from_code: 2024年度の若松区の計画に Z(9) がありません／"
        "3行目 from_code: 東港区 は今回移す区（若松区）ではありません／"
        "4行目 to_code: 2025年度の若松区の計画に C(7) がありません"
    )
    assert codes(db) == before
