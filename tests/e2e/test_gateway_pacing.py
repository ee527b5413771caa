"""One pacing rule for every send: a channel Slack rate-limited is left alone as it asked."""

from __future__ import annotations

import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.gateway import ChannelPacer, Gateway
from tests.fakeslack import FakeSlack


def test_a_channel_slack_rate_limited_waits_its_retry_after(fake_slack: FakeSlack) -> None:
    # No retry handler: the 429 reaches the gateway, as when the SDK's retries ran out.
    client = WebClient(token="xoxb-test", base_url=fake_slack.base_url, timeout=2)
    gateway = Gateway(client, pacer=ChannelPacer(0.0))
    fake_slack.fail_next(1, "429", methods={"chat.postMessage"}, retry_after=2)
    with pytest.raises(SlackApiError):
        gateway.post("C1", "first")
    refused = time.monotonic()
    gateway.post("C2", "another channel goes at once")
    assert time.monotonic() - refused < 1.0
    gateway.post("C1", "second")
    assert time.monotonic() - refused >= 1.9
    assert [c.params["text"] for c in fake_slack.calls_to("chat.postMessage")][-2:] == [
        "another channel goes at once",
        "second",
    ]
