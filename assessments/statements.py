"""The learning records of a finished attempt: one ``answered`` statement per answered
question (with the interaction's definition, the response and whether it was right) and
one ``passed`` or ``failed`` statement for the attempt, all under the course
registration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lms.records import services as records
from lms.records import vocab

from .grading import outcome
from .interactions import interaction_definition, interaction_response
from .models import Attempt, AttemptSlot


def question_activity_id(uid: str) -> str:
    return vocab.activity_iri("question", uid)


def attempt_statements(*, attempt: Attempt, slots: Sequence[AttemptSlot],
                       course: Any) -> list[dict[str, Any]]:
    quiz = attempt.quiz
    user = attempt.user
    statements = []
    for slot in slots:
        if slot.response is None:
            continue
        fraction = slot.fraction or 0.0
        statements.append(records.statement_build(
            user=user, verb_id=vocab.ANSWERED,
            activity_id=question_activity_id(slot.snapshot["uid"]),
            definition=interaction_definition(slot.snapshot, slot.layout),
            result={
                "response": interaction_response(slot.snapshot, slot.layout, slot.response),
                "success": outcome(fraction) == "correct",
                "score": {"scaled": round(fraction, 4), "raw": round(fraction * slot.mark, 4),
                          "min": 0, "max": slot.mark},
            },
            registration=attempt.registration, parent_ids=[quiz.activity_id],
            grouping_ids=[course.activity_id], timestamp=slot.saved_at,
        ))
    statements.append(records.statement_build(
        user=user, verb_id=vocab.PASSED if attempt.passed else vocab.FAILED,
        activity_id=quiz.activity_id, activity_type=vocab.ASSESSMENT,
        activity_name={"vi": quiz.title},
        result={
            "score": {"scaled": attempt.score_scaled, "raw": attempt.score_raw, "min": 0,
                      "max": attempt.score_max},
            "success": bool(attempt.passed),
            "completion": True,
        },
        registration=attempt.registration, parent_ids=[course.activity_id],
        timestamp=attempt.submitted_at,
    ))
    return statements
