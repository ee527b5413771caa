"""The project's FakeSlack (tests/fakeslack/) served from a child process.

Slack is a remote server: serving the fake from the benchmark's own process would make
its HTTP handling compete with the bot's sender threads for the GIL, which measures the
fake, not the bot. The child runs the unmodified ``tests.fakeslack.FakeSlack`` with its
``rate_limit_per_channel`` option and, when told to stop, prints what it recorded as JSON.
Times are ``time.monotonic()`` (CLOCK_MONOTONIC, the same clock in every process on Linux).

    with FakeSlackProcess(per_channel=1.0) as fake:
        client = make_client("xoxb-bench", fake.base_url)
        ...
    fake.report["ok_posts"], fake.report["rate_limited"]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class FakeSlackProcess:
    """Start the child on enter; on exit stop it and read its report."""

    def __init__(self, *, per_channel: float | None = None, retry_after: int = 1) -> None:
        self.per_channel = per_channel
        self.retry_after = retry_after
        self.base_url = ""
        self.report: dict[str, Any] = {}
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> FakeSlackProcess:
        args = [sys.executable, str(Path(__file__).resolve()), str(self.per_channel or 0)]
        args.append(str(self.retry_after))
        self._proc = subprocess.Popen(
            args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline().strip()
        if not line.startswith("http://"):
            self._proc.kill()
            raise RuntimeError(f"fake Slack child did not start: {line!r}")
        self.base_url = line
        return self

    def stats(self) -> dict[str, Any]:
        """Ask the child for its figures so far (one JSON line)."""
        assert self._proc is not None and self._proc.stdin and self._proc.stdout
        self._proc.stdin.write("stats\n")
        self._proc.stdin.flush()
        return dict(json.loads(self._proc.stdout.readline()))

    def __exit__(self, *exc: object) -> None:
        if self._proc is None:
            return
        try:
            if exc[0] is None:
                self.report = self.stats()
        finally:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None


def _child(per_channel: float, retry_after: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.fakeslack import FakeSlack

    with FakeSlack() as fake:
        if per_channel:
            fake.rate_limit_per_channel(per_channel, retry_after=retry_after)
        print(fake.base_url, flush=True)
        for command in sys.stdin:
            if command.strip() != "stats":
                continue
            posts = fake.calls_to("chat.postMessage")
            ok = [c for c in posts if c.ok]
            per = Counter(str(c.params.get("channel")) for c in ok)
            gaps: dict[str, float] = {}
            last: dict[str, float] = {}
            for c in ok:  # shortest gap between two posts to one channel
                ch = str(c.params.get("channel"))
                if ch in last:
                    gaps[ch] = min(gaps.get(ch, 1e9), c.time - last[ch])
                last[ch] = c.time
            report = {
                "now": time.monotonic(),
                "posts": len(posts),
                "ok_posts": len(ok),
                "rate_limited": sum(1 for c in posts if c.failed == "429"),
                "failed": sum(1 for c in posts if not c.ok),
                "channels": len(per),
                "max_per_channel": max(per.values(), default=0),
                "first_ok": min((c.time for c in ok), default=None),
                "last_ok": max((c.time for c in ok), default=None),
                "min_gap": min(gaps.values(), default=None),
                "methods": sorted({c.method for c in fake.calls}),
            }
            print(json.dumps(report), flush=True)


if __name__ == "__main__":
    _child(float(sys.argv[1]), int(sys.argv[2]))
