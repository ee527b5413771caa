"""Masking of personal numbers, phones, e-mails, postal codes and house numbers."""

from __future__ import annotations

import pytest

from bot.domain.masking import describe, mask


@pytest.mark.parametrize(
    ("text", "expected", "kind"),
    [
        # Mobile numbers, full-width digits and full-width hyphen as typed by an IME.
        ("相手の携帯は０９０－１２３４－５６７８です", "相手の携帯は［電話番号］です", "phone"),
        ("折り返しは０８０ー１２３４ー５６７８へ", "折り返しは［電話番号］へ", "phone"),
        ("番号は09012345678と名乗った", "番号は［電話番号］と名乗った", "phone"),
        ("070 1234 5678", "［電話番号］", "phone"),
        # Fixed lines, with hyphens, parentheses or nothing.
        ("自宅 093-582-1111 に折り返せ", "自宅 ［電話番号］ に折り返せ", "phone"),
        ("(093)582-1111", "［電話番号］", "phone"),
        ("093(582)1111", "［電話番号］", "phone"),
        ("03-1234-5678", "［電話番号］", "phone"),
        ("0935821111から着信", "［電話番号］から着信", "phone"),
        ("0120-123-456", "［電話番号］", "phone"),
        ("＋８１ ９０ １２３４ ５６７８", "［電話番号］", "phone"),
        ("電話 22-1234 の人", "電話 ［電話番号］ の人", "phone"),
        # My Number: 12 digits, whole or split by spaces / hyphens, full-width too.
        ("マイナンバーは123456789012です", "マイナンバーは［個人番号］です", "my_number"),
        ("個人番号 1234 5678 9012 を読み上げた", "個人番号 ［個人番号］ を読み上げた", "my_number"),
        ("１２３４　５６７８　９０１２", "［個人番号］", "my_number"),
        ("1234-5678-9012", "［個人番号］", "my_number"),
        # E-mail, including full-width letters.
        ("taro.yamada+x@example.co.jp に送れ", "［メール］ に送れ", "email"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "［メール］", "email"),
        # Postal codes.
        ("〒808-0034 若松区", "［郵便番号］ 若松区", "postal"),
        ("〒８０８－００３４", "［郵便番号］", "postal"),
        ("郵便番号8080034", "郵便番号［郵便番号］", "postal"),
        ("808-0034", "［郵便番号］", "postal"),
        # House numbers (the town's name may stay, the number may not).
        ("本町1丁目2番3号に住む", "本町［番地］に住む", "address"),
        ("本町一帯、本町1-2-3", "本町一帯、本町［番地］", "address"),
        ("大字有毛123番地の4", "大字有毛［番地］", "address"),
    ],
)
def test_mask_replaces_personal_data(text: str, expected: str, kind: str) -> None:
    result = mask(text)
    assert result.text == expected
    assert result.found == {kind: 1}


@pytest.mark.parametrize(
    "text",
    [
        "令和6年11月29日10時30分ごろ、窓口で45分間大声を出した。",
        "2024年11月29日 10:30 受付、職員3名で対応",
        "手数料300円の返金を繰り返し要求（計5回）",
        "受付番号 A-123 の件",
        "123456789012345",  # not a 12-digit number
        "",
    ],
)
def test_mask_leaves_ordinary_text_alone(text: str) -> None:
    assert mask(text).text == text
    assert mask(text).found == {}


def test_mask_counts_each_kind_in_a_realistic_report() -> None:
    text = (
        "11月29日10時ごろ来庁。「０９０－１２３４－５６７８に今すぐ電話しろ」と怒鳴り、"
        "自分の個人番号 1234 5678 9012 を大声で読み上げ、〒808-0034 の自宅まで来いと要求。"
        "後日 angry@example.com から同趣旨のメール。職場 093-582-1111 にも架電。"
    )
    result = mask(text)
    assert result.found == {"phone": 2, "my_number": 1, "postal": 1, "email": 1}
    for secret in ("1234", "5678", "9012", "808", "0034", "angry", "582"):
        assert secret not in result.text
    assert "怒鳴り" in result.text and "［個人番号］" in result.text


def test_two_phone_numbers_in_a_row_are_not_taken_for_a_my_number() -> None:
    result = mask("03-1234-5678 090-1234-5678")
    assert result.found == {"phone": 2}


def test_describe_tells_the_reporter_what_was_masked() -> None:
    assert describe({"phone": 2, "postal": 1}) == "電話番号 2件、郵便番号 1件"
