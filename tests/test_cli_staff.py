"""`wgbot staff import FILE` from the shell: a count on success, every bad row on failure.

E-mails go to the fake Slack Web API over HTTP (SLACK_API_URL), as they would go to Slack.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from bot.cli import main
from bot.clock import FixedClock
from bot.services.context import Ctx
from bot.services.wards import ward_of
from storage.db import make_engine
from storage.models import Staff
from tests.conftest import CALENDAR, NOW
from tests.factories import SAMPLE_PLAN, operator_shell
from tests.fakeslack import FakeSlack
from tests.services.test_staff_import import FICTIONAL_PLAN, HEADER


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ctx]:
    """A migrated database with two wards' plans, and `wgbot` run as an operator in tmp_path."""
    url = operator_shell(monkeypatch, tmp_path)
    (tmp_path / "kakuu.yaml").write_text(FICTIONAL_PLAN, encoding="utf-8")
    assert main(["plan", "import", str(SAMPLE_PLAN)]) == 0
    assert main(["plan", "import", str(tmp_path / "kakuu.yaml")]) == 0
    engine = make_engine(url)
    yield Ctx(engine=engine, clock=FixedClock(NOW), calendar=CALENDAR)
    engine.dispose()


def run(capfd: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], list[str]]:
    """`wgbot staff import …`: (exit code, stdout lines, stderr lines)."""
    capfd.readouterr()
    code = main(["staff", "import", *argv])
    out, err = capfd.readouterr()
    return code, out.splitlines(), err.splitlines()


def people(ctx: Ctx) -> dict[str, str]:
    with ctx.session() as s:
        return {r.user_id: r.ward for r in s.exec(select(Staff)).all()}


def test_import_prints_one_line_and_records_who_and_when(
    shell: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "名簿.csv"
    path.write_bytes(
        (HEADER + "U0A,,青木 翔,若松区,総務課\nU0B,,馬場 葵,架空,市民課\n").encode("cp932")
    )
    code, out, err = run(capfd, str(path))
    assert (code, err) == (0, [])
    assert out == [
        "職員名簿を取り込みました: 2人（新規 2人、更新 0人）。"
        "ファイルにない人の行はそのまま残ります。"
    ]
    with shell.session() as s:
        row = s.get(Staff, "U0B")
        assert row is not None and row.imported_by == f"cli:{getpass.getuser()}"
        assert row.imported_at is not None
        assert ward_of(s, user="U0B") == "架空区"
    code, out, _ = run(capfd, str(path))
    assert code == 0 and "新規 0人、更新 2人" in out[0]


def test_bad_rows_are_each_listed_and_nothing_is_imported(
    shell: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "staff.csv"
    rows = "U0A,,青木,若松区,総務課\nU0A,,青木,架空区,総務課\nU0C,,,存在しない区,\n"
    path.write_text(HEADER + rows, encoding="utf-8")
    code, out, err = run(capfd, str(path))
    assert (code, out) == (2, [])
    assert err == [
        "wgbot: 職員名簿に問題が3件あります。何も取り込んでいません"
        "（すべての行を直してから、もう一度取り込んでください）:",
        "  3行目 ユーザーID: 2行目と同じ利用者（U0A）です",
        "  4行目 氏名: 氏名がありません",
        "  4行目 区: 「存在しない区」という区は方針にありません"
        "（方針が取り込まれている区: 若松区、架空区）",
    ]
    assert people(shell) == {}


def test_english_mode_lists_problems_in_english(
    shell: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WGBOT_LANGUAGE", "en")
    path = tmp_path / "staff.csv"
    path.write_text("user_id,name\nU0A,Aoki\n", encoding="utf-8")
    code, _, err = run(capfd, str(path))
    assert code == 2
    assert err == [
        "wgbot: The staff list has 2 problem(s); nothing was imported (fix every row, then"
        " import again):",
        "  row 1, ward: no such column (heading: one of 区 / 所属区 / ward)",
        "  row 1, section: no such column (heading: one of 課 / 所属課 / section)",
    ]


def test_emails_without_a_token_is_one_line(
    shell: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + ",aoki@city.example.jp,青木,若松区,総務課\n", encoding="utf-8")
    code, out, err = run(capfd, str(path))
    assert (code, out) == (2, [])
    assert err == [
        "wgbot: メールアドレスから Slack の利用者を探すには SLACK_BOT_TOKEN"
        "（users:read.email の権限付き）が必要です。"
        "設定するか、ユーザーIDの列で取り込んでください。"
    ]
    assert people(shell) == {}


def test_emails_are_resolved_through_slack(
    shell: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "staff.csv"
    rows = ",aoki@city.example.jp,青木,若松区,総務課\n,nobody@city.example.jp,名無し,架空区,\n"
    path.write_text(HEADER + rows, encoding="utf-8")
    with FakeSlack() as fake:
        fake.emails.update({"aoki@city.example.jp": "U0AOKI", "baba@city.example.jp": "U0BABA"})
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        code, _, err = run(capfd, str(path))
        assert code == 2 and err[1:] == [
            "  3行目 メールアドレス: このメールアドレスの利用者は Slack のワークスペースにいません"
            "（無効化された人を含む）"
        ]
        assert "nobody" not in "\n".join(err)  # the row says who; the address is not repeated
        path.write_text(HEADER + rows.replace("nobody@", "baba@"), encoding="utf-8")
        code, out, err = run(capfd, str(path))
        assert (code, err) == (0, []) and "2人" in out[0]
        assert fake.calls_to("users.lookupByEmail")[-1].headers.get("Authorization") == (
            "Bearer xoxb-test-token"
        )
    assert people(shell) == {"U0AOKI": "若松区", "U0BABA": "架空区"}


def test_slack_refusing_the_token_is_one_line(
    shell: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + ",aoki@city.example.jp,青木,若松区,総務課\n", encoding="utf-8")
    with FakeSlack() as fake:
        fake.set_response("users.lookupByEmail", {"ok": False, "error": "missing_scope"})
        monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
        monkeypatch.setenv("SLACK_API_URL", fake.base_url)
        code, out, err = run(capfd, str(path))
    assert (code, out) == (2, []) and len(err) == 1 and "missing_scope" in err[0]
    assert people(shell) == {}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.csv", None, "ファイルがありません"),
        ("staff.pdf", b"%PDF", "CSV か XLSX"),
        ("staff.xlsx", b"not a zip", "XLSX として読めません"),
        ("staff.csv", b"\xff\xfe\x00\x81\x82\xfd\xfe", "文字コード"),
        ("empty.csv", b"", "ファイルが空です"),
        ("heading.csv", HEADER.encode("cp932"), "見出しの行しかありません（職員の行がありません）"),
        (
            "everyone.csv",
            (HEADER + "U0A,,名前,若松区,課\n" * 20_001).encode(),
            "職員名簿は20,000行までです",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_one_line(
    shell: Ctx,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    name: str,
    content: bytes | None,
    expected: str,
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capfd, str(path))
    assert (code, out, len(err)) == (2, [], 1) and expected in err[0], err


def test_help_says_rows_not_in_the_file_stay(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["staff", "--help"])
    out = " ".join(capfd.readouterr().out.split())
    assert "rows of people not in it stay" in out


def test_a_name_in_a_shifted_column_is_not_printed(
    shell: Ctx, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(
        "ユーザーID,所属課,所属区,氏名\nU0Z1,総務課,青木太郎,若松区\n", encoding="utf-8"
    )
    code, out, err = run(capfd, str(path))
    assert (code, out) == (2, [])
    assert err[1:] == [
        "  2行目 区: 方針が取り込まれている区の名前ではありません（区: 若松区、架空区）。"
        "列がずれていないか確かめてください"
    ]
    assert people(shell) == {}


@pytest.mark.parametrize(("lang", "more"), [("ja", "  ほか 10件"), ("en", "  and 10 more")])
def test_problems_past_fifty_are_counted_not_listed(
    shell: Ctx,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    more: str,
) -> None:
    monkeypatch.setenv("WGBOT_LANGUAGE", lang)
    path = tmp_path / "staff.csv"
    rows = "".join(f"U0A{n},,,若松区,課\n" for n in range(60))  # 60 rows without a name
    path.write_text(HEADER + rows, encoding="utf-8")
    code, out, err = run(capfd, str(path))
    assert (code, out, len(err)) == (2, [], 1 + 50 + 1)
    assert "60" in err[0] and err[-1] == more
    assert err[50].startswith(("  51行目", "  row 51"))
