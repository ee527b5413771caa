"""Reminder buttons (完了 / 1営業日延期 / 進捗を書く) and the note modal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.domain.dates import show_date
from bot.gateway import failure_kind
from bot.render import core_text
from bot.render import reminder_blocks as rb
from bot.render.messages import t
from bot.render.modals import open_failed_text, read_state
from bot.render.text import user as mention
from bot.services import reminder_actions
from bot.services.context import Ctx
from bot.services.notes import NoteSaved
from handlers import boundary

log = logging.getLogger(__name__)
Action = Callable[..., reminder_actions.ActionResult]


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")


def _message_ref(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(channel, ts) of the message whose button was pressed."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return channel, ts


# Errors about the date go under the date picker; everything else under the text.
_NOTE_ERROR_FIELD = {"error.bad_picked_date": rb.NOTE_AS_OF, "error.future_as_of": rb.NOTE_AS_OF}


def _confirm_note(ctx: Ctx, *, user: str, channel: str | None, saved: NoteSaved) -> None:
    """Say the note was saved where the user opened the form (or by DM)."""
    text = core_text.note_saved(ctx.lang, saved, cmd=ctx.command)
    if ctx.gateway is None:
        return
    if channel:
        try:
            ctx.gateway.post_ephemeral(channel, user, text)
            return
        except Exception:  # e.g. a channel the bot is not in: say it by DM instead
            log.warning("ephemeral note confirmation failed in %s; sending a DM", channel)
    try:
        ctx.gateway.post_dm(user, text)
    except Exception as exc:  # the note is saved and the form closed: only the echo is lost
        log.warning("could not confirm the note to %s: %s", user, failure_kind(exc))


def _ephemeral(respond: Respond, text: str) -> None:
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception as exc:  # response_url used up or Slack away: nothing else to tell
        log.warning("could not answer a button press: %s", failure_kind(exc))


def _update(
    ctx: Ctx, body: dict[str, Any], card: reminder_actions.ReminderCard, extra: str = ""
) -> None:
    channel, ts = _message_ref(body)
    if not (channel and ts and ctx.gateway):
        return
    if not reminder_actions.sent_by_us(ctx, card=card, channel=channel, ts=ts):
        # The change is saved; only a message the bot sent for it is redrawn.
        log.warning("a reminder update named a message the bot did not send for it; skipped")
        return
    text, blocks = rb.reminder_message(ctx.lang, card, extra=extra)
    try:
        ctx.gateway.update(channel, ts, text, blocks)
    except Exception as exc:  # the change is saved; only the card shows the old state
        log.warning("could not update a reminder message: %s", failure_kind(exc))


def _press(ctx: Ctx, body: dict[str, Any], user: str, respond: Respond, action: Action) -> None:
    # A refusal, an outage or a bug escapes to the error boundary, which answers the user.
    result = action(ctx, user=user, value=_value(body))
    _update(ctx, body, result.card)
    card = result.card
    due = show_date(card.due, ref=card.today, lang=ctx.lang) if card.due else ""
    if not result.changed:
        _ephemeral(respond, t(ctx.lang, result.key, id=result.card.task_id, due=due))


def register(app: App, ctx: Ctx) -> None:
    """Wire the reminder buttons and the note modal."""
    boundary.form_fields(rb.NOTE_MODAL, field_of=_NOTE_ERROR_FIELD, default=rb.NOTE_FIELD)

    @app.action(rb.ACTION_DONE)
    def on_done(body: dict[str, Any], respond: Respond, wg: Ctx, user: str) -> None:
        _press(wg, body, user, respond, reminder_actions.complete)

    @app.action(rb.ACTION_POSTPONE)
    def on_postpone(body: dict[str, Any], respond: Respond, wg: Ctx, user: str) -> None:
        _press(wg, body, user, respond, reminder_actions.postpone)

    @app.action(rb.ACTION_NOTE)
    def on_note(body: dict[str, Any], respond: Respond, wg: Ctx, user: str) -> None:
        target = reminder_actions.note_target(wg, user=user, value=_value(body))
        channel, ts = _message_ref(body)
        if (body.get("container") or {}).get("is_ephemeral"):
            ts = None  # `/wg theme show` answers ephemerally: Slack cannot update that message
        trigger = body.get("trigger_id")
        if wg.gateway and trigger:
            try:
                wg.gateway.open_view(
                    trigger,
                    rb.note_modal(wg.lang, target, channel=channel, ts=ts, today=wg.clock.today()),
                )
            except Exception as exc:  # Slack refused the form (expired trigger, 5xx): say so
                error = failure_kind(exc)
                log.warning("views.open of the note modal failed: %s", error)
                _ephemeral(respond, open_failed_text(wg.lang, error))

    @app.view(rb.NOTE_MODAL)
    def on_note_submit(ack: Ack, view: dict[str, Any], wg: Ctx, user: str) -> None:
        meta = rb.read_note_metadata(view.get("private_metadata"))
        state = read_state(view)
        text = str(state.get(rb.NOTE_FIELD) or "")
        # A refusal escapes before ack(): the error boundary shows it under its field.
        with wg.answering_a_form():  # a locked database: answered under the field in time
            result = reminder_actions.save_note(
                wg,
                user=user,
                ref=str(meta.get("target") or ""),
                text=text,
                as_of=state.get(rb.NOTE_AS_OF),
            )
        ack()
        if result.card is not None and meta.get("ts"):
            line = t(wg.lang, "reminder.note_saved_line", user=mention(user))
            ref = {"container": {"channel_id": meta.get("channel"), "message_ts": meta.get("ts")}}
            _update(wg, ref, result.card, line)
        else:
            _confirm_note(wg, user=user, channel=meta.get("channel"), saved=result.saved)
