"""Route `/wg` text to a command function; shared by Slack, the console and tests.

A command function parses its words, calls one service and renders a Reply.
Domain errors are turned into messages by `run_command`, the one boundary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.domain.command import ParsedCommand, tokenize
from bot.errors import WgbotError
from bot.render.messages import error_text, t
from bot.services.context import Ctx
from bot.services.outage import MONITOR, is_outage

log = logging.getLogger(__name__)


@dataclass
class OutFile:
    filename: str
    content: bytes
    title: str = ""


@dataclass
class Reply:
    """What the bot answers: ephemeral unless in_channel; maybe a modal or files."""

    text: str
    blocks: list[dict[str, Any]] | None = None
    in_channel: bool = False
    modal: dict[str, Any] | None = None
    files: list[OutFile] = field(default_factory=list)
    file_channel: str | None = None  # None: the asking user's DM


@dataclass
class Invocation:
    user: str
    text: str
    cmd: ParsedCommand
    channel: str | None = None
    trigger_id: str | None = None


Command = Callable[[Ctx, Invocation], Reply]
REGISTRY: dict[tuple[str, str], Command] = {}


def command(group: str, verb: str = "") -> Callable[[Command], Command]:
    """Record a command function under (group, verb); wired in one place below."""

    def wrap(fn: Command) -> Command:
        REGISTRY[(group, verb)] = fn
        return fn

    return wrap


def run_command(
    ctx: Ctx, *, user: str, text: str, channel: str | None = None, trigger_id: str | None = None
) -> Reply:
    """Answer one line of `/wg` text; never raises."""
    name = "?"  # the command function, for the log: never the typed text
    try:
        cmd = tokenize(text or "")
        inv = Invocation(
            user=user, text=text or "", cmd=cmd, channel=channel, trigger_id=trigger_id
        )
        fn = _route(inv)
        name = fn.__name__
        reply = fn(ctx, inv)
        MONITOR.recovered()
        return reply
    except WgbotError as exc:
        return Reply(text=error_text(ctx.lang, exc, cmd=ctx.command))
    except Exception as exc:
        if is_outage(exc):  # counted, logged once a minute; the user may simply retry
            MONITOR.failed(exc, where="command")
            return Reply(text=t(ctx.lang, "error.db_unavailable"))
        log.exception("command %s failed", name)
        return Reply(text=t(ctx.lang, "error.internal"))


def _route(inv: Invocation) -> Command:
    group, verb = inv.cmd.word(0) or "help", inv.cmd.word(1)
    if (group, verb) in REGISTRY:
        inv.cmd.words = inv.cmd.words[2:]
        return REGISTRY[(group, verb)]
    if (group, "") in REGISTRY:
        inv.cmd.words = inv.cmd.words[1:]
        return REGISTRY[(group, "")]
    from bot.commands.core import unknown

    return unknown


def _load() -> None:
    from bot.commands import cases, core, reminders, reports  # noqa: F401


_load()
