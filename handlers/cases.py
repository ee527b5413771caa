"""The case form (view_submission) and the close button of `case show`."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.domain.case_privacy import form_names
from bot.domain.cases import read_form
from bot.errors import WgbotError
from bot.render import cases_view as view
from bot.render.messages import error_text, t, t_plain
from bot.render.modals import error_under_field, read_state
from bot.services import cases
from bot.services.context import Ctx

log = logging.getLogger(__name__)
# Errors that are not about one field are shown under the free-text field.
GENERAL_FIELD = "what"


def _user(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or "")


def _general(ctx: Ctx, key: str, **params: object) -> dict[str, str]:
    return {GENERAL_FIELD: t_plain(ctx.lang, key, **{"cmd": ctx.command, **params})[:150]}


def submit_case(
    ctx: Ctx, body: dict[str, Any], payload: dict[str, Any]
) -> tuple[dict[str, str], str | None]:
    """Validate and save; returns (field errors, confirmation for the reporter's DM)."""
    user = _user(body)
    ok, case_id = view.read_metadata(payload.get("private_metadata"))
    if not ok or not user:
        cases.record_refused(ctx, user=user, what="form")
        return _general(ctx, "case.err.forged"), None
    form, errors = read_form(read_state(payload), now=ctx.clock.now())
    if form is None:
        return view.field_errors(ctx.lang, errors), None
    named = form_names(form)
    if named and not form.names_ok:  # the warning first; 「このまま保存する」 saves anyway
        return view.name_errors(ctx.lang, named), None
    try:
        if case_id is None:
            saved = cases.create_case(ctx, user=user, form=form)
        else:
            saved = cases.update_case(ctx, user=user, case_id=case_id, form=form)
    except WgbotError as exc:
        errors = error_under_field(
            ctx.lang, exc, field_of={}, default=GENERAL_FIELD, cmd=ctx.command
        )
        return errors, None
    return {}, view.saved_text(ctx.lang, saved.case.id, saved.masked, edited=case_id is not None)


def register(app: App, ctx: Ctx) -> None:
    """Wire the case form and the close button."""

    @app.view(view.CASE_MODAL)
    def on_case_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            errors, confirmation = submit_case(ctx, body, view)
        except Exception:
            log.exception("case form failed")
            errors, confirmation = _general(ctx, "error.internal"), None
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if confirmation and ctx.gateway:
            try:  # a DM, never a channel: the case is confidential
                ctx.gateway.post_dm(_user(body), confirmation)
            except Exception:
                log.exception("could not confirm a case by DM")

    @app.action(view.ACTION_CLOSE)
    def on_close(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        actions = body.get("actions") or [{}]
        value = str((actions[0] if isinstance(actions[0], dict) else {}).get("value") or "")
        try:
            case_id = int(value) if value.isdigit() and len(value) < 10 else 0
            _, changed = cases.close_case(ctx, user=_user(body), case_id=case_id)
            text = t(ctx.lang, "case.closed" if changed else "case.already_closed", id=case_id)
        except WgbotError as exc:
            text = error_text(ctx.lang, exc, cmd=ctx.command)
        except Exception:
            log.exception("case close button failed")
            text = t(ctx.lang, "error.internal")
        try:
            respond(text=text, response_type="ephemeral", replace_original=False)
        except Exception:
            log.exception("could not answer the close button")
