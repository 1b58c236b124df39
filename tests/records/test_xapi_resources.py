"""The small resources over HTTP: about, activities, agents, in xAPI 1.0.3 and 2.0."""

from __future__ import annotations

import base64
import json
import uuid
from urllib.parse import urlencode

import pytest

from lms.records.credentials import secret_hash
from lms.records.models import Client
from lms.records.services import actor_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

VERSIONS = ["1.0.3", "2.0.0"]
ACTIVITY = "http://example.vn/activities/hop-giao-ban"


def _client_row(key: str = "lms", *, agency=None) -> Client:
    return Client.objects.create(name=key, key=key, secret_hash=secret_hash("s3cret"),
                                 can_read=True, can_write=True, agency=agency)


def _auth(version: str = "1.0.3", key: str = "lms") -> dict[str, str]:
    token = base64.b64encode(f"{key}:s3cret".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": version}


@pytest.fixture
def api(client):
    _client_row()
    return client


def _post_statements(api, *statements) -> None:
    response = api.post("/xapi/statements", data=json.dumps(list(statements)),
                        content_type="application/json", **_auth())
    assert response.status_code == 200, response.content


def _statement(actor: dict, obj: dict) -> dict:
    return {"id": str(uuid.uuid4()), "actor": actor,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended",
                     "display": {"en-US": "attended"}},
            "object": obj}


def _message(response) -> str:
    return response.json()["error"]["message"]


# --- about ----------------------------------------------------------------------------------

def test_about_needs_no_credentials_nor_version(client, settings):
    response = client.get("/xapi/about")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == ["1.0.3", "2.0.0"]
    assert set(body) == {"version", "extensions"}
    [(key, value)] = body["extensions"].items()
    assert key.startswith(settings.XAPI_ACTIVITY_BASE) and value["name"] == "HọcSố LRS"


@pytest.mark.parametrize("header", ["0.9", "1.0.3", "2.0.0", "9.9.9"])
def test_about_answers_whatever_version_header(client, header):
    response = client.get("/xapi/about", HTTP_X_EXPERIENCE_API_VERSION=header)
    assert response.status_code == 200
    assert response["X-Experience-API-Version"] in ("1.0.3", "2.0.0")


def test_about_head_has_no_body(client):
    get, head = client.get("/xapi/about"), client.head("/xapi/about")
    assert (head.status_code, head.content) == (200, b"")
    assert head["Content-Length"] == str(len(get.content))


# --- activities -----------------------------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_activity_is_still_an_activity(api, version):
    response = api.get("/xapi/activities", {"activityId": ACTIVITY}, **_auth(version))
    assert response.status_code == 200
    assert response.json() == {"objectType": "Activity", "id": ACTIVITY}


@pytest.mark.parametrize("version", VERSIONS)
def test_activity_definition_merges_what_statements_said(api, version):
    actor = {"objectType": "Agent", "mbox": "mailto:a@example.vn"}
    first = {"objectType": "Activity", "id": ACTIVITY, "definition": {
        "type": "http://adlnet.gov/expapi/activities/meeting",
        "name": {"en-US": "example meeting", "vi": "họp cũ"},
        "extensions": {"http://example.vn/x/room": "A1"}}}
    second = {"objectType": "Activity", "id": ACTIVITY, "definition": {
        "name": {"fr-FR": "réunion", "vi": "họp giao ban"},
        "moreInfo": "http://example.vn/meeting",
        "extensions": {"http://example.vn/x/chair": "B"}}}
    _post_statements(api, _statement(actor, first))
    _post_statements(api, _statement(actor, second),
                     _statement(actor, {"id": "http://example.vn/activities/other",
                                        "definition": {"name": {"vi": "khác"}}}))
    response = api.get("/xapi/activities", {"activityId": ACTIVITY}, **_auth(version))
    assert response.json() == {"objectType": "Activity", "id": ACTIVITY, "definition": {
        "type": "http://adlnet.gov/expapi/activities/meeting",
        "name": {"en-US": "example meeting", "fr-FR": "réunion", "vi": "họp giao ban"},
        "moreInfo": "http://example.vn/meeting",
        "extensions": {"http://example.vn/x/room": "A1", "http://example.vn/x/chair": "B"}}}
    head = api.head("/xapi/activities", {"activityId": ACTIVITY}, **_auth(version))
    assert (head.status_code, head.content) == (200, b"")
    assert head["Content-Length"] == str(len(response.content))


def test_activity_from_a_single_statement_is_returned_as_posted(api):
    obj = {"objectType": "Activity", "id": ACTIVITY, "definition": {
        "name": {"en-GB": "example meeting", "en-US": "example meeting"},
        "description": {"en-US": "An example meeting."},
        "type": "http://adlnet.gov/expapi/activities/meeting"}}
    _post_statements(api, _statement({"mbox": "mailto:a@example.vn"}, obj))
    assert api.get("/xapi/activities", {"activityId": ACTIVITY}, **_auth()).json() == obj


@pytest.mark.parametrize(("params", "named"), [
    ({}, "activityId"),
    ({"activityId": "not an iri"}, "activityId"),
    ({"activityId": ACTIVITY, "agent": "{}"}, "agent"),
    ({"activityid": ACTIVITY}, "activityid"),
])
def test_activities_parameter_errors(api, params, named):
    response = api.get(f"/xapi/activities?{urlencode(params)}", **_auth("2.0.0"))
    assert response.status_code == 400
    assert _message(response).startswith(f"{named}:")


def test_activities_need_the_version_header(api):
    headers = _auth()
    del headers["HTTP_X_EXPERIENCE_API_VERSION"]
    response = api.get("/xapi/activities", {"activityId": ACTIVITY}, **headers)
    assert response.status_code == 400
    assert response["X-Experience-API-Version"] == "1.0.3"


# --- agents ---------------------------------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
def test_person_of_an_unknown_agent_holds_what_was_asked(api, version):
    agent = {"objectType": "Agent", "name": "Rick James",
             "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick"}}
    response = api.get("/xapi/agents", {"agent": json.dumps(agent)}, **_auth(version))
    assert response.status_code == 200
    assert response.json() == {"objectType": "Person", "name": ["Rick James"],
                               "account": [agent["account"]]}


def test_person_gathers_names_from_statements(api):
    mbox = "mailto:hoc.vien@example.vn"
    for name in ("Nguyễn Văn A", "Anh A", "Nguyễn Văn A"):
        _post_statements(api, _statement({"name": name, "mbox": mbox},
                                         {"id": ACTIVITY}))
    _post_statements(api, _statement({"name": "Người khác", "mbox": "mailto:b@example.vn"},
                                     {"id": ACTIVITY}))
    response = api.get("/xapi/agents", {"agent": json.dumps({"mbox": mbox})}, **_auth())
    assert response.json() == {"objectType": "Person", "name": ["Nguyễn Văn A", "Anh A"],
                               "mbox": [mbox]}
    head = api.head("/xapi/agents", {"agent": json.dumps({"mbox": mbox})}, **_auth())
    assert (head.status_code, head.content) == (200, b"")


@pytest.mark.parametrize(("params", "named"), [
    ({}, "agent"),
    ({"agent": "not JSON"}, "agent"),
    ({"agent": json.dumps({"objectType": "Agent", "name": "no identifier"})}, "agent"),
    ({"agent": json.dumps({"objectType": "Group", "mbox": "mailto:g@example.vn",
                           "member": []})}, "agent"),
    ({"agent": json.dumps({"mbox": "mailto:a@example.vn"}), "since": "2024-01-01"}, "since"),
])
def test_agents_parameter_errors(api, params, named):
    response = api.get(f"/xapi/agents?{urlencode(params)}", **_auth("2.0.0"))
    assert response.status_code == 400
    assert _message(response).startswith(f"{named}:")


def test_restricted_client_reads_only_its_learners(client, tree):
    _client_row("hanoi", agency=tree["hanoi"])
    inside = actor_for(PersonFactory(agency=tree["ba_dinh"]).user)
    outside = actor_for(PersonFactory(agency=tree["sa_pa"]).user)
    ok = client.get("/xapi/agents", {"agent": json.dumps(inside)}, **_auth(key="hanoi"))
    assert ok.status_code == 200
    assert ok.json() == {"objectType": "Person", "account": [inside["account"]]}
    denied = client.get("/xapi/agents", {"agent": json.dumps(outside)}, **_auth(key="hanoi"))
    assert denied.status_code == 403
