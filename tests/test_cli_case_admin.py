"""`wgbot case-admin add|remove|list` from the shell: the operator alone names case admins."""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.cli import main
from bot.clock import FixedClock
from bot.services.context import Ctx
from storage.db import make_engine
from storage.models import AuditLog, Membership
from tests.conftest import CALENDAR, NOW
from tests.factories import wg

REFUSED = "この操作は事例管理者だけができます。"


@pytest.fixture
def ops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ctx]:
    """A migrated database the shell's `wgbot` and the test's Slack user share."""
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    engine = make_engine(url)
    yield Ctx(engine=engine, clock=FixedClock(NOW), calendar=CALENDAR)
    engine.dispose()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`wgbot case-admin …`: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(["case-admin", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(text: str) -> str:
    assert text.endswith("\n") and text.count("\n") == 1, text
    return text.strip()


def _audit(ctx: Ctx) -> list[tuple[str, str, str | None]]:
    with ctx.session() as s:
        rows = s.exec(select(AuditLog).order_by(col(AuditLog.id))).all()
        return [(r.actor, r.action, r.detail) for r in rows if r.action.startswith("admin_")]


def test_add_list_remove_and_add_again(ops: Ctx, capsys: pytest.CaptureFixture[str]) -> None:
    assert wg(ops, "case audit", user="U9").text == REFUSED
    code, out, _ = run(capsys, "list")
    assert code == 0 and "事例管理者はいません" in one_line(out)

    code, out, err = run(capsys, "add", "U9", "U012AB3CD")
    assert (code, err) == (0, "")
    assert one_line(out) == "事例管理者に追加しました: U9, U012AB3CD（監査ログに記録しました）。"
    audit = wg(ops, "case audit", user="U9").text
    assert f"operator:{getpass.getuser()} admin_add (U012AB3CD)" in audit
    assert "<@operator" not in audit
    code, out, _ = run(capsys, "add", "U9")
    assert code == 0 and one_line(out) == "すでに事例管理者です: U9。"
    code, out, _ = run(capsys, "list")
    assert code == 0
    # The shell's real clock: the minute each became an admin, and who added them.
    assert re.fullmatch(
        r"事例管理者 2人: U9（[-\d]{10} [:\d]{5} から、operator:[^）]+）, U012AB3CD（.+）",
        one_line(out),
    )

    code, out, _ = run(capsys, "remove", "U9")
    assert code == 0 and one_line(out).startswith("事例管理者から外しました: U9")
    assert wg(ops, "case audit", user="U9").text == REFUSED  # the very next request
    code, out, _ = run(capsys, "remove", "U9")
    assert code == 1 and one_line(out) == "事例管理者ではありません（変更なし）: U9。"
    assert run(capsys, "add", "U9")[0] == 0
    assert "監査ログ" in wg(ops, "case audit", user="U9").text

    me = f"operator:{getpass.getuser()}"[:32]
    assert _audit(ops) == [
        (me, "admin_add", "U9"),
        (me, "admin_add", "U012AB3CD"),
        (me, "admin_remove", "U9"),
        (me, "admin_add", "U9"),
    ]
    with ops.session() as s:  # one row, re-activated: nothing was deleted
        rows = s.exec(select(Membership).where(Membership.user_id == "U9")).all()
    assert len(rows) == 1 and rows[0].removed_at is None


@pytest.mark.parametrize(
    "argv",
    [["add"], ["remove"], ["add", "u9"], ["add", "@U9"], ["remove", "<@U9>"], ["カスハラPT"]],
)
def test_bad_ids_and_the_old_team_form_are_one_line_exit_2(
    ops: Ctx, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    wg(ops, "team new カスハラPT kind:PT", user="U9")
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    line = one_line(err)
    assert line.startswith("wgbot: ") and "Traceback" not in err
    assert ("廃止" in line) if argv == ["カスハラPT"] else ("メンバーID" in line)
    assert _audit(ops) == []
    assert wg(ops, "case audit", user="U9").text == REFUSED


def test_answers_in_english(
    ops: Ctx, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WGBOT_LANGUAGE", "en")
    code, out, _ = run(capsys, "add", "U9")
    assert code == 0 and one_line(out) == "Made case admins: U9 (written to the audit log)."
    code, out, _ = run(capsys, "remove", "U7")
    assert code == 1 and one_line(out) == "Not case admins (nothing changed): U7."
    code, _, err = run(capsys, "add", "nobody")
    assert code == 2 and one_line(err).startswith("wgbot: Name people by their Slack member id")
