"""The document resources over HTTP (state, activity profile, agent profile), in xAPI
1.0.3 and 2.0: storage, merge, id lists, concurrency, parameters, scopes."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import uuid
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from lms.records import documents as store
from lms.records.credentials import secret_hash
from lms.records.models import Client, Document
from lms.records.services import actor_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

STATE = "/xapi/activities/state"
ACTIVITY_PROFILE = "/xapi/activities/profile"
AGENT_PROFILE = "/xapi/agents/profile"
ACTIVITY = "http://example.vn/activities/bai-1"
AGENT = {"objectType": "Agent", "mbox": "mailto:hoc.vien@example.vn"}
VERSIONS = ["1.0.3", "2.0.0"]


def _client_row(key: str = "lms", *, agency=None, read=True, write=True) -> Client:
    return Client.objects.create(name=key, key=key, secret_hash=secret_hash("s3cret"),
                                 can_read=read, can_write=write, agency=agency)


def _auth(version: str = "1.0.3", key: str = "lms", **headers: str) -> dict[str, str]:
    token = base64.b64encode(f"{key}:s3cret".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}",
            "HTTP_X_EXPERIENCE_API_VERSION": version, **headers}


@pytest.fixture
def api(client):
    _client_row()
    return client


class Docs:
    """Requests to one document resource with fixed parameters."""

    def __init__(self, http, url: str, params: dict, version: str = "1.0.3") -> None:
        self.http, self.url, self.params, self.version = http, url, dict(params), version

    def _url(self, **overrides) -> str:
        params = {k: v for k, v in {**self.params, **overrides}.items() if v is not None}
        params = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
        return f"{self.url}?{urlencode(params)}"

    def get(self, headers=None, **params):
        return self.http.get(self._url(**params), **_auth(self.version, **(headers or {})))

    def head(self, **params):
        return self.http.head(self._url(**params), **_auth(self.version))

    def delete(self, headers=None, **params):
        return self.http.delete(self._url(**params), **_auth(self.version, **(headers or {})))

    def put(self, body, content_type="application/json", headers=None, **params):
        data = json.dumps(body) if isinstance(body, dict | list) else body
        return self.http.put(self._url(**params), data=data, content_type=content_type,
                             **_auth(self.version, **(headers or {})))

    def post(self, body, content_type="application/json", headers=None, **params):
        data = json.dumps(body) if isinstance(body, dict | list) else body
        return self.http.post(self._url(**params), data=data, content_type=content_type,
                              **_auth(self.version, **(headers or {})))


def _state(api, version="1.0.3", **params) -> Docs:
    base = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
    return Docs(api, STATE, {**base, **params}, version)


def _activity_profile(api, version="1.0.3") -> Docs:
    return Docs(api, ACTIVITY_PROFILE, {"activityId": ACTIVITY, "profileId": "p1"}, version)


def _agent_profile(api, version="1.0.3") -> Docs:
    return Docs(api, AGENT_PROFILE, {"agent": AGENT, "profileId": "p1"}, version)


def _message(response) -> str:
    return response.json()["error"]["message"]


def _etag(content: bytes) -> str:
    return f'"{hashlib.sha1(content).hexdigest()}"'


# --- storing and reading --------------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
def test_state_put_get_head_keep_content_and_type(api, version):
    docs = _state(api, version)
    body = b"\x00\x01 progress 42"
    put = docs.put(body, content_type="application/octet-stream")
    assert put.status_code == 204
    assert put["ETag"] == _etag(body)
    assert put.content == b""

    got = docs.get()
    assert got.status_code == 200
    assert got.content == body
    assert got["Content-Type"] == "application/octet-stream"
    assert got["ETag"] == _etag(body)
    assert got["X-Experience-API-Version"] == version
    modified = datetime.datetime.strptime(got["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert abs(modified.replace(tzinfo=datetime.UTC) - timezone.now()).total_seconds() < 5

    head = docs.head()
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(body))
    assert head["ETag"] == got["ETag"]
    assert head["Last-Modified"] == got["Last-Modified"]


@pytest.mark.parametrize("version", VERSIONS)
def test_post_merges_top_level_properties(api, version):
    docs = _state(api, version)
    assert docs.post({"x": "foo", "y": "bar", "deep": {"a": 1, "b": 2}}).status_code == 204
    merged = docs.post({"x": "bash", "z": "faz", "deep": {"c": 3}})
    assert merged.status_code == 204
    got = docs.get()
    assert got.json() == {"x": "bash", "y": "bar", "z": "faz", "deep": {"c": 3}}
    assert got["ETag"] == merged["ETag"] == _etag(got.content)
    assert got["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", [STATE, ACTIVITY_PROFILE, AGENT_PROFILE])
def test_post_creates_a_missing_document_on_every_resource(api, url):
    params = {STATE: {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"},
              ACTIVITY_PROFILE: {"activityId": ACTIVITY, "profileId": "p"},
              AGENT_PROFILE: {"agent": AGENT, "profileId": "p"}}[url]
    docs = Docs(api, url, params, "2.0.0")
    assert docs.post("plain words", content_type="text/plain").status_code == 204
    got = docs.get()
    assert (got.status_code, got.content) == (200, b"plain words")
    assert got["Content-Type"].startswith("text/plain")
    assert docs.delete(headers={"HTTP_IF_MATCH": got["ETag"]}).status_code == 204
    assert docs.get().status_code == 404


@pytest.mark.parametrize(("stored", "posted", "posted_type"), [
    ("not json", {"a": 1}, "application/json"),           # stored is not JSON
    ({"a": 1}, "abc", "application/octet-stream"),         # posted is not JSON
    ({"a": 1}, '{"a": 2', "application/json"),             # posted JSON is broken
    ({"a": 1}, [1, 2], "application/json"),                # posted is not an object
    ([1, 2], {"a": 2}, "application/json"),                # stored is not an object
])
def test_post_that_cannot_merge_is_refused_and_changes_nothing(api, stored, posted,
                                                                posted_type):
    docs = _state(api)
    stored_type = "text/plain" if stored == "not json" else "application/json"
    assert docs.put(stored, content_type=stored_type).status_code == 204
    before = docs.get()
    response = docs.post(posted, content_type=posted_type)
    assert response.status_code == 400
    after = docs.get()
    assert (after.content, after["ETag"]) == (before.content, before["ETag"])


def test_put_with_json_type_but_broken_json_is_refused(api):
    response = _state(api).put('{"a": ', content_type="application/json")
    assert response.status_code == 400
    assert "not valid JSON" in _message(response)
    assert not Document.objects.exists()


@pytest.mark.parametrize("version", VERSIONS)
def test_get_missing_document_is_404(api, version):
    response = _state(api, version, stateId="nothing-here").get()
    assert response.status_code == 404
    assert response["X-Experience-API-Version"] == version


def test_registration_separates_state_documents(api):
    registration = str(uuid.uuid4())
    _state(api).put({"where": "no registration"})
    _state(api, registration=registration.upper()).put({"where": "registered"})
    assert _state(api).get().json() == {"where": "no registration"}
    assert _state(api, registration=registration).get().json() == {"where": "registered"}
    assert Document.objects.get(registration=registration).doc_id == "bookmark"


# --- id lists and deleting many ---------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
def test_state_ids_filtered_by_since_and_registration(api, version):
    registration = str(uuid.uuid4())
    for state_id in ("old", "new"):
        _state(api, version, stateId=state_id).put({"id": state_id})
    _state(api, version, stateId="other-reg", registration=registration).put({})
    _state(api, version, stateId="other-agent",
           agent={"mbox": "mailto:khac@example.vn"}).put({})
    long_ago = timezone.now() - datetime.timedelta(days=3)
    Document.objects.filter(doc_id="old").update(updated=long_ago)

    listing = _state(api, version, stateId=None)
    everything = listing.get()
    assert everything.status_code == 200
    assert everything.json() == ["new", "old", "other-reg"]
    assert everything["Content-Type"] == "application/json"
    assert everything["ETag"] == _etag(everything.content)

    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert listing.get(since=since).json() == ["new", "other-reg"]
    assert listing.get(registration=registration).json() == ["other-reg"]
    # "since" is exclusive
    exact = long_ago.isoformat()
    assert "old" not in listing.get(since=exact).json()
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    empty = listing.get(since=future)
    assert empty.json() == []
    assert "Last-Modified" not in empty


def test_id_list_last_modified_is_the_newest_document(api):
    _state(api, stateId="a").put({})
    _state(api, stateId="b").put({})
    newest = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    Document.objects.filter(doc_id="a").update(updated=newest)
    assert _state(api, stateId=None).get()["Last-Modified"] == "Wed, 02 Jan 2030 03:04:05 GMT"


def test_profile_id_lists(api):
    for profile_id in ("p1", "p2"):
        Docs(api, ACTIVITY_PROFILE, {"activityId": ACTIVITY, "profileId": profile_id}
             ).post({"v": 1})
        Docs(api, AGENT_PROFILE, {"agent": AGENT, "profileId": profile_id}).post({"v": 1})
    Docs(api, AGENT_PROFILE, {"agent": {"mbox": "mailto:khac@example.vn"},
                              "profileId": "p3"}).post({})
    assert Docs(api, ACTIVITY_PROFILE, {"activityId": ACTIVITY}).get().json() == ["p1", "p2"]
    assert Docs(api, AGENT_PROFILE, {"agent": AGENT}).get().json() == ["p1", "p2"]
    head = Docs(api, AGENT_PROFILE, {"agent": AGENT}).head()
    assert (head.status_code, head.content) == (200, b"")
    assert head["Content-Length"] == str(len(b'["p1","p2"]'))


@pytest.mark.parametrize("version", VERSIONS)
def test_state_delete_without_id_deletes_the_context_only(api, version):
    registration = str(uuid.uuid4())
    _state(api, version, stateId="a").put({})
    _state(api, version, stateId="b", registration=registration).put({})
    _state(api, version, stateId="c", agent={"mbox": "mailto:khac@example.vn"}).put({})
    _state(api, version, stateId="d", activityId="http://example.vn/other").put({})

    narrowed = _state(api, version, stateId=None, registration=registration).delete()
    assert narrowed.status_code == 204
    assert sorted(Document.objects.values_list("doc_id", flat=True)) == ["a", "c", "d"]
    assert _state(api, version, stateId=None).delete().status_code == 204
    assert sorted(Document.objects.values_list("doc_id", flat=True)) == ["c", "d"]


def test_delete_of_missing_document_is_204(api):
    assert _state(api, stateId="never").delete().status_code == 204


# --- concurrency ---------------------------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("make", [_state, _activity_profile, _agent_profile])
def test_if_match_and_if_none_match(api, version, make):
    docs = make(api, version)
    created = docs.put({"v": 1}, headers={"HTTP_IF_NONE_MATCH": "*"})
    assert created.status_code == 204
    tag = created["ETag"]

    for method in (docs.put, docs.post):
        stale = method({"v": 2}, headers={"HTTP_IF_MATCH": '"1234"'})
        assert stale.status_code == 412
    assert docs.put({"v": 2}, headers={"HTTP_IF_NONE_MATCH": "*"}).status_code == 412
    assert docs.put({"v": 2}, headers={"HTTP_IF_NONE_MATCH": tag}).status_code == 412
    assert docs.delete(headers={"HTTP_IF_MATCH": '"1234"'}).status_code == 412
    assert docs.get().json() == {"v": 1}

    replaced = docs.put({"v": 2}, headers={"HTTP_IF_MATCH": tag})
    assert replaced.status_code == 204
    merged = docs.post({"w": 3}, headers={"HTTP_IF_MATCH": f'"x", {replaced["ETag"]}'})
    assert merged.status_code == 204
    assert docs.get().json() == {"v": 2, "w": 3}
    assert docs.put({"v": 4}, headers={"HTTP_IF_MATCH": "*"}).status_code == 204
    # a weak tag never matches If-Match (strong comparison)
    weak = "W/" + docs.get()["ETag"]
    assert docs.delete(headers={"HTTP_IF_MATCH": weak}).status_code == 412
    assert docs.delete(headers={"HTTP_IF_MATCH": docs.get()["ETag"]}).status_code == 204
    # If-Match on a missing document fails; If-None-Match: * succeeds
    assert docs.put({"v": 5}, headers={"HTTP_IF_MATCH": "*"}).status_code == 412
    assert docs.post({"v": 5}, headers={"HTTP_IF_MATCH": tag}).status_code == 412
    assert docs.get().status_code == 404


@pytest.mark.parametrize(("make", "version", "status"), [
    (_state, "1.0.3", 204),            # 1.0.3: the state resource permits it
    (_state, "2.0.0", 409),            # 2.0 conformance suite: 409 on every resource
    (_activity_profile, "1.0.3", 409),
    (_activity_profile, "2.0.0", 409),
    (_agent_profile, "1.0.3", 409),
    (_agent_profile, "2.0.0", 409),
])
def test_put_without_precondition_over_existing_document(api, make, version, status):
    docs = make(api, version)
    assert docs.post({"v": 1}).status_code == 204
    tag = docs.get()["ETag"]
    response = docs.put({"v": 2})
    assert response.status_code == status
    if status == 409:
        assert "If-Match" in _message(response) and tag in _message(response)
        assert docs.get().json() == {"v": 1}
    else:
        assert docs.get().json() == {"v": 2}


@pytest.mark.parametrize(("make", "version", "status"), [
    (_state, "1.0.3", 204),
    (_state, "2.0.0", 204),
    (_activity_profile, "1.0.3", 400),  # 1.0.3: the client MUST send a header
    (_activity_profile, "2.0.0", 204),
    (_agent_profile, "1.0.3", 400),
    (_agent_profile, "2.0.0", 204),
])
def test_put_without_precondition_creating_a_document(api, make, version, status):
    response = make(api, version).put({"v": 1})
    assert response.status_code == status
    assert Document.objects.exists() == (status == 204)


def test_two_first_posts_at_once_both_land(api, monkeypatch):
    """The race of two first writes: this request found no document, but another one
    inserted it before this one's INSERT. The unique constraint refuses the second
    insert; the retry merges into the winner's row instead of losing either."""
    key = store.DocumentKey.of(kind=Document.STATE, doc_id="bookmark", activity_id=ACTIVITY,
                               agent=AGENT)
    real_locked = store._locked
    calls = []

    def racing(key_):
        calls.append(key_)
        if len(calls) == 1:
            store.document_replace(key=key_, content=b'{"other": 1}',
                                   content_type="application/json")
            return None  # what this request saw before the other one committed
        return real_locked(key_)

    monkeypatch.setattr(store, "_locked", racing)
    assert _state(api).post({"mine": 2}).status_code == 204
    assert len(calls) == 3  # the racer's own write, the failed insert, the retry
    document = Document.objects.get(**key.lookup())
    assert json.loads(bytes(document.content)) == {"other": 1, "mine": 2}


def test_document_put_for_the_platform_needs_no_precondition(api):
    registration = str(uuid.uuid4())
    for content in (b'{"launchMode": "Normal"}', b'{"launchMode": "Review"}'):
        store.document_put(kind=Document.STATE, doc_id="LMS.LaunchData", content=content,
                           content_type="application/json", activity_id=ACTIVITY,
                           agent=AGENT, registration=registration)
    got = _state(api, "2.0.0", stateId="LMS.LaunchData", registration=registration).get()
    assert got.json() == {"launchMode": "Review"}
    assert store.document_get(kind=Document.STATE, doc_id="LMS.LaunchData",
                              activity_id=ACTIVITY, agent=AGENT,
                              registration=registration).etag == got["ETag"].strip('"')


# --- parameters -------------------------------------------------------------------------

@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("method", "params", "named"), [
    ("put", {"activityId": None}, "activityId"),
    ("post", {"agent": None}, "agent"),
    ("get", {"activityId": None}, "activityId"),
    ("delete", {"agent": None}, "agent"),
    ("put", {"stateId": None}, "stateId"),
    ("post", {"stateId": None}, "stateId"),
    ("put", {"agent": "not JSON"}, "agent"),
    ("get", {"agent": "true"}, "agent"),
    ("get", {"agent": '["mailto:a@b.vn"]'}, "agent"),
    ("post", {"agent": '{"name": "no identifier"}'}, "agent"),
    ("put", {"registration": "true"}, "registration"),
    ("get", {"registration": "1234"}, "registration"),
    ("delete", {"registration": "not-a-uuid"}, "registration"),
    ("put", {"activityId": "not an iri"}, "activityId"),
    ("get", {"activityId": "no-scheme"}, "activityId"),
    ("get", {"stateId": None, "since": "not a timestamp"}, "since"),
    ("put", {"since": "2024-01-01T00:00:00Z"}, "since"),
    ("delete", {"stateId": None, "since": "2024-01-01T00:00:00Z"}, "since"),
    ("get", {"foo": "bar"}, "foo"),
    ("get", {"StateId": "bookmark"}, "StateId"),
    ("put", {"stateId": "x" * 513}, "stateId"),
])
def test_state_parameter_errors_name_the_parameter(api, version, method, params, named):
    docs = _state(api, version)
    call = getattr(docs, method)
    response = call({"v": 1}, **params) if method in ("put", "post") else call(**params)
    assert response.status_code == 400, response.content
    assert _message(response).startswith(f"{named}:")
    assert not Document.objects.exists()


def test_repeated_parameter_is_refused(api):
    url = f"{STATE}?{urlencode({'activityId': ACTIVITY, 'agent': json.dumps(AGENT)})}"
    response = api.get(f"{url}&stateId=a&stateId=b", **_auth())
    assert response.status_code == 400
    assert _message(response) == "stateId: given more than once"


@pytest.mark.parametrize(("url", "params", "named"), [
    (ACTIVITY_PROFILE, {"profileId": "p"}, "activityId"),
    (ACTIVITY_PROFILE, {"activityId": ACTIVITY}, "profileId"),
    (ACTIVITY_PROFILE, {"activityId": ACTIVITY, "profileId": "p", "agent": AGENT}, "agent"),
    (AGENT_PROFILE, {"profileId": "p"}, "agent"),
    (AGENT_PROFILE, {"agent": AGENT}, "profileId"),
    (AGENT_PROFILE, {"agent": AGENT, "profileId": "p", "registration": str(uuid.uuid4())},
     "registration"),
])
def test_profile_parameter_errors(api, url, params, named):
    docs = Docs(api, url, params, "2.0.0")
    for response in (docs.put({"v": 1}, headers={"HTTP_IF_NONE_MATCH": "*"}),
                     docs.post({"v": 1}), docs.delete()):
        assert response.status_code == 400
        assert _message(response).startswith(f"{named}:")


def test_alternate_request_syntax_stores_a_document(api):
    query = urlencode({"activityId": ACTIVITY, "agent": json.dumps(AGENT),
                       "stateId": "alt"})
    form = urlencode({"content": '{"from": "form"}', "Content-Type": "application/json",
                      "X-Experience-API-Version": "1.0.3",
                      "Authorization": _auth()["HTTP_AUTHORIZATION"]})
    full = f"{query}&{form}"
    response = api.post(f"{STATE}?method=PUT", data=full,
                        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 204, response.content
    assert _state(api, stateId="alt").get().json() == {"from": "form"}


# --- scopes -------------------------------------------------------------------------------

def test_restricted_client_only_touches_its_agency_learners(client, tree):
    _client_row("hanoi", agency=tree["hanoi"])
    inside = PersonFactory(agency=tree["hong_ha"]).user
    outside = PersonFactory(agency=tree["sa_pa"]).user

    for agent, status in ((actor_for(inside), 204), (actor_for(outside), 403),
                          (AGENT, 403)):
        docs = Docs(client, STATE, {"activityId": ACTIVITY, "agent": agent, "stateId": "s"})
        response = client.put(docs._url(), data="{}", content_type="application/json",
                              **_auth(key="hanoi"))
        assert response.status_code == status
        profile = Docs(client, AGENT_PROFILE, {"agent": agent, "profileId": "p"})
        read = client.get(profile._url(), **_auth(key="hanoi"))
        assert read.status_code == (404 if status == 204 else 403)
    assert Document.objects.count() == 1


def test_read_only_client_cannot_write(client):
    _client_row("reader", write=False)
    docs = Docs(client, STATE, {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"})
    response = client.put(docs._url(), data="{}", content_type="application/json",
                          **_auth(key="reader"))
    assert response.status_code == 403
    assert client.get(docs._url(), **_auth(key="reader")).status_code == 404
