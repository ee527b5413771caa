"""What the user is told after Slack refused a form, and where the report went."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Running
from tests.factories import load_sample_plan, signage_team, wg


def _answer(run: Running, text: str, *, name: str = "r", trigger_id: str = "trig") -> str:
    before = len(run.slack.responses)
    resp = run.client.command(
        text, user="U1", trigger_id=trigger_id, response_url=run.slack.response_url(name)
    )
    assert resp.status == 200
    run.slack.wait_for_responses(before + 1, timeout=10)
    return str(run.slack.responses[before].json["text"])


@pytest.mark.parametrize("error", ["expired_trigger_id", "trigger_exchanged"])
def test_form_refused_by_slack_says_so_and_what_to_type(running: Running, error: str) -> None:
    running.slack.set_response("views.open", {"ok": False, "error": error})
    text = _answer(running, "team new")
    assert running.slack.wait_for("views.open")[0].failed == error
    assert "入力画面を開けませんでした（有効期限切れ）" in text
    assert "`/wg team new`" in text
    assert "開きました" not in text


def test_form_refused_with_a_server_error_says_so(running: Running) -> None:
    running.slack.set_response("views.open", {"ok": False, "error": "internal_error"})
    text = _answer(running, "task add")
    assert "入力画面を開けませんでした（Slack の応答: internal_error）" in text
    assert "`/wg task add`" in text


def test_form_that_opened_gets_no_claim_in_the_chat(running: Running) -> None:
    running.client.command("case new", user="U1", response_url=running.slack.response_url("c"))
    assert running.slack.wait_for_ok("views.open")
    assert all("開けません" not in r.json.get("text", "") for r in running.slack.responses)


def test_note_button_whose_form_expired_answers_press_again(running: Running) -> None:
    load_sample_plan(running.ctx)
    signage_team(running.ctx)
    wg(running.ctx, "task add 自己点検 due:12/10 <@U2>")
    running.slack.set_response("views.open", {"ok": False, "error": "expired_trigger_id"})
    running.client.block_action(
        user="U2",
        action_id="reminder_note",
        value="task:1",
        response_url=running.slack.response_url("note"),
    )
    (post,) = running.slack.wait_for_responses(1, timeout=10)
    assert post.json["response_type"] == "ephemeral"
    assert "有効期限切れ" in post.json["text"] and "ボタンを押して" in post.json["text"]


def test_report_to_the_report_channel_says_which_channel(running: Running) -> None:
    load_sample_plan(running.ctx)
    running.ctx.report_channel = "C0REPORT"
    text = _answer(running, "report format:md")
    assert "報告書を <#C0REPORT> に投稿しました" in text
    assert "DM" not in text
    assert [f.filename for f in running.slack.uploaded("C0REPORT")] == [
        "progress-report-2024-11-30.md"
    ]


def test_report_without_a_report_channel_says_it_went_by_dm(running: Running) -> None:
    load_sample_plan(running.ctx)
    text = _answer(running, "report format:md")
    assert "報告書をDMで送りました" in text
    (call,) = running.slack.wait_for("conversations.open")
    assert call.params["users"] == "U1"
    assert running.slack.uploaded()


def test_report_whose_upload_failed_says_the_files_were_not_sent(running: Running) -> None:
    load_sample_plan(running.ctx)
    running.slack.set_response(
        "files.getUploadURLExternal", {"ok": False, "error": "not_in_channel"}
    )
    text = _answer(running, "report format:md")
    assert "ファイルを送れませんでした（Slack の応答: not_in_channel）" in text
