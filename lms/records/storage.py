"""Store statements: the one insert path of the Learning Record Store.

``statements_store`` takes a batch of statements that passed validation, adds what the LRS
owns (``id`` when missing, ``stored``, ``authority``, ``version``), refuses conflicting
ids, voids what voiding statements target, inserts the rows with the columns queries
filter on, queues forwarding and applies new statements to the progress projection, all
in one transaction. A statement id stored before with the same content is a no-op, so a
client may resend a batch after a lost response.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .errors import InvalidStatement, NotAllowed, StatementConflict
from .forwarding import forward_enqueue
from .models import Attachment, Statement, StatementRelation
from .projection import project
from .selectors import learner_ids, learners_in_scope
from .xapi.agents import account_name, ifi_key

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
# Properties the LRS sets: they do not take part in "same content" comparisons.
_LRS_PROPERTIES = frozenset({"stored", "authority", "version"})
_DERIVED_DEPTH_LIMIT = 5


@dataclass(frozen=True)
class Writer:
    """Who writes: the authority recorded on the statements, the client row, and the
    writer's restriction to one learner (``user_id``) or an agency subtree."""

    authority: dict[str, Any]
    client_id: int | None = None
    user_id: int | None = None
    agency_path: str | None = None

    @property
    def restricted(self) -> bool:
        return self.user_id is not None or self.agency_path is not None


@dataclass
class StoreResult:
    ids: list[str]
    created: list[Statement] = field(default_factory=list)


def parse_timestamp(value: str) -> datetime.datetime:
    """An xAPI timestamp as an aware datetime (naive ones are UTC; digits past the
    microsecond are dropped)."""
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if "." in text:
        head, _, rest = text.partition(".")
        digits = ""
        while rest and rest[0].isdigit():
            digits, rest = digits + rest[0], rest[1:]
        text = f"{head}.{(digits + '000000')[:6]}{rest}"
    parsed = datetime.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _relations(statement: dict[str, Any]) -> set[tuple[str, str]]:
    """Agents and activities the statement mentions beyond its actor and its object."""
    found: set[tuple[str, str]] = set()

    def agents(value: Any) -> None:
        for agent in _as_list(value):
            if isinstance(agent, dict):
                key = ifi_key(agent)
                if key:
                    found.add((StatementRelation.AGENT, key))
                for member in agent.get("member") or []:
                    if isinstance(member, dict) and ifi_key(member):
                        found.add((StatementRelation.AGENT, ifi_key(member)))

    def context(ctx: Any) -> None:
        if not isinstance(ctx, dict):
            return
        agents(ctx.get("instructor"))
        agents(ctx.get("team"))
        for entry in ctx.get("contextAgents") or []:
            agents(entry.get("agent"))
        for entry in ctx.get("contextGroups") or []:
            agents(entry.get("group"))
        for activities in (ctx.get("contextActivities") or {}).values():
            for activity in _as_list(activities):
                if isinstance(activity, dict) and "id" in activity:
                    found.add((StatementRelation.ACTIVITY, activity["id"]))

    agents(statement.get("actor", {}).get("member"))
    context(statement.get("context"))
    obj = statement.get("object", {})
    if obj.get("objectType") == "SubStatement":
        agents(obj.get("actor"))
        sub_object = obj.get("object", {})
        if sub_object.get("objectType", "Activity") == "Activity" and "id" in sub_object:
            found.add((StatementRelation.ACTIVITY, sub_object["id"]))
        elif sub_object.get("objectType") in ("Agent", "Group"):
            agents(sub_object)
        context(obj.get("context"))
    return found


def _normalised(statement: dict[str, Any]) -> dict[str, Any]:
    """A copy in the form the LRS stores and returns: a single context activity becomes
    an array of one (in the statement and in a sub-statement)."""
    statement = dict(statement)
    for holder in (statement, statement.get("object")):
        if not isinstance(holder, dict) or not isinstance(holder.get("context"), dict):
            continue
        activities = holder["context"].get("contextActivities")
        if isinstance(activities, dict) and any(
                isinstance(v, dict) for v in activities.values()):
            holder_copy = holder if holder is statement else dict(holder)
            holder_copy["context"] = {**holder["context"], "contextActivities": {
                k: [v] if isinstance(v, dict) else v for k, v in activities.items()}}
            if holder is not statement:
                statement["object"] = holder_copy
    return statement


_SECONDS = re.compile(r"(\d+)(?:\.(\d+))?S$")


def _duration_key(value: Any) -> Any:
    """A duration as compared: seconds to the hundredth (xAPI 2.0, 4.2.7)."""
    if not isinstance(value, str):
        return value
    match = _SECONDS.search(value)
    if not match:
        return value
    hundredths = (match.group(2) or "")[:2].ljust(2, "0")
    return f"{value[:match.start()]}{int(match.group(1))}.{hundredths}S"


def statement_comparable(statement: dict[str, Any], *, ignore: frozenset[str] = frozenset()
                         ) -> dict[str, Any]:
    """The statement as two statements are compared: without ``ignore``d properties, and
    with durations to the hundredth of a second."""
    out = {k: v for k, v in statement.items() if k not in ignore}
    for holder_key in (None, "object"):
        holder = out if holder_key is None else out.get("object")
        if not isinstance(holder, dict) or not isinstance(holder.get("result"), dict):
            continue
        if "duration" in holder["result"]:
            result = {**holder["result"],
                      "duration": _duration_key(holder["result"]["duration"])}
            if holder_key is None:
                out["result"] = result
            else:
                out["object"] = {**holder, "result": result}
    return out


def _same_content(stored: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Whether ``incoming`` (as a client sent it, id included) is the statement ``stored``
    holds, ignoring what the LRS added."""
    added = _LRS_PROPERTIES | ({"timestamp"} if "timestamp" not in incoming else set())
    return statement_comparable(stored, ignore=added) == statement_comparable(
        incoming, ignore=_LRS_PROPERTIES)


def _row(statement: dict[str, Any], *, user_id: int | None, client_id: int | None,
         stored: datetime.datetime) -> Statement:
    obj = statement["object"]
    kind = obj.get("objectType", "Activity")
    activity_id, object_key, ref_id = "", "", None
    if kind == "Activity":
        activity_id = obj["id"]
    elif kind in ("Agent", "Group"):
        object_key = ifi_key(obj)
    elif kind == "StatementRef":
        ref_id = uuid.UUID(obj["id"])
    registration = (statement.get("context") or {}).get("registration")
    return Statement(
        id=uuid.UUID(statement["id"]), user_id=user_id, client_id=client_id,
        verb_id=statement["verb"]["id"], activity_id=activity_id,
        actor_key=ifi_key(statement["actor"]), object_key=object_key, ref_id=ref_id,
        registration=uuid.UUID(registration) if registration else None,
        timestamp=parse_timestamp(statement["timestamp"]), stored=stored,
        payload=statement,
    )


def _user_ids(statements: Sequence[dict[str, Any]], writer: Writer) -> list[int | None]:
    """The learner each statement is about (its actor is one of our accounts), checking
    that the writer may write about them."""
    home = settings.XAPI_ACCOUNT_HOMEPAGE
    names = [account_name(s["actor"], home_page=home) for s in statements]
    known = learner_ids(n for n in names if n)
    if writer.restricted:
        known = learners_in_scope(known, user_id=writer.user_id,
                                  agency_path=writer.agency_path)
    result: list[int | None] = []
    for index, name in enumerate(names):
        user_id = known.get(name) if name else None
        if writer.restricted and user_id is None:
            raise NotAllowed(f"statements[{index}].actor: these credentials may not write "
                             f"statements about this actor")
        result.append(user_id)
    return result


def statements_store(*, statements: Sequence[dict[str, Any]], writer: Writer,
                     version: str = "1.0.0",
                     attachments: dict[str, tuple[str, bytes]] | None = None,
                     ) -> StoreResult:
    """Store validated statements (copies are made: the caller's dicts are untouched).
    Raises ``StatementConflict`` for an id stored with other content, ``InvalidStatement``
    for a batch that repeats an id or voids a voiding statement, ``NotAllowed`` when the
    writer may not write about an actor. Returns the ids in order."""
    incoming = []
    for statement in statements:
        statement = _normalised(statement)
        statement["id"] = str(statement.get("id") or uuid.uuid4()).lower()
        incoming.append(statement)
    ids = [s["id"] for s in incoming]
    if len(set(ids)) != len(ids):
        raise InvalidStatement("id: the batch holds the same statement id more than once")
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _store(incoming, writer=writer, version=version,
                              attachments=attachments or {})
        except IntegrityError:
            # Another request stored one of these ids at the same moment: look again.
            if attempt:
                raise
    raise AssertionError("unreachable")


def system_writer() -> Writer:
    """The writer of statements made by HọcSố itself (its pages, derived completions)."""
    return Writer(authority={
        "objectType": "Agent",
        "account": {"homePage": settings.XAPI_ACCOUNT_HOMEPAGE, "name": "hocso"},
    })


def _store(incoming: list[dict[str, Any]], *, writer: Writer, version: str,
           attachments: dict[str, tuple[str, bytes]], depth: int = 0) -> StoreResult:
    ids = [s["id"] for s in incoming]
    existing = dict(Statement.objects.filter(pk__in=ids).values_list("id", "payload"))
    fresh = []
    for statement in incoming:
        stored_payload = existing.get(uuid.UUID(statement["id"]))
        if stored_payload is None:
            fresh.append(dict(statement))  # a copy: a retry starts from what was sent
        elif not _same_content(stored_payload, statement):
            raise StatementConflict(
                f"id: statement {statement['id']} is stored already with other content")
    if not fresh:
        return StoreResult(ids=ids)

    voided_targets = _void_targets(fresh)
    user_ids = _user_ids(fresh, writer)
    now = timezone.now()
    stored_text = now.isoformat().replace("+00:00", "Z")
    rows, relations = [], []
    for statement, user_id in zip(fresh, user_ids, strict=True):
        statement["stored"] = stored_text
        statement["authority"] = writer.authority
        statement.setdefault("timestamp", stored_text)
        statement.setdefault("version", version)
        row = _row(statement, user_id=user_id, client_id=writer.client_id, stored=now)
        rows.append(row)
        relations.extend(StatementRelation(statement_id=row.id, kind=kind, key=key)
                         for kind, key in _relations(statement))
    Statement.objects.bulk_create(rows)
    if relations:
        StatementRelation.objects.bulk_create(relations)
    if attachments:
        _attachments_store(attachments)
    if voided_targets:
        Statement.objects.filter(pk__in=voided_targets).exclude(verb_id=VOIDED).update(
            voided=True)
    forward_enqueue([row.id for row in rows])
    derived = project(rows)
    if derived and depth < _DERIVED_DEPTH_LIMIT:
        # Completions of parent activities (courses): stored like any statement, by us.
        _store(derived, writer=system_writer(), version=version, attachments={},
               depth=depth + 1)
    return StoreResult(ids=ids, created=rows)


def _void_targets(statements: Iterable[dict[str, Any]]) -> list[uuid.UUID]:
    targets = []
    for index, statement in enumerate(statements):
        if statement["verb"]["id"] != VOIDED:
            continue
        obj = statement["object"]
        if obj.get("objectType") != "StatementRef":
            raise InvalidStatement(f"statements[{index}].object: a voiding statement must "
                                   f"target a StatementRef")
        targets.append(uuid.UUID(obj["id"]))
    if targets and Statement.objects.filter(pk__in=targets, verb_id=VOIDED).exists():
        raise InvalidStatement("object: a voiding statement cannot void another voiding "
                               "statement")
    return targets


def _attachments_store(attachments: dict[str, tuple[str, bytes]]) -> None:
    known = set(Attachment.objects.filter(pk__in=list(attachments)).values_list(
        "sha2", flat=True))
    Attachment.objects.bulk_create(
        [Attachment(sha2=sha2, content_type=content_type, content=content)
         for sha2, (content_type, content) in attachments.items() if sha2 not in known],
        ignore_conflicts=True,
    )
