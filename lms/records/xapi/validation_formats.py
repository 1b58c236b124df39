"""String formats of xAPI values: IRIs, mailto IRIs, hashes, UUIDs, RFC 5646 language
tags, timestamps, durations, versions and media types.

Each ``check_*`` takes the value and its field path and raises
``InvalidStatement("<path>: <rule>")``; ``fail`` is the one place that raises. The values
seen most often (IRIs and language tags) are remembered once valid, so a batch of similar
statements checks each verb, activity and home page once.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, NoReturn

from ..errors import InvalidStatement

_CACHE_LIMIT = 20_000


def fail(path: str, rule: str) -> NoReturn:
    raise InvalidStatement(f"{path}: {rule}")


def describe(value: Any) -> str:
    """A short name of a JSON value's type, for "got …" in messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def wrong_type(path: str, expected: str, value: Any) -> NoReturn:
    if value is None:
        fail(path, "must not be null")
    fail(path, f"must be {expected}, not {describe(value)}")


# --- IRIs (RFC 3987) -------------------------------------------------------------------
# An absolute IRI: scheme ":" ["//" authority] path ["?" query] ["#" fragment], with only
# the characters RFC 3987 allows in each part; "%" must start a two-digit hex escape.
_UCS = "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U000efffd"
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U0010fffd"
_PCHAR = "A-Za-z0-9\\-._~!$&'()*+,;=:@%" + _UCS
_IRI = re.compile(
    "[A-Za-z][A-Za-z0-9+\\-.]*:"
    f"(?://[{_PCHAR}\\[\\]]*)?"
    f"[{_PCHAR}/]*"
    f"(?:\\?[{_PCHAR}/?{_PRIVATE}]*)?"
    f"(?:#[{_PCHAR}/?]*)?"
)
_BAD_ESCAPE = re.compile("%(?![0-9A-Fa-f]{2})")
_valid_iris: set[str] = set()


def _is_iri(value: str) -> bool:
    return _IRI.fullmatch(value) is not None and not (
        "%" in value and _BAD_ESCAPE.search(value))


def check_iri(value: Any, path: str) -> None:
    """An absolute IRI (``scheme:…``); IRLs are checked the same way."""
    if not isinstance(value, str):
        wrong_type(path, "an IRI string", value)
    if value in _valid_iris:
        return
    if not _is_iri(value):
        fail(path, "must be an absolute IRI (scheme:…)")
    if len(_valid_iris) > _CACHE_LIMIT:
        _valid_iris.clear()
    _valid_iris.add(value)


def check_uri(value: Any, path: str) -> None:
    """An absolute URI: an IRI of ASCII characters only."""
    check_iri(value, path)
    if not value.isascii():
        fail(path, "must be an absolute URI (ASCII only)")


_MAILTO = re.compile(r"mailto:[^@\s/?#]+@[^@\s/?#.][^@\s/?#]*")


def check_mailto(value: Any, path: str) -> None:
    if not isinstance(value, str):
        wrong_type(path, "a mailto: IRI string", value)
    if _MAILTO.fullmatch(value) is None:
        fail(path, "must be a mailto: IRI with one email address (mailto:name@domain)")
    if not _is_iri(value):  # not remembered: addresses rarely repeat like activity IRIs do
        fail(path, "must be a mailto: IRI with only IRI characters (spaces, <, >, \" and "
                   "the like percent-encoded)")


_SHA1 = re.compile("[0-9a-fA-F]{40}")
_SHA2 = re.compile("[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128}")


def check_sha1(value: Any, path: str) -> None:
    if not isinstance(value, str):
        wrong_type(path, "a string", value)
    if _SHA1.fullmatch(value) is None:
        fail(path, "must be a SHA-1 hash (40 hexadecimal digits)")


def check_sha2(value: Any, path: str) -> None:
    if not isinstance(value, str):
        wrong_type(path, "a string", value)
    if _SHA2.fullmatch(value) is None:
        fail(path, "must be a SHA-2 hash in hexadecimal (56, 64, 96 or 128 digits)")


# --- UUIDs -----------------------------------------------------------------------------
_UUID = re.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def check_uuid(value: Any, path: str) -> None:
    """A UUID in its standard string form (8-4-4-4-12 hexadecimal digits)."""
    if not isinstance(value, str):
        wrong_type(path, "a UUID string", value)
    if _UUID.fullmatch(value) is None:
        fail(path, "must be a UUID in standard form (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")


# --- Language tags (RFC 5646, section 2.1 ABNF) ----------------------------------------
_ALNUM = "[A-Za-z0-9]"
_LANGTAG = (
    "(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language [-extlang]
    "(?:-[A-Za-z]{4})?"  # script
    "(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    f"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    f"(?:-[0-9A-WY-Za-wy-z](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    f"(?:-[xX](?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_GRANDFATHERED = (
    "en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|"
    "i-pwn|i-tao|i-tay|i-tsu|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE|art-lojban|cel-gaulish|no-bok|"
    "no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANGUAGE_TAG = re.compile(
    f"{_LANGTAG}|[xX](?:-{_ALNUM}{{1,8}})+|(?i:{_GRANDFATHERED})"
)
# extlang is at most three subtags, but the ABNF's 2*3ALPHA ["-" extlang] is matched above
# by "{0,3}", which would also accept a 4-letter script as part of it; the regex engine
# backtracks, so "zh-Hant" is language + script and "zh-yue-HK" language + extlang + region.
_valid_tags: set[str] = set()


def _tag_is_well_formed(tag: str) -> bool:
    if _LANGUAGE_TAG.fullmatch(tag) is None:
        return False
    # RFC 5646 2.2.5 and 2.2.6: a variant, and a singleton, appear at most once (the
    # private-use part, after "x", is free).
    subtags = tag.lower().split("-")
    if "x" in subtags:
        subtags = subtags[: subtags.index("x")]
    singletons = [s for s in subtags[1:] if len(s) == 1]
    if len(singletons) != len(set(singletons)):
        return False
    if singletons:
        subtags = subtags[: subtags.index(singletons[0])]
    variants = [s for s in subtags[1:] if len(s) >= 5 or (len(s) == 4 and s[0].isdigit())]
    return len(variants) == len(set(variants))


def check_language_tag(value: Any, path: str) -> None:
    if not isinstance(value, str):
        wrong_type(path, "an RFC 5646 language tag string", value)
    if value in _valid_tags:
        return
    if not _tag_is_well_formed(value):
        fail(path, f"{value!r} is not an RFC 5646 language tag")
    if len(_valid_tags) > _CACHE_LIMIT:
        _valid_tags.clear()
    _valid_tags.add(value)


# --- Timestamps (ISO 8601; RFC 3339 in xAPI 2.0) ---------------------------------------
# Calendar date and time of day, extended (2024-05-01T10:20:30.123+07:00) or basic
# (20240501T102030Z) format; seconds and minutes may be omitted (reduced precision).
_EXTENDED = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2})(?::(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)
_BASIC = re.compile(
    r"(\d{4})(\d{2})(\d{2})([Tt])(\d{2})(?:(\d{2})(?:(\d{2})(?:\.\d+)?)?)?"
    r"(Z|z|[+-]\d{2}(?:\d{2})?)?",
    re.ASCII,
)


def check_timestamp(value: Any, path: str, *, v2: bool) -> None:
    """An ISO 8601 date and time. xAPI 2.0 requires the time zone (RFC 3339, which also
    allows a space for the "T"); 1.0.3 only recommends it. "-00:00" (an unknown offset in
    RFC 3339) is refused in both."""
    if not isinstance(value, str):
        wrong_type(path, "an ISO 8601 timestamp string", value)
    match = _EXTENDED.fullmatch(value) or _BASIC.fullmatch(value)
    if match is None:
        fail(path, "must be an ISO 8601 date and time (e.g. 2024-05-01T10:20:30.123Z)")
    year, month, day, separator, hour, minute, second, zone = match.groups()
    if zone is None and v2:
        fail(path, "must include a time zone (Z or ±hh:mm)")
    if separator == " " and not v2:
        fail(path, "must separate date and time with T (ISO 8601)")
    try:
        datetime.datetime(int(year), int(month), int(day), int(hour), int(minute or 0),
                          int(second or 0))
    except ValueError:
        fail(path, f"{value!r} is not a real date and time")
    if zone and zone not in "Zz":
        digits = zone[1:].replace(":", "")
        if int(digits[:2]) > 23 or int(digits[2:] or 0) > 59:
            fail(path, "has an impossible time zone offset")
        if zone[0] == "-" and int(digits) == 0:
            fail(path, "must not use the offset -00:00 (write Z or +00:00)")


# --- Durations (ISO 8601:2004 4.4.3.2) -------------------------------------------------
_N = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    f"P(?:{_N}W|(?=\\d)(?:{_N}Y)?(?:{_N}M)?(?:{_N}D)?(?:T(?=\\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)?"
    f"|T(?=\\d)(?:{_N}H)?(?:{_N}M)?(?:{_N}S)?)",
    re.ASCII,
)
_FRACTION_AT_END = re.compile(r"[.,]\d+[YMWDHS]$", re.ASCII)


def check_duration(value: Any, path: str) -> None:
    """PnYnMnDTnHnMnS or PnW; only the last component may have a decimal fraction; the
    alternative format (P0003-06-04T12:30:05) is not allowed."""
    if not isinstance(value, str):
        wrong_type(path, "an ISO 8601 duration string", value)
    if _DURATION.fullmatch(value) is None:
        fail(path, "must be an ISO 8601 duration (e.g. PT1H30M or P2W)")
    fractions = value.count(".") + value.count(",")
    if fractions > 1 or (fractions == 1 and _FRACTION_AT_END.search(value) is None):
        fail(path, "only the last component of a duration may have a decimal fraction")


# --- Statement version and media types -------------------------------------------------
_VERSION_1 = re.compile(r"1\.0(?:\.\d+)?", re.ASCII)
_VERSION_2 = re.compile(r"(?:1|2)\.0(?:\.\d+)?", re.ASCII)


def check_version(value: Any, path: str, *, v2: bool) -> None:
    """1.0.3 accepts only 1.0 and 1.0.x; 2.0 accepts 2.0.x and, for statements written to
    1.0.x, 1.0 and 1.0.x as well."""
    if not isinstance(value, str):
        wrong_type(path, "a version string", value)
    if v2:
        if _VERSION_2.fullmatch(value) is None:
            fail(path, "must be 2.0.x (or 1.0.x)")
    elif _VERSION_1.fullmatch(value) is None:
        fail(path, "must be 1.0.x")


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(
    f"{_TOKEN}/{_TOKEN}(?:[ \\t]*;[ \\t]*{_TOKEN}=(?:{_TOKEN}|\"[^\"\\\\]*\"))*"
)


def check_media_type(value: Any, path: str) -> None:
    """An Internet Media Type (RFC 2046): type/subtype with optional parameters."""
    if not isinstance(value, str):
        wrong_type(path, "a media type string", value)
    if _MEDIA_TYPE.fullmatch(value) is None:
        fail(path, "must be an Internet Media Type (type/subtype)")
