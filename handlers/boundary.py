"""The one error boundary of every listener (bolt's `@app.error`, wired in bot/app.py).

A listener does its work and lets a failure escape; this module turns it into an answer:

- a domain error (`WgbotError`) into its catalogue message;
- a database outage into 「一時的に保存できません」 (counted by the outage monitor, which logs
  once a minute);
- anything else into the generic 「処理中に問題が起きました」, logged as its kind only (the
  exception's text can quote what was typed; bot/logs.py scrubs the traceback too).

A form submission not yet acknowledged gets the message under one of its fields (each
form says which with `form_fields`); everyone else gets it ephemerally through the
response_url, in the channel, or else by DM.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.context.respond import Respond

from bot.errors import WgbotError
from bot.gateway import failure_kind
from bot.render.messages import error_text, t, t_plain
from bot.render.modals import ERROR_CHARS, error_under_field
from bot.services.context import Ctx
from bot.services.outage import MONITOR, is_outage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FormFields:
    """Where a form's errors go: message key -> field, and the field for the rest."""

    field_of: Mapping[str, str]
    default: str


FORMS: dict[str, FormFields] = {}  # callback_id -> its fields


def form_fields(callback_id: str, *, default: str, field_of: Mapping[str, str] = {}) -> None:
    """Say under which field of this form each error is shown (at registration)."""
    FORMS[callback_id] = FormFields(dict(field_of), default)


def on_error(
    ctx: Ctx,
    error: Exception,
    body: dict[str, Any],
    context: BoltContext,
    respond: Respond | None,
    response: BoltResponse | None,
) -> BoltResponse | None:
    """Answer the user for what escaped a listener (or a middleware); field errors for a
    form not yet acknowledged."""
    kind = request_kind(body)
    form = FORMS.get(str((body.get("view") or {}).get("callback_id") or ""))
    if body.get("type") == "view_submission" and form is not None and response is not None:
        # Not acked yet (bolt passes no response once ack() ran): Slack shows these.
        errors = _field_errors(ctx, error, form, kind)
        return BoltResponse(status=200, body={"response_action": "errors", "errors": errors})
    text = _message(ctx, error, kind, mrkdwn=True)
    # An event (App Home opened) has no place to answer in but the user's DM.
    channel = None if body.get("type") == "event_callback" else context.channel_id
    tell(ctx, user=context.user_id, channel=channel, respond=respond, text=text)
    return None


def request_kind(body: dict[str, Any]) -> str:
    """The request's type and the listener's id (callback, action, event, command): ids only."""
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    actions = body.get("actions") if isinstance(body.get("actions"), list) else []
    first = actions[0] if actions and isinstance(actions[0], dict) else {}
    detail = (
        (body.get("view") or {}).get("callback_id")
        or first.get("action_id")
        or (event or {}).get("type")
        or body.get("command")
    )
    return f"type={body.get('type') or 'command'} {detail or '?'}"[:80]


def _message(ctx: Ctx, error: Exception, kind: str, *, mrkdwn: bool) -> str:
    """The user's message for `error` (logged or counted here, once)."""
    if isinstance(error, WgbotError):
        return error_text(ctx.lang, error, cmd=ctx.command, mrkdwn=mrkdwn)
    if is_outage(error):  # counted, logged once a minute; the user may simply retry
        MONITOR.failed(error, where=f"listener {kind}")
        return (t if mrkdwn else t_plain)(ctx.lang, "error.db_unavailable")
    # The kind of error and of request only: the error's text can quote the body.
    log.error("listener failed: %s (%s)", type(error).__name__, kind, exc_info=error)
    return (t if mrkdwn else t_plain)(ctx.lang, "error.internal")


def _field_errors(ctx: Ctx, error: Exception, form: FormFields, kind: str) -> dict[str, str]:
    if isinstance(error, WgbotError):
        return error_under_field(
            ctx.lang, error, field_of=form.field_of, default=form.default, cmd=ctx.command
        )
    return {form.default: _message(ctx, error, kind, mrkdwn=False)[:ERROR_CHARS]}


def tell(
    ctx: Ctx, *, user: str | None, channel: str | None, respond: Respond | None, text: str
) -> None:
    """Say `text` to the acting user only: via response_url, in the channel, or by DM."""
    try:
        if respond is not None and respond.response_url:  # commands, message buttons
            respond(text=text, response_type="ephemeral", replace_original=False)
        elif ctx.gateway is None or not user:
            return
        elif channel:
            ctx.gateway.post_ephemeral(channel, user, text)
        else:
            ctx.gateway.post_dm(user, text)
    except Exception as exc:  # Slack failing too: the answer is lost, say which kind
        log.warning("could not answer a failed request: %s", failure_kind(exc))
