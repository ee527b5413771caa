"""Socket Mode after a silently dropped connection: seconds until reconnected, CPU meanwhile.

    .venv/bin/python bench/bench_socket_reconnect.py [--runs 5] [--quick] [--candidates]

A fake Slack on 127.0.0.1: the Web API (tests/fakeslack/) answers apps.connections.open
with the URL of a fake Socket Mode server (tests/fakesocket.py). A child process runs a
bolt app (one no-op event listener) through a Socket Mode client. Once an event has made
the round trip (delivered, acked), the server drops the connection silently:

  blackhole  stops reading and answering, pings included; the socket stays open
  close      hangs up (TCP FIN) without a WebSocket close frame

and measures the seconds until the client has a new working connection (a new handshake
and an event delivered on it acked), and the child's CPU time meanwhile
(time.process_time, asked for over its stdin). Median of --runs runs for each client:

  builtin    bolt's default SocketModeHandler (slack_sdk's built-in client, ping 10 s),
             what `wgbot run` used before
  wgbot      bot.socket_mode.socket_mode_handler (websocket-client, ping 4 s, pong
             timeout 2.5 s)
  --candidates adds: builtin with ping_interval 2 s, and bolt's websocket-client handler
             as shipped (no pong timeout)

Targets: reconnected within 10 s, CPU under 10 % of a core while waiting (wgbot).
A run that has not reconnected after --cap seconds (default 90) counts as the cap.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._common import Verdicts, machine_line
from tests.fakeslack import FakeSlack
from tests.fakesocket import FakeSocketMode

CLIENTS = ("builtin", "wgbot")
CANDIDATES = ("builtin-ping2", "websocket-client")
MODES = ("blackhole", "close")
TARGET_SECONDS = 10.0
TARGET_CPU = 0.10  # share of one core


# ---------------------------------------------------------------------- child process


def child(kind: str, api_url: str) -> None:
    """Run a bolt app through the `kind` Socket Mode client; answer 'cpu' on stdin."""
    from slack_bolt import App
    from slack_sdk import WebClient

    logging.basicConfig(level=logging.CRITICAL)
    client = WebClient(token="xoxb-bench", base_url=api_url)
    app = App(signing_secret="unused", client=client, token_verification_enabled=False, logger=None)
    app.logger.setLevel(logging.CRITICAL)

    @app.event("app_home_opened")
    def _noop() -> None:
        pass

    handler = make_handler(kind, app)
    handler.connect()
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "cpu":
            print(f"{time.process_time():.4f}", flush=True)
        else:
            break


def make_handler(kind: str, app: object) -> object:
    """The Socket Mode handler under test."""
    if kind == "builtin":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        return SocketModeHandler(app, "xapp-bench")  # type: ignore[arg-type]
    if kind == "builtin-ping2":
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        return SocketModeHandler(app, "xapp-bench", ping_interval=2)  # type: ignore[arg-type]
    if kind == "websocket-client":
        from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler as WsHandler

        return WsHandler(app, "xapp-bench")  # type: ignore[arg-type]
    if kind == "wgbot":
        from bot.socket_mode import socket_mode_handler

        return socket_mode_handler(app, "xapp-bench")  # type: ignore[arg-type]
    raise ValueError(kind)


# ---------------------------------------------------------------------- parent


class Child:
    """The child process and its CPU clock."""

    def __init__(self, kind: str, api_url: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--child", kind, "--api", api_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"{kind}: child did not start")

    def cpu(self) -> float:
        """The child's CPU seconds so far."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("cpu\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


def working(server: FakeSocketMode, connections: int, deadline: float, event_id: str) -> bool:
    """True once `connections` handshakes happened and an event on the newest was acked."""
    while time.monotonic() < deadline:
        if server.open_count() >= connections:
            try:
                envelope = server.send_event(
                    {"type": "app_home_opened", "user": "U1"}, event_id=event_id
                )
                server.wait_ack(envelope, timeout=max(0.1, min(2.0, deadline - time.monotonic())))
                return True
            except (AssertionError, OSError):
                pass  # the new connection was not ready yet; try again
        time.sleep(0.02)
    return False


def one_run(kind: str, mode: str, fake: FakeSlack, cap: float, phase: float) -> tuple[float, float]:
    """(seconds to a new working connection, CPU seconds meanwhile) for one drop."""
    with FakeSocketMode() as server:
        fake.socket_mode_url = server.url
        proc = Child(kind, fake.base_url)
        try:
            if not working(server, 1, time.monotonic() + 20, "Ev-first"):
                raise RuntimeError(f"{kind}: no first connection")
            # Idle a while, different each run: the drop lands at another point of the
            # client's ping cycle (4 s for wgbot, 10 s for the builtin client).
            time.sleep(phase)
            cpu0, t0 = proc.cpu(), time.monotonic()
            server.drop(mode)
            ok = working(server, 2, t0 + cap, "Ev-again")
            elapsed = time.monotonic() - t0 if ok else cap
            return elapsed, proc.cpu() - cpu0
        finally:
            proc.stop()


def measure(
    kind: str, mode: str, fake: FakeSlack, runs: int, cap: float
) -> tuple[float, float, float]:
    """Median and longest seconds, and median CPU share of a core, over `runs` drops."""
    seconds, shares = [], []
    rng = random.Random(7)  # the same drop points for every client
    for n in range(runs):
        elapsed, cpu = one_run(kind, mode, fake, cap, phase=rng.uniform(0.5, 10.5))
        seconds.append(elapsed)
        shares.append(cpu / elapsed if elapsed else 0.0)
        capped = " (cap: not reconnected)" if elapsed >= cap else ""
        print(
            f"    {kind:<16} {mode:<9} run {n + 1}: {elapsed:5.1f} s, "
            f"CPU {cpu:5.2f} s ({cpu / elapsed:4.0%} of a core){capped}",
            flush=True,
        )
    return statistics.median(seconds), max(seconds), statistics.median(shares)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cap", type=float, default=90.0)
    parser.add_argument("--quick", action="store_true", help="one run each, for a smoke run")
    parser.add_argument("--candidates", action="store_true", help="also the other candidates")
    parser.add_argument("--clients", help="comma-separated subset of clients to run")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.api)
        return 0
    runs = 1 if args.quick else args.runs
    kinds = (*CLIENTS, *CANDIDATES) if args.candidates else CLIENTS
    if args.clients:
        kinds = tuple(args.clients.split(","))
    print(f"Socket Mode reconnect after a silent drop, median of {runs} runs; {machine_line()}")
    verdicts = Verdicts("bench_socket_reconnect")
    results: dict[tuple[str, str], tuple[float, float, float]] = {}
    with FakeSlack() as fake:
        for kind in kinds:
            for mode in MODES:
                results[kind, mode] = measure(kind, mode, fake, runs, args.cap)
    print()
    head = f"{'reconnected (median, max)':>26} {'CPU while waiting':>18}"
    print(f"  {'client':<16} {'drop':<9} {head}")
    for (kind, mode), (median, longest, share) in results.items():
        print(f"  {kind:<16} {mode:<9} {median:>12.1f} s, {longest:>5.1f} s {share:>17.0%}")
    print()
    for mode in MODES:
        if ("wgbot", mode) in results:
            median, longest, share = results["wgbot", mode]
            name = f"wgbot {mode}"
            seconds = f"median {median:.1f} s, max {longest:.1f} s"
            verdicts.check(f"{name}: reconnect", seconds, "≤ 10 s", longest <= TARGET_SECONDS)
            cpu = f"{share:.0%} of a core"
            verdicts.check(f"{name}: CPU while waiting", cpu, "< 10 %", share < TARGET_CPU)
    return verdicts.summary(strict=args.strict)


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
