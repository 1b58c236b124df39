"""The document resources: activities/state, activities/profile, agents/profile.

A PUT without If-Match / If-None-Match over an existing document is refused with 409,
except on the state resource in xAPI 1.0.3 ("The State Resource will permit PUT, POST and
DELETE requests without concurrency headers"; the 2.0 conformance suite expects 409 there
too). A PUT without either header that would create a profile document is refused with
400 in 1.0.3 (the client MUST send one) and allowed in 2.0.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import orjson
from django.http import HttpResponse
from django.utils.http import http_date

from .. import documents as store
from ..models import Document
from . import parameters
from .http import XapiError, XapiRequest, json_response, xapi_view

_STATUS = {
    store.PreconditionFailed: 412,
    store.DocumentConflict: 409,
    store.PreconditionMissing: 400,
    store.InvalidDocument: 400,
}


@dataclass(frozen=True)
class _Resource:
    name: str
    kind: str
    id_param: str
    activity: bool = False
    agent: bool = False

    @property
    def is_state(self) -> bool:
        return self.kind == Document.STATE

    def context_params(self) -> set[str]:
        names = set()
        if self.activity:
            names.add("activityId")
        if self.agent:
            names.add("agent")
        if self.is_state:
            names.add("registration")
        return names


_STATE = _Resource("the state resource", Document.STATE, "stateId", activity=True,
                   agent=True)
_ACTIVITY_PROFILE = _Resource("the activity profile resource", Document.ACTIVITY_PROFILE,
                              "profileId", activity=True)
_AGENT_PROFILE = _Resource("the agent profile resource", Document.AGENT_PROFILE,
                           "profileId", agent=True)


@xapi_view(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def state(request: XapiRequest) -> HttpResponse:
    return _handle(request, _STATE)


@xapi_view(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def activity_profile(request: XapiRequest) -> HttpResponse:
    return _handle(request, _ACTIVITY_PROFILE)


@xapi_view(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def agent_profile(request: XapiRequest) -> HttpResponse:
    return _handle(request, _AGENT_PROFILE)


def _handle(request: XapiRequest, resource: _Resource) -> HttpResponse:
    reading = request.method in ("GET", "HEAD")
    allowed = resource.context_params() | {resource.id_param}
    if reading:
        allowed.add("since")
    parameters.only(request, allowed, what=f"{request.method} on {resource.name}")

    activity_id = parameters.iri(request, "activityId", required=True) \
        if resource.activity else ""
    agent = parameters.agent(request) if resource.agent else None
    registration = parameters.registration(request) if resource.is_state else ""
    # One document, except GET without an id (a list) and the state resource's DELETE
    # without an id (everything in the context).
    id_required = request.method in ("PUT", "POST") or (
        request.method == "DELETE" and not resource.is_state)
    doc_id = parameters.text(request, resource.id_param, required=id_required)
    since = parameters.timestamp(request, "since") if reading else None
    if agent is not None and not request.credential.agent_allowed(agent):
        raise XapiError(403, "agent: these credentials may not read or write documents "
                             "about this agent")

    key = store.DocumentKey.of(kind=resource.kind, doc_id=doc_id or "",
                               activity_id=activity_id or "", agent=agent,
                               registration=registration)
    if reading:
        return _read_one(key) if doc_id is not None else _read_ids(key, since)
    try:
        return _write(request, resource, key, many=doc_id is None)
    except store.DocumentError as exc:
        raise XapiError(_STATUS[type(exc)], str(exc)) from None


def _preconditions(request: XapiRequest) -> store.Preconditions:
    return store.Preconditions(if_match=request.headers.get("if-match"),
                               if_none_match=request.headers.get("if-none-match"))


def _write(request: XapiRequest, resource: _Resource, key: store.DocumentKey, *,
           many: bool) -> HttpResponse:
    if request.method == "DELETE":
        if many:
            store.documents_delete(key=key)
        else:
            store.document_delete(key=key, preconditions=_preconditions(request))
        return _no_content()
    content_type = (request.extra.get("content_type_full") or "").strip() \
        or "application/octet-stream"
    if request.method == "PUT":
        document = store.document_replace(
            key=key, content=request.body, content_type=content_type,
            preconditions=_preconditions(request),
            blind_create=resource.is_state or request.v2,
            blind_replace=resource.is_state and not request.v2)
    else:
        document = store.document_merge(key=key, content=request.body,
                                        content_type=content_type,
                                        preconditions=_preconditions(request))
    response = _no_content()
    response["ETag"] = f'"{document.etag}"'
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def _no_content() -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]
    return response


def _with_length(response: HttpResponse) -> HttpResponse:
    """Content-Length set here, before a HEAD response loses its body."""
    response["Content-Length"] = str(len(response.content))
    return response


def _read_one(key: store.DocumentKey) -> HttpResponse:
    document = store.document_find(key=key)
    if document is None:
        raise XapiError(404, f"{key.doc_id}: no such document")
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = f'"{document.etag}"'
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return _with_length(response)


def _read_ids(key: store.DocumentKey, since: datetime.datetime | None) -> HttpResponse:
    ids, latest = store.document_ids(key=key, since=since)
    body = orjson.dumps(ids)
    response = json_response(ids)
    response["ETag"] = f'"{store.document_etag(body)}"'
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    return _with_length(response)
