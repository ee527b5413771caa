"""Every `wgbot` failure an operator can cause is one line in their language and exit 2.

Bad plan files, bad settings, an unreachable or refusing database, a refused token:
one line naming the problem, never a traceback, never the database password.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.cli import main as wgbot
from bot.failures import failure_line, output_closed
from tests.factories import SAMPLE_PLAN
from tests.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
UNREACHABLE = "postgresql+psycopg://wgbot:s3cret-pw@127.0.0.1:1/wgbot"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BOT_TOKEN = "xoxb-test-token"

# Commands as an operator types them; each runs against DATABASE_URL.
COMMANDS = {
    "run": ["run", "--http", "--port", "1"],
    "db upgrade": ["db", "upgrade"],
    "tick": ["tick"],
    "tick --dry-run": ["tick", "--dry-run"],
    "digest": ["digest"],
    "digest --post": ["digest", "--post"],
    "report": ["report", "--format", "md"],
    "plan import": ["plan", "import", str(SAMPLE_PLAN)],
    "console": ["console"],
    "case-admin": ["case-admin", "list"],
}


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """`wgbot …` as an operator runs it: settings only from this environment, in tmp_path."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "WGBOT_", "DATABASE_URL", "PORT")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'wgbot.db'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")  # never reached
    return monkeypatch


def one_line(capfd: pytest.CaptureFixture[str]) -> str:
    """The only non-empty line the command printed (stdout and stderr together)."""
    out, err = capfd.readouterr()
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0]
    return lines[0]


def fails(argv: list[str], capfd: pytest.CaptureFixture[str], *, lang: str = "ja") -> str:
    """Run `wgbot argv`; assert exit 2 and one line in `lang`; return the line."""
    assert wgbot(argv) == 2
    line = one_line(capfd)
    assert bool(JAPANESE.search(line)) == (lang == "ja"), line
    return line


@pytest.mark.parametrize("command", COMMANDS)
def test_unreachable_database_is_one_line_for_every_command(
    command: str, shell: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    shell.setenv("DATABASE_URL", UNREACHABLE)
    line = fails(COMMANDS[command], capfd)
    assert "データベースに接続できません（127.0.0.1:1/wgbot）" in line
    assert "s3cret-pw" not in line


@pytest.mark.parametrize("command", ["db upgrade", "report", "console", "run"])
def test_sqlite_file_in_a_missing_folder_is_one_line(
    command: str, shell: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shell.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/no/such/folder/wgbot.db")
    line = fails(COMMANDS[command], capfd)
    assert "データベースファイルを開けません" in line and "no/such/folder" in line


@pytest.mark.parametrize("part", ["username", "database"])
@pytest.mark.parametrize("command", ["db upgrade", "tick"])
def test_database_that_refuses_us_is_one_line(
    part: str, command: str, shell: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    if not PG_URL:
        pytest.skip("needs TEST_DATABASE_URL (a PostgreSQL server to be refused by)")
    url = make_url(PG_URL).set(**{part: "no_such_" + part})
    shell.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    line = fails(COMMANDS[command], capfd)
    assert "データベースが接続を拒否しました" in line


def test_unreachable_database_in_english(
    shell: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    shell.setenv("DATABASE_URL", UNREACHABLE)
    shell.setenv("WGBOT_LANGUAGE", "en")
    line = fails(["db", "upgrade"], capfd, lang="en")
    assert "Cannot connect to the database (127.0.0.1:1/wgbot)" in line


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"PORT": "abc"}, "設定 PORT が正しくありません"),
        ({"WGBOT_TIMEZONE": "Mars/Olympus"}, "設定 WGBOT_TIMEZONE が正しくありません"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "設定 SLACK_BOT_TOKEN が正しくありません"),
        ({"SLACK_BOT_TOKEN": None}, "設定 SLACK_BOT_TOKEN がありません"),
        ({"DATABASE_URL": "postgres//oops"}, "DATABASE_URL が読めません"),
        ({"DATABASE_URL": "mysql://u@127.0.0.1/x"}, "データベース種別「mysql」は使えません"),
    ],
)
@pytest.mark.parametrize("command", ["tick", "run"])
def test_bad_setting_is_one_line(
    command: str,
    env: dict[str, str | None],
    expected: str,
    shell: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        if value is None:
            shell.delenv(name)
        else:
            shell.setenv(name, value)
    assert expected in fails(COMMANDS[command], capfd)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("SLACK_BOT_TOKEN=xoxb-1\n".encode("utf-16"), ".env を読めません（UTF-8 ではありません）"),
        (
            b"PORT=3000\nthis is not a setting\n",
            ".env を読めません（2行目が「名前=値」の形ではありません）",
        ),
        (b'SLACK_BOT_TOKEN="xoxb-never-closed\nPORT=3000\n', ".env を読めません（1行目"),
    ],
)
def test_junk_in_dotenv_is_one_line(
    content: bytes,
    expected: str,
    shell: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_bytes(content)
    assert expected in fails(["db", "upgrade"], capfd)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("plan.xlsx", os.urandom(512), "Excel ファイル（.xlsx）として読めません"),
        ("plan.xlsx", b"", "Excel ファイル（.xlsx）として読めません"),
        ("plan.yaml", "ward: 若松区\n".encode("cp932"), "YAML の文字コードが読めません"),
        ("plan.yaml", b"themes: [\n", "YAML の書き方が正しくありません"),
        ("plan.csv", "code,title\nA1,課題\n".encode("utf-16-le"), "CSV の文字コードが読めません"),
        (
            "plan.csv",
            "code,title\nA1,課題\n".encode("euc_jis_2004"),
            "CSV の文字コードが読めません",
        ),
        ("plan.csv", b"", "1行目に見出し"),
        ("plan.docx", b"x", "形式がわかりません"),  # .txt is Excel's Unicode text
        ("missing.yaml", None, "ファイルがありません"),
        ("folder.yaml", "dir", "ファイルではなくフォルダです"),
    ],
)
def test_bad_plan_file_is_one_line(
    name: str,
    content: bytes | str | None,
    expected: str,
    shell: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    line = fails(["plan", "import", str(path)], capfd)
    assert line.startswith("wgbot: 取り込めませんでした（何も保存していません）: ")
    assert expected in line


def test_plan_with_broken_rows_lists_every_problem_on_one_line(
    shell: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "ward,fiscal_year,code,title\n若松区,2024,A1,良い行\n若松区,2024,XYZ,悪い\n若松区,2024,A3,\n",
        encoding="utf-8",
    )
    line = fails(["plan", "import", str(path)], capfd)
    assert "3行目 code: 「XYZ」は課題コードではありません" in line
    assert "／4行目 title: 課題名がありません" in line


def test_demo_into_a_path_that_is_a_file_is_one_line(
    shell: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "out").write_text("not a folder")
    line = fails(["demo", "--out", str(tmp_path / "out")], capfd)
    assert "ファイルを読み書きできません" in line and "out" in line


# Refusals the commands word themselves: each is one line on stderr and exit 2, like the
# failures above, in the operator's language (what the operator typed is quoted as typed).
REFUSALS = [
    (["digest", "--week", "foo"], "週「foo」が読めません", "Cannot read the week “foo”"),
    (["digest", "--team", "Nope"], "チーム「Nope」", "Nope"),
    (["digest", "--post", "--team", "Nope"], "チーム「Nope」", "Nope"),
    (["report", "--format", "md"], "方針（課題一覧）がまだ取り込まれていません", "plan"),
    (["report", "--as-of", "foo"], "「foo」", "foo"),
    (["case", "audit"], "case audit verify", "case audit verify"),
    (["case", "retention"], "--dry-run | --apply", "--dry-run | --apply"),
    (["case-admin", "frobnicate"], "case-admin", "case-admin"),
]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize(
    ("argv", "ja", "en"), REFUSALS, ids=[" ".join(argv) for argv, *_ in REFUSALS]
)
def test_refusal_is_one_line_and_exit_2(
    argv: list[str],
    ja: str,
    en: str,
    lang: str,
    shell: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    shell.setenv("WGBOT_LANGUAGE", lang)
    line = fails(argv, capfd, lang=lang)
    assert line.startswith("wgbot: ") and (ja if lang == "ja" else en) in line


def test_report_before_the_plan_year_is_refused_with_the_date_in_english(
    shell: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    assert wgbot(["plan", "import", str(SAMPLE_PLAN)]) == 0
    capfd.readouterr()
    shell.setenv("WGBOT_LANGUAGE", "en")
    line = fails(["report", "--as-of", "2024-03-31"], capfd, lang="en")
    assert line == "wgbot: 31 Mar 2024 is before the plan's fiscal year (FY2024)."


def test_bad_command_line_is_one_line(capfd: pytest.CaptureFixture[str]) -> None:
    line = fails(["plan", "export"], capfd)
    assert "コマンドの書き方が正しくありません" in line


# ------------------------------------------------------------- a reader that goes away


@pytest.mark.parametrize("argv", [["console"], ["tick", "--dry-run"]])
def test_output_piped_into_head_ends_quietly(argv: list[str], tmp_path: Path) -> None:
    """`wgbot console … | head -2`: the reader leaving is neither a Slack outage nor exit 2."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WGBOT_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wgbot.db'}",
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # never reached
    }
    run = [sys.executable, "-m", "bot.cli"]
    subprocess.run([*run, "db", "upgrade"], cwd=tmp_path, env=env, check=True, capture_output=True)
    reader, writer = os.pipe()
    os.close(reader)  # as `head` does once it has its lines
    try:
        done = subprocess.run(
            [*run, *argv],
            cwd=tmp_path,
            env=env,
            input="help\nhelp\nlist\n",
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (141, "")  # 128 + SIGPIPE, as `cat` would


def test_a_broken_connection_to_slack_is_still_a_network_failure() -> None:
    # The same errno from a socket (Slack closing on us) while our own stdout is fine.
    broken = BrokenPipeError(errno.EPIPE, "Broken pipe")
    assert not output_closed(broken)  # our stdout still has its reader
    line = failure_line(broken, lang="ja", database_url="")
    assert "Slack に接続できません" in line


# --------------------------------------------------------------------- `wgbot run` tokens


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def run_bot(tmp_path: Path, slack: FakeSlack, **env: str) -> subprocess.CompletedProcess[str]:
    """`wgbot run` as a real process against the fake Slack; it must stop by itself."""
    full = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "WGBOT_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wgbot.db'}",
        "SLACK_API_URL": slack.base_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": "secret",
        "WGBOT_TICK_SECONDS": "0.1",
        **env,
    }
    cmd = [sys.executable, "-m", "bot.cli", "run", "--port", "0"]
    return subprocess.run(
        cmd, cwd=tmp_path, env=full, capture_output=True, text=True, timeout=60, check=False
    )


def scheduler_never_ran(tmp_path: Path) -> bool:
    """No lease row: neither the scheduler nor its heartbeat ever touched the database."""
    import sqlite3

    with sqlite3.connect(tmp_path / "wgbot.db") as conn:
        return conn.execute("SELECT count(*) FROM lease").fetchone()[0] == 0


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked"])
def test_run_stops_when_slack_refuses_the_bot_token(
    error: str, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_slack.set_response("auth.test", {"ok": False, "error": error})
    started = time.monotonic()
    done = run_bot(tmp_path, fake_slack)
    assert done.returncode == 2
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert lines == [
        f"wgbot: Slack が SLACK_BOT_TOKEN を受け付けませんでした（{error}）。"
        "トークンが取り消されていないか、正しく写したかを確認してください"
    ]
    assert scheduler_never_ran(tmp_path)
    assert [c.method for c in fake_slack.calls] == ["auth.test"]
    assert time.monotonic() - started < 30


def test_run_in_socket_mode_stops_when_slack_refuses_the_app_token(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_slack.set_response("apps.connections.open", {"ok": False, "error": "invalid_auth"})
    done = run_bot(tmp_path, fake_slack, SLACK_APP_TOKEN="xapp-1-revoked", WGBOT_LANGUAGE="en")
    assert done.returncode == 2
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "Slack refused SLACK_APP_TOKEN (invalid_auth)" in lines[0]
    assert scheduler_never_ran(tmp_path)
    assert [c.method for c in fake_slack.calls] == ["auth.test", "apps.connections.open"]


@pytest.mark.parametrize("now", ["明日", "令和9年1月15日", "2027-13-01", "foo"])
def test_a_now_the_tick_cannot_read_is_one_line(
    shell: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], now: str
) -> None:
    line = fails(["tick", "--dry-run", "--now", now], capfd)
    assert f"--now の日時「{now}」が読めません" in line


def test_a_proxy_page_where_slacks_error_goes_is_not_printed() -> None:
    """slack_sdk puts the start of a non-JSON answer (a proxy's page, which may quote the
    request) where the error code goes: the operator's line names the status instead."""
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.slack_response import SlackResponse

    page = "Received a response in a non-JSON format: Request blocked: 山田花子 相談内容"
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="http://127.0.0.1:9/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": page},
        headers={},
        status_code=403,
    )
    line = failure_line(SlackApiError("refused", response), lang="ja", database_url="")
    assert "403" in line and "山田" not in line and "Request blocked" not in line
