"""End-to-end fixtures: the real HTTP app on 127.0.0.1 and a fake Slack Web API."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import SQLModel, select

from bot.app import create_app, make_server
from bot.clock import FixedClock
from bot.gateway import ChannelPacer, Gateway, make_client
from bot.services import outbox
from bot.services.context import Ctx
from storage.models import Reminder
from tests.conftest import CALENDAR, JST
from tests.fakeslack import FakeSlack
from tests.signed import SignedClient

SECRET = "test-signing-secret"


@dataclass
class Running:
    ctx: Ctx
    slack: FakeSlack
    client: SignedClient
    url: str


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API on 127.0.0.1."""
    with FakeSlack() as fake:
        yield fake


def _serve(server: Any) -> None:
    # close() from the test thread can land while the loop sits in select(): EBADF there
    # only means "stopped".
    with contextlib.suppress(OSError, ValueError):
        server.run()


def start_app(
    engine: Engine, clock: FixedClock, fake: FakeSlack, *, lang: str = "ja"
) -> tuple[Ctx, object, str]:
    """Start the real bolt app under waitress; returns (ctx, server, url)."""
    gateway = Gateway(
        make_client("xoxb-test-token", fake.base_url, timeout=2), pacer=ChannelPacer(0.0)
    )
    ctx = Ctx(engine=engine, clock=clock, calendar=CALENDAR, gateway=gateway, lang=lang)
    app = create_app(ctx=ctx, signing_secret=SECRET, token="xoxb-test-token")
    server = make_server(app, port=0, threads=8)
    threading.Thread(target=_serve, args=(server,), daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}/slack/events"
    return ctx, server, url


def serve(engine: Engine, clock: FixedClock, fake: FakeSlack) -> Iterator[Running]:
    """The app on `engine` serving signed requests until the fixture that yields from it ends."""
    ctx, server, url = start_app(engine, clock, fake)
    client = SignedClient(url, SECRET, response_url_base=fake.response_url("r"))
    yield Running(ctx, fake, client, url)
    server.close()  # type: ignore[attr-defined]


@pytest.fixture
def running(sqlite_engine: Engine, clock: FixedClock, fake_slack: FakeSlack) -> Iterator[Running]:
    """The app serving signed requests, answering through the fake Slack."""
    yield from serve(sqlite_engine, clock, fake_slack)


@pytest.fixture
def pg(pg_engine: Engine) -> Engine:
    """The test PostgreSQL, emptied."""
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with pg_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    return pg_engine


def url_with_schema(engine: Engine, *, port: int | None = None) -> str:
    """A URL a subprocess can use: the same schema (and another port, e.g. a proxy's)."""
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    url = engine.url if port is None else engine.url.set(port=port)
    base = url.render_as_string(hide_password=False)
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url(pg: Engine) -> str:
    """The test database's URL for a subprocess (its schema in the search path)."""
    return url_with_schema(pg)


def reminder_sent_on_12_5(run: Running) -> tuple[str, str]:
    """Run the outbox on 2024-12-05 09:00 (one reminder due): the sent DM's (channel, ts)."""
    assert isinstance(run.ctx.clock, FixedClock)
    run.ctx.clock.set(datetime(2024, 12, 5, 9, 0, tzinfo=JST))
    assert outbox.run_tick(run.ctx).sent == 1
    with run.ctx.session() as s:
        row = s.exec(select(Reminder).where(Reminder.status == "sent")).one()
        assert row.message_channel and row.message_ts
        return row.message_channel, row.message_ts


def press_button(run: Running, msg: tuple[str, str], action: str, value: str, *, user: str) -> None:
    """Press a button of the bot's message `msg` (channel, ts) as `user`; Slack gets 200."""
    resp = run.client.block_action(
        user=user,
        action_id=action,
        value=value,
        channel=msg[0],
        message_ts=msg[1],
        trigger_id=f"trig-{action}",
        response_url=run.slack.response_url(f"{action}-{user}"),
    )
    assert resp.status == 200
