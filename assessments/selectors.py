"""Reads for quiz pages and results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser

from lms.org.models import User

from .models import Attempt, AttemptStatus, QuizPage


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    choices: tuple[tuple[str, str], ...]  # (choice id, text), in authored order
    correct_choice_id: str
    explanation: str = ""


def quiz_questions(*, quiz: QuizPage) -> dict[str, Question]:
    """The quiz's questions keyed by their stable block id."""
    questions: dict[str, Question] = {}
    for block in quiz.questions:
        if block.block_type != "single_choice":
            continue
        choices = []
        correct = ""
        for choice in block.value["choices"].bound_blocks:
            choices.append((choice.id, choice.value["text"]))
            if choice.value["correct"]:
                correct = choice.id
        questions[block.id] = Question(id=block.id, prompt=block.value["prompt"],
                                       choices=tuple(choices), correct_choice_id=correct,
                                       explanation=block.value.get("explanation") or "")
    return questions


def attempt_for_user(*, user: User, attempt_id: object) -> Attempt | None:
    return Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()


def attempt_review(*, attempt: Attempt) -> list[dict[str, Any]]:
    """Each question of a submitted attempt with the learner's answer and whether it was
    right (the correct option is revealed only once the attempt is submitted)."""
    if attempt.status != AttemptStatus.SUBMITTED:
        return []
    questions = quiz_questions(quiz=attempt.quiz)
    answers = {a.question_id: a for a in attempt.answers.all()}
    review = []
    for question_id in attempt.question_ids:
        question = questions.get(question_id)
        if question is None:
            continue
        answer = answers.get(question_id)
        review.append({
            "question": question,
            "chosen": answer.choice_id if answer else None,
            "correct": bool(answer and answer.correct),
        })
    return review


def quiz_context(*, quiz: QuizPage, user: User | AnonymousUser) -> dict[str, Any]:
    """What the quiz page shows: the open attempt's questions (prompts and options only,
    never which option is right) or the learner's past attempts."""
    questions = quiz_questions(quiz=quiz)
    context: dict[str, Any] = {"open_attempt": None, "questions": [], "past_attempts": [],
                               "question_count": len(questions)}
    if not user.is_authenticated:
        return context
    attempts = list(Attempt.objects.filter(user=user, quiz=quiz).order_by("-started_at")[:10])
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    context["past_attempts"] = [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
    if open_attempt is not None:
        context["open_attempt"] = open_attempt
        context["questions"] = [
            {"id": q.id, "prompt": q.prompt, "choices": q.choices}
            for q in (questions.get(qid) for qid in open_attempt.question_ids) if q
        ]
    return context
