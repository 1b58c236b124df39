"""Random draws: each attempt draws the configured count per rule, never a question twice,
in its own order."""

from __future__ import annotations

import itertools
import random

import pytest

from assessments.draw import DrawError, questions_draw
from assessments.models import QuestionBank, QuizPage
from assessments.services import attempt_start
from tests.factories import question_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    bank = QuestionBank.objects.create(name="Kỹ năng số")
    for index in range(30):
        question_create(bank=bank, prompt=f"Câu {index}", competency=f"{index % 3 + 1}.1",
                        difficulty=index % 3 + 1)
    return bank


_slugs = itertools.count(1)


def _quiz(course, blocks, **fields) -> QuizPage:
    quiz = QuizPage(title="Bài thi", slug=f"thi-{next(_slugs)}", questions=blocks, **fields)
    course.add_child(instance=quiz)
    return quiz


def _rule(bank, count, competency="", difficulty=""):
    return ("random", {"bank": bank, "count": count, "competency": competency,
                       "difficulty": difficulty})


def test_each_attempt_draws_the_configured_counts_without_duplicates(course, bank, learner,
                                                                     tree):
    from tests.factories import PersonFactory

    fixed = bank.questions.filter(competency="1.1", difficulty=1).first()
    quiz = _quiz(course, [("question", {"question": fixed}),
                          _rule(bank, 3, competency="1.1"),
                          _rule(bank, 4, difficulty="2"),
                          _rule(bank, 5)])
    drawn_sets = set()
    for _ in range(12):
        learner = PersonFactory(agency=tree["hong_ha"]).user
        attempt = attempt_start(user=learner, quiz=quiz)
        slots = list(attempt.slots.all())
        ids = [slot.question_id for slot in slots]
        assert len(ids) == 13 and len(set(ids)) == 13
        assert fixed.pk in ids
        by_id = {q.pk: q for q in bank.questions.all()}
        assert sum(1 for i in ids if by_id[i].competency == "1.1") >= 4  # fixed + 3
        assert sum(1 for i in ids if by_id[i].difficulty == 2) >= 4
        assert [slot.position for slot in slots] == list(range(1, 14))
        drawn_sets.add(tuple(ids))
    assert len(drawn_sets) > 1  # attempts differ (draws and order)


def test_retired_questions_are_not_drawn(course, bank):
    bank.questions.exclude(competency="2.1").update(active=False)
    quiz = _quiz(course, [_rule(bank, 10)])
    drawn = questions_draw(quiz=quiz, rng=random.Random(1))
    assert len(drawn) == 10 and {q.competency for q in drawn} == {"2.1"}


def test_a_rule_never_draws_what_an_earlier_rule_took(course, bank):
    quiz = _quiz(course, [_rule(bank, 10, competency="3.1"), _rule(bank, 10, difficulty="3")])
    # competency 3.1 and difficulty 3 are the same ten questions: the second rule has none
    # left, and says so rather than repeating one
    with pytest.raises(DrawError):
        questions_draw(quiz=quiz, rng=random.Random(7))
