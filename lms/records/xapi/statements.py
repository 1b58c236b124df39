"""The statement resource: PUT, POST (one or a batch), GET (one, or a filtered page with
``more``), HEAD; attachments over multipart/mixed and signed statements."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from ..errors import InvalidStatement
from ..models import Attachment, Client, Statement
from ..queries import (
    MAX_LIMIT,
    StatementQuery,
    cursor_dump,
    cursor_load,
    statement_get,
    statements_find,
)
from ..storage import VOIDED, Writer, statements_store
from ..tokens import access_tokens_expire
from . import parameters
from .agents import ifi_key
from .attachments import attachments_collect, multipart_build, multipart_parse
from .formats import accepted_languages, statement_format
from .http import V2, XapiError, XapiRequest, json_response, xapi_view
from .validation import validate_statement

_GET_PARAMS = frozenset({
    "statementId", "voidedStatementId", "agent", "verb", "activity", "registration",
    "related_activities", "related_agents", "since", "until", "limit", "format",
    "attachments", "ascending", "more",
})
TERMINATED = "http://adlnet.gov/expapi/verbs/terminated"
_SINGLE_PARAMS = frozenset({"statementId", "voidedStatementId", "attachments", "format"})


@xapi_view(methods={"GET", "HEAD", "PUT", "POST"}, consistent_through=True)
def statements(request: XapiRequest) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        return _get(request)
    if request.method == "PUT":
        return _put(request)
    return _post(request)


# --- writing -------------------------------------------------------------------------

def _writer(request: XapiRequest) -> Writer:
    credential = request.credential
    return Writer(authority=credential.authority, client_id=credential.client_id,
                  user_id=credential.user_id, agency_path=credential.agency_path)


def _read_body(request: XapiRequest) -> tuple[Any, dict[str, tuple[str, bytes]] | None]:
    """The statement(s) of a PUT or POST, and the attachment parts when multipart."""
    if request.content_type == "multipart/mixed":
        parts = multipart_parse(request.body, request.extra["content_type_full"])
        if not parts or parts[0].content_type != "application/json":
            raise XapiError(400, "body: the first part of multipart/mixed must be the "
                                 "statements as application/json")
        try:
            data = orjson.loads(parts[0].content)
        except orjson.JSONDecodeError as exc:
            raise XapiError(400, f"body: not valid JSON ({exc})") from None
        return data, {"parts": parts[1:]}  # type: ignore[dict-item]
    if request.content_type not in ("application/json", ""):
        raise XapiError(400, f"Content-Type: {request.content_type} is not accepted "
                             f"(application/json or multipart/mixed)")
    return request.json_body(), None


def _validated(request: XapiRequest, data: Any) -> list[dict[str, Any]]:
    batch = data if isinstance(data, list) else [data]
    for index, statement in enumerate(batch):
        try:
            validate_statement(statement, version=request.version)
        except InvalidStatement as exc:
            prefix = f"statements[{index}]." if isinstance(data, list) else ""
            raise InvalidStatement(f"{prefix}{exc}") from None
    return batch


def _store(request: XapiRequest, batch: list[dict[str, Any]],
           multipart: dict[str, Any] | None) -> list[str]:
    attachments = None
    if multipart is not None:
        attachments = attachments_collect(batch, multipart["parts"])
    else:
        for index, statement in enumerate(batch):
            nested = (statement["object"].get("attachments") or []) if statement[
                "object"].get("objectType") == "SubStatement" else []
            for attachment in (statement.get("attachments") or []) + nested:
                if "fileUrl" not in attachment:
                    raise XapiError(400, f"statements[{index}].attachments: an attachment "
                                         f"without fileUrl must be sent as multipart/mixed")
    launched = request.credential.launch_token
    if launched and any(s["verb"]["id"] == VOIDED for s in batch):
        raise XapiError(403, "verb: launched content may not void statements")
    result = statements_store(statements=batch, writer=_writer(request),
                              version="2.0.0" if request.version == V2 else "1.0.0",
                              attachments=attachments)
    if launched and any(s["verb"]["id"] == TERMINATED for s in batch):
        # cmi5: the session is over; its credentials stop working.
        access_tokens_expire(key=request.credential.name.removeprefix("token:"))
    return result.ids


def _put(request: XapiRequest) -> HttpResponse:
    parameters.only(request, {"statementId"}, what="statement PUT")
    statement_id = _uuid_param(request, "statementId", required=True)
    data, multipart = _read_body(request)
    if not isinstance(data, dict):
        raise XapiError(400, "body: a PUT carries one statement (a JSON object)")
    if "id" in data and str(data["id"]).lower() != str(statement_id):
        raise XapiError(400, "id: differs from the statementId parameter")
    data = {**data, "id": str(statement_id)} if "id" not in data else data
    batch = _validated(request, data)
    _store(request, batch, multipart)
    return HttpResponse(status=204)


def _post(request: XapiRequest) -> HttpResponse:
    if request.params:
        raise XapiError(400, f"{sorted(request.params)[0]}: statement POST takes no "
                             f"parameters")
    data, multipart = _read_body(request)
    if not isinstance(data, dict | list):
        raise XapiError(400, "body: a statement (object) or a batch (array) is expected")
    batch = _validated(request, data)
    return json_response(_store(request, batch, multipart))


# --- reading -------------------------------------------------------------------------

def _uuid_param(request: XapiRequest, name: str, *, required: bool = False
                ) -> uuid.UUID | None:
    if required:
        request.param(name, required=True)
    value = parameters.registration(request, name)
    return uuid.UUID(value) if value else None


def _bool_param(request: XapiRequest, name: str) -> bool:
    value = request.param(name)
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise XapiError(400, f"{name}: must be true or false")
    return value.lower() == "true"


def _query(request: XapiRequest) -> StatementQuery:
    credential = request.credential
    agent_key, client_id = None, None
    agent = parameters.agent(request, required=False)
    if agent is not None:
        agent_key = ifi_key(agent)
        prefix = f"account:{settings.XAPI_ACCOUNT_HOMEPAGE}|client:"
        if agent_key.startswith(prefix):
            client_id = Client.objects.filter(key=agent_key[len(prefix):]).values_list(
                "pk", flat=True).first()
    limit = request.param("limit") or "0"
    if not limit.isdigit():
        raise XapiError(400, "limit: must be a non-negative integer")
    fmt = request.param("format") or "exact"
    if fmt not in ("exact", "ids", "canonical"):
        raise XapiError(400, "format: must be exact, ids or canonical")
    return StatementQuery(
        agent_key=agent_key, authority_client_id=client_id,
        verb=parameters.iri(request, "verb", required=False),
        activity=parameters.iri(request, "activity", required=False),
        registration=_uuid_param(request, "registration"),
        related_activities=_bool_param(request, "related_activities"),
        related_agents=_bool_param(request, "related_agents"),
        since=parameters.timestamp(request, "since"),
        until=parameters.timestamp(request, "until"),
        limit=min(int(limit), MAX_LIMIT) or MAX_LIMIT,
        ascending=_bool_param(request, "ascending"), format=fmt,
        attachments=_bool_param(request, "attachments"),
        agency_path=credential.agency_path, user_id=credential.user_id,
    )


def _get(request: XapiRequest) -> HttpResponse:
    parameters.only(request, _GET_PARAMS, what="statement GET")
    if "more" in request.params:
        try:
            query = cursor_load(request.params["more"])
        except signing.BadSignature:
            raise XapiError(400, "more: unknown or expired page token") from None
        if (query.agency_path, query.user_id) != (request.credential.agency_path,
                                                  request.credential.user_id):
            raise XapiError(403, "more: this page belongs to other credentials")
    else:
        query = _query(request)
    single_id = request.params.get("statementId") or request.params.get("voidedStatementId")
    if single_id is not None:
        return _get_one(request, query)
    as_text = query.format == "exact" and not query.attachments
    rows, next_query = statements_find(query, as_text=as_text)
    more = (reverse("xapi:statements") + "?more=" + cursor_dump(next_query)
            if next_query else "")
    last_modified = max((row.stored for row in rows), default=timezone.now())
    if as_text:
        # The statements as stored, spliced into the answer without decoding them.
        body = b"".join([b'{"statements":[', b",".join(
            row.payload_text.encode() for row in rows), b'],"more":', orjson.dumps(more),
            b"}"])
        response = HttpResponse(body, content_type="application/json")
        response["Last-Modified"] = http_date(last_modified.timestamp())
        return response
    languages = accepted_languages(request.headers.get("accept-language"))
    result = {
        "statements": [statement_format(row.payload, format=query.format,
                                        languages=languages) for row in rows],
        "more": more,
    }
    return _respond(result, rows, query, last_modified)


def _get_one(request: XapiRequest, query: StatementQuery) -> HttpResponse:
    if "statementId" in request.params and "voidedStatementId" in request.params:
        raise XapiError(400, "statementId: cannot be combined with voidedStatementId")
    extra = set(request.params) - _SINGLE_PARAMS
    if extra:
        raise XapiError(400, f"{sorted(extra)[0]}: cannot be combined with statementId or "
                             f"voidedStatementId")
    voided = "voidedStatementId" in request.params
    statement_id = _uuid_param(request, "voidedStatementId" if voided else "statementId")
    assert statement_id is not None
    row = statement_get(statement_id=statement_id, voided=voided, query=query)
    if row is None:
        raise XapiError(404, f"statement {statement_id} not found")
    languages = accepted_languages(request.headers.get("accept-language"))
    return _respond(statement_format(row.payload, format=query.format, languages=languages),
                    [row], query, row.stored)


def _respond(result: Any, rows: list[Statement], query: StatementQuery,
             last_modified: Any) -> HttpResponse:
    headers = {"Last-Modified": http_date(last_modified.timestamp())}
    if not query.attachments:
        return json_response(result, headers=headers)
    wanted = [str(a.get("sha2", "")).lower() for row in rows
              for a in row.payload.get("attachments") or []]
    found = {a.sha2: a for a in Attachment.objects.filter(pk__in=set(wanted))}
    seen, parts = set(), []
    for sha2 in wanted:
        if sha2 in found and sha2 not in seen:
            seen.add(sha2)
            parts.append((sha2, found[sha2].content_type, bytes(found[sha2].content)))
    body, content_type = multipart_build(orjson.dumps(result), parts)
    response = HttpResponse(body, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    return response
