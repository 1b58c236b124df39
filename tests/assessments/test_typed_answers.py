"""Numbers and short texts as learners type them."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from assessments.typed_answers import (
    decimal_of,
    decimal_text,
    number_parse,
    numeric_option,
    text_matches,
    text_normalise,
)

from .snapshots import option


@pytest.mark.parametrize(("text", "expected"), [
    ("3,5", Decimal("3.5")), ("3.5", Decimal("3.5")), (" -2 ", Decimal("-2")),
    ("+4", Decimal("4")), ("1.234,5", Decimal("1234.5")), ("1,234.5", Decimal("1234.5")),
    ("1 234,5", Decimal("1234.5")), ("1.234.567", Decimal("1234567")), (",5", Decimal("0.5")),
    ("1,234", Decimal("1.234")),  # one comma is a Vietnamese decimal comma
    ("2e3", Decimal("2000")), ("-0,25", Decimal("-0.25")), ("7.", Decimal("7")),
    ("abc", None), ("", None), ("   ", None), ("-", None), ("1,2.3", None), ("1.2.3", None),
    ("3,5,", None), ("nan", None), ("inf", None), ("1..2", None), ("0x10", None),
    ("1.234,5.6", None), ("--2", None),
])
def test_number_parse(text, expected):
    assert number_parse(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (0.1, Decimal("0.1")), (3, Decimal("3")), ("3,5", Decimal("3.5")), (None, None),
    (True, None), ("x", None), (float("nan"), None),
])
def test_decimal_of(value, expected):
    assert decimal_of(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("1234.50"), "1234.5"), (Decimal("100"), "100"), (Decimal("2E+3"), "2000"),
    (Decimal("-0.0"), "0"), (Decimal("-2"), "-2"), (Decimal("0.000001"), "0.000001"),
])
def test_decimal_text(value, expected):
    assert decimal_text(value) == expected


def test_tolerance_is_compared_as_decimals_not_floats():
    options = [option(1, "3.5", 1.0, tolerance=0.1)]
    assert 3.5 - 3.4 > 0.1  # what a float comparison would get wrong
    assert numeric_option(options, "3,4") == options[0]
    assert numeric_option(options, "3,3999") is None


def test_unparseable_number_matches_nothing_not_even_the_wildcard():
    assert numeric_option([option(1, "*", 1.0)], "ba phẩy năm") is None


def test_text_normalise():
    assert text_normalise(" Hà\t\n Nội  ") == "Hà Nội"
    assert text_normalise(unicodedata.normalize("NFD", "Hà Nội")) == "Hà Nội"


def test_text_matches_ignores_case_unless_told():
    assert text_matches("ĐÀ NẴNG", "đà nẵng", case_sensitive=False)
    assert not text_matches("ĐÀ NẴNG", "đà nẵng", case_sensitive=True)
    assert not text_matches("", "", case_sensitive=False)  # an empty answer accepts nothing
