"""The case log over signed HTTP, on SQLite and PostgreSQL: who sees what, forged forms,
field errors, no leaks, and the case admins' transitions.

Five people: U1 the reporter, U9 a case admin (made one by the operator with
`wgbot case-admin add`), U2 a member of the reporter's WG who is not a case admin,
U4 the lead of another team who is not a case admin, U3 a stranger. Every case
command, the close button, the form and App Home run as each; U9 is removed and
re-added by the operator in between.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from bot import cli
from bot.clock import FixedClock
from bot.services import digests
from storage.models import AuditLog, HarassmentCase
from tests.conftest import JST
from tests.e2e.conftest import Running, serve
from tests.factories import wg
from tests.fakeslack import FakeSlack

REPORTER, ADMIN, TEAMMATE, STRANGER, LEAD = "U1", "U9", "U2", "U3", "U4"
EVERYONE = (REPORTER, ADMIN, TEAMMATE, STRANGER)
WHAT = "０９０－１２３４－５６７８に今すぐ電話しろと怒鳴り、机を叩いて職員を威圧した。"
RESPONSE = "係長が同席し、〒808-0034 への訪問要求は断った。"
# Words of the case that must never appear in a channel (masked tokens included).
CASE_WORDS = ("怒鳴り", "机を叩いて", "訪問要求", "［電話番号］", "［郵便番号］", "係長が同席")
NOT_FOUND = "事例 #1 は見つかりません。"


def state(**over: Any) -> dict[str, Any]:
    """view.state.values of a complete case form (block_id == action_id)."""
    values: dict[str, Any] = {
        "date": {"type": "datepicker", "selected_date": "2024-11-28"},
        "time": {"type": "timepicker", "selected_time": "10:30"},
        "place": {"type": "static_select", "selected_option": {"value": "counter"}},
        "section": {"type": "plain_text_input", "value": "市民課"},
        "kinds": {
            "type": "multi_static_select",
            "selected_options": [{"value": "abusive"}, {"value": "intimidation"}],
        },
        "minutes": {"type": "number_input", "value": "90"},
        "staff_count": {"type": "number_input", "value": "2"},
        "staff": {"type": "plain_text_input", "value": "係長、窓口担当"},
        "what": {"type": "plain_text_input", "value": WHAT},
        "response": {"type": "plain_text_input", "value": RESPONSE},
        "flags": {"type": "checkboxes", "selected_options": [{"value": "follow_up"}]},
    }
    for name, value in over.items():
        values[name] = {**values[name], **value} if isinstance(value, dict) else value
    return {k: v for k, v in values.items() if v is not None}


def submit(run: Running, *, user: str, meta: str = "", **over: Any) -> dict[str, Any]:
    """Submit the case form; the JSON Slack would get back ({} for a plain ack)."""
    resp = run.client.view_submission(
        user=user, callback_id="case_form", state_values=state(**over), private_metadata=meta
    )
    assert resp.status == 200
    body = resp.body.strip() if isinstance(resp.body, str | bytes) else resp.body
    return resp.json() if body else {}


def answer(run: Running, text: str, *, user: str, trigger_id: str | None = None) -> dict:
    """Run `/wg <text>` as user; the response_url answer."""
    before = len(run.slack.responses)
    kwargs: dict[str, Any] = {"trigger_id": trigger_id} if trigger_id else {}
    resp = run.client.command(
        text, user=user, response_url=run.slack.response_url(f"{user}-{before}"), **kwargs
    )
    assert resp.status == 200
    run.slack.wait_for_responses(before + 1, timeout=5)
    return run.slack.responses[before].json


def open_modal(run: Running, text: str, *, user: str) -> dict[str, Any]:
    """Run a command that opens a modal (no response_url answer then); the view opened."""
    before = len([c for c in run.slack.calls if c.method == "views.open"])
    resp = run.client.command(
        text, user=user, trigger_id=f"trig-{user}", response_url=run.slack.response_url()
    )
    assert resp.status == 200
    call = run.slack.wait_for("views.open", count=before + 1)[before]
    assert call.params["trigger_id"] == f"trig-{user}"
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def press_close(run: Running, *, user: str, value: str = "1") -> dict:
    """Press 「終了にする」 under `case show`; the ephemeral answer."""
    before = len(run.slack.responses)
    resp = run.client.block_action(
        user=user,
        action_id="case_close",
        value=value,
        channel=f"D{user}",
        message_ts="1700000000.000100",
        trigger_id="trig-close",
        response_url=run.slack.response_url(f"close-{user}-{before}"),
    )
    assert resp.status == 200
    run.slack.wait_for_responses(before + 1, timeout=5)
    return run.slack.responses[before].json


def case_row(run: Running) -> HarassmentCase:
    with run.ctx.session() as s:
        row = s.get(HarassmentCase, 1)
        assert row is not None
        return row


@pytest.fixture
def running(engine: Engine, clock: FixedClock, fake_slack: FakeSlack) -> Iterator[Running]:
    """The app serving signed requests over each backend (SQLite and PostgreSQL)."""
    yield from serve(engine, clock, fake_slack)


@pytest.fixture
def logged(running: Running) -> Running:
    """The four people, and case #1 recorded by U1 through the form."""
    ctx = running.ctx
    wg(ctx, "team new カスハラPT kind:PT <#C0CASEPT|pt>", user=ADMIN)
    assert cli.case_admin_cli(ctx, "add", [ADMIN]) == 0
    wg(ctx, "team new 窓口WG kind:WG <#C0DESK|desk>", user=REPORTER)
    wg(ctx, f"team add 窓口WG <@{TEAMMATE}>", user=REPORTER)
    assert submit(running, user=REPORTER) == {}
    return running


def _wait_for_dm(run: Running, needle: str) -> None:
    for _ in range(50):
        if any(needle in json.dumps(c.params, ensure_ascii=False) for c in run.slack.calls):
            return
        time.sleep(0.1)
    raise AssertionError(f"no call contains {needle!r}")


def test_form_saves_masked_and_confirms_by_dm(logged: Running) -> None:
    row = case_row(logged)
    assert row.reporter == REPORTER and "1234" not in row.what_happened
    assert "808" not in (row.response or "")
    _wait_for_dm(logged, "事例 #1 を記録しました")
    confirm = [c for c in logged.slack.calls if c.method == "chat.postMessage"]
    assert confirm and all(str(c.params["channel"]).startswith("D") for c in confirm)
    assert "電話番号 1件" in json.dumps([c.params for c in confirm], ensure_ascii=False)


def test_everyone_may_open_the_private_form(logged: Running) -> None:
    for user in EVERYONE:
        view = open_modal(logged, "case new", user=user)
        assert view["callback_id"] == "case_form" and view["private_metadata"] == ""
        assert "氏名など個人が特定できる情報は書かないでください" in json.dumps(
            view, ensure_ascii=False
        )


def test_show_matrix(logged: Running) -> None:
    for user in (REPORTER, ADMIN):
        body = answer(logged, "case show 1", user=user)
        assert body["response_type"] == "ephemeral"
        assert "机を叩いて" in body["text"] and "［電話番号］" in body["text"]
    missing = answer(logged, "case show 999", user=STRANGER)["text"].replace("999", "1")
    for user in (TEAMMATE, STRANGER):
        body = answer(logged, "case show 1", user=user)
        assert body["text"] == missing == NOT_FOUND
        assert body["response_type"] == "ephemeral" and not body.get("blocks")


def test_list_matrix(logged: Running) -> None:
    own = answer(logged, "case list", user=REPORTER)["text"]
    assert "#1" in own and "<@U1>" not in own
    everything = answer(logged, "case list", user=ADMIN)["text"]
    assert "#1" in everything and "<@U1>" in everything
    for user in (TEAMMATE, STRANGER):
        assert "#1" not in answer(logged, "case list", user=user)["text"]


def test_stats_export_audit_matrix(logged: Running) -> None:
    for user in (REPORTER, ADMIN):  # the case counted (small counts are masked: docs/cases.md)
        text = answer(logged, "case stats", user=user)["text"]
        assert "件数: " in text and "事例はありません" not in text
    for user in (TEAMMATE, STRANGER):
        assert "事例はありません" in answer(logged, "case stats", user=user)["text"]
    assert "1件" in answer(logged, "case export", user=ADMIN)["text"]
    assert "監査ログ" in answer(logged, "case audit", user=ADMIN)["text"]
    for user in (REPORTER, TEAMMATE, STRANGER):
        for verb in ("export", "audit"):
            assert "事例管理者だけ" in answer(logged, f"case {verb}", user=user)["text"]
    uploads = _upload_channels(logged)
    assert uploads and all(ch.startswith("D") for ch in uploads)  # the admin's DM only


def test_edit_and_close_matrix(logged: Running) -> None:
    for user in (TEAMMATE, STRANGER):
        assert answer(logged, "case edit 1", user=user, trigger_id="t")["text"] == NOT_FOUND
        assert answer(logged, "case close 1", user=user)["text"] == NOT_FOUND
        assert press_close(logged, user=user)["text"] == NOT_FOUND
    assert "本人だけ" in answer(logged, "case edit 1", user=ADMIN, trigger_id="t")["text"]
    view = open_modal(logged, "case edit 1", user=REPORTER)
    assert view["private_metadata"] == '{"case_id": 1}'
    assert "机を叩いて" in json.dumps(view, ensure_ascii=False)
    assert case_row(logged).status == "open"
    reply = press_close(logged, user=ADMIN)
    assert reply["text"] == "事例 #1 を終了にしました（記録は残ります）。"
    assert reply["response_type"] == "ephemeral"
    row = case_row(logged)
    assert (row.status, row.closed_by) == ("closed", ADMIN)


def test_forged_edit_of_someone_elses_case_is_refused(logged: Running) -> None:
    meta = json.dumps({"case_id": 1})
    for user in (TEAMMATE, STRANGER, ADMIN):
        resp = submit(logged, user=user, meta=meta, what={"value": "書き換えた"})
        assert resp["response_action"] == "errors"
    for odd in ("{", '{"case_id": "1"}', '{"case_id": 1, "x": 2}', "[1]", '{"case_id": true}'):
        assert submit(logged, user=REPORTER, meta=odd)["response_action"] == "errors"
    assert case_row(logged).what_happened != "書き換えた"
    assert submit(logged, user=REPORTER, meta=meta, minutes={"value": "30"}) == {}
    assert case_row(logged).minutes == 30


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"minutes": {"value": "-10"}}, "minutes"),
        ({"minutes": {"value": "2000"}}, "minutes"),
        ({"date": {"selected_date": "2024-12-01"}}, "date"),
        ({"kinds": {"selected_options": [{"value": "violence"}]}}, "kinds"),
        ({"what": {"value": "あ" * 2001}}, "what"),
        ({"what": None}, "what"),
        ({"place": None}, "place"),
    ],
)
def test_bad_form_gets_field_errors_and_stores_nothing(
    running: Running, over: dict[str, Any], field: str
) -> None:
    resp = submit(running, user=REPORTER, **over)
    assert resp["response_action"] == "errors" and field in resp["errors"]
    with running.ctx.session() as s:
        assert s.exec(select(HarassmentCase)).all() == []


def test_no_case_text_ever_reaches_a_channel(logged: Running) -> None:
    """A whole scenario, then every recorded post and upload is checked."""
    for user in EVERYONE:
        for text in ("case list", "case show 1", "case stats", "case export", "case audit"):
            answer(logged, text, user=user)
        press_close(logged, user=user, value="999")
    submit(logged, user=REPORTER, meta=json.dumps({"case_id": 1}))
    submit(logged, user=STRANGER, meta=json.dumps({"case_id": 1}))
    assert isinstance(logged.ctx.clock, FixedClock)
    logged.ctx.clock.set(datetime(2024, 12, 2, 9, 0, tzinfo=JST))
    digests.post_digests(logged.ctx, today=logged.ctx.clock.today(), team_name="カスハラPT")
    channel_posts = [
        c
        for c in logged.slack.calls
        if c.method in ("chat.postMessage", "chat.update", "files.completeUploadExternal")
        and not _channel_of(c.params).startswith("D")
    ]
    assert channel_posts, "the PT digest should have gone to its channel"
    for call in channel_posts:
        dumped = json.dumps(call.params, ensure_ascii=False)
        assert not [w for w in CASE_WORDS if w in dumped], dumped
    assert all(r.json.get("response_type") == "ephemeral" for r in logged.slack.responses)
    with logged.ctx.session() as s:
        actions = {a.action for a in s.exec(select(AuditLog)).all()}
    assert {"create", "view", "list", "stats", "export", "audit"} <= actions


def _channel_of(params: dict[str, Any]) -> str:
    for key in ("channel", "channel_id", "channels"):
        if params.get(key):
            return str(params[key]).split(",")[0]
    files = params.get("files")
    return "" if files else "?"


def _upload_channels(run: Running) -> list[str]:
    return [
        _channel_of(c.params) for c in run.slack.calls if c.method == "files.completeUploadExternal"
    ]


# --- the case admins' transitions, decided by the operator -----------------------------

MILESTONE = "事例管理者の定例会"
_events = itertools.count(1)


def home_text(run: Running, user: str) -> str:
    """Open the user's App Home; everything views.publish showed them."""
    before = len(run.slack.calls_to("views.publish"))
    event = {"type": "app_home_opened", "user": user, "tab": "home", "channel": f"D{user}"}
    assert run.client.event(event, event_id=f"EvHome{next(_events)}").status == 200
    call = run.slack.wait_for("views.publish", count=before + 1)[before]
    assert call.params["user_id"] == user
    return json.dumps(call.params["view"], ensure_ascii=False)


def new_case(run: Running) -> int:
    """One more case by the reporter, through the form; its id."""
    assert submit(run, user=REPORTER) == {}
    with run.ctx.session() as s:
        return max(s.exec(select(HarassmentCase.id)).all() or [0]) or 0


def reach(run: Running, user: str) -> dict[str, bool]:
    """Whether each case command, button, form and App Home let the user at the cases."""
    not_found = NOT_FOUND
    to_close, to_press = new_case(run), new_case(run)
    meta = json.dumps({"case_id": 1})
    form = submit(run, user=user, meta=meta, what={"value": "書き換えた"})
    closed = answer(run, f"case close {to_close}", user=user)["text"]
    pressed = press_close(run, user=user, value=str(to_press))["text"]
    home = home_text(run, user)
    assert not [w for w in CASE_WORDS if w in home], home  # App Home never shows a case
    return {
        "list": "#1 " in answer(run, "case list", user=user)["text"],
        "show": "机を叩いて" in answer(run, "case show 1", user=user)["text"],
        # A case admin sees the case but may not rewrite it: told so, not "not found".
        "edit": answer(run, "case edit 1", user=user, trigger_id="t")["text"] != not_found,
        "form": form["errors"]["what"] != not_found,
        "close": "終了にしました" in closed,
        "button": "終了にしました" in pressed,
        "stats": "事例はありません" not in answer(run, "case stats", user=user)["text"],
        "export": "事例管理者だけ" not in answer(run, "case export", user=user)["text"],
        "audit": "事例管理者だけ" not in answer(run, "case audit", user=user)["text"],
        "home": MILESTONE in home,  # the case-admin group's milestone: a member's view
    }


def everything(value: bool) -> dict[str, bool]:
    surfaces = ("list", "show", "edit", "form", "close", "button", "stats", "export", "audit")
    return {s: value for s in (*surfaces, "home")}


def test_admin_added_removed_and_re_added_on_every_surface(logged: Running) -> None:
    ctx = logged.ctx
    wg(ctx, "team new 広報WG", user=LEAD)  # a lead, of a team of their own
    # Another admin's milestone of the group: U9 sees it in App Home as a member only.
    assert cli.case_admin_cli(ctx, "add", ["U8"]) == 0
    assert wg(ctx, f"task add {MILESTONE} due:12/20 team:事例管理者 milestone", user="U8").text
    for user in (LEAD, TEAMMATE, STRANGER):
        assert reach(logged, user) == everything(False), user
    assert reach(logged, ADMIN) == everything(True)

    assert cli.case_admin_cli(ctx, "remove", [ADMIN]) == 0  # the operator, after 人事異動
    assert reach(logged, ADMIN) == everything(False)  # from the very next request
    assert reach(logged, LEAD) == everything(False)

    assert cli.case_admin_cli(ctx, "add", [ADMIN]) == 0
    assert reach(logged, ADMIN) == everything(True)
    with ctx.session() as s:
        admin_rows = select(AuditLog).where(col(AuditLog.action).like("admin_%"))
        rows = s.exec(admin_rows.order_by(col(AuditLog.id))).all()
    assert [(r.action, r.detail) for r in rows] == [
        ("admin_add", ADMIN),
        ("admin_add", "U8"),
        ("admin_remove", ADMIN),
        ("admin_add", ADMIN),
    ]
    assert all(r.actor.startswith("operator") for r in rows)


def test_nobody_changes_the_case_admins_from_slack(logged: Running) -> None:
    said = "事例管理者の追加・解除は運用担当者が wgbot case-admin で行います。"
    for user in (ADMIN, LEAD, STRANGER):
        for line in (f"team add 事例管理者 <@{STRANGER}>", f"team remove 事例管理者 <@{ADMIN}>"):
            assert answer(logged, line, user=user)["text"].startswith(said)
    assert "事例管理者だけ" in answer(logged, "case audit", user=STRANGER)["text"]
    assert "監査ログ" in answer(logged, "case audit", user=ADMIN)["text"]


def _alerts(run: Running) -> list[dict[str, Any]]:
    return [
        c.params
        for c in run.slack.calls_to("chat.postMessage")
        if "許可のない操作" in str(c.params.get("text"))
    ]


def test_three_refused_attempts_in_an_hour_alert_the_case_admins_once(logged: Running) -> None:
    run, clock = logged, logged.ctx.clock
    assert isinstance(clock, FixedClock)
    answer(run, "case show 1", user=STRANGER)
    press_close(run, user=STRANGER)
    assert _alerts(run) == []
    submit(run, user=STRANGER, meta='{"case_id": "1"}')  # a forged form: the third
    (alert,) = _wait_alerts(run, 1)
    assert alert["channel"] == f"D{ADMIN}"
    text = str(alert["text"])
    assert f"<@{STRANGER}>" in text and "3 回" in text and "2024-11-29 09:00" in text
    assert "#1" not in text and not [w for w in CASE_WORDS if w in text]
    answer(run, "case export", user=STRANGER)  # the fourth, within the hour: no second DM
    clock.advance(timedelta(minutes=30))
    answer(run, "case audit", user=STRANGER)
    clock.advance(timedelta(minutes=31))  # past the hour of the alert
    answer(run, "case close 1", user=STRANGER)
    time.sleep(0.2)
    assert len(_alerts(run)) == 1
    answer(run, "case show 1", user=STRANGER)
    answer(run, "case show 1", user=STRANGER)
    assert len(_wait_alerts(run, 2)) == 2
    with run.ctx.session() as s:
        actions = [a.action for a in s.exec(select(AuditLog)).all() if a.actor == STRANGER]
    assert actions.count("refused_alert") == 2 and "form_refused" in actions


def _wait_alerts(run: Running, n: int) -> list[dict[str, Any]]:
    for _ in range(50):
        if len(found := _alerts(run)) >= n:
            return found
        time.sleep(0.1)
    raise AssertionError(f"expected {n} alerts, got {len(_alerts(run))}")
