"""Nothing a person typed reaches a log: forged, stale, failing and ordinary requests.

Each request carries a My Number, a phone number, an e-mail address and a Japanese
sentence. Everything logged by every logger at DEBUG (the product's, bolt's,
slack_sdk's, waitress's, SQLAlchemy's) and everything written to stdout or stderr is
searched for them, raw and as they travel in a body (URL-encoded, JSON-escaped).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from bot import cli
from tests.e2e.conftest import Running
from tests.factories import load_sample_plan, signage_team, wg

MY_NUMBER = "123456789012"
PHONE = "090-1234-5678"
EMAIL = "taro@example.jp"
NOTE = "窓口で大声を出された件の対応を共有した"
SECRETS = (MY_NUMBER, PHONE, EMAIL, NOTE)
ADMIN, REPORTER = "U9", "U1"
INTERNAL_ERROR = "処理中に問題が起きました"
LIBRARIES = ("slack_bolt", "slack_sdk", "waitress", "sqlalchemy", "apscheduler", "alembic")


def forms(secret: str) -> set[str]:
    """The ways a secret can appear in a log: as typed, URL-encoded, JSON-escaped."""
    return {
        secret,
        urllib.parse.quote_plus(secret),
        urllib.parse.quote(secret),
        json.dumps(secret)[1:-1],
        urllib.parse.quote_plus(json.dumps(secret)[1:-1]),
    }


def case_state() -> dict[str, Any]:
    """A complete case form whose free text holds every secret."""
    what = f"{NOTE}。マイナンバー {MY_NUMBER} を書いた紙を示し、{PHONE} と {EMAIL} に連絡せよと要求"
    return {
        "date": {"type": "datepicker", "selected_date": "2024-11-28"},
        "time": {"type": "timepicker", "selected_time": "10:30"},
        "place": {"type": "static_select", "selected_option": {"value": "counter"}},
        "section": {"type": "plain_text_input", "value": "市民課"},
        "kinds": {"type": "multi_static_select", "selected_options": [{"value": "abusive"}]},
        "minutes": {"type": "number_input", "value": "30"},
        "staff_count": {"type": "number_input", "value": "1"},
        "staff": {"type": "plain_text_input", "value": "窓口担当"},
        "what": {"type": "plain_text_input", "value": what},
        "response": {"type": "plain_text_input", "value": f"{NOTE}（{PHONE}）"},
        "flags": {"type": "checkboxes", "selected_options": []},
    }


def case_payload_body(run: Running) -> bytes:
    """The raw body of a case form submission (form field payload=<JSON>)."""
    payload = {
        "type": "view_submission",
        "team": {"id": "T1", "domain": "t1"},
        "user": {"id": REPORTER, "username": "u1", "name": "u1", "team_id": "T1"},
        "api_app_id": "A1",
        "token": "verification-token",
        "trigger_id": "trig",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "case_form",
            "private_metadata": "",
            "state": {"values": {k: {k: v} for k, v in case_state().items()}},
            "blocks": [],
        },
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
    return body.encode("utf-8")


@pytest.fixture
def logs(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger at DEBUG (set before the app starts: bolt copies levels at creation);
    after the test, no secret in any record or on stdout/stderr."""
    caplog.set_level(logging.DEBUG)
    for name in LIBRARIES:  # SQLAlchemy, for one, sets its own level (WARN) when imported
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog
    time.sleep(0.3)  # listeners run on bolt's pool after the ack
    out, err = capfd.readouterr()
    phases = ("setup", "call", "teardown")
    records = [caplog.handler.format(r) for when in phases for r in caplog.get_records(when)]
    assert records, "nothing was logged: the test would prove nothing"
    for secret in SECRETS:
        for form in forms(secret):
            leaks = [r for r in records if form in r] + [s for s in (out, err) if form in s]
            assert not leaks, f"{secret!r} logged as {form!r}: {leaks[:3]}"


def fail_inserts(run: Running, table: str) -> None:
    """The database refuses every new row of `table` (a forced fault, as a full disk would)."""
    with run.ctx.engine.begin() as conn:
        conn.execute(
            text(
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
        )


def test_forged_request_logs_no_body(logs: pytest.LogCaptureFixture, running: Running) -> None:
    body = case_payload_body(running)
    headers = running.client.signer.headers(body)
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    assert running.client.post_raw(body, headers).status == 401
    assert any("signature" in r.getMessage() for r in logs.records)


def test_stale_signed_request_logs_no_body(
    logs: pytest.LogCaptureFixture, running: Running
) -> None:
    body = case_payload_body(running)
    ten_minutes_ago = int(time.time()) - 600  # a server clock 10 minutes off
    assert running.client.post_signed(body, timestamp=ten_minutes_ago).status == 401
    assert any("signature" in r.getMessage() for r in logs.records)


def test_case_form_failing_on_a_database_error_logs_no_case_text(
    logs: pytest.LogCaptureFixture, running: Running
) -> None:
    fail_inserts(running, "harassment_case")
    resp = running.client.view_submission(
        user=REPORTER, callback_id="case_form", state_values=case_state()
    )
    assert resp.status == 200
    assert INTERNAL_ERROR in json.dumps(resp.json(), ensure_ascii=False)
    assert any(r.levelno >= logging.ERROR for r in logs.records)


def test_slash_command_failing_on_a_database_error_logs_no_typed_text(
    logs: pytest.LogCaptureFixture, running: Running
) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    fail_inserts(running, "progressnote")
    before = len(running.slack.responses)
    typed = f"note A(2) {NOTE} {PHONE} {EMAIL} {MY_NUMBER}"
    assert running.client.command(typed, user="U2").status == 200
    running.slack.wait_for_responses(before + 1, timeout=5)
    assert INTERNAL_ERROR in running.slack.responses[before].json["text"]
    failed = [r for r in logs.records if r.levelno >= logging.ERROR]
    assert failed and "command note failed" in failed[0].getMessage()


def test_ordinary_requests_log_no_body_at_debug(
    logs: pytest.LogCaptureFixture, running: Running
) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    wg(running.ctx, "team new カスハラPT kind:PT", user=ADMIN)
    assert cli.case_admin_cli(running.ctx, "add", [ADMIN]) == 0
    before = len(running.slack.responses)
    assert running.client.command(f"note A(2) {NOTE}", user="U2").status == 200
    running.slack.wait_for_responses(before + 1, timeout=5)
    assert NOTE in running.slack.responses[before].json["text"]  # the answer quotes it
    resp = running.client.view_submission(
        user=REPORTER, callback_id="case_form", state_values=case_state()
    )
    assert resp.status == 200 and not resp.body
    running.slack.wait_for("chat.postMessage")  # the DM confirming the case
    before = len(running.slack.responses)
    url = running.slack.response_url("export")
    assert running.client.command("case export", user=ADMIN, response_url=url).status == 200
    running.slack.wait_for("files.completeUploadExternal", timeout=10)
    running.slack.wait_for_responses(before + 1, timeout=5)
    # The loggers that used to dump bodies and SQL parameters did speak, at DEBUG.
    names = {r.name.split(".")[0] for r in logs.records}
    assert {"slack_bolt", "slack_sdk", "sqlalchemy"} <= names
