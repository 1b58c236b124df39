"""Query parameters of the document and small resources, checked as the specification
asks: unknown or repeated parameters, and malformed values, are 400 errors naming the
parameter."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable
from typing import Any

import orjson

from ..storage import parse_timestamp
from .http import XapiError, XapiRequest
from .validation import validate_agent

# RFC 3987: a scheme, a colon, then no spaces, controls or characters IRIs exclude.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAX_KEY_LENGTH = 512  # the width of the Document key columns


def only(request: XapiRequest, allowed: Iterable[str], *, what: str) -> None:
    """400 for a parameter the resource does not know (names are case-sensitive, so
    ``ActivityId`` is unknown too) or one given twice."""
    allowed = set(allowed)
    for name in sorted(request.params):
        if name not in allowed:
            raise XapiError(400, f"{name}: not a parameter of {what}")
        if len(request.params.getlist(name)) > 1:
            raise XapiError(400, f"{name}: given more than once")


def text(request: XapiRequest, name: str, *, required: bool) -> str | None:
    value = request.param(name, required=required)
    if value is not None and (not value or len(value) > MAX_KEY_LENGTH):
        raise XapiError(400, f"{name}: must be a non-empty string of at most "
                             f"{MAX_KEY_LENGTH} characters")
    return value


def iri(request: XapiRequest, name: str, *, required: bool) -> str | None:
    value = request.param(name, required=required)
    if value is None:
        return None
    if not _IRI.match(value):
        raise XapiError(400, f"{name}: {value!r} is not an IRI")
    if len(value) > MAX_KEY_LENGTH:
        raise XapiError(400, f"{name}: longer than {MAX_KEY_LENGTH} characters")
    return value


def agent(request: XapiRequest, name: str = "agent", *, required: bool = True
          ) -> dict[str, Any] | None:
    """The Agent of a JSON parameter, validated as the statements' agents are."""
    raw = request.param(name, required=required)
    if raw is None:
        return None
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise XapiError(400, f"{name}: not valid JSON") from None
    if not isinstance(value, dict):
        raise XapiError(400, f"{name}: must be a JSON object (an Agent)")
    validate_agent(value, version=request.version, field=name)
    return value


def registration(request: XapiRequest, name: str = "registration") -> str:
    """A UUID parameter in its standard string form (lowercased), or "" when absent."""
    value = request.param(name)
    if value is None:
        return ""
    if not _UUID.match(value):
        raise XapiError(400, f"{name}: {value!r} is not a UUID in its standard form")
    return str(uuid.UUID(value))


def timestamp(request: XapiRequest, name: str = "since") -> datetime.datetime | None:
    value = request.param(name)
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        raise XapiError(400, f"{name}: {value!r} is not an ISO 8601 timestamp") from None
