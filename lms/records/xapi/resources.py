"""The read-only resources: about, activities, agents."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse

from ..selectors import activity_object, person_object
from . import parameters
from .http import V1, V2, XapiError, XapiRequest, json_response, xapi_view


def _json(data: Any) -> HttpResponse:
    """A JSON response whose Content-Length survives HEAD (which drops the body)."""
    response = json_response(data)
    response["Content-Length"] = str(len(response.content))
    return response


def about_document() -> dict[str, Any]:
    """The latest patch version of each major version spoken, and what else the LRS
    wants clients to know (extensions are keyed by IRIs)."""
    base = settings.XAPI_ACTIVITY_BASE
    return {
        "version": [V1, V2],
        "extensions": {
            f"{base}/xapi/extensions/lrs": {
                "name": "HọcSố LRS",
                "alternateRequestSyntax": [V1],
            },
        },
    }


@xapi_view(methods={"GET", "HEAD"}, auth=False)
def about(request: XapiRequest) -> HttpResponse:
    return _json(about_document())


@xapi_view(methods={"GET", "HEAD"})
def activities(request: XapiRequest) -> HttpResponse:
    parameters.only(request, {"activityId"}, what="the activities resource")
    activity_id = parameters.iri(request, "activityId", required=True)
    assert activity_id is not None
    return _json(activity_object(activity_id=activity_id))


@xapi_view(methods={"GET", "HEAD"})
def agents(request: XapiRequest) -> HttpResponse:
    parameters.only(request, {"agent"}, what="the agents resource")
    agent = parameters.agent(request)
    assert agent is not None
    if agent.get("objectType") == "Group":
        raise XapiError(400, "agent: must be an Agent, not a Group")
    if not request.credential.agent_allowed(agent):
        raise XapiError(403, "agent: these credentials may not read about this agent")
    return _json(person_object(agent=agent))
