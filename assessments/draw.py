"""What an attempt asks: the quiz's fixed questions and its random draws from the banks,
each frozen into a snapshot when the attempt starts."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models import Question, QuizPage


class DrawError(ValueError):
    """The quiz cannot be drawn as configured (a bank holds too few questions)."""


@dataclass(frozen=True)
class DrawRule:
    bank_id: int
    count: int
    competency: str = ""
    difficulty: int | None = None


def quiz_plan(quiz: QuizPage) -> tuple[list[int], list[DrawRule]]:
    """The quiz's fixed question ids and random-draw rules, in authored order."""
    fixed: list[int] = []
    rules: list[DrawRule] = []
    for block in quiz.questions.raw_data:
        value = block.get("value") or {}
        if block.get("type") == "question" and value.get("question"):
            fixed.append(int(value["question"]))
        elif block.get("type") == "random" and value.get("bank"):
            difficulty = value.get("difficulty")
            rules.append(DrawRule(bank_id=int(value["bank"]), count=int(value.get("count") or 0),
                                  competency=(value.get("competency") or "").strip(),
                                  difficulty=int(difficulty) if difficulty else None))
    return fixed, rules


def quiz_question_count(quiz: QuizPage) -> int:
    fixed, rules = quiz_plan(quiz)
    return len(set(fixed)) + sum(rule.count for rule in rules)


def questions_draw(*, quiz: QuizPage, rng: random.Random) -> list[Question]:
    """The questions of a new attempt: the fixed ones, then each rule's draw (never a
    question twice), shuffled if the quiz says so. Raises ``DrawError`` when a bank cannot
    supply a rule's count."""
    fixed, rules = quiz_plan(quiz)
    chosen: list[int] = list(dict.fromkeys(fixed))
    taken = set(chosen)
    for rule in rules:
        pool = Question.objects.filter(bank_id=rule.bank_id, active=True)
        if rule.competency:
            pool = pool.filter(competency=rule.competency)
        if rule.difficulty:
            pool = pool.filter(difficulty=rule.difficulty)
        candidates = sorted(set(pool.values_list("pk", flat=True)) - taken)
        if len(candidates) < rule.count:
            raise DrawError(_(
                "This quiz cannot start: a random draw needs %(count)d questions but its bank "
                "has only %(available)d that fit. Tell the course editor."
            ) % {"count": rule.count, "available": len(candidates)})
        picked = rng.sample(candidates, rule.count)
        chosen.extend(picked)
        taken.update(picked)
    questions = Question.objects.prefetch_related("options").in_bulk(chosen)
    ordered = [questions[pk] for pk in chosen if pk in questions]
    if quiz.shuffle_questions:
        rng.shuffle(ordered)
    return ordered


def question_snapshot(question: Question, options: Iterable[Any] | None = None) -> dict[str, Any]:
    """The question frozen as it is asked (the snapshot format of the attempt slots)."""
    if options is None:
        options = question.options.all()
    return {
        "v": 1,
        "uid": str(question.uid),
        "kind": question.kind,
        "name": question.name,
        "prompt": question.prompt,
        "image_id": question.image_id,
        "mark": float(question.default_mark),
        "case_sensitive": question.case_sensitive,
        "shuffle": question.shuffle_options,
        "competency": question.competency,
        "difficulty": question.difficulty,
        "options": [
            {"id": str(option.pk), "text": option.text, "match": option.match,
             "fraction": float(option.fraction),
             "tolerance": None if option.tolerance is None else float(option.tolerance),
             "feedback": option.feedback}
            for option in options
        ],
        "feedback": {"correct": question.feedback_correct,
                     "partial": question.feedback_partial,
                     "wrong": question.feedback_wrong},
        "explanation": question.explanation,
    }
