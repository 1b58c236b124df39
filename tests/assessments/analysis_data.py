"""Quizzes, questions and graded attempts written straight to the database, for the item
analysis tests (no grading involved: each slot gets the fraction the test asks for)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.utils import timezone
from wagtail.models import Locale, Page

from assessments.models import (
    Attempt,
    AttemptSlot,
    AttemptStatus,
    Question,
    QuestionBank,
    QuestionKind,
    QuizPage,
)
from courses.models import CoursePage
from lms.org.models import User
from lms.setup.coursepack import catalog_ensure


def quiz_build(*, code: str = "PT-1", title: str = "Kiểm tra phân tích") -> QuizPage:
    if Page.get_first_root_node() is None:
        Locale.objects.get_or_create(language_code="vi")
        Page.add_root(instance=Page(title="Root", slug="root"))
    catalog = catalog_ensure()
    course = CoursePage(title=f"Khóa {code}", code=code, slug=code.lower(),
                        summary="Tóm tắt", estimated_minutes=30)
    catalog.add_child(instance=course)
    quiz = QuizPage(title=title, slug=f"{code.lower()}-quiz", kind="exam")
    course.add_child(instance=quiz)
    return quiz


def question_build(bank: QuestionBank, name: str, *, competency: str = "1.1",
                   difficulty: int = 2) -> Question:
    question = Question(bank=bank, kind=QuestionKind.SINGLE_CHOICE, name=name,
                        prompt=f"<p>{name}?</p>", competency=competency, difficulty=difficulty)
    question.save()
    return question


def snapshot(question: Question) -> dict:
    return {
        "v": 1, "uid": str(question.uid), "kind": question.kind, "name": question.name,
        "prompt": question.prompt, "image_id": None, "mark": 1.0, "case_sensitive": False,
        "shuffle": True, "competency": question.competency,
        "difficulty": question.difficulty,
        "options": [
            {"id": "1", "text": "Đúng", "match": "", "fraction": 1.0, "tolerance": None,
             "feedback": ""},
            {"id": "2", "text": "Sai", "match": "", "fraction": 0.0, "tolerance": None,
             "feedback": ""},
        ],
        "feedback": {"correct": "", "partial": "", "wrong": ""}, "explanation": "",
    }


def learners(count: int, *, prefix: str = "hv") -> list[User]:
    return [User.objects.create_user(username=f"{prefix}{index}", password=None)
            for index in range(count)]


def attempt_build(*, quiz: QuizPage, user: User, ident: int, score: float | None,
                  fractions: Sequence[tuple[Question, float | None]],
                  status: str = AttemptStatus.SUBMITTED, number: int = 1,
                  unanswered: Sequence[Question] = ()) -> Attempt:
    """An attempt with id ``UUID(int=ident)`` (so ties in score are broken in a known
    order) and one slot per (question, fraction)."""
    submitted = status == AttemptStatus.SUBMITTED
    attempt = Attempt.objects.create(
        id=uuid.UUID(int=ident), user=user, quiz=quiz, number=number, status=status,
        submitted_at=timezone.now() if submitted else None,
        score_scaled=score, score_raw=score, score_max=1.0 if submitted else None,
        passed=(score or 0) >= 0.8 if submitted else None,
    )
    AttemptSlot.objects.bulk_create([
        AttemptSlot(attempt=attempt, position=position, question=question,
                    snapshot=snapshot(question), layout={"options": ["1", "2"]},
                    response=None if question in unanswered else ("1" if fraction else "2"),
                    fraction=fraction)
        for position, (question, fraction) in enumerate(fractions, start=1)
    ])
    return attempt
