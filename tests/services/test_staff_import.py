"""The operator's staff list: read as Excel saves it, every bad row named, all or nothing.

Two wards: the sample ward (若松区) and a fictional one (架空区, written for these tests).
E-mails are resolved by the real Slack SDK against the fake Slack HTTP server.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import Engine
from sqlmodel import col, select

from bot.clock import FixedClock
from bot.domain.staff_file import (
    MAX_ROWS,
    SPACES,
    Problem,
    StaffFileError,
    looks_like_ward,
    read_rows,
)
from bot.errors import InvalidInput
from bot.gateway import Gateway, make_client
from bot.logs import install_scrubbing
from bot.render.messages import t_plain
from bot.services.context import Ctx
from bot.services.plans import import_plan, read_plan_file
from bot.services.staff import StaffImport, import_staff, read_staff_file
from bot.services.wards import ward_of
from storage.models import Staff
from tests.conftest import CALENDAR, NOW
from tests.factories import load_sample_plan
from tests.fakeslack import FakeSlack

FICTIONAL_PLAN = """\
ward: 架空区
fiscal_year: 2024
title: 令和6年度 架空区役所 運営方針（試験用の架空の区）
mission: 試験のためだけにある架空の区です。
themes:
  - code: A(1)
    title: 架空の窓口改善
"""
HEADER = "ユーザーID,メールアドレス,氏名,区,課\n"


def two_wards(ctx: Ctx, tmp_path: Path) -> None:
    """若松区 (the sample plan) and 架空区 (fictional) both have a plan."""
    load_sample_plan(ctx)
    path = tmp_path / "kakuu-fy2024.yaml"
    path.write_text(FICTIONAL_PLAN, encoding="utf-8")
    import_plan(ctx, data=read_plan_file(path))


def staff(ctx: Ctx) -> dict[str, tuple[str, str, str, str | None]]:
    """Everyone on the list: user id -> (name, ward, section, e-mail)."""
    with ctx.session() as s:
        rows = s.exec(select(Staff).order_by(col(Staff.user_id))).all()
        return {r.user_id: (r.name, r.ward, r.section, r.email) for r in rows}


def run_import(ctx: Ctx, path: Path) -> StaffImport:
    return import_staff(ctx, rows=read_staff_file(path), by="cli:tester")


def problems_of(ctx: Ctx, path: Path) -> list[str]:
    """The problem lines, as the CLI prints them (row, column, what is wrong)."""
    with pytest.raises(StaffFileError) as info:
        run_import(ctx, path)
    return [line(p, info.value.wards) for p in info.value.problems]


def line(p: Problem, wards: tuple[str, ...]) -> str:
    where = t_plain("ja", f"staff.col.{p.column}") if p.column else ""
    at = t_plain("ja", "staff.at_cell" if where else "staff.at_row", n=p.row, field=where)
    return at + t_plain("ja", p.key, wards="、".join(wards), **p.params)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.emails.update({"tanaka@city.example.jp": "U0TANAKA", "sato@city.example.jp": "U0SATO"})
        yield fake


def with_slack(ctx: Ctx, fake: FakeSlack) -> Ctx:
    ctx.gateway = Gateway(make_client("xoxb-test", fake.base_url))
    return ctx


def test_shift_jis_csv_imports_and_gives_each_person_their_ward(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "名簿.csv"
    rows = "U0TANAKA,,田中 一郎,若松,総務企画課\nU0SATO,,佐藤　花子,架空区,市民課\n"
    path.write_bytes((HEADER + rows).encode("cp932"))
    assert run_import(ctx, path) == StaffImport(created=2, updated=0)
    assert staff(ctx) == {
        "U0SATO": ("佐藤　花子", "架空区", "市民課", None),
        "U0TANAKA": ("田中 一郎", "若松区", "総務企画課", None),
    }
    with ctx.session() as s:
        assert ward_of(s, user="U0SATO") == "架空区"
        assert ward_of(s, user="U0TANAKA") == "若松区"
        row = s.get(Staff, "U0SATO")
        assert row is not None and row.imported_by == "cli:tester"
        assert row.imported_at is not None and row.imported_at == NOW


def test_utf8_csv_with_bom_and_english_headings_imports(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    text = "user_id,name,ward,section\r\nU0KIM,金 美英,架空,地域振興課\r\n"
    path.write_bytes(text.encode("utf-8-sig"))
    assert run_import(ctx, path).created == 1
    assert staff(ctx)["U0KIM"] == ("金 美英", "架空区", "地域振興課", None)  # 区 left out


def test_xlsx_with_japanese_headings_imports(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["SlackID", "氏名", "所属区", "所属課"])
    ws.append(["U0ONE", "一ノ瀬 蓮", "若松区", "保健福祉課"])
    ws.append([None, None, None, None])  # an empty row is skipped, not a problem
    ws.append(["Ｕ０ＴＷＯ", "二宮 葵", "架空 区", None])  # full-width id, no section
    path = tmp_path / "staff.xlsx"
    wb.save(path)
    assert run_import(ctx, path).created == 2
    assert staff(ctx) == {
        "U0ONE": ("一ノ瀬 蓮", "若松区", "保健福祉課", None),
        "U0TWO": ("二宮 葵", "架空区", "", None),
    }


def test_every_bad_row_is_listed_with_its_row_and_nothing_is_stored(
    ctx: Ctx, tmp_path: Path
) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    rows = [
        "U0GOOD,,良い 行,若松区,総務課",  # row 2
        "U0BAD1,,山田 太郎,八幡東区,市民課",  # 3: a ward with no plan
        "U0GOOD,,別の 行,架空区,市民課",  # 4: the same person as row 2
        "U0BAD2,,,若松区,市民課",  # 5: no name
        'U0BAD3,,"鈴木\x07花子",若松区,市民課',  # 6: a control character
        "u0bad4,,小林 誠,全市,市民課",  # 7: not a member id; 全市 is no one's ward
        ",,中村 光,若松区,市民課",  # 8: neither id nor e-mail
        'U0BAD5,,"改行\n名前",若松区,',  # 9 (and 10): a line break in a name
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    assert problems_of(ctx, path) == [
        "3行目 区: 「八幡東区」という区は方針にありません"
        "（方針が取り込まれている区: 若松区、架空区）",
        "4行目 ユーザーID: 2行目と同じ利用者（U0GOOD）です",
        "5行目 氏名: 氏名がありません",
        "6行目 氏名: 見えない制御文字（U+0007）が含まれています",
        "7行目 ユーザーID: SlackのメンバーID（U で始まる英数字、例 U012AB3CD）ではありません",
        "7行目 区: 全市は人の区になりません。その人の区を書いてください（区: 若松区、架空区）",
        "8行目 ユーザーID: ユーザーIDもメールアドレスもありません",
        "9行目 氏名: 改行やタブは使えません（1行で書いてください）",
    ]
    assert staff(ctx) == {}


def test_missing_columns_are_named_on_row_one(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    path.write_text("氏名,所属\n田中,若松区\n", encoding="utf-8")
    assert problems_of(ctx, path) == [
        "1行目 ユーザーIDかメールアドレス: 列がありません"
        "（見出しは ユーザーID / メールアドレス / user_id / email のどれか）",
        "1行目 区: 列がありません（見出しは 区 / 所属区 / ward のどれか）",
        "1行目 課: 列がありません（見出しは 課 / 所属課 / section のどれか）",
    ]


def test_reimport_replaces_people_in_the_file_and_keeps_the_others(
    ctx: Ctx, tmp_path: Path
) -> None:
    two_wards(ctx, tmp_path)
    first = tmp_path / "april.csv"
    first.write_text(HEADER + "U0A,,青木,若松区,総務課\nU0B,,馬場,若松区,市民課\n", "utf-8")
    run_import(ctx, first)
    moved = tmp_path / "october.csv"
    moved.write_text(HEADER + "U0B,,馬場,架空区,地域振興課\nU0C,,千葉,架空区,市民課\n", "utf-8")
    assert run_import(ctx, moved) == StaffImport(created=1, updated=1)
    assert staff(ctx) == {
        "U0A": ("青木", "若松区", "総務課", None),  # not in the second file: kept
        "U0B": ("馬場", "架空区", "地域振興課", None),  # moved ward
        "U0C": ("千葉", "架空区", "市民課", None),
    }


def test_no_plan_means_no_ward_is_known(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "U0A,,青木,若松区,総務課\n", "utf-8")
    with pytest.raises(InvalidInput) as info:
        run_import(ctx, path)
    assert info.value.key == "staff.no_wards"


@pytest.mark.parametrize(
    ("name", "raw", "key"),
    [
        ("UTF-16", "user_id,name,ward,section\nU0A,田中,若松区,x\n".encode("utf-16"), None),
        ("garbage", b"\xff\xfe\x00\x81\x82\xfd\xfe", "staff.csv_encoding"),
    ],
)
def test_csv_encodings_excel_writes_are_read(
    ctx: Ctx, tmp_path: Path, name: str, raw: bytes, key: str | None
) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    path.write_bytes(raw)
    if key is None:
        run_import(ctx, path)
        assert len(staff(ctx)) == 1
        return
    with pytest.raises(InvalidInput) as info:
        read_staff_file(path)
    assert info.value.key == key


def test_a_file_that_is_no_xlsx_is_refused_whole(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "staff.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InvalidInput) as info:
        read_staff_file(path)
    assert info.value.key == "staff.xlsx_unreadable"


# --- no cell is quoted: columns get shifted, and any cell may then hold a person's name


def test_a_name_in_the_ward_column_is_not_quoted_and_the_wards_are_listed(
    ctx: Ctx, tmp_path: Path
) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    # The heading puts the ward third; the row was written with the name third.
    path.write_text(
        "ユーザーID,所属課,所属区,氏名\nU0Z1,総務課,青木太郎,若松区\n", encoding="utf-8"
    )
    assert problems_of(ctx, path) == [
        "2行目 区: 方針が取り込まれている区の名前ではありません（区: 若松区、架空区）。"
        "列がずれていないか確かめてください"
    ]
    assert staff(ctx) == {}


def test_a_name_in_any_column_never_reaches_a_problem_line(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    rows = [
        "青木太郎,,青木太郎,若松区,総務課",  # in the id column
        "U0B,青木太郎,青木太郎,若松区,総務課",  # in the e-mail column
        "U0C,,青木太郎,青木太郎,青木太郎",  # in the ward (and section) column
        "U0D,,青木 太郎,青木 太郎 区,青木太郎",  # a name with 区 after it is still a name
        "U0E,,,青木太郎,青木太郎",  # no name, the name elsewhere
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    lines = problems_of(ctx, path)
    assert len(lines) == 6 and not [line for line in lines if "青木" in line], lines


@settings(max_examples=200, deadline=None, database=None)
@given(text=st.text(alphabet="青木太郎花子総務課市民区 　・Ａ1ｱ", min_size=1, max_size=12))
def test_only_a_ward_like_value_may_be_quoted(text: str) -> None:
    # What looks like a ward is short, ends in 区, and has no space or digit: never a
    # person written as 姓 名, and short enough not to be a name and an address.
    if looks_like_ward(text):
        assert text.endswith("区") and len(text) <= 8
        assert not any(c in text for c in " 　1")


# --- odd files: each gets the message that says what is wrong with it


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        (b"", "staff.empty"),
        (b"\xef\xbb\xbf", "staff.empty"),  # only Excel's UTF-8 mark
        (b"\r\n\r\n", "staff.empty"),
        (b",,,\r\n", "staff.empty"),  # a sheet saved with nothing in it
        ("ユーザーID,氏名,区,課\r\n".encode("cp932"), "staff.no_rows"),
        ("ユーザーID,氏名,区,課\r\n,,,\r\n".encode("cp932"), "staff.no_rows"),
    ],
)
def test_an_empty_file_or_a_heading_alone_is_refused_as_such(
    ctx: Ctx, tmp_path: Path, raw: bytes, key: str
) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    path.write_bytes(raw)
    with pytest.raises(InvalidInput) as info:
        run_import(ctx, path)
    assert info.value.key == key
    assert staff(ctx) == {}


def test_an_empty_sheet_is_refused_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "staff.xlsx"
    Workbook().save(path)
    with pytest.raises(InvalidInput) as info:
        read_staff_file(path)
    assert info.value.key == "staff.empty"


def test_a_very_long_cell_is_its_rows_problem(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + f"U0A,,{'長' * 200_000},若松区,総務課\n", encoding="utf-8")
    assert problems_of(ctx, path) == ["2行目 氏名: 100文字を超えています"]


def test_an_unclosed_quote_is_refused_naming_its_row(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    path.write_text(
        HEADER + 'U0A,,"青木,若松区,総務課\n' + "U0B,,馬場,若松区,x\n" * 12_000, "utf-8"
    )
    # The rest of the file would be one cell: the row where the quote opens is named.
    with pytest.raises(InvalidInput) as info:
        run_import(ctx, path)
    assert info.value.key == "staff.csv_broken" and info.value.params == {"row": 2}
    assert staff(ctx) == {}


def test_more_rows_than_a_city_has_staff_are_refused_whole(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    body = "".join(f"U0{n},,名前,若松区,課\n" for n in range(MAX_ROWS + 1))
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        run_import(ctx, path)
    assert info.value.key == "staff.too_many_rows"
    assert staff(ctx) == {}
    records = [["user_id", "name", "ward", "section"]]
    records += [[f"U0{n}", "名前", "若松区", "課"] for n in range(MAX_ROWS)]
    assert len(read_rows(records)) == MAX_ROWS  # the limit itself is allowed


def test_a_sheet_with_too_many_rows_is_not_read_to_its_end(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["user_id", "name", "ward", "section"])
    for n in range(MAX_ROWS + 5):
        sheet.append([f"U0{n}", "名前", "若松区", "課"])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    with pytest.raises(InvalidInput) as info:
        read_staff_file(path)
    assert info.value.key == "staff.too_many_rows"


def test_a_file_over_ten_megabytes_is_refused_unread(ctx: Ctx, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    with path.open("wb") as f:
        f.write(HEADER.encode())
        f.truncate(10 * 1024 * 1024 + 1)
    with pytest.raises(InvalidInput) as info:
        read_staff_file(path)
    assert (info.value.key, info.value.params) == ("staff.too_big", {"limit": "10 MB"})


# --- e-mails, resolved through the fake Slack Web API


def test_emails_are_resolved_with_slack(ctx: Ctx, tmp_path: Path, fake_slack: FakeSlack) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    rows = ",Tanaka@City.Example.jp,田中 一郎,若松区,総務課\n,sato@city.example.jp,佐藤,架空区,\n"
    path.write_text(HEADER + rows, encoding="utf-8")
    assert run_import(with_slack(ctx, fake_slack), path).created == 2
    assert staff(ctx) == {
        "U0SATO": ("佐藤", "架空区", "", "sato@city.example.jp"),
        "U0TANAKA": ("田中 一郎", "若松区", "総務課", "Tanaka@City.Example.jp"),
    }
    asked = [c.params["email"] for c in fake_slack.calls_to("users.lookupByEmail")]
    assert asked == ["Tanaka@City.Example.jp", "sato@city.example.jp"]
    with ctx.session() as s:
        assert ward_of(s, user="U0TANAKA") == "若松区"


def test_unknown_and_duplicate_emails_are_listed_and_nothing_is_stored(
    ctx: Ctx, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    two_wards(ctx, tmp_path)
    fake_slack.emails["ichiro.tanaka@city.example.jp"] = "U0TANAKA"  # one person, two addresses
    fake_slack.emails["gone@city.example.jp"] = "U0GONE"
    fake_slack.users["U0GONE"] = {"deleted": True}
    path = tmp_path / "staff.csv"
    rows = [
        ",tanaka@city.example.jp,田中 一郎,若松区,総務課",  # 2
        ",nobody@city.example.jp,名無し,若松区,総務課",  # 3: Slack knows no such address
        ",ichiro.tanaka@city.example.jp,田中,若松区,総務課",  # 4: the same member as row 2
        ",SATO@city.example.jp,佐藤,架空区,",  # 5
        ",sato@city.example.jp,佐藤 花子,架空区,",  # 6: the same address as row 5
        "U0SATO,,佐藤,架空区,",  # 7: the member row 5's address found
        ",gone@city.example.jp,退職者,若松区,",  # 8: deactivated in Slack
        ",not-an-address,誰か,若松区,",  # 9: never sent to Slack
    ]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    assert problems_of(with_slack(ctx, fake_slack), path) == [
        "3行目 メールアドレス: このメールアドレスの利用者は Slack のワークスペースにいません"
        "（無効化された人を含む）",
        "4行目 ユーザーID: 2行目と同じ利用者（U0TANAKA）です",
        "6行目 メールアドレス: 5行目と同じメールアドレスです",
        "7行目 ユーザーID: 5行目と同じ利用者（U0SATO）です",
        "8行目 メールアドレス: このメールアドレスの利用者は Slack のワークスペースにいません"
        "（無効化された人を含む）",
        "9行目 メールアドレス: メールアドレスの形ではありません",
    ]
    assert staff(ctx) == {}
    asked = [c.params["email"] for c in fake_slack.calls_to("users.lookupByEmail")]
    assert "not-an-address" not in asked and len(asked) == 5  # rows 5 and 6: asked once


def test_emails_without_a_token_are_refused_but_ids_import(ctx: Ctx, tmp_path: Path) -> None:
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + ",tanaka@city.example.jp,田中,若松区,総務課\n", "utf-8")
    with pytest.raises(InvalidInput) as info:
        run_import(ctx, path)
    assert info.value.key == "staff.needs_token" and staff(ctx) == {}
    # An id with an e-mail beside it needs no look-up.
    path.write_text(HEADER + "U0TANAKA,tanaka@city.example.jp,田中,若松区,総務課\n", "utf-8")
    assert run_import(ctx, path).created == 1


# --- property: a name is stored exactly as the cell holds it, or its row is refused

NAME_PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = st.text(
    alphabet=st.one_of(
        st.sampled_from("田中一郎佐藤花子ｱｲｳＡＢＣabc 　・ー（）()\"',、。@#&<>:：-_'髙﨑"),
        st.characters(codec="utf-8"),  # anything, control characters and emoji included
    ),
    min_size=0,
    max_size=30,
)


@pytest.fixture
def city(sqlite_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Ctx:
    """Two wards on SQLite, shared by the property's examples."""
    ctx = Ctx(engine=sqlite_engine, clock=FixedClock(NOW), calendar=CALENDAR)
    two_wards(ctx, tmp_path_factory.mktemp("plans"))
    return ctx


@NAME_PROPERTY
@given(name=NAMES)
def test_a_name_is_stored_exactly_or_its_row_refused(
    city: Ctx, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    path = tmp_path_factory.mktemp("staff") / "staff.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["user_id", "name", "ward", "section"], ["U0P", name, "若松", ""]])
    try:
        run_import(city, path)
    except InvalidInput as exc:
        problems = exc.problems if isinstance(exc, StaffFileError) else []
        assert problems and {(p.row, p.column) for p in problems} == {(2, "name")}, exc.key
        return
    assert staff(city)["U0P"][0] == name.strip(SPACES)


def test_no_name_or_address_reaches_a_log_line(
    ctx: Ctx, tmp_path: Path, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    install_scrubbing()
    two_wards(ctx, tmp_path)
    path = tmp_path / "staff.csv"
    rows = ",tanaka@city.example.jp,田中 一郎,若松区,総務課\n"
    rows += ",ghost@city.example.jp,幽霊 花子,架空区,\n"
    path.write_text(HEADER + rows, encoding="utf-8")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StaffFileError):
        run_import(with_slack(ctx, fake_slack), path)
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert fake_slack.calls_to("users.lookupByEmail") and logged
    for secret in ("tanaka@", "ghost@", "田中", "幽霊", "総務課"):
        assert secret not in logged
