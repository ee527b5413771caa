"""Nothing is parsed before its signature is checked, and no body is read past 1 MiB.

Over real HTTP to waitress: an unsigned broken payload is 401 (not 500) with no ERROR
line; a signed broken one is 400 with one WARNING naming the error's kind only; a body
announced over the limit is refused with 413 before it is sent.
"""

from __future__ import annotations

import logging
import time

import pytest

from tests.e2e.conftest import Running

BROKEN = b"payload=%7Bbroken+123456789018"


def test_an_unsigned_broken_payload_is_refused_before_it_is_parsed(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    unsigned = running.client.post_raw(BROKEN, form)
    forged = running.client.post_raw(
        BROKEN,
        {**form, "X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"},
    )
    stale = running.client.post_signed(BROKEN, timestamp=int(time.time()) - 600)
    assert [unsigned.status, forged.status, stale.status] == [401, 401, 401]
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert "Decode" not in caplog.text and "123456789018" not in caplog.text


def test_a_signed_broken_payload_is_a_bad_request_with_one_warning(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    resp = running.client.post_signed(BROKEN)
    assert resp.status == 400
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["a signed request could not be read (JSONDecodeError)"]
    assert running.client.command("help", user="U1").status == 200  # still serving


def test_a_body_over_one_mebibyte_is_refused_unread(running: Running) -> None:
    start = time.monotonic()
    # Only the headers and a few bytes are sent: a server that waited for 50 MB would hang.
    resp = running.client.post_raw(
        b"x" * 10,
        {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": "52428800"},
    )
    assert resp.status == 413
    assert time.monotonic() - start < 2
