"""Structural checks shared by every xAPI object: JSON object with known properties,
strings, numbers, booleans, arrays, language maps and extensions."""

from __future__ import annotations

import math
from typing import Any

from .validation_formats import check_iri, check_language_tag, fail, wrong_type


def check_object(value: Any, path: str, allowed: frozenset[str],
                 required: tuple[str, ...] = ()) -> dict[str, Any]:
    """``value`` is a JSON object whose properties are all in ``allowed`` (exact case) and
    include every ``required`` one; returns it typed as a dict."""
    if not isinstance(value, dict):
        wrong_type(path, "a JSON object", value)
    if not allowed.issuperset(value):
        unknown = sorted(str(key) for key in value if key not in allowed)
        fail(f"{path}.{unknown[0]}" if path else unknown[0],
             "is not a property allowed here")
    for name in required:
        if name not in value:
            fail(f"{path}.{name}" if path else name, "is required")
    return value


def check_string(value: Any, path: str) -> None:
    if not isinstance(value, str):
        wrong_type(path, "a string", value)


def check_boolean(value: Any, path: str) -> None:
    if value is not True and value is not False:
        wrong_type(path, "true or false", value)


def check_number(value: Any, path: str) -> float:
    """A JSON number (not a boolean, not a string of digits); returns it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        wrong_type(path, "a number", value)
    if isinstance(value, float) and not math.isfinite(value):
        fail(path, "must be a finite number")
    return value


def check_integer(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        wrong_type(path, "an integer", value)
    return value


def check_array(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        wrong_type(path, "an array", value)
    return value


def check_language_map(value: Any, path: str) -> None:
    """An object whose keys are RFC 5646 language tags and whose values are strings."""
    if not isinstance(value, dict):
        wrong_type(path, "a language map (JSON object)", value)
    for tag, text in value.items():
        check_language_tag(tag, path)
        if not isinstance(text, str):
            wrong_type(f"{path}.{tag}", "a string", text)


def check_extensions(value: Any, path: str) -> None:
    """An object whose keys are IRIs; the values are free (any JSON, null included)."""
    if not isinstance(value, dict):
        wrong_type(path, "an extensions map (JSON object)", value)
    for key in value:
        if not isinstance(key, str):
            fail(path, "extension keys must be IRIs")
        check_iri(key, f"{path}[{key!r}]")
