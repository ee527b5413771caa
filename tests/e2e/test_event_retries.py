"""Slack deliveries handled once, none dropped: over HTTP and over Socket Mode.

Slack delivers an event again (retry number 1, 2, 3) when it thinks a delivery failed,
and under Socket Mode even the first delivery carries retry number 0. Whatever the
number, the first delivery of an event_id that reaches any instance is handled, and no
other delivery of it is.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bot.app import create_app
from bot.clock import FixedClock
from bot.gateway import ChannelPacer, Gateway, make_client
from bot.services.context import Ctx
from bot.socket_mode import socket_mode_handler
from tests.conftest import CALENDAR
from tests.e2e.conftest import SECRET, start_app
from tests.fakeslack import FakeSlack
from tests.fakesocket import FakeSocketMode
from tests.signed import SignedClient


def home_opened(user: str) -> dict[str, Any]:
    """The app_home_opened event of a user opening the bot's Home tab."""
    return {"type": "app_home_opened", "user": user, "tab": "home", "channel": "D" + user}


def published_to(fake: FakeSlack, user: str) -> int:
    """How many Home tabs were published to the user."""
    return sum(1 for c in fake.ok_calls("views.publish") if c.params.get("user_id") == user)


def settle(fake: FakeSlack, client: SignedClient | FakeSocketMode, sentinel: str) -> None:
    """Deliver one more event and wait for its Home tab: the earlier ones had their turn."""
    before = published_to(fake, sentinel)
    if isinstance(client, SignedClient):
        assert client.event(home_opened(sentinel), event_id=f"Ev-{sentinel}").status == 200
    else:
        client.wait_ack(client.send_event(home_opened(sentinel), event_id=f"Ev-{sentinel}"))
    deadline = time.monotonic() + 5
    while published_to(fake, sentinel) == before and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # listeners run on bolt's pool: give a stray duplicate time to show


def slack_event_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM slack_event")).scalar_one())


@pytest.fixture
def instances(
    engine: Engine, clock: FixedClock, fake_slack: FakeSlack
) -> Iterator[list[SignedClient]]:
    """Two app instances over HTTP sharing one database (SQLite and PostgreSQL)."""
    servers, clients = [], []
    for _ in range(2):
        _ctx, server, url = start_app(engine, clock, fake_slack)
        servers.append(server)
        clients.append(SignedClient(url, SECRET))
    yield clients
    for server in servers:
        server.close()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------- HTTP


def test_first_delivery_marked_retry_0_publishes_home(
    instances: list[SignedClient], fake_slack: FakeSlack
) -> None:
    one = instances[0]
    assert one.event(home_opened("U2"), event_id="Ev1", retry_num=0).status == 200
    fake_slack.wait_for_ok("views.publish")
    assert published_to(fake_slack, "U2") == 1


def test_retry_of_an_event_never_received_is_handled_once(
    instances: list[SignedClient], fake_slack: FakeSlack
) -> None:
    one = instances[0]
    assert one.event(home_opened("U2"), event_id="Ev1", retry_num=1).status == 200
    assert one.event(home_opened("U2"), event_id="Ev1", retry_num=2).status == 200
    settle(fake_slack, one, "U9")
    assert published_to(fake_slack, "U2") == 1


def test_retries_of_a_handled_event_are_acked_not_handled_again(
    instances: list[SignedClient], fake_slack: FakeSlack
) -> None:
    one = instances[0]
    assert one.event(home_opened("U2"), event_id="Ev1").status == 200
    for retry in (1, 2, 3):
        answer = one.event(home_opened("U2"), event_id="Ev1", retry_num=retry)
        assert answer.status == 200, "acked, or Slack would deliver it once more"
    settle(fake_slack, one, "U9")
    assert published_to(fake_slack, "U2") == 1


def test_two_instances_handle_an_event_once_whichever_gets_it(
    instances: list[SignedClient], fake_slack: FakeSlack
) -> None:
    one, two = instances
    assert one.event(home_opened("U2"), event_id="Ev1", retry_num=0).status == 200
    assert two.event(home_opened("U2"), event_id="Ev1", retry_num=1).status == 200
    assert two.event(home_opened("U3"), event_id="Ev2", retry_num=1).status == 200
    assert one.event(home_opened("U3"), event_id="Ev2", retry_num=2).status == 200
    settle(fake_slack, one, "U9")
    assert (published_to(fake_slack, "U2"), published_to(fake_slack, "U3")) == (1, 1)


def test_two_instances_given_the_same_event_at_once_handle_it_once(
    instances: list[SignedClient], fake_slack: FakeSlack
) -> None:
    def deliver(client: SignedClient, n: int) -> None:
        for retry in range(3):
            client.event(home_opened(f"U{n}"), event_id=f"Ev{n}", retry_num=retry)

    threads = [
        threading.Thread(target=deliver, args=(client, n))
        for n in range(10, 20)
        for client in instances
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    settle(fake_slack, instances[0], "U9")
    assert [published_to(fake_slack, f"U{n}") for n in range(10, 20)] == [1] * 10


def test_a_day_old_delivery_record_is_forgotten(
    instances: list[SignedClient], fake_slack: FakeSlack, engine: Engine, clock: FixedClock
) -> None:
    one = instances[0]
    assert one.event(home_opened("U2"), event_id="Ev1").status == 200
    clock.advance(timedelta(days=1, hours=1))
    assert one.event(home_opened("U3"), event_id="Ev2").status == 200
    assert slack_event_rows(engine) == 1, "only the new event is kept"


# ---------------------------------------------------------------------- Socket Mode


@contextlib.contextmanager
def socket_mode_app(
    engine: Engine, clock: FixedClock, fake_slack: FakeSlack
) -> Iterator[FakeSocketMode]:
    """The app connected through wgbot's Socket Mode handler to a fake Socket Mode server."""
    gateway = Gateway(
        make_client("xoxb-test-token", fake_slack.base_url, timeout=2), pacer=ChannelPacer(0.0)
    )
    ctx = Ctx(engine=engine, clock=clock, calendar=CALENDAR, gateway=gateway)
    app = create_app(ctx=ctx, signing_secret="unused-in-socket-mode", token="xoxb-test-token")
    with FakeSocketMode() as server:
        fake_slack.socket_mode_url = server.url
        handler = socket_mode_handler(app, "xapp-test-token")
        handler.connect()
        try:
            server.wait_connections(1)
            yield server
        finally:
            handler.close()


@pytest.fixture
def socket_mode(
    engine: Engine, clock: FixedClock, fake_slack: FakeSlack
) -> Iterator[FakeSocketMode]:
    """wgbot over Socket Mode on SQLite and PostgreSQL."""
    with socket_mode_app(engine, clock, fake_slack) as server:
        yield server


def test_socket_mode_first_delivery_publishes_home_and_retries_do_not(
    socket_mode: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    first = socket_mode.send_event(home_opened("U2"), event_id="Ev1", retry_attempt=0)
    assert socket_mode.wait_ack(first)["envelope_id"] == first
    fake_slack.wait_for_ok("views.publish")
    for retry in (1, 2):
        again = socket_mode.send_event(home_opened("U2"), event_id="Ev1", retry_attempt=retry)
        socket_mode.wait_ack(again)
    settle(fake_slack, socket_mode, "U9")
    assert published_to(fake_slack, "U2") == 1


def test_socket_mode_retry_of_an_event_never_received_is_handled(
    socket_mode: FakeSocketMode, fake_slack: FakeSlack
) -> None:
    retry = socket_mode.send_event(
        home_opened("U2"), event_id="Ev1", retry_attempt=1, retry_reason="timeout"
    )
    socket_mode.wait_ack(retry)
    settle(fake_slack, socket_mode, "U9")
    assert published_to(fake_slack, "U2") == 1


@pytest.mark.parametrize("drop", ["blackhole", "close"])
def test_socket_mode_reconnects_within_10_s_of_a_silent_drop_without_spinning(
    drop: str, sqlite_engine: Engine, clock: FixedClock, fake_slack: FakeSlack
) -> None:
    with socket_mode_app(sqlite_engine, clock, fake_slack) as server:
        cpu, start = time.process_time(), time.monotonic()
        server.drop(drop)  # no pong, no close frame: only the client's own checks notice
        server.wait_connections(2, timeout=10)
        waited, used = time.monotonic() - start, time.process_time() - cpu
        server.wait_ack(server.send_event(home_opened("U2"), event_id="Ev-after"))
        fake_slack.wait_for_ok("views.publish")
    assert waited <= 10
    # The whole test process (fake servers included) idles while the client waits; the
    # built-in client spun a core here.
    assert used < max(0.5, 0.25 * waited)
