"""The case form (view_submission) and the close button of `case show`."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.domain.case_privacy import form_names
from bot.domain.cases import read_form
from bot.gateway import failure_kind
from bot.render import cases_view as view
from bot.render.messages import t, t_plain
from bot.render.modals import read_state
from bot.services import cases
from bot.services.context import Ctx
from handlers import boundary

log = logging.getLogger(__name__)
# Errors that are not about one field are shown under the free-text field.
GENERAL_FIELD = "what"


def _general(ctx: Ctx, key: str, **params: object) -> dict[str, str]:
    return {GENERAL_FIELD: t_plain(ctx.lang, key, **{"cmd": ctx.command, **params})[:150]}


def submit_case(ctx: Ctx, user: str, payload: dict[str, Any]) -> tuple[dict[str, str], str | None]:
    """Validate and save; returns (field errors, confirmation for the reporter's DM).

    A refusal of the service escapes: the error boundary shows it under the free text.
    """
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
    if case_id is None:
        saved = cases.create_case(ctx, user=user, form=form)
    else:
        saved = cases.update_case(ctx, user=user, case_id=case_id, form=form)
    return {}, view.saved_text(ctx.lang, saved.case.id, saved.masked, edited=case_id is not None)


def register(app: App, ctx: Ctx) -> None:
    """Wire the case form and the close button."""
    boundary.form_fields(view.CASE_MODAL, default=GENERAL_FIELD)

    @app.view(view.CASE_MODAL)
    def on_case_submit(ack: Ack, view: dict[str, Any], wg: Ctx, user: str) -> None:
        with wg.answering_a_form():  # a locked database: answered under the field in time
            errors, confirmation = submit_case(wg, user, view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if confirmation and wg.gateway:
            try:  # a DM, never a channel: the case is confidential
                wg.gateway.post_dm(user, confirmation)
            except Exception as exc:  # the case is saved and the form closed: only the echo
                log.warning("could not confirm a case by DM: %s", failure_kind(exc))

    @app.action(view.ACTION_CLOSE)
    def on_close(body: dict[str, Any], respond: Respond, wg: Ctx, user: str) -> None:
        actions = body.get("actions") or [{}]
        value = str((actions[0] if isinstance(actions[0], dict) else {}).get("value") or "")
        case_id = int(value) if value.isdigit() and len(value) < 10 else 0
        # A refusal, an outage or a bug escapes to the error boundary, which answers.
        _, changed = cases.close_case(wg, user=user, case_id=case_id)
        text = t(wg.lang, "case.closed" if changed else "case.already_closed", id=case_id)
        try:
            respond(text=text, response_type="ephemeral", replace_original=False)
        except Exception as exc:  # response_url used up or Slack away: the case is closed
            log.warning("could not answer the close button: %s", failure_kind(exc))
