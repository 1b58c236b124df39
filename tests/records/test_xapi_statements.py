"""The statement resource over HTTP: writes, reads, paging, voiding, scopes, errors."""

from __future__ import annotations

import base64
import json
import uuid
from urllib.parse import urlencode

import pytest

from lms.records.credentials import secret_hash
from lms.records.models import Client, Progress, Statement
from lms.records.services import actor_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

URL = "/xapi/statements"


def _client_row(key: str = "lms", *, agency=None, read=True, write=True) -> Client:
    return Client.objects.create(name=key, key=key, secret_hash=secret_hash("s3cret"),
                                 can_read=read, can_write=write, agency=agency)


def _auth(key: str = "lms", version: str = "1.0.3") -> dict[str, str]:
    token = base64.b64encode(f"{key}:s3cret".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}", "HTTP_X_EXPERIENCE_API_VERSION": version}


def _statement(**extra) -> dict:
    statement = {
        "actor": {"objectType": "Agent", "mbox": "mailto:hoc.vien@example.vn"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced",
                 "display": {"en-US": "experienced"}},
        "object": {"id": "http://example.vn/activities/a1",
                   "definition": {"name": {"vi": "Bài một", "en-US": "Lesson one"}}},
    }
    statement.update(extra)
    return statement


@pytest.fixture
def api(client):
    _client_row()
    return client


def _post(client, body, **headers):
    return client.post(URL, data=body, content_type="application/json",
                       **(headers or _auth()))


def test_post_single_and_batch_then_get_by_id(api):
    response = _post(api, _statement())
    assert response.status_code == 200
    [first] = response.json()
    batch = [_statement(id=str(uuid.uuid4())) for _ in range(3)]
    response = _post(api, batch)
    assert response.json() == [s["id"] for s in batch]
    assert response["X-Experience-API-Version"] == "1.0.3"
    got = api.get(URL, {"statementId": first}, **_auth())
    assert got.status_code == 200
    body = got.json()
    assert body["id"] == first
    assert body["authority"]["account"]["name"] == "client:lms"
    assert body["version"] == "1.0.0"
    assert "stored" in body and "timestamp" in body
    assert got["X-Experience-API-Consistent-Through"]
    assert got["Last-Modified"]


def test_put_requires_matching_id_and_is_idempotent(api):
    statement_id = str(uuid.uuid4())
    url = f"{URL}?statementId={statement_id}"
    put = api.put(url, data=_statement(), content_type="application/json", **_auth())
    assert put.status_code == 204
    again = api.put(url, data=_statement(), content_type="application/json", **_auth())
    assert again.status_code == 204
    assert Statement.objects.filter(pk=statement_id).count() == 1
    changed = _statement(verb={"id": "http://adlnet.gov/expapi/verbs/attempted"})
    conflict = api.put(url, data=changed, content_type="application/json", **_auth())
    assert conflict.status_code == 409
    assert statement_id in conflict.json()["error"]["message"]
    other = api.put(url, data=_statement(id=str(uuid.uuid4())),
                    content_type="application/json", **_auth())
    assert other.status_code == 400
    missing = api.put(URL, data=_statement(), content_type="application/json", **_auth())
    assert missing.status_code == 400
    assert "statementId" in missing.json()["error"]["message"]


def test_batch_with_a_repeated_id_is_refused_whole(api):
    statement_id = str(uuid.uuid4())
    response = _post(api, [_statement(id=statement_id), _statement(id=statement_id)])
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_errors_are_json_with_the_right_status(api, client):
    assert client.get(URL).status_code == 401
    no_version = client.get(URL, HTTP_AUTHORIZATION=_auth()["HTTP_AUTHORIZATION"])
    assert no_version.status_code == 400
    assert "X-Experience-API-Version" in no_version.json()["error"]["message"]
    assert client.get(URL, **_auth(version="0.95")).status_code == 400
    wrong = client.get(URL, HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"lms:no").decode(),
                       HTTP_X_EXPERIENCE_API_VERSION="1.0.3")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Basic")
    assert api.get(URL, {"agent": "not json"}, **_auth()).status_code == 400
    assert api.get(URL, {"limit": "-1"}, **_auth()).status_code == 400
    assert api.get(URL, {"unknown": "1"}, **_auth()).status_code == 400
    assert api.get(URL, {"statementId": "nope"}, **_auth()).status_code == 400
    both = api.get(URL, {"statementId": str(uuid.uuid4()), "verb": "http://x.vn/v"}, **_auth())
    assert both.status_code == 400
    assert api.get(URL, {"statementId": str(uuid.uuid4())}, **_auth()).status_code == 404
    bad_json = api.post(URL, data="{", content_type="application/json", **_auth())
    assert bad_json.status_code == 400
    assert api.delete(URL, **_auth()).status_code == 405


def test_filters_paging_and_formats(api):
    other_actor = {"objectType": "Agent", "account": {"homePage": "http://x.vn", "name": "b"}}
    stored_ids = []
    for index in range(5):
        statement = _statement(id=str(uuid.uuid4()))
        if index % 2:
            statement["actor"] = other_actor
        _post(api, statement)
        stored_ids.append(statement["id"])
    page = api.get(URL, {"limit": 2}, **_auth()).json()
    assert [s["id"] for s in page["statements"]] == stored_ids[::-1][:2]
    seen = [s["id"] for s in page["statements"]]
    while page["more"]:
        page = api.get(page["more"], **_auth()).json()
        seen += [s["id"] for s in page["statements"]]
    assert seen == stored_ids[::-1]
    ascending = api.get(URL, {"ascending": "true"}, **_auth()).json()
    assert [s["id"] for s in ascending["statements"]] == stored_ids
    by_agent = api.get(URL, {"agent": json.dumps(other_actor)}, **_auth()).json()
    assert {s["id"] for s in by_agent["statements"]} == {stored_ids[1], stored_ids[3]}
    ids = api.get(URL, {"format": "ids", "limit": 1}, **_auth()).json()["statements"][0]
    assert ids["object"] == {"id": "http://example.vn/activities/a1"}
    assert ids["verb"] == {"id": "http://adlnet.gov/expapi/verbs/experienced"}
    canonical = api.get(URL, {"format": "canonical", "limit": 1}, HTTP_ACCEPT_LANGUAGE="vi",
                        **_auth()).json()["statements"][0]
    assert canonical["object"]["definition"]["name"] == {"vi": "Bài một"}
    by_activity = api.get(URL, {"activity": "http://example.vn/activities/a1",
                                "verb": "http://adlnet.gov/expapi/verbs/experienced"},
                          **_auth()).json()
    assert len(by_activity["statements"]) == 5
    assert api.get(URL, {"activity": "http://example.vn/other"}, **_auth()).json() == {
        "statements": [], "more": ""}


def test_related_activities_and_agents(api):
    statement = _statement(context={
        "contextActivities": {"parent": [{"id": "http://example.vn/course/c1"}]},
        "instructor": {"mbox": "mailto:giang.vien@example.vn"},
    })
    [statement_id] = _post(api, statement).json()
    plain = api.get(URL, {"activity": "http://example.vn/course/c1"}, **_auth()).json()
    assert plain["statements"] == []
    related = api.get(URL, {"activity": "http://example.vn/course/c1",
                            "related_activities": "true"}, **_auth()).json()
    assert [s["id"] for s in related["statements"]] == [statement_id]
    instructor = '{"mbox": "mailto:giang.vien@example.vn"}'
    assert api.get(URL, {"agent": instructor}, **_auth()).json()["statements"] == []
    related = api.get(URL, {"agent": instructor, "related_agents": "true"}, **_auth()).json()
    assert [s["id"] for s in related["statements"]] == [statement_id]


def test_voiding_hides_the_statement_and_keeps_it_by_voided_id(api):
    [target] = _post(api, _statement()).json()
    voiding = {
        "actor": {"mbox": "mailto:admin@example.vn"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
        "object": {"objectType": "StatementRef", "id": target},
    }
    [voiding_id] = _post(api, voiding).json()
    assert api.get(URL, {"statementId": target}, **_auth()).status_code == 404
    assert api.get(URL, {"voidedStatementId": target}, **_auth()).json()["id"] == target
    listed = api.get(URL, {"verb": "http://adlnet.gov/expapi/verbs/experienced"},
                     **_auth()).json()
    # The voided statement is gone, the voiding one refers to it and so is listed.
    assert [s["id"] for s in listed["statements"]] == [voiding_id]
    void_the_voiding = dict(voiding, object={"objectType": "StatementRef", "id": voiding_id})
    assert _post(api, void_the_voiding).status_code == 400


def test_outside_statement_about_our_learner_moves_their_progress(api, tree):
    person = PersonFactory(agency=tree["ba_dinh"])
    statement = _statement(actor=actor_for(person.user),
                           verb={"id": "http://adlnet.gov/expapi/verbs/completed"},
                           result={"completion": True})
    assert _post(api, statement).status_code == 200
    assert _post(api, statement | {"id": Statement.objects.get().payload["id"]}).status_code \
        == 200
    row = Progress.objects.get(user=person.user, activity_id="http://example.vn/activities/a1")
    assert row.completed
    assert Statement.objects.get().user_id == person.user_id


def test_client_scopes_and_agency_subtree(client, tree):
    _client_row("reader", read=True, write=False)
    _client_row("commune", agency=tree["hong_ha"])
    assert _post(client, _statement(), **_auth("reader")).status_code == 403
    inside = PersonFactory(agency=tree["hong_ha"])
    outside = PersonFactory(agency=tree["sa_pa"])
    denied = _post(client, _statement(actor=actor_for(outside.user)), **_auth("commune"))
    assert denied.status_code == 403
    assert _post(client, _statement(), **_auth("commune")).status_code == 403
    assert _post(client, _statement(actor=actor_for(inside.user)),
                 **_auth("commune")).status_code == 200
    _client_row("writer")
    _post(client, _statement(actor=actor_for(outside.user)), **_auth("writer"))
    seen = client.get(URL, **_auth("commune")).json()["statements"]
    assert [s["actor"] for s in seen] == [actor_for(inside.user)]
    assert len(client.get(URL, **_auth("writer")).json()["statements"]) == 2


def test_alternate_request_syntax_and_head(api):
    statement_id = str(uuid.uuid4())
    auth = _auth()
    form = urlencode({"statementId": statement_id, "content": json.dumps(_statement()),
                      "Authorization": auth["HTTP_AUTHORIZATION"],
                      "X-Experience-API-Version": "1.0.3",
                      "Content-Type": "application/json"})
    response = api.post(f"{URL}?method=PUT", data=form,
                        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 204
    assert Statement.objects.filter(pk=statement_id).exists()
    head = api.head(URL, {"statementId": statement_id}, **_auth())
    assert head.status_code == 200
    assert head.content == b""
    # Headers sent as real headers, no Content-Type field: the content is JSON.
    plain = urlencode({"statementId": str(uuid.uuid4()), "content": json.dumps(_statement())})
    response = api.post(f"{URL}?method=PUT", data=plain,
                        content_type="application/x-www-form-urlencoded", **_auth())
    assert response.status_code == 204
    not_a_form = api.post(f"{URL}?method=PUT", data="{}", content_type="application/json",
                          **_auth())
    assert not_a_form.status_code == 400
    v2 = api.post(f"{URL}?method=GET", data=form.replace("1.0.3", "2.0.0"),
                  content_type="application/x-www-form-urlencoded")
    assert v2.status_code == 400


def test_version_two_requests(api):
    [statement_id] = _post(api, _statement(), **_auth(version="2.0.0")).json()
    got = api.get(URL, {"statementId": statement_id}, **_auth(version="2.0.0"))
    assert got["X-Experience-API-Version"] == "2.0.0"
    assert got.json()["version"] == "2.0.0"


def test_a_batch_moves_many_learners_progress_in_a_few_queries(
        api, tree, django_assert_max_num_queries):
    from lms.records.services import requirements_set

    course, lessons = "http://example.vn/course/c9", [f"http://example.vn/l/{i}" for i in (1, 2)]
    requirements_set(parent_id=course, requirements=[(lesson, "completed") for lesson in lessons])
    people = [PersonFactory(agency=tree["ba_dinh"]) for _ in range(25)]
    batch = [_statement(id=str(uuid.uuid4()), actor=actor_for(person.user),
                        verb={"id": "http://adlnet.gov/expapi/verbs/completed"},
                        object={"id": lesson}, result={"score": {"scaled": 0.5}})
             for person in people for lesson in lessons]
    with django_assert_max_num_queries(25):  # 50 statements + 25 course completions
        assert _post(api, batch).status_code == 200
    for person in people:
        row = Progress.objects.get(user=person.user, activity_id=course)
        assert row.completed
        assert Statement.objects.filter(user=person.user, activity_id=course).count() == 1
    assert Progress.objects.filter(activity_id__in=lessons, completed=True,
                                   score_scaled=0.5).count() == 50
