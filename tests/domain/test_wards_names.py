"""How staff name a ward: with or without 区, full-width, or the whole city."""

from __future__ import annotations

import pytest

from bot.domain.wards import CITY_WIDE, match_ward, split_theme_ref

WARDS = ["若松区", "八幡東区"]


@pytest.mark.parametrize(
    ("typed", "ward"),
    [
        ("若松区", "若松区"),
        ("若松", "若松区"),
        ("若松 区", "若松区"),
        ("八幡東", "八幡東区"),
        ("全市", CITY_WIDE),
        ("city", CITY_WIDE),
        ("City", CITY_WIDE),
        ("小倉北区", None),
        ("区", None),
    ],
)
def test_a_ward_is_found_however_it_is_typed(typed: str, ward: str | None) -> None:
    assert match_ward(typed, WARDS) == ward


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("八幡東区/A(1)", ("八幡東区", "A(1)")),
        ("八幡東／A（１）", ("八幡東", "A（１）")),
        ("A(1)", (None, "A(1)")),
        ("/A(1)", (None, "/A(1)")),
    ],
)
def test_a_theme_of_another_ward_is_split_at_its_slash(
    typed: str, parts: tuple[str | None, str]
) -> None:
    assert split_theme_ref(typed) == parts
