"""Answers the learner types: numbers and short texts, compared the way Moodle does.

Pure functions over a question snapshot's options (no database access):

- ``number_parse(text)``: a number as a Vietnamese or English speaker types it ("3,5",
  "3.5", " -2 ", "1.234,5", "1,234.5", "1 234,5") as a ``Decimal``, or None.
- ``numeric_option(options, text)``: the FIRST option (authored order) whose value is within
  its tolerance of the typed number, or whose text is ``*``.
- ``text_option(options, text, case_sensitive=...)``: the FIRST option whose accepted answer
  matches the typed text after Unicode NFC, trimming and collapsing whitespace, ignoring
  case unless told otherwise; ``*`` in an accepted answer matches any run of characters,
  every other character is taken literally.

Numbers are compared as decimals, never floats: 3.4 is within 0.1 of 3.5.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

WILDCARD = "*"

_SPACES = re.compile(r"\s+")
_DIGITS = r"(?:\d+(?:{dec}\d*)?|{dec}\d+)"
_EXPONENT = r"(?:[eE][+-]?\d+)?"
# A plain number with "." or "," as the decimal mark and no thousands separator.
_PLAIN = {mark: re.compile(r"[+-]?" + _DIGITS.format(dec=re.escape(mark)) + _EXPONENT)
          for mark in ".,"}
# Thousands grouped by one mark, an optional decimal part after the other one.
_GROUPED = {(group, mark): re.compile(
    r"[+-]?\d{1,3}(?:" + re.escape(group) + r"\d{3})+(?:" + re.escape(mark) + r"\d*)?")
    for group, mark in ((".", ","), (",", "."))}


def number_parse(text: str) -> Decimal | None:
    """The number ``text`` spells, or None. Spaces (also inside, as thousands separators)
    are ignored. With both marks present, the last one is the decimal mark and the other
    groups thousands ("1.234,5" and "1,234.5" are both 1234.5). With one kind of mark, a
    single one is the decimal mark ("3,5" is 3.5, as Vietnamese writes it) and several
    group thousands ("1.234.567")."""
    if not isinstance(text, str):
        return None
    compact = _SPACES.sub("", text)
    if not compact:
        return None
    has_dot, has_comma = "." in compact, "," in compact
    if has_dot and has_comma:
        decimal_mark = "." if compact.rfind(".") > compact.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if _GROUPED[(group_mark, decimal_mark)].fullmatch(compact) is None:
            return None
        compact = compact.replace(group_mark, "").replace(decimal_mark, ".")
    elif has_dot or has_comma:
        mark = "." if has_dot else ","
        if compact.count(mark) == 1:
            if _PLAIN[mark].fullmatch(compact) is None:
                return None
            compact = compact.replace(mark, ".")
        elif _GROUPED[(mark, "," if mark == "." else ".")].fullmatch(compact) is not None:
            compact = compact.replace(mark, "")
        else:
            return None
    elif _PLAIN["."].fullmatch(compact) is None:
        return None
    try:
        value = Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the patterns above only let numbers in
        return None
    return value if value.is_finite() else None


def decimal_of(value: Any) -> Decimal | None:
    """A snapshot number (float, int, str or None) as a Decimal, through its shortest text
    so that the float 0.1 becomes Decimal("0.1")."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return number_parse(value)
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return result if result.is_finite() else None


def decimal_text(value: Decimal) -> str:
    """A decimal in plain notation, without exponent or trailing zeros: "1234.5", "-2"."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def numeric_option(options: Iterable[Mapping[str, Any]],
                   text: str) -> Mapping[str, Any] | None:
    """The first option the typed ``text`` earns, or None (unparseable or no match)."""
    number = number_parse(text)
    if number is None:
        return None
    for option in options:
        if str(option.get("text", "")).strip() == WILDCARD:
            return option
        value = decimal_of(option.get("text"))
        if value is None:
            continue
        tolerance = abs(decimal_of(option.get("tolerance")) or Decimal(0))
        if abs(number - value) <= tolerance:
            return option
    return None


def text_normalise(text: str) -> str:
    """NFC, trimmed, inner runs of whitespace made one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def text_matches(accepted: str, typed: str, *, case_sensitive: bool) -> bool:
    """Whether ``typed`` matches the ``accepted`` answer (``*`` = any run of characters)."""
    accepted, typed = text_normalise(accepted), text_normalise(typed)
    if not accepted:
        return False
    if not case_sensitive:
        accepted, typed = accepted.casefold(), typed.casefold()
    if WILDCARD not in accepted:
        return accepted == typed
    pattern = ".*".join(re.escape(part) for part in accepted.split(WILDCARD))
    return re.fullmatch(pattern, typed, flags=re.DOTALL) is not None


def text_option(options: Iterable[Mapping[str, Any]], text: str, *,
                case_sensitive: bool) -> Mapping[str, Any] | None:
    """The first option whose accepted answer the typed ``text`` matches, or None."""
    if not isinstance(text, str) or not text_normalise(text):
        return None
    for option in options:
        if text_matches(str(option.get("text", "")), text, case_sensitive=case_sensitive):
            return option
    return None
