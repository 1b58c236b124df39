import uuid

import pytest

from lms.records import services, vocab
from lms.records.models import Progress, Statement
from lms.records.services import InvalidStatement, StatementConflict
from lms.records.xapi.validation import validate_statement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _statement(user, **kwargs):
    defaults = {"verb_id": vocab.COMPLETED, "activity_id": vocab.activity_iri("lesson", "a"),
                "activity_type": vocab.LESSON, "activity_name": {"vi": "Bài một"},
                "result": {"completion": True}}
    defaults.update(kwargs)
    return services.statement_build(user=user, **defaults)


def test_built_statement_is_valid_xapi_and_names_no_email(settings):
    settings.XAPI_ACCOUNT_HOMEPAGE = "https://hocso.example.vn"
    settings.XAPI_ACTIVITY_BASE = "https://hocso.example.vn"
    user = UserFactory(email="tuyet@example.vn")
    registration = uuid.uuid4()
    statement = _statement(user, registration=registration,
                           parent_ids=[vocab.activity_iri("course", "KNS")])
    validate_statement(statement, version="1.0.3")  # raises if not valid xAPI 1.0.3
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "https://hocso.example.vn", "name": str(user.xapi_id)},
    }
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["object"]["id"] == "https://hocso.example.vn/xapi/activities/lesson/a"
    assert statement["context"]["registration"] == str(registration)
    assert statement["context"]["contextActivities"]["parent"] == [
        {"objectType": "Activity", "id": "https://hocso.example.vn/xapi/activities/course/KNS"}
    ]
    assert statement["version"] == "1.0.3"
    assert "tuyet@example.vn" not in repr(statement)
    assert "mbox" not in repr(statement)


def test_record_stores_once_and_projects_progress():
    user = UserFactory()
    statement = _statement(user)
    stored = services.statement_record(statement=statement, user=user)
    again = services.statement_record(statement=statement, user=user)
    assert again.pk == stored.pk
    assert Statement.objects.count() == 1
    assert stored.payload["authority"]["account"]["name"] == "hocso"
    row = Progress.objects.get(user=user, activity_id=statement["object"]["id"])
    assert row.completed is True
    assert row.completed_at is not None


def test_same_id_with_other_content_is_refused():
    user = UserFactory()
    statement = _statement(user)
    services.statement_record(statement=statement, user=user)
    changed = dict(statement, verb={"id": vocab.PASSED})
    with pytest.raises(StatementConflict, match="other content"):
        services.statement_record(statement=changed, user=user)


@pytest.mark.parametrize(("field", "value", "named"), [
    ("verb", {"id": "completed"}, "verb"),
    ("actor", {"mbox": "not-an-email"}, "actor"),
    ("result", {"score": {"scaled": 7}}, "result"),
])
def test_invalid_statement_names_the_field(field, value, named):
    user = UserFactory()
    statement = _statement(user)
    statement[field] = value
    with pytest.raises(InvalidStatement) as excinfo:
        services.statement_record(statement=statement, user=user)
    assert str(excinfo.value).startswith(named)
    assert Statement.objects.count() == 0


def test_statement_for_another_learner_is_refused():
    user, other = UserFactory(), UserFactory()
    with pytest.raises(InvalidStatement, match="actor"):
        services.statement_record(statement=_statement(other), user=user)


def test_failed_after_passed_keeps_the_pass_and_best_score():
    user = UserFactory()
    quiz = vocab.activity_iri("assessment", "q")
    services.statement_record(user=user, statement=_statement(
        user, verb_id=vocab.PASSED, activity_id=quiz,
        result={"success": True, "completion": True, "score": {"scaled": 0.9}}))
    services.statement_record(user=user, statement=_statement(
        user, verb_id=vocab.FAILED, activity_id=quiz,
        result={"success": False, "completion": True, "score": {"scaled": 0.2}}))
    row = Progress.objects.get(user=user, activity_id=quiz)
    assert (row.success, row.score_scaled, row.completed) == (True, 0.9, True)


def test_parent_completes_when_every_requirement_is_met_exactly_once():
    user = UserFactory()
    course = vocab.activity_iri("course", "C")
    lesson = vocab.activity_iri("lesson", "l1")
    quiz = vocab.activity_iri("assessment", "q1")
    services.requirements_set(parent_id=course,
                              requirements=[(lesson, "completed"), (quiz, "passed")])
    services.statement_record(user=user, statement=_statement(user, activity_id=lesson))
    assert not Progress.objects.filter(user=user, activity_id=course).exists()
    services.statement_record(user=user, statement=_statement(
        user, verb_id=vocab.FAILED, activity_id=quiz, result={"success": False}))
    assert not Progress.objects.filter(user=user, activity_id=course).exists()
    services.statement_record(user=user, statement=_statement(
        user, verb_id=vocab.PASSED, activity_id=quiz, result={"success": True}))
    services.statement_record(user=user, statement=_statement(
        user, verb_id=vocab.PASSED, activity_id=quiz, result={"success": True}))
    assert Progress.objects.get(user=user, activity_id=course).completed is True
    completions = Statement.objects.filter(user=user, activity_id=course,
                                           verb_id=vocab.COMPLETED)
    assert completions.count() == 1
    validate_statement(completions.get().payload, version="1.0.3")
    assert completions.get().payload["authority"]["account"]["name"] == "hocso"


def test_registration_is_created_once_with_one_registered_statement():
    user = UserFactory()
    course = vocab.activity_iri("course", "C")
    first, created = services.registration_ensure(user=user, activity_id=course)
    second, created_again = services.registration_ensure(user=user, activity_id=course)
    assert (created, created_again) == (True, False)
    assert first.registration == second.registration
    registered = Statement.objects.get(verb_id=vocab.REGISTERED)
    assert registered.registration == first.registration
