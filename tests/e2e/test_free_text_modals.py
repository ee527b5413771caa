"""Forms over signed HTTP: a control character is refused under its own field, nothing saved."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from bot import cli
from storage.models import HarassmentCase, Task, Team
from tests.e2e.conftest import Running
from tests.e2e.test_cases_access import state
from tests.factories import load_sample_plan, signage_team, wg
from tests.payloads import field


def _errors(resp: Any) -> dict[str, str]:
    body = resp.json()
    assert body["response_action"] == "errors"
    return dict(body["errors"])


def test_team_and_task_forms_refuse_a_control_character_under_its_field(
    running: Running,
) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    team = running.client.view_submission(
        user="U1",
        callback_id="team_new",
        state_values={"name": field("plain_text_input", "観光\x07PT")},
    )
    assert "制御文字（U+0007）" in _errors(team)["name"]
    task = running.client.view_submission(
        user="U1",
        callback_id="task_add",
        state_values={"title": field("plain_text_input", "点検\x00表")},
    )
    assert "U+0000" in _errors(task)["title"]
    with running.ctx.session() as s:
        assert [t.name for t in s.exec(select(Team)).all()] == ["案内表示WG"]
        assert s.exec(select(Task)).all() == []


@pytest.mark.parametrize(("callback_id", "key"), [("team_new", "name"), ("task_add", "title")])
def test_team_and_task_forms_ask_for_a_blank_name_under_its_field(
    running: Running, callback_id: str, key: str
) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    resp = running.client.view_submission(
        user="U1",
        callback_id=callback_id,
        state_values={key: field("plain_text_input", " \u3000 ")},
    )
    assert _errors(resp) == {key: "入力してください。"}
    with running.ctx.session() as s:
        assert [t.name for t in s.exec(select(Team)).all()] == ["案内表示WG"]
        assert s.exec(select(Task)).all() == []


@pytest.mark.parametrize("name", ["section", "staff", "what", "response"])
def test_case_form_refuses_a_control_character_under_its_field(running: Running, name: str) -> None:
    wg(running.ctx, "team new カスハラPT kind:PT", user="U9")
    assert cli.case_admin_cli(running.ctx, "add", ["U9"]) == 0
    resp = running.client.view_submission(
        user="U1",
        callback_id="case_form",
        state_values=state(**{name: {"value": "市民課\x07窓口"}}),
    )
    assert "U+0007" in _errors(resp)[name]
    with running.ctx.session() as s:
        assert s.exec(select(HarassmentCase)).all() == []
