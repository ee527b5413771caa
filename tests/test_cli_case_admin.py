"""`wgbot case-admin TEAM` from the shell: the operator's only way to name case admins."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import FixedClock
from bot.services.context import Ctx
from storage.db import make_engine
from tests.conftest import CALENDAR, NOW
from tests.factories import wg


def test_case_admin_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    engine = make_engine(url)
    ctx = Ctx(engine=engine, clock=FixedClock(NOW), calendar=CALENDAR)
    wg(ctx, "team new カスハラPT kind:PT", user="U9")
    refused = wg(ctx, "case audit", user="U9").text
    assert refused == "この操作は事例管理者だけができます。"
    capsys.readouterr()

    assert main(["case-admin", "ないチーム"]) == 1
    assert "チーム「ないチーム」が見つかりません" in capsys.readouterr().out
    assert main(["case-admin", "カスハラPT"]) == 0
    assert "事例管理者にしました" in capsys.readouterr().out

    # The lead of that team now reads the audit log from Slack.
    allowed = wg(ctx, "case audit", user="U9").text
    assert allowed != refused and "監査" in allowed
    engine.dispose()
