"""Operator output never quotes personal data, and the console's acts name the operator.

CLI output under systemd lands in the journal, so a bad value quoted from a plan file is
masked there. `wgbot console --user U9` acts as U9, but the case audit says who ran it.
"""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from bot import cli
from bot.cli import main as wgbot
from bot.services import cases
from bot.services.case_audit import verify_audit
from bot.services.context import Ctx
from storage.models import AuditLog
from tests.factories import wg
from tests.services.test_cases import form
from tests.services.test_report_commands import database_url
from tests.test_cli_failures import fails


def test_plan_import_masks_personal_data_in_the_bad_value_it_quotes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'wgbot.db'}")
    monkeypatch.setenv("WGBOT_LANGUAGE", "ja")
    path = tmp_path / "plan.csv"
    bad = "山田太郎様 090-1234-5678 123456789012 taro@example.jp"
    path.write_text(
        f"ward,fiscal_year,code,title\n若松区,2024,A1,良い行\n若松区,2024,{bad},悪い\n",
        encoding="utf-8",
    )
    line = fails(["plan", "import", str(path)], capfd)
    assert "3行目 code:" in line and "は課題コードではありません" in line
    for secret in ("090-1234-5678", "123456789012", "taro@example.jp"):
        assert secret not in line
    assert "［電話番号］" in line and "［個人番号］" in line and "［メール］" in line


def test_console_case_actions_are_audited_as_the_operator(
    ctx: Ctx,
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.case_admin_cli(ctx, "add", ["U9"]) == 0
    cases.create_case(ctx, user="U1", form=form())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url(engine))
    monkeypatch.setenv("WGBOT_LANGUAGE", "ja")
    monkeypatch.setattr("sys.stdin", io.StringIO("/wg case list\n/wg case show 1\n"))
    assert wgbot(["console", "--user", "U9"]) == 0
    with ctx.session() as s:
        rows = s.exec(select(AuditLog).order_by(col(AuditLog.id))).all()
    console_rows = [r for r in rows if r.action in ("list", "view")]
    assert [r.actor for r in console_rows] == ["U9", "U9"]
    via = f"via=console:{getpass.getuser()}"
    assert [r.detail for r in console_rows] == [f"rows=1 {via}", via]
    assert verify_audit(ctx).broken is None
    # In Slack, `case audit` shows who really acted on the row's one line.
    shown = wg(ctx, "case audit", user="U9").text
    assert via in shown
