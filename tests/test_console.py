"""`wgbot console` tells the truth: files land in ./console-out/, no form opens, no DM."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import main as wgbot
from bot.services.context import Ctx
from tests.factories import load_sample_plan, signage_team
from tests.services.test_report_commands import database_url


def _console(
    engine: Engine, lines: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.setenv("WGBOT_LANGUAGE", "ja")
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    capsys.readouterr()
    assert wgbot(["console", "--user", "U1"]) == 0
    return capsys.readouterr().out


def test_console_saves_report_files_in_a_folder_and_never_claims_a_dm(
    ctx: Ctx,
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    load_sample_plan(ctx)
    signage_team(ctx)
    monkeypatch.chdir(tmp_path)
    out = _console(
        engine, "/wg report as-of:2024-11-30 format:md\n/wg case new\n", monkeypatch, capsys
    )
    assert "DM" not in out.replace("DMを送りません", "")
    assert "1件のファイルを console-out/ に保存しました" in out
    saved = list((tmp_path / "console-out").iterdir())
    assert [p.suffix for p in saved] == [".md"] and saved[0].stat().st_size > 0
    assert "コンソールでは入力画面を開けません。Slackで入力してください: `/wg case new`" in out
    assert "引数付きで入力してください" not in out
