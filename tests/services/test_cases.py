"""The case log on SQLite and PostgreSQL: masking, access, close, stats, export, audit."""

from __future__ import annotations

import ast
import csv
import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot import cli
from bot.clock import FixedClock
from bot.domain.cases import CaseForm, CaseRow, read_form, summarise
from bot.errors import NotFound, PermissionDenied
from bot.render.messages import t
from bot.services import cases
from bot.services.context import Ctx
from storage.models import AuditLog, HarassmentCase
from tests.conftest import JST, NOW
from tests.domain.test_cases_rules import values
from tests.factories import wg

REPORTER, ADMIN, TEAMMATE, STRANGER = "U1", "U9", "U2", "U3"
SECRET_TEXT = "０９０－１２３４－５６７８に電話しろと怒鳴った。〒808-0034 の自宅まで来いと要求。"


def form(**over: Any) -> CaseForm:
    """A valid case form."""
    parsed, errors = read_form(values(**over), now=NOW)
    assert parsed is not None, errors
    return parsed


def setup_people(ctx: Ctx) -> None:
    """U9 leads the harassment PT and is a case admin; U1 and U2 share an ordinary WG."""
    wg(ctx, "team new カスハラPT kind:PT", user=ADMIN)
    assert cli.case_admin_cli(ctx, "add", [ADMIN]) == 0
    wg(ctx, "team new 窓口WG kind:WG", user=REPORTER)
    wg(ctx, f"team add 窓口WG <@{TEAMMATE}>", user=REPORTER)


@pytest.fixture
def people(ctx: Ctx) -> Ctx:
    setup_people(ctx)
    return ctx


def _audit(ctx: Ctx) -> list[tuple[str, str, int | None]]:
    with ctx.session() as s:
        rows = s.exec(select(AuditLog).order_by(AuditLog.id)).all()  # type: ignore[arg-type]
        return [(r.actor, r.action, r.case_id) for r in rows]


def test_create_masks_personal_data_before_storing_and_says_what(people: Ctx) -> None:
    saved = cases.create_case(
        people, user=REPORTER, form=form(what=SECRET_TEXT, staff="係長 tel 093-582-1111")
    )
    assert saved.masked == {"phone": 2, "postal": 1}
    with people.session() as s:
        row = s.get(HarassmentCase, saved.case.id)
        assert row is not None
    stored = f"{row.what_happened} {row.staff_involved}"
    for secret in ("1234", "5678", "808", "0034", "582", "１２３４"):
        assert secret not in stored
    assert "［電話番号］に電話しろと怒鳴った" in row.what_happened
    assert row.reporter == REPORTER and row.status == "open"
    assert (REPORTER, "create", saved.case.id) in _audit(people)


def test_reporter_and_case_admin_see_the_case(people: Ctx) -> None:
    case_id = cases.create_case(people, user=REPORTER, form=form()).case.id
    assert case_id is not None
    assert cases.show_case(people, user=REPORTER, case_id=case_id).case.id == case_id
    detail = cases.show_case(people, user=ADMIN, case_id=case_id)
    assert detail.admin and not detail.can_edit


@pytest.mark.parametrize("user", [TEAMMATE, STRANGER, ""])
def test_case_hidden_from_everyone_else_exactly_like_a_missing_id(people: Ctx, user: str) -> None:
    case_id = cases.create_case(people, user=REPORTER, form=form()).case.id
    with pytest.raises(NotFound) as hidden:
        cases.show_case(people, user=user, case_id=case_id or 0)
    with pytest.raises(NotFound) as missing:
        cases.show_case(people, user=user, case_id=999)
    render = lambda e: t("ja", e.key, **e.params).replace("999", str(case_id))  # noqa: E731
    assert render(hidden.value) == render(missing.value)
    for action in (cases.close_case, cases.case_for_edit):
        with pytest.raises(NotFound):
            action(people, user=user, case_id=case_id or 0)
    with pytest.raises(NotFound):
        cases.update_case(people, user=user, case_id=case_id or 0, form=form(what="上書き"))
    assert (user, "view_refused", case_id) in _audit(people)


def test_list_shows_own_cases_and_all_to_case_admins(people: Ctx) -> None:
    cases.create_case(people, user=REPORTER, form=form())
    cases.create_case(people, user=TEAMMATE, form=form(place="phone"))
    assert [c.reporter for c in cases.list_cases(people, user=REPORTER).cases] == [REPORTER]
    everything = cases.list_cases(people, user=ADMIN)
    assert everything.admin and len(everything.cases) == 2
    assert cases.list_cases(people, user=STRANGER).cases == []


def test_close_archives_with_who_and_when_and_never_deletes(people: Ctx) -> None:
    first = cases.create_case(people, user=REPORTER, form=form()).case.id or 0
    second = cases.create_case(people, user=REPORTER, form=form()).case.id or 0
    row, changed = cases.close_case(people, user=REPORTER, case_id=first)
    assert changed and row.closed_by == REPORTER and row.closed_at == NOW
    assert cases.close_case(people, user=REPORTER, case_id=first)[1] is False
    assert cases.close_case(people, user=ADMIN, case_id=second)[0].closed_by == ADMIN
    with people.session() as s:
        assert len(s.exec(select(HarassmentCase)).all()) == 2


def test_only_the_reporter_rewrites_an_open_case(people: Ctx) -> None:
    case_id = cases.create_case(people, user=REPORTER, form=form()).case.id or 0
    saved = cases.update_case(people, user=REPORTER, case_id=case_id, form=form(minutes="30"))
    assert saved.case.minutes == 30
    with pytest.raises(PermissionDenied):
        cases.update_case(people, user=ADMIN, case_id=case_id, form=form())
    cases.close_case(people, user=ADMIN, case_id=case_id)
    with pytest.raises(PermissionDenied):
        cases.update_case(people, user=REPORTER, case_id=case_id, form=form())


def test_stats_in_sql_match_the_domain_summary_and_use_office_months(people: Ctx) -> None:
    specs = [
        ("2024-10-31", "23:30", "counter", "市民課", ["abusive"], "30", "1"),
        ("2024-11-01", "00:30", "phone", "市民課", ["abusive", "detention"], "120", "2"),
        ("2024-11-20", "14:00", "counter", "保険年金課", ["repeated", "online"], "45", "3"),
    ]
    for day, at, place, section, kinds, minutes, staff in specs:
        f = form(
            date=day,
            time=at,
            place=place,
            section=section,
            kinds=kinds,
            minutes=minutes,
            staff_count=staff,
        )
        cases.create_case(people, user=REPORTER, form=f)
    got = cases.case_stats(people, user=ADMIN).stats
    expected = summarise(
        CaseRow(d[:7], p, s, tuple(k), int(m), int(n)) for d, _, p, s, k, m, n in specs
    )
    assert got == expected
    assert got.by_month == {"2024-10": 1, "2024-11": 2}
    assert got.staff_minutes == 30 + 240 + 135
    november = cases.case_stats(
        people, user=ADMIN, start=datetime(2024, 11, 1).date(), end=datetime(2024, 11, 30).date()
    )
    assert november.stats.total == 2
    assert cases.case_stats(people, user=STRANGER).stats.total == 0
    assert (ADMIN, "stats", None) in _audit(people)


def test_export_is_anonymised_and_for_case_admins_only(people: Ctx) -> None:
    from bot.render.case_export import export_csv, export_xlsx

    cases.create_case(people, user=REPORTER, form=form(what=SECRET_TEXT, response="警察に相談"))
    with pytest.raises(PermissionDenied):
        cases.export_rows(people, user=REPORTER)
    rows = cases.export_rows(people, user=ADMIN)
    assert len(rows) == 1
    data = export_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel on a Japanese PC needs the BOM
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:3] == ["通し番号", "発生日", "発生時（時台）"]
    assert table[1][1:5] == ["2024/11/28", "10", "窓口", "市民課"]
    sjis = export_csv(rows, encoding="cp932").decode("cp932")
    assert "種類:暴言" in sjis
    book = load_workbook(io.BytesIO(export_xlsx(rows)))
    cells = " ".join(str(c.value) for r in book.active.iter_rows() for c in r)  # type: ignore[union-attr]
    for text in (data.decode("utf-8-sig"), sjis, cells):
        assert "怒鳴" not in text and "警察に相談" not in text and REPORTER not in text
        assert "係長" not in text
    actions = [a for _, a, _ in _audit(people)]
    assert "export_refused" in actions and "export" in actions


def test_every_read_is_audited_and_the_audit_is_for_case_admins(people: Ctx) -> None:
    case_id = cases.create_case(people, user=REPORTER, form=form()).case.id or 0
    cases.show_case(people, user=REPORTER, case_id=case_id)
    cases.list_cases(people, user=ADMIN)
    cases.case_stats(people, user=REPORTER)
    with pytest.raises(PermissionDenied):
        cases.audit_entries(people, user=REPORTER)
    entries = cases.audit_entries(people, user=ADMIN)
    assert [e.action for e in entries][:4] == ["audit_refused", "stats", "list", "view"]
    log = _audit(people)
    assert (REPORTER, "view", case_id) in log and (ADMIN, "list", None) in log
    assert (REPORTER, "stats", None) in log and (REPORTER, "audit_refused", None) in log
    assert log[-1] == (ADMIN, "audit", None)
    assert [a for a, action, _ in log if action == "admin_add"] == [cases.operator_actor()]


def test_audit_log_has_no_update_or_delete_path() -> None:
    root = Path(__file__).resolve().parents[2]
    for name in ("storage/cases.py", "bot/services/cases.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        called = {
            n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
        }
        assert not called & {"delete", "update"}, name


def test_digest_count_is_a_number_of_new_cases(people: Ctx) -> None:
    cases.create_case(people, user=REPORTER, form=form())
    cases.create_case(people, user=TEAMMATE, form=form())
    since, until = datetime(2024, 11, 25, tzinfo=JST), datetime(2024, 12, 2, tzinfo=JST)
    with people.session() as s:
        assert cases.count_new_cases(s, since=since, until=until) == 2
        assert cases.count_new_cases(s, since=until, until=until.replace(day=9)) == 0
        assert cases.is_case_admin(s, ADMIN) and not cases.is_case_admin(s, TEAMMATE)


def test_commands_answer_ephemerally_and_send_files_by_dm(people: Ctx) -> None:
    assert wg(people, "case new", user=REPORTER).modal is None  # no Slack trigger: a hint
    opened = wg(people, "case new", user=REPORTER, trigger_id="T1")
    assert opened.modal is not None and opened.modal["callback_id"] == "case_form"
    cases.create_case(people, user=REPORTER, form=form(what=SECRET_TEXT))
    shown = wg(people, "case show 1", user=REPORTER)
    assert "［電話番号］" in shown.text and shown.blocks
    assert "見つかりません" in wg(people, "case show #1", user=STRANGER).text
    stats = wg(people, "case stats from:2024-11-01", user=ADMIN)
    assert stats.files and stats.files[0].content.startswith(b"\x89PNG")
    export = wg(people, "case export cp932", user=ADMIN)
    assert [f.filename[-4:] for f in export.files] == ["xlsx", ".csv"]
    assert "事例管理者" in wg(people, "case export", user=REPORTER).text
    audit = wg(people, "case audit", user=ADMIN).text
    assert "export" in audit
    edit = wg(people, "case edit 1", user=REPORTER, trigger_id="T2")
    assert edit.modal is not None and edit.modal["private_metadata"] == '{"case_id": 1}'
    assert "閉じ" not in wg(people, "case close 1", user=STRANGER).text
    assert "終了" in wg(people, "case close 1", user=REPORTER).text
    for reply in (opened, shown, stats, export):
        assert reply.in_channel is False and reply.file_channel is None


@pytest.mark.parametrize(
    ("line", "period"),
    [
        ("case stats from:3/1 to:3/31", "期間: 令和7年3月1日〜令和7年3月31日"),
        ("case stats from:12月 to:3月", "期間: 令和6年12月1日〜令和7年3月31日"),
        ("case stats from:10月", "期間: 令和6年10月1日〜"),
        ("case stats to:3月", "期間: 〜令和7年3月31日"),
    ],
)
def test_stats_period_typed_without_years_in_april(people: Ctx, line: str, period: str) -> None:
    """The period is written in 和暦 with its year, like every other date (no ISO dates)."""
    assert isinstance(people.clock, FixedClock)
    people.clock.set(datetime(2025, 4, 5, 10, 0, tzinfo=JST))
    answer = wg(people, line, user=ADMIN).text
    assert period in answer
    assert not re.search(r"\d{4}-\d{2}-\d{2}", answer)
