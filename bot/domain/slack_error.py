"""What of Slack's answer to a failed call may be kept, printed or logged: its error code.

Slack's `error` is an enum (`user_not_found`, `ratelimited`). But when an answer is not
JSON, slack_sdk puts "Received a response in a non-JSON format: " and the first 100
characters of the body in its place: a proxy's or firewall's page, which may quote the
request (a reminder's text, a person's name). So only a value shaped like a code counts.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"[a-z][a-z0-9_]{0,63}")


def error_code(data: object) -> str | None:
    """Slack's `error` when the answer holds one shaped like a code; None otherwise."""
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, str) and _CODE.fullmatch(error) else None
