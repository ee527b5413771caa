"""Case form validation, who rewrites, and statistics over plain rows.

Who sees a case is one rule in SQL, `storage.cases.visible_to`: tested on both
backends in tests/services/test_case_admins.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from bot.domain.cases import (
    KINDS,
    PLACES,
    CaseRow,
    can_edit,
    label,
    read_form,
    summarise,
)
from tests.conftest import JST, NOW


def values(**over: Any) -> dict[str, Any]:
    """A complete, valid form as read_state would give it."""
    base: dict[str, Any] = {
        "date": "2024-11-28",
        "time": "10:30",
        "place": "counter",
        "section": "市民課",
        "kinds": ["abusive", "detention"],
        "minutes": "90",
        "staff_count": "2",
        "staff": "係長、窓口担当",
        "what": "手続の説明に納得せず大声で1時間半にわたり要求を繰り返した。",
        "response": "複数名で対応し、退去を求めた。",
        "flags": ["follow_up"],
    }
    base.update(over)
    return base


def test_a_complete_form_is_read_into_a_case() -> None:
    form, errors = read_form(values(), now=NOW)
    assert errors == {} and form is not None
    assert form.occurred_at == datetime(2024, 11, 28, 10, 30, tzinfo=JST)
    assert form.kinds == ("abusive", "detention")
    assert (form.minutes, form.staff_count, form.police, form.follow_up) == (90, 2, False, True)


@pytest.mark.parametrize(
    ("over", "field", "key"),
    [
        ({"minutes": "-5"}, "minutes", "case.err.minutes"),
        ({"minutes": "0"}, "minutes", "case.err.minutes"),
        ({"minutes": "1441"}, "minutes", "case.err.minutes"),
        ({"minutes": "99999"}, "minutes", "case.err.minutes"),
        ({"minutes": "1.5"}, "minutes", "case.err.minutes"),
        ({"minutes": ""}, "minutes", "field.required"),
        ({"staff_count": "0"}, "staff_count", "case.err.staff_count"),
        ({"date": "2024-11-30"}, "date", "case.err.future"),
        ({"date": "2024-11-29", "time": "09:01"}, "time", "case.err.future"),
        ({"date": "2024-13-01"}, "date", "case.err.date"),
        ({"date": None}, "date", "field.required"),
        ({"time": "25:00"}, "time", "case.err.time"),
        ({"kinds": ["abusive", "violence"]}, "kinds", "case.err.kind"),
        ({"kinds": []}, "kinds", "field.required"),
        ({"kinds": "abusive"}, "kinds", "field.required"),
        ({"place": "street"}, "place", "case.err.place"),
        ({"place": None}, "place", "field.required"),
        ({"what": "あ" * 2001}, "what", "case.err.too_long"),
        ({"what": "   "}, "what", "field.required"),
        ({"response": "あ" * 2001}, "response", "case.err.too_long"),
        ({"section": ""}, "section", "field.required"),
        ({"section": "課" * 101}, "section", "case.err.too_long"),
        ({"staff": "人" * 201}, "staff", "case.err.too_long"),
    ],
)
def test_bad_input_gets_a_field_error_and_no_form(
    over: dict[str, Any], field: str, key: str
) -> None:
    form, errors = read_form(values(**over), now=NOW)
    assert form is None
    assert errors[field] == key


def test_now_itself_and_the_limits_are_accepted() -> None:
    form, errors = read_form(
        values(date="2024-11-29", time="09:00", minutes="1440", what="あ" * 2000), now=NOW
    )
    assert errors == {} and form is not None and form.minutes == 1440


def test_several_errors_are_reported_together() -> None:
    _, errors = read_form(values(minutes="-1", kinds=["x"], what=""), now=NOW)
    assert set(errors) == {"minutes", "kinds", "what"}


def test_only_the_reporter_rewrites_a_case() -> None:
    assert can_edit("U1", "U1") and not can_edit("U1", "U9")


def test_summarise_counts_by_month_kind_place_section_and_time() -> None:
    rows = [
        CaseRow("2024-10", "phone", "保険年金課", ("abusive",), 30, 1),
        CaseRow("2024-11", "counter", "市民課", ("abusive", "detention"), 120, 2),
        CaseRow("2024-11", "counter", "市民課", ("repeated",), 15, 1),
    ]
    stats = summarise(rows)
    assert (stats.total, stats.minutes, stats.staff_minutes) == (3, 165, 285)
    assert stats.staff_hours == 4.8
    assert stats.by_month == {"2024-10": 1, "2024-11": 2}
    assert stats.by_kind == {"abusive": 2, "detention": 1, "repeated": 1}
    assert stats.by_place == {"counter": 2, "phone": 1}
    assert list(stats.by_section) == ["市民課", "保険年金課"]


def test_every_place_and_kind_has_japanese_and_english_labels() -> None:
    assert label(PLACES, "counter") == "窓口" and label(PLACES, "counter", "en") == "Counter"
    assert label(KINDS, "intimidation") == "威圧・大声"
    assert len(PLACES) == 5 and len(KINDS) == 8
