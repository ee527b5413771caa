"""The test harness itself: the fake Slack Web API driven by the real slack_sdk, and signing."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.fakeslack import FakeSlack
from tests.payloads import field, state_values
from tests.signed import SignedClient, SlackRequestSigner

SECRET = "harness-secret"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as f:
        yield f


def client(fake: FakeSlack, **kwargs: object) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.base_url, **kwargs)  # type: ignore[arg-type]


def test_post_message_is_recorded_and_answered_like_slack(fake: FakeSlack) -> None:
    web = client(fake)
    assert web.auth_test()["user_id"] == "UBOT"
    first = web.chat_postMessage(channel="C1", text="こんにちは", blocks=[{"type": "divider"}])
    second = web.chat_postMessage(channel="U7", text="dm")
    assert first["ok"] and first["channel"] == "C1" and second["channel"] == "DU7"
    assert float(first["ts"]) < float(second["ts"])
    (call,) = fake.wait_for("chat.postMessage", count=2)[:1]
    assert call.params["text"] == "こんにちは" and call.params["blocks"] == [{"type": "divider"}]
    assert call.headers["Authorization"] == "Bearer xoxb-test" and call.ok
    assert web.conversations_open(users="U5")["channel"]["id"] == "DU5"
    assert web.views_open(trigger_id="t", view={"type": "modal"})["view"]["id"].startswith("V")
    assert web.users_info(user="U5")["user"]["id"] == "U5"
    assert [c.method for c in fake.calls][-3:] == ["conversations.open", "views.open", "users.info"]
    fake.clear()
    assert fake.calls == []


def test_missing_token_is_not_authed(fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=fake.base_url).chat_postMessage(channel="C1", text="x")
    assert err.value.response["error"] == "not_authed"
    assert fake.calls[0].failed == "not_authed" and fake.ok_calls() == []


def test_per_channel_rate_limit_answers_429_and_retry_handler_gets_through(
    fake: FakeSlack,
) -> None:
    fake.rate_limit_per_channel(per_second=1.0, retry_after=1)
    bare = client(fake)
    bare.chat_postMessage(channel="C1", text="1")
    with pytest.raises(SlackApiError) as err:
        bare.chat_postMessage(channel="C1", text="2")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "1"
    assert err.value.response["error"] == "ratelimited"
    bare.chat_postMessage(channel="C2", text="other channel is fine")

    patient = client(fake, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)])
    start = time.monotonic()
    assert patient.chat_postMessage(channel="C2", text="3")["ok"]
    assert time.monotonic() - start >= 1.0
    c2 = fake.calls_to("chat.postMessage")[-3:]
    assert [c.failed for c in c2] == [None, "429", None]
    assert [c.params["text"] for c in fake.ok_calls("chat.postMessage")] == [
        "1",
        "other channel is fine",
        "3",
    ]


def test_server_error_then_retry_handler_succeeds(fake: FakeSlack) -> None:
    fake.fail_next(1, "500")
    with pytest.raises(SlackApiError):
        client(fake).chat_postMessage(channel="C1", text="lost")
    fake.fail_next(2, "500")
    retrying = client(fake, retry_handlers=[ServerErrorRetryHandler(max_retry_count=2)])
    assert retrying.chat_postMessage(channel="C1", text="kept")["ok"]
    assert [c.failed for c in fake.calls_to("chat.postMessage")] == ["500", "500", "500", None]
    assert len(fake.ok_calls("chat.postMessage")) == 1


def test_timeout_fault_makes_a_short_timeout_client_give_up(fake: FakeSlack) -> None:
    fake.hang_seconds = 1.5
    fake.fail_next(1, "timeout")
    start = time.monotonic()
    with pytest.raises(TimeoutError):
        client(fake, timeout=0.3).chat_postMessage(channel="C1", text="slow")
    assert time.monotonic() - start < 1.2
    assert fake.calls_to("chat.postMessage")[0].failed == "timeout"
    assert client(fake).chat_postMessage(channel="C1", text="fast")["ok"]


def test_other_fail_kinds_are_slack_errors(fake: FakeSlack) -> None:
    fake.fail_next(1, "channel_not_found", methods=["chat.postMessage"])
    web = client(fake)
    web.auth_test()  # not in methods: untouched
    with pytest.raises(SlackApiError) as err:
        web.chat_postMessage(channel="C9", text="x")
    assert err.value.response["error"] == "channel_not_found"


def test_fault_rate_is_seeded_and_roughly_right(fake: FakeSlack) -> None:
    def run(seed: int) -> list[str | None]:
        fake.clear()
        fake.set_fault_rate(0.3, kinds=("429", "500", "channel_not_found"), seed=seed)
        web = client(fake)
        for i in range(200):
            with contextlib.suppress(SlackApiError):
                web.chat_postMessage(channel=f"C{i}", text="x")
        return [c.failed for c in fake.calls]

    first, again = run(7), run(7)
    assert first == again
    assert 40 <= sum(1 for f in first if f) <= 80
    assert {"429", "500", "channel_not_found"} <= set(first)
    fake.set_fault_rate(0.0)
    assert client(fake).chat_postMessage(channel="C1", text="x")["ok"]


def test_files_upload_v2_records_bytes_and_channel(fake: FakeSlack) -> None:
    web = client(fake)
    done = web.files_upload_v2(
        channel="C1", content=b"abc", filename="a.txt", initial_comment="report"
    )
    assert done["ok"] and done["file"]["name"] == "a.txt" and done["file"]["size"] == 3
    assert [c.method for c in fake.calls] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    assert fake.calls_to("upload")[0].data == b"abc"
    (complete,) = fake.calls_to("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C1"
    assert complete.params["initial_comment"] == "report"
    assert complete.files[0].data == b"abc" and complete.files[0].filename == "a.txt"
    (up,) = fake.uploaded("C1")
    assert up.data == b"abc" and up.initial_comment == "report"


def test_response_url_records_posts(fake: FakeSlack) -> None:
    url = fake.response_url("cmd-1")
    assert WebhookClient(url).send(text="done", response_type="ephemeral").status_code == 200
    (post,) = fake.wait_for_responses(1, timeout=2)
    assert post.name == "cmd-1" and post.json == {"text": "done", "response_type": "ephemeral"}
    assert fake.responses_to("cmd-1") == [post]
    fake.response_url_max_uses = 1
    assert WebhookClient(url).send(text="again").status_code == 404
    with pytest.raises(AssertionError, match="response_url"):
        fake.wait_for_responses(3, timeout=0.1)


def test_wait_for_waits_for_calls_from_other_threads(fake: FakeSlack) -> None:
    def later() -> None:
        time.sleep(0.2)
        client(fake).chat_update(channel="C1", ts="1.0", text="edited")

    threading.Thread(target=later).start()
    (call,) = fake.wait_for("chat.update", timeout=3)
    assert call.params["ts"] == "1.0"
    with pytest.raises(AssertionError, match=r"chat\.delete"):
        fake.wait_for("chat.delete", timeout=0.1)


def test_set_response_overrides_a_method(fake: FakeSlack) -> None:
    fake.set_response("users.info", {"ok": False, "error": "user_not_found"})
    with pytest.raises(SlackApiError):
        client(fake).users_info(user="U1")
    fake.set_response("users.info", lambda call: {"user": {"id": call.params["user"], "x": 1}})
    assert client(fake).users_info(user="U2")["user"] == {"id": "U2", "x": 1}


def test_signature_verifies_with_slack_sdk() -> None:
    body = b"command=%2Fwg&text=help"
    headers = SlackRequestSigner(SECRET).headers(body)
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    stale = SlackRequestSigner(SECRET).headers(body, timestamp=int(time.time()) - 600)
    assert not verifier.is_valid_request(body, stale)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"


class _Echo(BaseHTTPRequestHandler):
    """Records what the signed client sends (a stand-in for the app, for shape checks)."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((dict(self.headers.items()), body))
        out = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


def test_signed_client_builds_signed_slack_shaped_requests() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Echo.seen = []
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
        signed = SignedClient(url, SECRET, response_url_base="http://x/response/r")
        verifier = SignatureVerifier(SECRET)

        resp = signed.command("task list", user="U2")
        assert resp.status == 200 and resp.json() == {"ok": True} and resp.elapsed >= 0
        signed.block_action(user="U3", action_id="done", value="7", channel="C5")
        signed.view_submission(
            user="U4",
            callback_id="team_new",
            state_values={"name": field("plain_text_input", "観光PT"), "kind": "x"},
        )
        signed.event({"type": "app_home_opened", "user": "U2"}, event_id="Ev9", retry_num=1)
        assert len({id(h) for h, _ in _Echo.seen}) == 4
        for headers, body in _Echo.seen:
            assert verifier.is_valid_request(body, headers)

        cmd = dict(urllib.parse.parse_qsl(_Echo.seen[0][1].decode()))
        assert cmd["user_id"] == "U2" and cmd["text"] == "task list" and cmd["command"] == "/wg"
        assert cmd["response_url"] == "http://x/response/r" and cmd["team_id"] == "T1"

        def payload(i: int) -> dict:
            return json.loads(urllib.parse.parse_qs(_Echo.seen[i][1].decode())["payload"][0])

        action = payload(1)
        assert action["type"] == "block_actions" and action["channel"]["id"] == "C5"
        assert action["actions"][0]["action_id"] == "done" and action["actions"][0]["value"] == "7"
        assert action["container"]["channel_id"] == "C5"
        view = payload(2)["view"]
        assert view["type"] == "modal" and view["callback_id"] == "team_new"
        assert view["state"]["values"]["name"]["name"]["value"] == "観光PT"
        assert view["state"]["values"]["kind"]["kind"]["value"] == "x"
        ev_headers, ev_body = _Echo.seen[3]
        assert ev_headers["Content-Type"] == "application/json"
        assert ev_headers["X-Slack-Retry-Num"] == "1"
        assert json.loads(ev_body)["event_id"] == "Ev9"
    finally:
        server.shutdown()
        server.server_close()


def test_field_helpers_follow_slack_shapes() -> None:
    assert state_values(note=field("plain_text_input", "a")) == {
        "note": {"note": {"type": "plain_text_input", "value": "a"}}
    }
    assert field("static_select", "PT")["selected_option"]["value"] == "PT"
    assert field("multi_static_select", ["a", "b"])["selected_options"][1]["value"] == "b"
    assert field("checkboxes", [])["selected_options"] == []
    assert field("datepicker", "2024-11-28") == {
        "type": "datepicker",
        "selected_date": "2024-11-28",
    }
    assert field("timepicker", "10:30")["selected_time"] == "10:30"
    assert field("users_select", "U1")["selected_user"] == "U1"
    assert field("multi_users_select", ["U1"])["selected_users"] == ["U1"]
    with pytest.raises(ValueError):
        field("nope", 1)


def test_upload_url_post_is_plain_http(fake: FakeSlack) -> None:
    """The upload URL takes a raw POST like files.slack.com does (no token needed)."""
    url = client(fake).files_getUploadURLExternal(filename="b.bin", length=2)["upload_url"]
    req = urllib.request.Request(url, data=b"\x00\xff", method="POST")
    with urllib.request.urlopen(req, timeout=2) as resp:
        assert resp.status == 200
    assert fake.calls_to("upload")[0].data == b"\x00\xff"
