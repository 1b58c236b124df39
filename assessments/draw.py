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


def _pool(rule: DrawRule, taken: set[int]) -> list[int]:
    pool = Question.objects.filter(bank_id=rule.bank_id, active=True)
    if rule.competency:
        pool = pool.filter(competency=rule.competency)
    if rule.difficulty:
        pool = pool.filter(difficulty=rule.difficulty)
    return sorted(set(pool.values_list("pk", flat=True)) - taken)


def draw_problems(quiz: QuizPage) -> list[str]:
    """What keeps the quiz from being drawn as configured, for the editor. Each rule is
    checked against the worst case: the rules before it took their questions from its
    pool."""
    fixed, rules = quiz_plan(quiz)
    earlier: list[tuple[set[int], int]] = []
    problems = []
    for number, rule in enumerate(rules, start=1):
        pool = set(_pool(rule, set(fixed)))
        available = len(pool) - sum(min(count, len(pool & other)) for other, count in earlier)
        if available < rule.count:
            problems.append(_(
                "Random draw %(number)d asks for %(count)d questions but its bank has only "
                "%(available)d that fit (active, of the competency and difficulty chosen, "
                "not taken by the quiz's other questions)."
            ) % {"number": number, "count": rule.count, "available": max(available, 0)})
        earlier.append((pool, rule.count))
    return problems


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
        candidates = _pool(rule, taken)
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
    options = list(question.options.all() if options is None else options)
    return {
        "v": 1,
        "uid": str(question.uid),
        "kind": question.kind,
        "name": question.name,
        "prompt": question.prompt,
        "image_id": question.image_id,
        "image_alt": question.image_alt,
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
        "en": _english(question, options),
    }


def _english(question: Question, options: Iterable[Any]) -> dict[str, Any]:
    """The question's English texts (empty where none was written), so an attempt can be
    shown in English while it is graded on the same options."""
    return {
        "prompt": question.prompt_en,
        "options": {str(o.pk): {"text": o.text_en, "feedback": o.feedback_en}
                    for o in options},
        "feedback": {"correct": question.feedback_correct_en,
                     "partial": question.feedback_partial_en,
                     "wrong": question.feedback_wrong_en},
        "explanation": question.explanation_en,
    }


def snapshot_in_language(snapshot: dict[str, Any], language: str | None) -> dict[str, Any]:
    """The snapshot with its texts in ``language`` where the question has them (English
    texts replace the Vietnamese ones one by one; anything missing stays Vietnamese).
    Ids, fractions and matches are never changed, so grading is the same in both."""
    english = snapshot.get("en")
    if language != "en" or not english:
        return snapshot
    options = []
    for option in snapshot["options"]:
        words = english.get("options", {}).get(option["id"], {})
        options.append({**option, "text": words.get("text") or option["text"],
                        "feedback": words.get("feedback") or option["feedback"]})
    feedback = {key: english.get("feedback", {}).get(key) or value
                for key, value in snapshot.get("feedback", {}).items()}
    return {**snapshot, "prompt": english.get("prompt") or snapshot["prompt"],
            "options": options, "feedback": feedback,
            "explanation": english.get("explanation") or snapshot.get("explanation", "")}
