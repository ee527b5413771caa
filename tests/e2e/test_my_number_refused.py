"""A My Number typed into a note, a task title or a form is refused, never stored or posted.

NOTES: "a chat tool must never store one". The case log masks it instead (docs/cases.md).
`123456789018` carries a valid check digit; `123456789012` does not (an order number).
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot import cli
from storage.models import HarassmentCase, ProgressNote, Task
from tests.e2e.conftest import Running
from tests.e2e.test_cases_access import state
from tests.factories import load_sample_plan, signage_team, wg
from tests.payloads import field

REFUSED = "マイナンバー（個人番号）と思われる12桁の番号が含まれています。保存できません"


def _answer(run: Running, text: str, user: str = "U1") -> str:
    before = len(run.slack.responses)
    assert run.client.command(text, user=user).status == 200
    run.slack.wait_for_responses(before + 1, timeout=5)
    reply = run.slack.responses[before].json
    assert reply.get("response_type", "ephemeral") == "ephemeral"
    return str(reply["text"])


@pytest.mark.parametrize(
    "number", ["123456789018", "1234 5678 9018", "１２３４－５６７８－９０１８"]
)
def test_a_my_number_in_a_note_or_task_title_is_refused_and_nothing_is_stored(
    running: Running, number: str
) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    assert REFUSED in _answer(running, f"note A(2) 山田様の番号 {number} を確認")
    assert REFUSED in _answer(running, f"task add 案内表示WG {number} の書類を回収")
    with running.ctx.session() as s:
        assert s.exec(select(ProgressNote)).all() == []
        assert s.exec(select(Task)).all() == []
    texts = " ".join(str(c.params) for c in running.slack.calls)
    assert "9018" not in texts


def test_twelve_digits_without_a_valid_check_digit_and_phone_numbers_are_kept(
    running: Running,
) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    typed = "発注番号 123456789012 窓口 03-1234-5678 info@city.example.jp"
    assert REFUSED not in _answer(running, f"note A(2) {typed}")
    with running.ctx.session() as s:
        assert [n.text for n in s.exec(select(ProgressNote)).all()] == [typed]


def test_task_form_refuses_a_my_number_under_its_field(running: Running) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    resp = running.client.view_submission(
        user="U1",
        callback_id="task_add",
        state_values={"title": field("plain_text_input", "個人番号123456789018の確認")},
    )
    body = resp.json()
    assert body["response_action"] == "errors"
    assert REFUSED in body["errors"]["title"]
    with running.ctx.session() as s:
        assert s.exec(select(Task)).all() == []


def test_english_mode_says_why_in_english(running: Running) -> None:
    running.ctx.lang = "en"
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    said = _answer(running, "note A(2) number 123456789018")
    assert "My Number" in said and "Remove the number" in said


def test_the_case_form_still_masks_a_my_number_instead_of_refusing(running: Running) -> None:
    wg(running.ctx, "team new カスハラPT kind:PT", user="U9")
    assert cli.case_admin_cli(running.ctx, "add", ["U9"]) == 0
    resp = running.client.view_submission(
        user="U1",
        callback_id="case_form",
        state_values=state(what={"value": "来庁者が 123456789018 を名乗り大声を出した"}),
    )
    assert resp.status == 200 and "errors" not in resp.body
    with running.ctx.session() as s:
        (case,) = s.exec(select(HarassmentCase)).all()
    assert "123456789018" not in case.what_happened
    assert "［個人番号］" in case.what_happened
