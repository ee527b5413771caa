"""The case form warns about a name before saving; 「このまま保存する」 saves and is audited."""

from __future__ import annotations

from sqlmodel import select

from bot import cli
from storage.models import AuditLog, HarassmentCase
from tests.e2e.conftest import Running
from tests.e2e.test_cases_access import state, submit
from tests.factories import wg


def test_name_in_the_form_is_warned_about_then_saved_anyway_and_audited(running: Running) -> None:
    wg(running.ctx, "team new カスハラPT kind:PT", user="U9")
    assert cli.case_admin_cli(running.ctx, "add", ["U9"]) == 0
    what = {"value": "窓口で山田様が大声を出した。"}
    warned = submit(running, user="U1", what=what)
    assert warned["response_action"] == "errors"
    assert "「山田様」は氏名のようです" in warned["errors"]["what"]
    with running.ctx.session() as s:
        assert s.exec(select(HarassmentCase)).all() == []
    tick = {"type": "checkboxes", "selected_options": [{"value": "names_ok"}]}
    values = {**state(what=what), "names_ok": tick}
    resp = running.client.view_submission(user="U1", callback_id="case_form", state_values=values)
    assert resp.status == 200 and not resp.body.strip()  # a plain ack: saved
    with running.ctx.session() as s:
        saved = s.exec(select(HarassmentCase)).one()
        assert saved.what_happened == what["value"]  # stored as typed
        log = s.exec(select(AuditLog).where(AuditLog.action == "name_warning_overridden")).all()
    assert [(r.actor, r.case_id, r.detail) for r in log] == [("U1", saved.id, "what")]
    role = {"value": "窓口で相談者が大声を出した。お客様対応の様子を記録。"}
    assert submit(running, user="U1", what=role) == {}  # roles are not names
