"""What a course pack's course, lessons, quizzes and questions become: the field values
the importer writes (pure; no database access)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .reader import LessonSource, QuestionSource, truth_value

if TYPE_CHECKING:
    from assessments.models import Question, QuestionBank

Blocks = list[tuple[str, Any]]


def question_options(source: QuestionSource) -> list[dict[str, Any]]:
    right = sum(1 for c in source.choices if c.correct)
    options = []
    for choice in source.choices:
        if source.kind == "multiple_response":
            fraction = round(1 / right if choice.correct else -1 / right, 7)
        else:
            fraction = 1.0 if choice.correct else 0.0
        text, text_en = choice.text["vi"].strip(), choice.text["en"].strip()
        if source.kind == "true_false":
            text, text_en = ("true" if truth_value(choice.text) else "false"), ""
        options.append({"text": text, "text_en": text_en, "fraction": fraction,
                        "feedback": choice.feedback["vi"].strip(),
                        "feedback_en": choice.feedback["en"].strip()})
    return options


def lesson_fields(lesson: LessonSource, blocks: Callable[[Blocks], Blocks]) -> dict[str, Any]:
    """``blocks`` turns the pack's blocks into the StreamField's (images stored)."""
    vi, en = lesson.texts["vi"], lesson.texts["en"]
    return {
        "title": str(vi.meta["title"]).strip(), "title_en": str(en.meta["title"]).strip(),
        "summary": str(vi.meta.get("summary") or "").strip(),
        "summary_en": str(en.meta.get("summary") or "").strip(),
        "estimated_minutes": int(vi.meta.get("estimated_minutes") or 10),
        "competencies": list(vi.meta.get("competencies") or []),
        "sources": list(vi.meta.get("sources") or []),
        "body": blocks(vi.blocks), "body_en": blocks(en.blocks),
    }


def course_fields(course: dict[str, Any]) -> dict[str, Any]:
    def text(name: str, language: str) -> str:
        value = course.get(name) or {}
        return str(value.get(language) or "").strip() if isinstance(value, dict) else ""

    return {
        "title": text("title", "vi"), "title_en": text("title", "en"),
        "summary": text("summary", "vi"), "summary_en": text("summary", "en"),
        "audience": text("audience", "vi"), "audience_en": text("audience", "en"),
        "estimated_minutes": int(course.get("estimated_minutes") or 60),
        "target_positions": list(course.get("target_positions") or []),
        "competencies": list(course.get("competencies") or []),
        "sources": list(course.get("sources") or []),
        "public": bool(course.get("public", False)),
        "sequential": bool(course.get("sequential", False)),
        "version": int(course.get("version") or 1),
    }


_EXAM_RULES = ("time_limit_minutes", "max_attempts", "cooldown_minutes",
               "allow_retake_after_pass")


def exam_fields(exam: dict[str, Any], bank: QuestionBank) -> dict[str, Any]:
    intro = exam.get("intro") or {}
    draw = int(exam["draw"])
    return {
        "title": exam["title"]["vi"].strip(), "title_en": exam["title"]["en"].strip(),
        "intro": str(intro.get("vi") or "").strip(), "intro_en": str(intro.get("en") or "").strip(),
        "kind": "exam", "pass_mark": int(exam["pass_mark"]),
        "estimated_minutes": int(exam.get("time_limit_minutes") or 0) or draw,
        "questions": [("random", {"bank": bank, "count": draw, "competency": "",
                                  "difficulty": ""})],
        **{rule: exam[rule] for rule in _EXAM_RULES if rule in exam},
    }


def practice_fields(questions: list[Question]) -> dict[str, Any]:
    return {
        "title": "Luyện tập", "title_en": "Practice",
        "intro": "Câu hỏi luyện tập của bài học: không tính điểm, làm lại bao nhiêu lần cũng "
                 "được. Xem giải thích sau mỗi lần làm.",
        "intro_en": "Practice questions of the lesson: not counted, try them as often as you "
                    "like. The explanations are shown after each attempt.",
        "kind": "practice", "review_policy": "after_attempt", "pass_mark": 80,
        "estimated_minutes": max(1, len(questions)),
        "questions": [("question", {"question": question}) for question in questions],
    }
