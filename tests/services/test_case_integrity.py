"""Issue 11 on SQLite and PostgreSQL: edit history, the hash-chained audit log, retention,
statistics that cannot point at a person, the k-anonymised export."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlmodel import select

from bot import cli
from bot.clock import FixedClock
from bot.domain.cases import CaseForm, read_form
from bot.errors import InvalidInput, NotFound
from bot.services import case_audit, case_history, case_retention, cases
from bot.services.context import Ctx
from storage import cases as case_store
from storage.models import AuditLog, CaseVersion, HarassmentCase, Team
from tests.conftest import JST, NOW
from tests.domain.test_cases_rules import values
from tests.factories import wg

REPORTER, ADMIN, STRANGER = "U1", "U9", "U3"
JST_OFFSET = timedelta(hours=9)


def form(**over: Any) -> CaseForm:
    parsed, errors = read_form(values(**over), now=NOW)
    assert parsed is not None, errors
    return parsed


@pytest.fixture
def people(ctx: Ctx) -> Ctx:
    """U9 is a case admin (member of the team with role case_admin)."""
    wg(ctx, "team new カスハラPT kind:PT", user=ADMIN)
    with ctx.session() as s:
        team = s.exec(select(Team).where(Team.name == "カスハラPT")).one()
        team.role = "case_admin"
        s.add(team)
    return ctx


def _actions(ctx: Ctx) -> list[tuple[str, str, int | None, str | None]]:
    with ctx.session() as s:
        rows = s.exec(select(AuditLog).order_by(AuditLog.id)).all()  # type: ignore[arg-type]
        return [(r.actor, r.action, r.case_id, r.detail) for r in rows]


# --- edit history -------------------------------------------------------------------------


def test_three_edits_keep_every_earlier_version_with_who_when_and_what(people: Ctx) -> None:
    clock = people.clock
    assert isinstance(clock, FixedClock)
    case_id = cases.create_case(people, user=REPORTER, form=form()).case.id or 0
    edits = [
        {"minutes": "30"},
        {"minutes": "30", "what": "大声で30分にわたり要求を繰り返した。"},
        {"minutes": "45", "what": "大声で30分にわたり要求を繰り返した。", "place": "phone"},
    ]
    for hour, over in zip((10, 11, 12), edits, strict=True):
        clock.set(datetime(2024, 11, 29, hour, 0, tzinfo=JST))
        cases.update_case(people, user=REPORTER, case_id=case_id, form=form(**over))
    # A save that changes nothing keeps no version.
    cases.update_case(people, user=REPORTER, case_id=case_id, form=form(**edits[-1]))

    history = case_history.case_history(people, user=ADMIN, case_id=case_id)
    assert [v.number for v in history.versions] == [1, 2, 3]
    first, second, third = history.versions
    assert first.before == {"minutes": 90}
    assert first.edited_by == REPORTER and first.edited_at == datetime(2024, 11, 29, 1, 0).replace(
        tzinfo=first.edited_at.tzinfo
    )
    assert second.before == {"what_happened": values()["what"]}
    assert third.before == {"place": "counter", "minutes": 30}
    assert history.case.minutes == 45 and history.case.place == "phone"

    shown = wg(people, f"case show {case_id}", user=REPORTER).text
    assert "編集あり（3回）" in shown and f"case history {case_id}" in shown
    answer = wg(people, f"case history {case_id}", user=ADMIN).text
    assert "第1版 → 第2版" in answer and "第3版 → 第4版" in answer
    assert "以前の対応時間: 90" in answer and "以前の場所: 窓口" in answer
    assert values()["what"] in answer
    assert (ADMIN, "history", case_id, None) in _actions(people)


def test_history_is_hidden_from_others_exactly_like_a_missing_case(people: Ctx) -> None:
    case_id = cases.create_case(people, user=REPORTER, form=form()).case.id or 0
    cases.update_case(people, user=REPORTER, case_id=case_id, form=form(minutes="30"))
    assert case_history.case_history(people, user=REPORTER, case_id=case_id).versions
    for target in (case_id, 999):
        with pytest.raises(NotFound):
            case_history.case_history(people, user=STRANGER, case_id=target)
    hidden = wg(people, f"case history {case_id}", user=STRANGER).text
    missing = wg(people, "case history 999", user=STRANGER).text
    assert hidden.replace(str(case_id), "999") == missing
    assert (STRANGER, "history_refused", case_id, None) in _actions(people)


# --- tamper-evident audit log -----------------------------------------------------------


def _some_audit(ctx: Ctx) -> None:
    case_id = cases.create_case(ctx, user=REPORTER, form=form()).case.id or 0
    cases.show_case(ctx, user=REPORTER, case_id=case_id)
    cases.list_cases(ctx, user=ADMIN)
    cases.case_stats(ctx, user=ADMIN)


def _audit_ids(ctx: Ctx) -> list[int]:
    with ctx.session() as s:
        return [r.id or 0 for r in s.exec(select(AuditLog).order_by(AuditLog.id)).all()]  # type: ignore[arg-type]


def _sql(ctx: Ctx, statement: str) -> None:
    with ctx.engine.begin() as conn:
        conn.execute(text(statement))


def test_verify_passes_an_intact_chain(people: Ctx, capsys: pytest.CaptureFixture[str]) -> None:
    _some_audit(people)
    assert cli.verify_cli(people) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 監査ログ 4件") and out.count("\n") == 1


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (
            "UPDATE audit_log SET detail = 'rows=0' WHERE id = {second}",
            "内容が書き換えられています",
        ),
        ("UPDATE audit_log SET actor = 'U7' WHERE id = {second}", "内容が書き換えられています"),
        ("DELETE FROM audit_log WHERE id = {second}", "削除または挿入"),
        ("DELETE FROM audit_log WHERE id = {last}", "末尾"),
    ],
)
def test_verify_names_the_first_broken_link(
    people: Ctx, capsys: pytest.CaptureFixture[str], tamper: str, problem: str
) -> None:
    _some_audit(people)
    ids = _audit_ids(people)
    _sql(people, tamper.format(second=ids[1], last=ids[-1]))
    assert cli.verify_cli(people) == 2
    err = capsys.readouterr().err
    assert problem in err and err.startswith("wgbot: ") and err.count("\n") == 1
    named = {"{second}": ids[1], "{last}": ids[-2]}
    expected = ids[2] if "DELETE" in tamper and "{second}" in tamper else None
    row = expected or next(v for k, v in named.items() if k in tamper)
    assert f"行 {row} " in err


def test_a_row_slipped_into_the_chain_is_found(people: Ctx) -> None:
    _some_audit(people)
    ids = _audit_ids(people)
    _sql(
        people,
        "INSERT INTO audit_log (actor, action, detail, at, prev_hash, row_hash) "
        f"SELECT 'U7', 'view', NULL, at, row_hash, row_hash FROM audit_log WHERE id = {ids[-1]}",
    )
    walk = case_audit.verify_audit(people)
    assert walk.broken is not None and walk.broken.problem == "changed"
    assert walk.broken.row_id == max(_audit_ids(people))


def test_appends_from_many_threads_never_fork_the_chain(people: Ctx) -> None:
    def work(user: str) -> None:
        for _ in range(8):
            cases.list_cases(people, user=user)

    threads = [threading.Thread(target=work, args=(f"U{n}",)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    walk = case_audit.verify_audit(people)
    assert walk.broken is None and walk.rows == 32


def test_verify_reads_rows_written_at_any_microsecond_and_offset(people: Ctx) -> None:
    """The timestamp text verify hashes (from the database) is the one append hashed."""
    clock = people.clock
    assert isinstance(clock, FixedClock)
    for at in (
        datetime(2024, 11, 29, 9, 0, 0, 0, tzinfo=JST),
        datetime(2024, 11, 29, 9, 0, 0, 7, tzinfo=JST),
        datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=JST),  # another UTC day and year
    ):
        clock.set(at)
        cases.list_cases(people, user=REPORTER)
    walk = case_audit.verify_audit(people)
    assert walk.broken is None and walk.rows == 3


@contextlib.contextmanager
def _statements(ctx: Ctx, needle: str) -> Iterator[list[Any]]:
    """The parameters of each SQL statement containing `needle` run inside the block."""
    seen: list[Any] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if needle in statement:
            seen.append(list(params.values()) if isinstance(params, dict) else list(params))

    event.listen(ctx.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(ctx.engine, "before_cursor_execute", record)


# --- retention ----------------------------------------------------------------------------


def test_case_past_retention_keeps_its_counts_and_loses_its_text(people: Ctx) -> None:
    clock = people.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2019, 6, 1, 10, 0, tzinfo=JST))
    old = form(date="2019-05-31", what="山田様が大声で怒鳴った", section="市民課 窓口係")
    case_id = cases.create_case(people, user=REPORTER, form=old).case.id or 0
    edited = form(date="2019-05-31", what="相談者が大声で怒鳴った", section="市民課 窓口係")
    cases.update_case(people, user=REPORTER, case_id=case_id, form=edited)
    cases.close_case(people, user=REPORTER, case_id=case_id)
    clock.set(datetime(2020, 3, 31, 10, 0, tzinfo=JST))  # closed in FY2019 too, kept as long
    late = cases.create_case(people, user=REPORTER, form=form(date="2020-03-30")).case.id or 0
    cases.close_case(people, user=REPORTER, case_id=late)
    clock.set(datetime(2020, 4, 1, 10, 0, tzinfo=JST))  # FY2020: kept a year longer
    young = cases.create_case(people, user=REPORTER, form=form(date="2020-04-01")).case.id or 0
    cases.close_case(people, user=REPORTER, case_id=young)
    still_open = cases.create_case(people, user=REPORTER, form=form(date="2019-05-01")).case.id

    clock.set(datetime(2025, 3, 31, 23, 0, tzinfo=JST))
    assert case_retention.find_expired(people, years=5).cases == []
    clock.set(datetime(2025, 4, 1, 3, 0, tzinfo=JST))
    planned = case_retention.find_expired(people, years=5)
    assert [c.id for c in planned.cases] == [case_id, late]
    with people.session() as s:  # a dry run changes nothing
        assert s.get(HarassmentCase, case_id).what_happened == "相談者が大声で怒鳴った"  # type: ignore[union-attr]

    done = case_retention.dispose_expired(people, years=5, batch=1)
    assert [c.id for c in done.cases] == [case_id, late]
    with people.session() as s:
        row = s.get(HarassmentCase, case_id)
        assert row is not None
        assert (row.what_happened, row.response, row.staff_involved) == ("", None, None)
        assert row.section == "窓口・戸籍系" and row.disposed_at is not None
        assert (row.minutes, row.staff_count, row.place, row.kinds) == (
            90,
            2,
            "counter",
            "abusive,detention",
        )
        assert row.occurred_at is not None and row.reporter == REPORTER
        version = s.exec(select(CaseVersion).where(CaseVersion.case_id == case_id)).one()
        assert "山田" not in version.before and "what_happened" in version.before
        kept = [s.get(HarassmentCase, i) for i in (young, still_open)]
        assert all(c is not None and c.disposed_at is None and c.what_happened for c in kept)
        assert len(s.exec(select(HarassmentCase)).all()) == 4  # nothing deleted
    log = _actions(people)
    assert ("retention", "dispose", case_id, "closed=2019-06-01 retention=5y") in log
    assert case_audit.verify_audit(people).broken is None
    assert case_retention.dispose_expired(people, years=5).cases == []  # once only
    shown = wg(people, f"case show {case_id}", user=ADMIN).text
    assert "保存期間満了により記述を廃棄しました" in shown
    assert "（廃棄済み）" in wg(people, f"case history {case_id}", user=ADMIN).text
    assert cases.case_stats(people, user=ADMIN).stats.total == 4  # still counted


def test_retention_cli_lists_ids_and_dates_without_content(
    people: Ctx, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = people.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2018, 7, 2, 10, 0, tzinfo=JST))
    case_id = cases.create_case(people, user=REPORTER, form=form(date="2018-07-01")).case.id
    cases.close_case(people, user=REPORTER, case_id=case_id or 0)
    clock.set(datetime(2024, 11, 29, 9, 0, tzinfo=JST))
    assert cli.retention_cli(people, apply=False, years=5) == 0
    out = capsys.readouterr().out
    assert f"#{case_id} 終了 2018-07-02" in out and "1件" in out
    assert values()["what"] not in out and "市民課" not in out
    assert cli.retention_cli(people, apply=True, years=5) == 0
    assert "1件の記述を廃棄しました" in capsys.readouterr().out


# --- statistics that cannot point at a person ----------------------------------------------


def _cases_on(ctx: Ctx, days: list[str], **over: Any) -> None:
    for day in days:
        cases.create_case(ctx, user=REPORTER, form=form(date=day, **over))


def test_stats_show_cells_under_three_as_fewer_than_three(people: Ctx) -> None:
    _cases_on(people, ["2024-10-01"] * 4 + ["2024-11-01"] * 4)
    _cases_on(people, ["2024-11-02"], place="phone", section="保護課")
    answer = wg(people, "case stats", user=ADMIN).text
    assert "件数: 9件" in answer
    # One phone case: hidden, and so is the next smallest place (else 9 - 8 gives it away).
    assert "電話 3件未満" in answer and "窓口 3件未満" in answer
    assert "保護課 3件未満" in answer and "市民課 3件未満" in answer
    assert "2024-10 4" in answer and "2024-11 5" in answer
    assert "3件未満の値" in answer


def test_stats_hide_what_the_difference_of_two_periods_reveals(people: Ctx) -> None:
    _cases_on(people, ["2024-11-01"])
    _cases_on(people, ["2024-11-05"] * 5)
    first = wg(people, "case stats from:2024-11-01 to:2024-11-30", user=ADMIN).text
    assert "件数: 6件" in first
    # 6 - 5: the one case on 1 November would stand out; the total is hidden instead.
    second = wg(people, "case stats from:2024-11-02 to:2024-11-30", user=ADMIN).text
    assert "件数: 3件未満" in second and "5件" not in second
    assert "2024-11 3件未満" in second
    # Another user's first query of the day is not affected by U9's history.
    _cases_on(people, ["2024-11-06"] * 3)
    mine = cases.case_stats(people, user=REPORTER, start=date(2024, 11, 2)).shown
    assert mine is not None and not mine.hidden
    # The earlier ranges are recounted: 9 now against 8 from 2 November still hides the total.
    again = wg(people, "case stats from:2024-11-01 to:2024-11-30", user=ADMIN).text
    assert "件数: 3件未満" in again


def test_stats_allow_ten_different_periods_a_day(people: Ctx) -> None:
    for day in range(1, 11):
        cases.case_stats(people, user=ADMIN, start=date(2024, 10, day))
    cases.case_stats(people, user=ADMIN, start=date(2024, 10, 1))  # one already asked: fine
    with pytest.raises(InvalidInput):
        cases.case_stats(people, user=ADMIN, start=date(2024, 10, 11))
    assert "1日10通りまで" in wg(people, "case stats from:2024-10-12", user=ADMIN).text
    assert (ADMIN, "stats_refused", None, "from=2024-10-11 to=") in _actions(people)
    clock = people.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2024, 11, 30, 9, 0, tzinfo=JST))  # a new day
    cases.case_stats(people, user=ADMIN, start=date(2024, 10, 11))


# --- exports --------------------------------------------------------------------------------


def _table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_for_outside_use_is_k_anonymised_and_the_full_one_named_internal(
    people: Ctx,
) -> None:
    specs = [("2024-10-01", "10:00", "counter", "市民課")] * 3
    specs += [("2024-10-02", "14:00", "phone", "保険年金課")] * 2
    specs += [("2024-10-03", "20:00", "counter", "市民課"), ("2024-11-03", "09:00", "mail", "X")]
    for day, at, place, section in specs:
        f = form(date=day, time=at, place=place, section=section)
        cases.create_case(people, user=REPORTER, form=f)
    reply = wg(people, "case export", user=ADMIN)
    names = [f.filename for f in reply.files]
    assert names == [
        "事例_外部提供用_k3匿名化_20241129.xlsx",
        "事例_外部提供用_k3匿名化_20241129.csv",
    ]
    assert "k=3" in reply.text
    table = _table(reply.files[1].content)
    assert table[0][1:5] == ["発生月（または年度の四半期）", "時間帯", "場所・手段", "担当課の分類"]
    keys = Counter(tuple(r[1:5]) for r in table[1:])
    assert all(n >= 3 for n in keys.values()), keys
    assert ("2024-10", "午前", "窓口", "窓口・戸籍系") in keys
    text = reply.files[1].content.decode("utf-8-sig")
    assert "2024/10/01" not in text and "市民課" not in text
    left = int(re.search(r"(\d+)件は3件未満", reply.text).group(1))  # type: ignore[union-attr]
    assert left > 0 and sum(keys.values()) + left == len(specs)

    full = wg(people, "case export full", user=ADMIN)
    assert [f.filename for f in full.files] == [
        "事例_内部用_仮名化_20241129.xlsx",
        "事例_内部用_仮名化_20241129.csv",
    ]
    assert _table(full.files[1].content)[1][1:5] == ["2024/10/01", "10", "窓口", "市民課"]
    details = [d for _, a, _, d in _actions(people) if a == "export"]
    assert details == ["outside rows=7", "full rows=7"]


def test_name_override_is_audited_without_the_text(people: Ctx) -> None:
    f = form(what="山田様が大声で怒鳴った", names_ok=["names_ok"])
    case_id = cases.create_case(people, user=REPORTER, form=f).case.id
    log = _actions(people)
    assert (REPORTER, "name_warning_overridden", case_id, "what") in log
    assert not any("山田" in (d or "") for *_, d in log)
    plain = cases.create_case(people, user=REPORTER, form=form(names_ok=["names_ok"])).case.id
    assert not any(a == "name_warning_overridden" and c == plain for _, a, c, _ in _actions(people))


def test_retention_batches_never_read_the_cases_done_before(people: Ctx) -> None:
    clock = people.clock
    assert isinstance(clock, FixedClock)
    clock.set(datetime(2019, 6, 1, 10, 0, tzinfo=JST))
    for _ in range(10):  # open cases are never disposed of (and move the ids past the limit)
        cases.create_case(people, user=REPORTER, form=form(date="2019-05-31"))
    closed = [cases.create_case(people, user=REPORTER, form=form(date="2019-05-31")).case.id or 0]
    closed += [
        cases.create_case(people, user=REPORTER, form=form(date="2019-05-31")).case.id or 0
        for _ in range(4)
    ]
    for case_id in closed:
        cases.close_case(people, user=REPORTER, case_id=case_id)
    clock.set(datetime(2025, 4, 1, 10, 0, tzinfo=JST))
    with _statements(people, "disposed_at IS NULL") as batches:
        done = case_retention.dispose_expired(people, years=5, batch=2)
    assert [c.id for c in done.cases] == closed
    # Two full batches, one of one, and an empty look: each reads on after the last id
    # of the one before (keyset), never again through the cases already disposed of.
    assert len(batches) == 4
    for params, after in zip(batches[1:], (closed[1], closed[3], closed[4]), strict=True):
        assert after in params


def test_stats_count_the_earlier_ranges_of_the_day_in_the_same_pass(people: Ctx) -> None:
    _cases_on(people, ["2024-10-01"] * 4 + ["2024-10-04"] + ["2024-11-01"] * 4)
    with _statements(people, "FROM harassment_case") as first:
        cases.case_stats(people, user=ADMIN, start=date(2024, 10, 1))
    for day in (2, 3, 4):
        cases.case_stats(people, user=ADMIN, start=date(2024, 10, day))
    with _statements(people, "FROM harassment_case") as later:
        result = cases.case_stats(people, user=ADMIN, start=date(2024, 10, 5))
    # Four earlier overlapping ranges are compared, yet the cases are read as often as
    # for the day's first range (they used to be counted again, four queries a range).
    assert len(later) == len(first)
    assert result.shown is not None and result.stats.total == 4
    # 5 from 4 October on against 4 from the 5th: the one case of the 4th would show.
    assert result.shown.is_hidden("total")


def test_ranges_counted_together_give_each_range_its_own_counts(people: Ctx) -> None:
    days = ["2024-09-30", "2024-10-01", "2024-10-15", "2024-10-31", "2024-11-01", "2024-11-28"]
    for n, day in enumerate(days):
        place = ("counter", "phone", "mail")[n % 3]
        _cases_on(people, [day] * (n + 1), place=place, section=f"課{n % 2}", time="23:30")

    def at(day: str) -> datetime:
        return datetime.fromisoformat(day).replace(tzinfo=JST)

    ranges = [
        (at("2024-10-01"), at("2024-11-01")),
        (None, None),
        (at("2024-10-15"), None),
        (None, at("2024-10-16")),
        (at("2024-10-31"), at("2024-11-29")),
    ]
    admin = case_store.Viewer(user=ADMIN, admin=True)
    with people.session() as s:
        together = case_store.stats_ranges(
            s, viewer=admin, ranges=ranges, tz_name="Asia/Tokyo", offset=JST_OFFSET
        )
        alone = [
            case_store.stats(
                s, viewer=admin, start=lo, end=hi, tz_name="Asia/Tokyo", offset=JST_OFFSET
            )
            for lo, hi in ranges
        ]
    assert together == alone
    assert [r.total for r in together] == [2 + 3 + 4, 21, 3 + 4 + 5 + 6, 1 + 2 + 3, 4 + 5 + 6]
    # 23:30 JST on 31 October is 14:30 UTC: the month is the office's, not UTC's.
    assert together[0].months == {"2024-10": 9}
