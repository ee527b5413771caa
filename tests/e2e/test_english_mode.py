"""WGBOT_LANGUAGE=en: every command, button, form, Home tab, reminder and digest in English.

Everything people type here is ASCII (team names, titles, notes, a plan of our own), so any
Japanese character in what the bot sends to Slack is the bot's own words leaking through.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.cli import main as wgbot
from bot.clock import FixedClock
from bot.commands import REGISTRY
from bot.services import cases, digests, outbox
from bot.services.context import Ctx
from bot.services.plans import PlanData, import_plan
from storage.models import Reminder
from tests.conftest import CALENDAR, JST, NOW
from tests.domain.test_cases_rules import values
from tests.e2e.conftest import SECRET, Running, start_app
from tests.factories import wg
from tests.fakeslack import FakeSlack
from tests.payloads import field
from tests.signed import SignedClient

# Hiragana, Katakana, CJK ideographs, and the full-width punctuation that comes with them.
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

PLAN = PlanData(
    ward="Northside Ward",
    fiscal_year=2024,
    title="Northside FY2024 plan",
    mission="A ward office easy to use",
    themes=[
        {
            "code": "A(1)",
            "title": "Signage review",
            "pillar": "Service",
            "content": "Signs are hard to read",
            "background": "Many questions at the desk",
            "approach": "A working group checks every floor",
        },
        {"code": "B(1)", "title": "Paperless desk", "pillar": "Workplace"},
    ],
    rows=[2, 3],
)

# Every command of the registry, bare, well formed and badly formed. A modal opens where a
# command has no arguments; unknown ids, bad dates and a closed day are refused in English.
LINES = [
    "",
    "help",
    "nonsense",
    "team",
    "team new",
    "team new Signage kind:WG theme:A(1) <#C0SIGN|signage>",
    "team new Signage",
    "team new Other kind:XX",
    "team new Third theme:Z(9)",
    "team list",
    "team show",
    "team show Signage",
    "team show Nope",
    "team add",
    "team add Signage <@U2>",
    "team add Nope <@U2>",
    "task",
    "task add",
    "task add Check racks due:12/10 <@U1> team:Signage",
    "task add Kickoff due:12/20 team:Signage theme:A(1) milestone",
    "task add Bad date due:99/99",
    "task add Holiday work due:2024-12-30 team:Signage",
    "task add Saturday work due:2024-11-30 team:Signage",
    "task add Wrong weekday due:2024-12-10(Wed) team:Signage",
    "task add Next year due:2025-05-01 team:Signage",
    "task add Nowhere team:Nope",
    "task list",
    "task list mine",
    "task list overdue",
    "task list team:Signage",
    "task list theme:A(1)",
    "task list team:Nope",
    "task list bogus",
    "task done",
    "task done abc",
    "task done #999",
    "task due",
    "task due #1",
    "task due #1 99/99",
    "task due #1 2024-12-29",
    "task due #1 12/11",
    "task assign",
    "task assign #1",
    "task assign #1 <@U2>",
    "note",
    "note #1",
    "note #1 Racks on floor 1 checked",
    "note A(1) Survey finished as-of:11/28",
    "note A(1) Future note as-of:2025-03-01",
    "note A(1) Bad date as-of:99/99",
    "note Z(9) Unknown theme",
    "note #999 Unknown task",
    "note fix",
    "note fix #1 Racks on floor 1 and 2 checked",
    "note fix #1 Again",
    "note fix #999 Nothing",
    "theme",
    "theme list",
    "theme show",
    "theme show A(1)",
    "theme show Z(9)",
    "theme status",
    "theme status A(1) B reason:on track",
    "theme status A(1) E reason:why",
    "theme status A(1) B",
    "kpi",
    "kpi add",
    "kpi add A(1) Visitors unit:people baseline:10 target:20",
    "kpi add Z(9) Visitors unit:people baseline:10 target:20",
    "kpi set",
    "kpi set #1 15",
    "kpi set #1 abc",
    "kpi set #9 1",
    "kpi set #1 16 as-of:99/99",
    "digest",
    "digest team:Signage",
    "digest team:Nope",
    "digest team:Signage week:someday",
    "report",
    "report as-of:2024-03-31",
    "report as-of:2025-04-30",
    "report as-of:someday",
    "report format:pdf",
    "report group-by:team",
    "remind",
    "remind on",
    "remind off",
    "remind quiet 18:00-08:00",
    "remind quiet bad",
    "remind quiet off",
    "remind team:Signage task:3,1,0 milestone:5,0",
    "remind team:Signage task:bad",
    "case",
    "case new",
    "case list",
    "case show",
    "case show #1",
    "case show #99",
    "case edit #99",
    "case close #99",
    "case stats",
    "case stats from:someday",
    "case export",
    "case audit",
    "case close #1",
    "me",
    "me ward:Nowhere",
    "me bogus",
]


def _texts(value: Any) -> Iterator[str]:
    """Every string inside a message, block list or view."""
    if isinstance(value, str):
        if value[:1] in "[{":
            try:
                yield from _texts(json.loads(value))
                return
            except ValueError:
                pass
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


def _leaks(fake: FakeSlack, extra: list[Any]) -> list[str]:
    """Strings the bot sent to Slack that hold Japanese."""
    sent: list[Any] = list(extra)
    for call in fake.calls:
        if call.method == "upload":
            continue  # file contents: the report files keep the plan's Japanese format
        keys = ("text", "blocks", "view", "initial_comment", "title", "filename")
        sent += [call.params.get(k) for k in keys]
    sent += [r.json for r in fake.responses]
    return sorted({s for v in sent for s in _texts(v) if JAPANESE.search(s)})


@pytest.fixture
def english(sqlite_engine: Engine, clock: FixedClock, fake_slack: FakeSlack) -> Iterator[Running]:
    """The app in English, answering through the fake Slack."""
    ctx, server, url = start_app(sqlite_engine, clock, fake_slack, lang="en")
    client = SignedClient(url, SECRET, response_url_base=fake_slack.response_url("r"))
    yield Running(ctx, fake_slack, client, url)
    server.close()  # type: ignore[attr-defined]


def _command(run: Running, line: str, *, user: str = "U1") -> None:
    before = len(run.slack.responses)
    run.client.command(
        line,
        user=user,
        trigger_id=f"trig-{before}",
        response_url=run.slack.response_url(str(before)),
    )
    if line in ("team new", "task add", "case new"):
        run.slack.wait_for("views.open", count=1, timeout=5)
        return
    run.slack.wait_for_responses(before + 1, timeout=10)


def _at(run: Running, *when: int) -> None:
    assert isinstance(run.ctx.clock, FixedClock)
    run.ctx.clock.set(datetime(*when, tzinfo=JST))  # type: ignore[misc]


def test_every_command_answers_in_english(english: Running) -> None:
    import_plan(english.ctx, data=PLAN)
    cases.create_case(english.ctx, user="U1", form=_case_form())
    registry = {group for group, _ in REGISTRY}
    assert registry <= {line.split(" ")[0] for line in LINES if line}, "a command is untested"
    for line in LINES:
        _command(english, line)
    leaks = _leaks(english.slack, [])
    assert not leaks, "\n".join(leaks)


def test_buttons_forms_home_reminders_and_digest_in_english(english: Running) -> None:
    run = english
    import_plan(run.ctx, data=PLAN)
    for line in (
        "team new Signage kind:WG theme:A(1) <#C0SIGN|signage>",
        "team add Signage <@U2>",
        "task add Check racks due:12/10 <@U2> team:Signage",
        "task add Kickoff due:12/20 team:Signage milestone",
    ):
        _command(run, line)
    # Reminders and the month-end note reminder.
    _at(run, 2024, 12, 5, 9, 0)
    assert outbox.run_tick(run.ctx).sent >= 1
    _at(run, 2024, 12, 23, 9, 0)
    outbox.run_tick(run.ctx)
    # Buttons: a stranger, the note form, postpone, done twice.
    for user, action, value in (
        ("U9", "reminder_done", "1"),
        ("U2", "reminder_note", "task:1"),
        ("U2", "reminder_postpone", "1:2024-12-10"),
        ("U2", "reminder_postpone", "1:2024-12-10"),
        ("U2", "reminder_done", "1"),
        ("U2", "reminder_done", "1"),
        ("U2", "reminder_note", "theme:Z(9)"),
        ("U2", "reminder_done", "garbage"),
    ):
        run.client.block_action(
            user=user,
            action_id=action,
            value=value,
            channel="DU2",
            message_ts="1.000",
            response_url=run.slack.response_url(f"{action}-{user}-{value}"),
        )
    run.slack.wait_for("views.open")
    meta = json.dumps({"target": "task:1", "channel": "DU2", "ts": None})
    submissions = [
        run.client.view_submission(
            user="U2", callback_id="note_modal", private_metadata=meta, state_values=state
        ).json()
        for state in (
            {"note": _text("  ")},
            {"note": _text("Done"), "as_of": field("datepicker", "2025-03-01")},
            {"note": _text("Floor 1 done")},
        )
    ]
    # The core forms with bad input, and the case form half filled.
    for callback, state in (
        ("team_new", {"name": _text("")}),
        ("team_new", {"name": _text("Signage")}),
        ("task_add", {"title": _text("")}),
        ("task_add", {"title": _text("X"), "due": _text("99/99")}),
        ("task_add", {"title": _text("Y"), "team": _text("Nope")}),
        ("task_add", {"title": _text("Z"), "team": _text("Signage"), "due": _text("2024-12-30")}),
        ("case_form", {"section": _text("Desk")}),
    ):
        body = run.client.view_submission(user="U1", callback_id=callback, state_values=state)
        submissions.append(body.json() if body.body.strip() else {})
    # App Home and the weekly digest.
    run.client.event({"type": "app_home_opened", "user": "U2", "tab": "home", "channel": "DU2"})
    run.slack.wait_for("views.publish")
    _at(run, 2025, 1, 6, 9, 0)
    assert digests.post_weekly_digests(run.ctx) == 1
    posted = [str(c.params.get("text")) for c in run.slack.calls_to("chat.postMessage")]
    assert any(text.startswith("Signage weekly digest") for text in posted)
    run.slack.wait_for("chat.postEphemeral", timeout=5)  # the note form's confirmation
    leaks = _leaks(run.slack, submissions)
    assert not leaks, "\n".join(leaks)


def _text(value: str) -> dict[str, Any]:
    return field("plain_text_input", value)


def _case_form() -> Any:
    from bot.domain.cases import read_form
    from tests.conftest import NOW

    parsed, errors = read_form(
        values(section="Desk", staff="Chief", what="Shouted for an hour", response="Two of us"),
        now=NOW,
    )
    assert parsed is not None, errors
    return parsed


# ------------------------------------------------------------------- the command line

# What an operator runs, in order; `tick` at a time when a reminder is due, the others now.
CLI_RUNS = [
    ["--help"],
    ["db", "upgrade"],
    ["tick", "--dry-run", "--now", "2024-12-05 09:00"],
    ["tick", "--now", "2024-12-05 09:00"],
    ["digest"],
    ["digest", "--week", "someday"],
    ["digest", "--team", "Nope"],
    ["report", "--as-of", "2024-11-30", "--format", "md"],
    ["report", "--as-of", "2024-03-31"],
    ["report", "--format", "pdf"],
    ["case", "audit", "verify"],
    ["case", "retention", "--dry-run"],
    ["case", "retention"],
    ["case-admin", "list"],
    ["case-admin", "frobnicate"],
    ["plan", "export"],
]


@pytest.fixture
def operator_shell(
    sqlite_engine: Engine, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Ctx:
    """`wgbot` in English on a database with ASCII data, one reminder due and one failed."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith(("SLACK_", "WGBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    env = {
        "DATABASE_URL": sqlite_engine.url.render_as_string(hide_password=False),
        "WGBOT_LANGUAGE": "en",
        "WGBOT_OPERATOR_CHANNEL": "C0OPS",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_slack.base_url,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    ctx = Ctx(engine=sqlite_engine, clock=FixedClock(NOW), calendar=CALENDAR, lang="en")
    import_plan(ctx, data=PLAN)
    wg(ctx, "team new Signage kind:WG theme:A(1) <#C0SIGN|signage>")
    wg(ctx, "team add Signage <@U2>")
    assert "#1" in wg(ctx, "task add Check racks due:12/10 <@U2> team:Signage").text
    with ctx.session() as s:
        s.add(
            Reminder(
                dedupe_key="broken", kind="task", task_id=1, user_id="U404",
                fire_at=NOW, status="failed", attempts=5, claimed_at=NOW,
                last_error="SlackApiError: user_not_found",
            )
        )  # fmt: skip
    return ctx


def test_every_wgbot_command_speaks_english(
    operator_shell: Ctx, fake_slack: FakeSlack, capfd: pytest.CaptureFixture[str]
) -> None:
    printed: dict[str, str] = {}
    for argv in CLI_RUNS:
        capfd.readouterr()
        try:
            code = wgbot(argv)
        except SystemExit as done:  # --help: argparse prints and exits
            code = int(done.code or 0)
        out, err = capfd.readouterr()
        assert "Traceback" not in err
        printed[" ".join(argv)] = f"[{code}] {out}{err}"
    leaks = {cmd: text for cmd, text in printed.items() if JAPANESE.search(text)}
    assert not leaks, leaks
    assert (
        "Reminders due at 2024-12-05 09:00: 1" in printed["tick --dry-run --now 2024-12-05 09:00"]
    )
    assert printed["tick --now 2024-12-05 09:00"].startswith("[0] Sent 1,")
    report = printed["report --as-of 2024-11-30 --format md"]
    assert "as of 30 Nov 2024: 2 themes" in report
    assert "31 Mar 2024 is before the plan's fiscal year" in printed["report --as-of 2024-03-31"]
    # The operator's daily report of failed reminders, in Slack, in English.
    posts = [c.params for c in fake_slack.calls_to("chat.postMessage")]
    ops = [str(p["text"]) for p in posts if p.get("channel") == "C0OPS"]
    assert ops and ops[0].startswith("Reminders that failed since the last report: 1.")
    assert _leaks(fake_slack, []) == []
