"""The same statement sent by several clients at the same moment is stored and projected
once (PostgreSQL: SQLite serialises writers, so there is no race to test)."""

import os

import pytest

from lms.records import vocab
from lms.records.models import ActivityRequirement, Progress, Statement
from lms.records.services import actor_for, requirements_set
from lms.records.storage import Writer, statements_store
from tests.factories import PersonFactory
from tests.racing import run_together

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test",
)

COURSE = "http://example.vn/course/c1"
LESSON = "http://example.vn/lesson/l1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_duplicates_store_and_project_once(tree):
    user = PersonFactory(agency=tree["hong_ha"]).user
    requirements_set(parent_id=COURSE, requirements=[(LESSON, "completed")])
    statement = {
        "id": "6a1c3f0e-3d0b-4b7e-9a57-1f6b1c2d3e4f",
        "actor": actor_for(user),
        "verb": {"id": vocab.COMPLETED},
        "object": {"id": LESSON},
        "result": {"completion": True},
    }
    writer = Writer(authority={"objectType": "Agent", "mbox": "mailto:lrs@example.vn"})
    _results, errors = run_together(
        lambda: statements_store(statements=[statement], writer=writer), threads=4, timeout=60)
    assert errors == []
    assert Statement.objects.filter(activity_id=LESSON).count() == 1
    # The course completion is derived from the lesson's: once, not once per request.
    assert Statement.objects.filter(activity_id=COURSE, verb_id=vocab.COMPLETED).count() == 1
    assert Progress.objects.get(user=user, activity_id=COURSE).completed
    assert ActivityRequirement.objects.count() == 1
