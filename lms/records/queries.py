"""Reading statements back: the filters of the statement resource's GET, in pages.

Results are ordered by ``stored`` (newest first unless ``ascending``), ties broken by id,
and paged with a cursor on that order, so a page never repeats or skips a statement
whatever is stored meanwhile.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from .models import Statement, StatementRelation

MAX_LIMIT = 100  # statements per page (``limit=0`` asks for this many)
_CURSOR_SALT = "hocso.xapi.more"


@dataclass(frozen=True)
class StatementQuery:
    """The filters of one statement GET (the values already parsed and validated)."""

    agent_key: str | None = None
    authority_client_id: int | None = None
    verb: str | None = None
    activity: str | None = None
    registration: uuid.UUID | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    limit: int = MAX_LIMIT
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False
    # The reader's restriction: an agency subtree or one learner.
    agency_path: str | None = None
    user_id: int | None = None
    # The last statement of the previous page: (stored, id).
    after: tuple[datetime.datetime, uuid.UUID] | None = None


def _restrict(qs: QuerySet[Statement], query: StatementQuery) -> QuerySet[Statement]:
    if query.user_id is not None:
        qs = qs.filter(user_id=query.user_id)
    elif query.agency_path is not None:
        qs = qs.filter(user__person__agency__path__startswith=query.agency_path)
    return qs


def statement_get(*, statement_id: uuid.UUID, voided: bool, query: StatementQuery
                  ) -> Statement | None:
    """One statement by id: a voided one only when ``voided`` (voidedStatementId), a
    live one only when not (statementId)."""
    qs = _restrict(Statement.objects.filter(pk=statement_id, voided=voided), query)
    return qs.first()


def _matching(query: StatementQuery) -> Q | None:
    """The filter conditions, or None when the query has none (every statement)."""
    conditions = Q()
    filtered = False
    if query.agent_key:
        agent = Q(actor_key=query.agent_key) | Q(object_key=query.agent_key)
        if query.related_agents:
            agent |= Q(pk__in=StatementRelation.objects.filter(
                kind=StatementRelation.AGENT, key=query.agent_key).values("statement_id"))
            if query.authority_client_id is not None:
                agent |= Q(client_id=query.authority_client_id)
        conditions &= agent
        filtered = True
    if query.verb:
        conditions &= Q(verb_id=query.verb)
        filtered = True
    if query.activity:
        activity = Q(activity_id=query.activity)
        if query.related_activities:
            activity |= Q(pk__in=StatementRelation.objects.filter(
                kind=StatementRelation.ACTIVITY, key=query.activity).values("statement_id"))
        conditions &= activity
        filtered = True
    if query.registration:
        conditions &= Q(registration=query.registration)
        filtered = True
    return conditions if filtered else None


def statements_find(query: StatementQuery, *, as_text: bool = False
                    ) -> tuple[list[Statement], StatementQuery | None]:
    """One page of statements matching ``query`` and the query of the next page (None
    when this page is the last). Voided statements are left out; a statement that refers
    (StatementRef) to a matching statement matches too. With ``as_text`` each row carries
    its statement as JSON text (``payload_text``) instead of a decoded ``payload``."""
    qs = _restrict(Statement.objects.filter(voided=False), query)
    if as_text:
        qs = qs.defer("payload").annotate(payload_text=Cast("payload", TextField()))
    conditions = _matching(query)
    if conditions is not None:
        # Statements pointing at matching statements (voiding ones among them): few, so
        # found first, by the partial index on ref_id.
        referring = list(
            Statement.objects.filter(ref_id__isnull=False,
                                     ref_id__in=Statement.objects.filter(conditions)
                                     .values("id")).values_list("id", flat=True)[:1000]
        )
        if referring:
            conditions |= Q(pk__in=referring)
        qs = qs.filter(conditions)
    if query.since:
        qs = qs.filter(stored__gt=query.since)
    if query.until:
        qs = qs.filter(stored__lte=query.until)
    if query.after:
        stored, last_id = query.after
        if query.ascending:
            qs = qs.filter(Q(stored__gt=stored) | Q(stored=stored, id__gt=last_id))
        else:
            qs = qs.filter(Q(stored__lt=stored) | Q(stored=stored, id__lt=last_id))
    order = ("stored", "id") if query.ascending else ("-stored", "-id")
    rows = list(qs.order_by(*order)[: query.limit + 1])
    if len(rows) <= query.limit:
        return rows, None
    rows = rows[: query.limit]
    return rows, replace(query, after=(rows[-1].stored, rows[-1].id))


def cursor_dump(query: StatementQuery) -> str:
    """The opaque ``more`` token of a next-page query (signed, so it cannot be forged to
    lift a reader's restriction)."""
    data: dict[str, Any] = {
        k: v for k, v in query.__dict__.items() if v not in (None, False) and k != "after"}
    for name in ("since", "until"):
        if name in data:
            data[name] = data[name].isoformat()
    if "registration" in data:
        data["registration"] = str(data["registration"])
    if query.after:
        data["after"] = [query.after[0].isoformat(), str(query.after[1])]
    return signing.dumps(data, salt=_CURSOR_SALT, compress=True)


def cursor_load(token: str, *, max_age: int = 24 * 3600) -> StatementQuery:
    """The query a ``more`` token stands for; ``signing.BadSignature`` if forged/expired."""
    data = signing.loads(token, salt=_CURSOR_SALT, max_age=max_age)
    for name in ("since", "until"):
        if name in data:
            data[name] = datetime.datetime.fromisoformat(data[name])
    if "registration" in data:
        data["registration"] = uuid.UUID(data["registration"])
    if "after" in data:
        stored, last_id = data["after"]
        data["after"] = (datetime.datetime.fromisoformat(stored), uuid.UUID(last_id))
    return StatementQuery(**data)
