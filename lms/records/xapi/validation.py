"""Validation of xAPI statements and agents, to the letter of xAPI 1.0.3 and 2.0.

Placeholder: checks only the overall shape. The full validator replaces this module
with the same public functions.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidStatement


def validate_statement(data: Any, *, version: str) -> None:
    """Raise ``InvalidStatement("<field path>: <rule>")`` unless ``data`` is a valid
    statement for an xAPI ``version`` ("1.0.3" or "2.0.0") request."""
    if not isinstance(data, dict):
        raise InvalidStatement("statement: must be a JSON object")
    for name in ("actor", "verb", "object"):
        if not isinstance(data.get(name), dict):
            raise InvalidStatement(f"{name}: is required and must be an object")


def validate_agent(data: Any, *, version: str, field: str = "agent") -> None:
    """Raise ``InvalidStatement`` unless ``data`` is an Agent or an identified Group."""
    if not isinstance(data, dict):
        raise InvalidStatement(f"{field}: must be a JSON object")
    if not any(k in data for k in ("mbox", "mbox_sha1sum", "openid", "account")):
        raise InvalidStatement(f"{field}: needs exactly one inverse functional identifier")
