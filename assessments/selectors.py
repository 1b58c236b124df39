"""Reads for quiz pages, attempts and results. Nothing here hands a right answer to a page
before the quiz's review policy allows it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Page

from lms.org.models import User

from . import grading
from .draw import quiz_question_count, snapshot_in_language
from .models import Attempt, AttemptSlot, AttemptStatus, GradingMethod, QuizPage, ReviewPolicy


def course_of(quiz: QuizPage) -> Any:
    """The course page above a quiz (its parent, or its lesson's parent). Typed loosely:
    ``assessments`` does not import ``courses``."""
    return (Page.objects.ancestor_of(quiz).filter(content_type__app_label="courses",
                                                  content_type__model="coursepage")
            .order_by("-depth").first().specific)


def _submitted(user: User, quiz: QuizPage) -> list[Attempt]:
    return list(Attempt.objects.filter(user=user, quiz=quiz, status=AttemptStatus.SUBMITTED)
                .order_by("number"))


def start_blocker(*, user: User, quiz: QuizPage, now: datetime.datetime | None = None,
                  submitted: list[Attempt] | None = None) -> str:
    """Why the learner cannot start a new attempt now ("" when they can)."""
    now = now or timezone.now()
    if quiz.closes_at is not None and now >= quiz.closes_at:
        return _("This quiz closed on %(date)s.") % {
            "date": date_format(timezone.localtime(quiz.closes_at), "SHORT_DATETIME_FORMAT")}
    submitted = _submitted(user, quiz) if submitted is None else submitted
    if not submitted:
        return ""
    if any(a.passed for a in submitted) and quiz.is_exam and not quiz.allow_retake_after_pass:
        return _("You have passed this exam.")
    if quiz.max_attempts and len(submitted) >= quiz.max_attempts:
        return _("You have used all %(n)d attempts of this quiz.") % {"n": quiz.max_attempts}
    if quiz.cooldown_minutes:
        last = max(a.submitted_at for a in submitted if a.submitted_at)
        ready = last + datetime.timedelta(minutes=quiz.cooldown_minutes)
        if now < ready:
            return _("You can start a new attempt at %(time)s.") % {
                "time": date_format(timezone.localtime(ready), "SHORT_DATETIME_FORMAT")}
    return ""


def grade_kept(*, quiz: QuizPage, submitted: list[Attempt]) -> Attempt | None:
    """The attempt whose grade counts: the highest (earliest of equals) or the last."""
    if not submitted:
        return None
    if quiz.grading_method == GradingMethod.LAST:
        return submitted[-1]
    return max(submitted, key=lambda a: (a.score_scaled or 0.0, -a.number))


def review_allowed(*, attempt: Attempt, now: datetime.datetime | None = None,
                   submitted: list[Attempt] | None = None) -> bool:
    """Whether the learner may now see the right answers and feedback of ``attempt``."""
    if attempt.status != AttemptStatus.SUBMITTED:
        return False
    quiz = attempt.quiz
    now = now or timezone.now()
    policy = quiz.review_policy
    if policy == ReviewPolicy.AFTER_ATTEMPT:
        return True
    if policy == ReviewPolicy.AFTER_CLOSE:
        return quiz.closes_at is not None and now >= quiz.closes_at
    if policy == ReviewPolicy.AFTER_FINAL:
        submitted = _submitted(attempt.user, quiz) if submitted is None else submitted
        passed = any(a.passed for a in submitted)
        used_up = bool(quiz.max_attempts) and len(submitted) >= quiz.max_attempts
        closed = quiz.closes_at is not None and now >= quiz.closes_at
        return passed or used_up or closed
    return False


def attempt_for_user(*, user: User, attempt_id: object) -> Attempt | None:
    return Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()


@dataclass
class SlotView:
    """One question as a page shows it. ``options`` and ``matches`` are in the attempt's
    display order and carry ids and texts only."""

    position: int
    kind: str
    prompt: str
    image_id: int | None
    image_alt: str
    options: list[tuple[str, str]]
    matches: list[tuple[str, str]]
    response: Any
    review: dict[str, Any] = field(default_factory=dict)

    @property
    def chosen(self) -> list[str]:
        if isinstance(self.response, list):
            return self.response
        return [self.response] if isinstance(self.response, str) else []

    @property
    def text_response(self) -> str:
        return self.response if isinstance(self.response, str) else ""

    @property
    def matched(self) -> dict[str, str]:
        return self.response if isinstance(self.response, dict) else {}

    @property
    def ordered(self) -> list[tuple[str, str]]:
        """Ordering items in the learner's saved order (or as first shown)."""
        texts = dict(self.options)
        order = self.response if isinstance(self.response, list) else [o for o, _t in
                                                                        self.options]
        return [(item, texts[item]) for item in order if item in texts]


def slot_view(slot: AttemptSlot, *, with_review: bool = False) -> SlotView:
    snapshot, layout = snapshot_in_language(slot.snapshot, get_language()), slot.layout
    texts = {o["id"]: o["text"] for o in snapshot["options"]}
    view = SlotView(
        position=slot.position, kind=snapshot["kind"], prompt=snapshot["prompt"],
        image_id=snapshot.get("image_id"), image_alt=snapshot.get("image_alt", ""),
        options=[(oid, texts.get(oid, "")) for oid in layout.get("options", [])],
        matches=[(m["id"], m["text"]) for m in layout.get("matches", [])],
        response=slot.response,
    )
    if with_review:
        fraction = slot.fraction or 0.0
        result = grading.outcome(fraction)
        correct = grading.correct_response(snapshot, layout)
        view.review = {
            "fraction": fraction,
            "outcome": result,
            "mark": round(fraction * slot.mark, 2),
            "max": slot.mark,
            "correct": correct,
            "correct_ids": [correct] if isinstance(correct, str) else list(correct or []),
            "feedback": [snapshot["feedback"].get(result, ""),
                         *grading.option_feedback(snapshot, slot.response)],
            "explanation": snapshot.get("explanation", ""),
        }
        view.review["feedback"] = [text for text in view.review["feedback"] if text]
    return view


def attempt_review(*, attempt: Attempt, allowed: bool) -> list[SlotView]:
    """The questions of a submitted attempt with the learner's answers; with the right
    answers and feedback only when ``allowed`` (the review policy)."""
    if attempt.status != AttemptStatus.SUBMITTED:
        return []
    return [slot_view(slot, with_review=allowed) for slot in attempt.slots.all()]


def quiz_context(*, quiz: QuizPage, user: User | AnonymousUser) -> dict[str, Any]:
    """What the quiz page shows: the open attempt's questions (prompts and options only,
    never which option is right) or the learner's past attempts and whether a new one can
    start."""
    context: dict[str, Any] = {"open_attempt": None, "slots": [], "past_attempts": [],
                               "question_count": quiz_question_count(quiz),
                               "start_blocker": "", "kept": None, "seconds_left": None}
    if not user.is_authenticated:
        return context
    attempts = list(Attempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    open_attempt = next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None)
    submitted = [a for a in attempts if a.status == AttemptStatus.SUBMITTED]
    context["past_attempts"] = list(reversed(submitted))
    context["kept"] = grade_kept(quiz=quiz, submitted=submitted)
    if open_attempt is not None:
        context["open_attempt"] = open_attempt
        context["slots"] = [slot_view(slot) for slot in open_attempt.slots.all()]
        context["attempt_text"] = {
            "saving": _("Saving…"), "saved": _("All answers saved."),
            "offline": _("Not saved yet: no connection. Trying again…"),
            "failed": _("Your answers could not be saved."), "left": _("%s left"),
            "offlineSubmit": _("No connection: your answers are kept on this page. Submit "
                               "again when the signal returns."),
        }
        if open_attempt.deadline is not None:
            left = (open_attempt.deadline - timezone.now()).total_seconds()
            context["seconds_left"] = max(0, int(left))
    else:
        context["start_blocker"] = start_blocker(user=user, quiz=quiz, submitted=submitted)
    return context
