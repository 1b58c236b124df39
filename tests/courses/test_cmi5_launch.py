"""Launching cmi5 AUs: launch data, the launched statement, the launch URL, the one-time
token, the AU's statements through the LRS, and course completion by moveOn."""

import base64
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from django.urls import reverse

from courses.launch import (
    ABANDONED,
    CATEGORY,
    EXT_LAUNCH_MODE,
    EXT_LAUNCH_PARAMETERS,
    EXT_LAUNCH_URL,
    EXT_MASTERY_SCORE,
    EXT_MOVE_ON,
    EXT_SESSION,
    LAUNCHED,
    au_launch,
    token_fetch,
)
from courses.models import Cmi5Session
from courses.selectors import course_outline
from lms.records import vocab
from lms.records.builder import actor_for
from lms.records.credentials import authenticate, credential_cache_clear
from lms.records.documents import document_get
from lms.records.errors import NotAuthenticated
from lms.records.models import Document, Progress, Registration, Statement
from lms.records.selectors import requirement_met
from lms.records.services import statement_record

from .cmi5_helpers import au_id, au_statement, au_xml, bare_course, simple_package, unit_in

pytestmark = pytest.mark.django_db
SITE = "http://testserver"


@pytest.fixture(autouse=True)
def _fresh_credentials():
    credential_cache_clear()
    yield
    credential_cache_clear()


@pytest.fixture
def unit():
    return unit_in(bare_course(), simple_package(au_xml(
        au_id(1), "index.html?lang=vi", move_on="CompletedAndPassed", mastery="0.8",
        launch_parameters="level=2", entitlement_key="KEY-1")))


def _launch(client, unit, au_index: int = 0):
    au = unit.aus()[au_index]
    response = client.post(reverse("courses:cmi5_launch", args=[unit.pk, au.pk]))
    assert response.status_code == 302, response
    parts = urlsplit(response["Location"])
    return parts, {k: v[0] for k, v in parse_qs(parts.query).items()}


def _fetch(client, params) -> dict:
    path = urlsplit(params["fetch"]).path
    response = client.post(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_launch_sends_the_learner_to_the_au_with_the_cmi5_parameters(client, unit, learner):
    client.force_login(learner)
    parts, params = _launch(client, unit)
    au = unit.aus()[0]
    registration = Registration.objects.get(user=learner).registration  # enrolled on launch
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        f"{SITE}/cmi5/content/{au.package_id}/index.html")
    assert params["lang"] == "vi"  # the AU's own query string is kept
    assert params["endpoint"] == f"{SITE}/xapi/"
    assert params["fetch"].startswith(f"{SITE}/cmi5/fetch/")
    assert json.loads(params["actor"]) == actor_for(learner)
    assert "mbox" not in params["actor"]
    assert params["registration"] == str(registration)
    assert params["activityId"] == unit.au_activity_id(au) != au.publisher_id
    assert set(params) == {"lang", "endpoint", "fetch", "actor", "registration", "activityId"}


def test_launch_writes_the_launch_data_and_records_launched(client, unit, learner):
    client.force_login(learner)
    _parts, params = _launch(client, unit)
    au = unit.aus()[0]
    session = Cmi5Session.objects.get()
    document = document_get(kind=Document.STATE, activity_id=params["activityId"],
                            agent=actor_for(learner), registration=params["registration"],
                            doc_id="LMS.LaunchData")
    assert document.content_type == "application/json"
    assert orjson.loads(bytes(document.content)) == {
        "contextTemplate": {
            "contextActivities": {
                "grouping": [{"objectType": "Activity", "id": au.publisher_id}],
                "parent": [{"objectType": "Activity", "id": unit.get_parent().specific
                            .activity_id}],
            },
            "extensions": {EXT_SESSION: str(session.id)},
        },
        "launchMode": "Normal",
        "moveOn": "CompletedAndPassed",
        "masteryScore": 0.8,
        "launchParameters": "level=2",
        "returnURL": f"{SITE}{unit.url}",
        "entitlementKey": {"courseStructure": "KEY-1"},
    }
    launched = Statement.objects.get(verb_id=LAUNCHED)
    assert launched.user == learner
    payload = launched.payload
    assert payload["actor"] == actor_for(learner)
    assert payload["object"]["id"] == params["activityId"]
    assert payload["object"]["definition"]["name"] == {"vi": "Bài học ngoài",
                                                       "en-US": "External lesson"}
    context = payload["context"]
    assert context["registration"] == params["registration"]
    assert context["contextActivities"]["category"] == [
        {"objectType": "Activity", "id": CATEGORY}]
    assert context["contextActivities"]["grouping"] == [
        {"objectType": "Activity", "id": au.publisher_id}]
    assert context["extensions"] == {
        EXT_SESSION: str(session.id), EXT_LAUNCH_MODE: "Normal",
        EXT_LAUNCH_URL: f"{SITE}/cmi5/content/{au.package_id}/index.html?lang=vi",
        EXT_MOVE_ON: "CompletedAndPassed", EXT_MASTERY_SCORE: 0.8,
        EXT_LAUNCH_PARAMETERS: "level=2",
    }
    preferences = document_get(kind=Document.AGENT_PROFILE, doc_id="cmi5LearnerPreferences",
                               agent=actor_for(learner))
    assert orjson.loads(bytes(preferences.content)) == {"languagePreference": "vi,en",
                                                        "audioPreference": "on"}


def test_the_fetch_url_gives_the_token_once(client, unit, learner):
    client.force_login(learner)
    _parts, params = _launch(client, unit)
    client.logout()  # the AU has no session of ours
    path = urlsplit(params["fetch"]).path
    assert client.get(path).status_code == 405
    answer = _fetch(client, params)
    assert set(answer) == {"auth-token"}
    key, secret = base64.b64decode(answer["auth-token"]).decode().split(":", 1)
    credential = authenticate(f"Basic {answer['auth-token']}")
    assert credential.user_id == learner.pk
    assert credential.activity_id == params["activityId"]
    assert str(credential.registration) == params["registration"]
    assert _fetch(client, params) == {
        "error-code": "1", "error-text": "The authorization token has already been returned."}
    assert token_fetch(code="made-up")["error-code"] == "2"
    assert client.options(path)["Access-Control-Allow-Origin"] == "*"


def test_the_token_lets_the_au_talk_to_the_lrs_and_finish_the_course(client, unit, learner):
    client.force_login(learner)
    _parts, params = _launch(client, unit)
    client.logout()
    headers = {"HTTP_AUTHORIZATION": f"Basic {_fetch(client, params)['auth-token']}",
               "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}
    state = client.get("/xapi/activities/state", {
        "activityId": params["activityId"], "agent": params["actor"],
        "registration": params["registration"], "stateId": "LMS.LaunchData"}, **headers)
    assert state.status_code == 200
    session_id = state.json()["contextTemplate"]["extensions"][EXT_SESSION]
    registration = uuid.UUID(params["registration"])
    statements = [
        au_statement(learner, unit, "initialized", registration=registration,
                     session_id=session_id),
        au_statement(learner, unit, "completed", registration=registration,
                     session_id=session_id, result={"completion": True, "duration": "PT5M"}),
        au_statement(learner, unit, "passed", registration=registration,
                     session_id=session_id,
                     result={"success": True, "score": {"scaled": 0.9}, "duration": "PT5M"}),
        au_statement(learner, unit, "terminated", registration=registration,
                     session_id=session_id, result={"duration": "PT6M"}),
    ]
    course = unit.get_parent().specific
    response = client.post("/xapi/statements", json.dumps(statements[:3]),
                           content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert Progress.objects.get(user=learner, activity_id=course.activity_id).completed
    outline = course_outline(course=course, user=learner)
    assert outline.completed and outline.items[0].done
    # A token is one learner's: statements about someone else are refused.
    other = dict(statements[0], id=str(uuid.uuid4()),
                 actor={"objectType": "Agent", "account": {
                     "homePage": actor_for(learner)["account"]["homePage"],
                     "name": str(uuid.uuid4())}})
    assert client.post("/xapi/statements", json.dumps(other), content_type="application/json",
                       **headers).status_code == 403
    # Launched content may not void (cmi5); its session ends with "terminated".
    voiding = dict(statements[0], id=str(uuid.uuid4()),
                   verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                   object={"objectType": "StatementRef", "id": statements[1]["id"]})
    assert client.post("/xapi/statements", json.dumps(voiding),
                       content_type="application/json", **headers).status_code == 403
    assert client.post("/xapi/statements", json.dumps(statements[3]),
                       content_type="application/json", **headers).status_code == 200
    assert Statement.objects.filter(user=learner, activity_id=params["activityId"]).count() == 5
    after = client.post("/xapi/statements", json.dumps(dict(statements[0], id=str(uuid.uuid4()))),
                        content_type="application/json", **headers)
    assert after.status_code == 401  # the token died with the session


def test_a_new_launch_abandons_a_session_that_never_terminated(client, unit, learner):
    client.force_login(learner)
    _parts, first = _launch(client, unit)
    token = _fetch(client, first)["auth-token"]
    first_session = Cmi5Session.objects.get()
    registration = uuid.UUID(first["registration"])
    statement_record(statement=au_statement(learner, unit, "initialized",
                                            registration=registration,
                                            session_id=first_session.id), user=learner)
    _parts, second = _launch(client, unit)
    abandoned = Statement.objects.get(verb_id=ABANDONED)
    assert abandoned.payload["context"]["extensions"][EXT_SESSION] == str(first_session.id)
    assert abandoned.payload["result"]["duration"].startswith("PT")
    first_session.refresh_from_db()
    assert first_session.abandoned and first_session.ended_at is not None
    credential_cache_clear()
    with pytest.raises(NotAuthenticated):
        authenticate(f"Basic {token}")  # the abandoned session's token stopped working
    assert second["activityId"] == first["activityId"]  # same AU, same registration
    assert second["registration"] == first["registration"]
    assert _fetch(client, first)["error-code"] == "1"


def test_a_terminated_session_is_closed_without_abandoned(client, unit, learner):
    client.force_login(learner)
    _launch(client, unit)
    session = Cmi5Session.objects.get()
    for verb in ("initialized", "terminated"):
        statement_record(statement=au_statement(learner, unit, verb,
                                                registration=session.registration,
                                                session_id=session.id), user=learner)
    _launch(client, unit)
    assert not Statement.objects.filter(verb_id=ABANDONED).exists()
    session.refresh_from_db()
    assert session.ended_at is not None and not session.abandoned


def test_only_logged_in_learners_launch_and_only_by_post(client, unit, learner):
    au = unit.aus()[0]
    url = reverse("courses:cmi5_launch", args=[unit.pk, au.pk])
    response = client.post(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(learner)
    assert client.get(url).status_code == 405
    assert not Cmi5Session.objects.exists() and not Statement.objects.exists()


def test_the_unit_page_shows_each_au_with_its_status(client, unit, learner):
    page = client.get(unit.url)  # the course is not public: log in first
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    client.force_login(learner)
    page = client.get(unit.url)
    item = page.context["aus"][0]
    assert (item.status, item.satisfied, item.required) == ("not_started", False, True)
    assert reverse("courses:cmi5_launch", args=[unit.pk, item.au.pk]) in page.content.decode()
    _launch(client, unit)
    assert client.get(unit.url).context["aus"][0].status == "in_progress"
    session = Cmi5Session.objects.get()
    statement_record(statement=au_statement(learner, unit, "completed",
                                            registration=session.registration,
                                            session_id=session.id,
                                            result={"completion": True}), user=learner)
    item = client.get(unit.url).context["aus"][0]
    assert (item.status, item.satisfied) == ("completed", False)  # CompletedAndPassed
    statement_record(statement=au_statement(learner, unit, "passed",
                                            registration=session.registration,
                                            session_id=session.id,
                                            result={"success": True}), user=learner)
    page = client.get(unit.url)
    item = page.context["aus"][0]
    assert (item.status, item.satisfied, page.context["unit_done"]) == ("passed", True, True)


def test_package_files_are_served_in_a_sandbox(client, unit):
    au = unit.aus()[0]
    response = client.get(f"/cmi5/content/{au.package_id}/index.html")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"<!doctype html>")
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert "allow-same-origin" not in response["Content-Security-Policy"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/cmi5/content/{au.package_id}/missing.html").status_code == 404
    assert client.get(f"/cmi5/content/{au.package_id}/a/../../x").status_code == 404
    assert client.get(f"/cmi5/content/{uuid.uuid4()}/index.html").status_code == 404


# --- moveOn → course completion ----------------------------------------------------------

@pytest.mark.parametrize(("move_on", "verbs", "met"), [
    ("Passed", ["passed"], True),
    ("Passed", ["completed"], False),
    ("Passed", ["failed"], False),
    ("Completed", ["completed"], True),
    ("Completed", ["failed"], False),
    ("CompletedAndPassed", ["completed"], False),
    ("CompletedAndPassed", ["completed", "passed"], True),
    ("CompletedAndPassed", ["passed", "completed"], True),
    ("CompletedOrPassed", ["completed"], True),
    ("CompletedOrPassed", ["passed"], True),
    ("CompletedOrPassed", ["failed"], False),
])
def test_move_on_decides_when_the_au_completes_the_course(learner, move_on, verbs, met):
    course = bare_course()
    unit = unit_in(course, simple_package(
        au_xml(au_id(1), "index.html", move_on=move_on),
        au_xml(au_id(2), "index.html", move_on="NotApplicable")))  # never needed
    launch = au_launch(user=learner, unit=unit, au=unit.aus()[0], site_url=SITE)
    results = {"passed": {"success": True}, "failed": {"success": False},
               "completed": {"completion": True}}
    for verb in verbs:
        statement_record(statement=au_statement(
            learner, unit, verb, registration=launch.session.registration,
            session_id=launch.session.id, result={**results[verb], "duration": "PT1M"}),
            user=learner)
    done = Progress.objects.filter(user=learner, activity_id=course.activity_id,
                                   completed=True)
    assert done.exists() is met
    if met:
        derived = Statement.objects.get(user=learner, activity_id=course.activity_id,
                                        verb_id=vocab.COMPLETED)
        assert derived.payload["context"]["registration"] == str(launch.session.registration)


def test_passed_alone_does_not_meet_move_on_completed(learner):
    course = bare_course()
    unit = unit_in(course, simple_package(au_xml(au_id(1), "index.html", move_on="Completed")))
    launch = au_launch(user=learner, unit=unit, au=unit.aus()[0], site_url=SITE)
    statement_record(statement=au_statement(
        learner, unit, "passed", registration=launch.session.registration,
        session_id=launch.session.id, result={"success": True}), user=learner)
    assert not Progress.objects.filter(user=learner, activity_id=course.activity_id,
                                       completed=True).exists()


def test_a_course_mixing_lessons_and_aus_needs_both(course, lessons, quiz, learner):
    from assessments.services import attempt_start, attempt_submit
    from courses.services import lesson_complete
    from tests.factories import attempt_answers

    unit = unit_in(course, simple_package(au_xml(au_id(1), "index.html", move_on="Passed")))
    for lesson in lessons:
        lesson_complete(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, quiz=quiz)
    attempt_submit(user=learner, attempt_id=attempt.pk, responses=attempt_answers(attempt))
    assert not Progress.objects.filter(user=learner, activity_id=course.activity_id,
                                       completed=True).exists()
    outline = course_outline(course=course, user=learner)
    assert outline.next_item.page.pk == unit.pk
    launch = au_launch(user=learner, unit=unit, au=unit.aus()[0], site_url=SITE)
    statement_record(statement=au_statement(
        learner, unit, "passed", registration=launch.session.registration,
        session_id=launch.session.id, result={"success": True}), user=learner)
    assert Progress.objects.get(user=learner, activity_id=course.activity_id).completed
    assert course_outline(course=course, user=learner).percent == 100


def test_requirement_rules():
    def row(completed, success):
        return Progress(completed=completed, success=success)

    cases = {
        "completed": [False, True, True, False],
        "passed": [False, False, True, True],
        "completed_and_passed": [False, False, True, False],
        "completed_or_passed": [False, True, True, True],
    }
    rows = [row(False, None), row(True, None), row(True, True), row(False, True)]
    for rule, expected in cases.items():
        assert [requirement_met(r, rule) for r in rows] == expected, rule
        assert requirement_met(None, rule) is False
