"""`wgbot run`: migrate, start the scheduler, serve Slack (Socket Mode or HTTP), stop cleanly.

systemd, Docker and Kubernetes stop a service with SIGTERM (Ctrl-C sends SIGINT); both
start an orderly shutdown: stop claiming reminders, put back what was claimed but not
sent, let the calls already in flight finish, hand the scheduler lease over, stop
serving, exit 0. If draining hangs, the process leaves after DEADLINE seconds anyway
(before the orchestrator's SIGKILL, 10 s in Docker, 30 s in Kubernetes).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from typing import Any

from bot.app import create_app, make_server
from bot.config import Settings, require
from bot.services.context import Ctx
from storage.db import upgrade

log = logging.getLogger(__name__)
# Seconds from the FIRST signal to the exit, draining or not: the process must be gone
# within Docker's 10 s, signal delivery and interpreter exit included.
DEADLINE = 8.5
RELEASE_SECONDS = 0.5  # how long the deadline waits for the leases to be given up
HTTP_THREADS = 16


def run(
    settings: Settings,
    *,
    ctx: Ctx,
    http: bool = False,
    port: int | None = None,
    scheduler: bool = True,
) -> int:
    """Run until SIGTERM or SIGINT, then drain and exit 0 (`ctx` as bot.cli.build_ctx makes it)."""
    # First of all: a deploy may stop us during start-up (migration, auth.test), and the
    # default handler would end us with -15 instead of a clean 0.
    stop = install_stop_signals(ctx)
    ctx.instance_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    upgrade(ctx.engine)
    if stop.is_set():
        return _stopped_during_start_up()
    token = require(settings, "SLACK_BOT_TOKEN")
    socket_mode = settings.slack_app_token is not None and not http
    secret = "" if socket_mode else require(settings, "SLACK_SIGNING_SECRET")
    app = create_app(ctx=ctx, signing_secret=secret or "unused-in-socket-mode", token=token)
    from bot.preflight import check_tokens

    app_token = require(settings, "SLACK_APP_TOKEN") if socket_mode else None
    check_tokens(app.client, app_token=app_token)  # a refused token stops us before any job
    if stop.is_set():
        return _stopped_during_start_up()
    if ctx.gateway is not None:
        ctx.gateway.stop_retries_on(ctx.stopping)  # a drain does not wait out Retry-After
    sched = None
    if scheduler:
        from bot.scheduler import start_scheduler

        sched = start_scheduler(ctx)
    if socket_mode:
        from bot.socket_mode import socket_mode_handler

        log.info("wgbot: Socket Mode")
        handler = socket_mode_handler(app, require(settings, "SLACK_APP_TOKEN"))
        handler.connect()  # connects and returns; start() would block our signal wait
        close = handler.close
    else:
        listen = port or settings.port
        log.info("wgbot: HTTP on :%s/slack/events", listen)
        close = _serve_http(app, port=listen)
    while not stop.wait(0.5):
        pass
    return shutdown(ctx, sched=sched, close_server=close)


def _stopped_during_start_up() -> int:
    """A signal during start-up: nothing was claimed or served yet, so a clean exit."""
    log.info("wgbot: stopped during start-up")
    return 0


def install_stop_signals(ctx: Ctx) -> threading.Event:
    """SIGTERM and SIGINT set the returned event (and arm the hard deadline)."""
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        if stop.is_set():
            return  # a second Ctrl-C while draining: the deadline still holds
        log.info("wgbot: %s received, stopping", signal.Signals(signum).name)
        ctx.stopping.set()  # a running tick stops claiming at once
        _arm_deadline(ctx)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop


def _arm_deadline(ctx: Ctx) -> None:
    def expire() -> None:
        # Rows still claimed are recovered by the other instance once our heartbeat lapses;
        # giving the leases up first makes that at once. The database may hang: bounded.
        log.error("wgbot: shutdown did not finish within %.1f s; exiting anyway", DEADLINE)
        releasing = threading.Thread(target=_release_leases, args=(ctx,), daemon=True)
        releasing.start()
        releasing.join(RELEASE_SECONDS)
        logging.shutdown()
        os._exit(1)

    timer = threading.Timer(DEADLINE, expire)
    timer.daemon = True
    timer.start()


def _release_leases(ctx: Ctx) -> None:
    from bot.services import lease

    with contextlib.suppress(Exception):  # the database is away: the leases run out
        lease.release(ctx, name=lease.SCHEDULER)
        lease.release(ctx, name=lease.instance_lease_name(ctx.instance_id))


def shutdown(ctx: Ctx, *, sched: Any, close_server: Any) -> int:
    """Stop serving, drain the scheduler, hand the leases over; 0 when all went well."""
    started = time.monotonic()
    ctx.stopping.set()
    if sched is not None:
        from bot.scheduler import hand_over

        # The other instance may take the scheduler over while we still drain: rows we
        # hold stay claimed under our live instance lease, so it claims only the others.
        hand_over(ctx)
    close_server()
    if sched is not None:
        from bot.scheduler import stop_scheduler

        try:
            stop_scheduler(ctx, sched, wait=True)
        except Exception as exc:  # the database is away: the lease simply runs out
            log.error("wgbot: could not hand the lease over: %s", type(exc).__name__)
            return 1
    log.info("wgbot: stopped in %.1f s", time.monotonic() - started)
    return 0


def _serve_http(app: Any, *, port: int) -> Any:
    """Serve on a thread (the main thread waits for signals); returns the closer."""
    server = make_server(app, host="0.0.0.0", port=port, threads=HTTP_THREADS)

    def serve() -> None:
        # close() from the main thread can land while the loop sits in select(): EBADF
        # there only means "stopped".
        with contextlib.suppress(OSError, ValueError):
            server.run()

    threading.Thread(target=serve, daemon=True, name="http").start()

    def close() -> None:
        server.close()  # no new connections
        server.task_dispatcher.shutdown(timeout=3)  # let requests being answered finish

    return close
