"""Copies of stored statements to an external LRS, when forwarding is configured."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID


def forward_enqueue(statement_ids: Sequence[UUID]) -> None:
    """Queue newly stored statements for forwarding; called inside the storing
    transaction. Does nothing unless forwarding is configured."""
