"""Item analysis (selectors): per question, how many learners got it right (facility) and
whether it separates strong learners from weak ones (discrimination index), computed from
submitted attempts so editors can find and fix bad questions.

Everything is aggregated in the database in a fixed number of queries, whatever the
number of attempts: the lower and upper groups are the first and last 27% of the attempts
ranked by score (ties broken by attempt id), taken as ``LIMIT`` subqueries. For a bank,
the attempts of every quiz that drew from it are ranked together by their own score."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .grading import CORRECT_FROM
from .models import Attempt, AttemptSlot, AttemptStatus, Question, QuestionBank, QuizPage

MIN_ATTEMPTS_FOR_DISCRIMINATION = 10
GROUP_SHARE = 0.27
TOO_HARD_BELOW = 0.2
TOO_EASY_ABOVE = 0.95
DISCRIMINATES_FROM = 0.2


@dataclass(frozen=True)
class Flag:
    code: str
    label: str


TOO_HARD = Flag("too_hard", _("too hard"))
TOO_EASY = Flag("too_easy", _("too easy"))
NO_DISCRIMINATION = Flag("no_discrimination", _("does not discriminate"))
NEGATIVE_DISCRIMINATION = Flag("negative_discrimination", _("negative discrimination"))


@dataclass(frozen=True)
class ItemStats:
    """One question's figures. Shares are 0..1; ``discrimination`` is None when there are
    too few attempts, or the question was not asked in both groups."""

    question: Question
    n: int
    facility: float
    fully_correct: float
    unanswered: float
    discrimination: float | None
    flags: tuple[Flag, ...] = ()

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(flag.code for flag in self.flags)


@dataclass(frozen=True)
class ItemAnalysis:
    attempts: int  # submitted attempts counted
    group_size: int  # attempts in each of the lower and upper groups (0 when too few)
    items: list[ItemStats] = field(default_factory=list)

    @property
    def enough_attempts(self) -> bool:
        return self.attempts >= MIN_ATTEMPTS_FOR_DISCRIMINATION


def item_flags(*, facility: float, discrimination: float | None) -> tuple[Flag, ...]:
    """What looks wrong with a question. A negative index is flagged as such, not also as
    "does not discriminate"."""
    flags: list[Flag] = []
    if facility < TOO_HARD_BELOW:
        flags.append(TOO_HARD)
    if facility > TOO_EASY_ABOVE:
        flags.append(TOO_EASY)
    if discrimination is not None:
        if discrimination < 0:
            flags.append(NEGATIVE_DISCRIMINATION)
        elif discrimination < DISCRIMINATES_FROM:
            flags.append(NO_DISCRIMINATION)
    return tuple(flags)


def group_size(attempts: int) -> int:
    """Attempts in each of the lower and upper groups (27%, at least one)."""
    return max(1, round(GROUP_SHARE * attempts))


def analysis_attempts(*, quiz: QuizPage | None = None, bank: QuestionBank | None = None,
                      first_attempts_only: bool = False) -> QuerySet[Attempt]:
    """The submitted attempts an analysis reads: of the quiz, and (for a bank) those that
    asked at least one of the bank's questions."""
    attempts = Attempt.objects.filter(status=AttemptStatus.SUBMITTED)
    if quiz is not None:
        attempts = attempts.filter(quiz=quiz)
    if bank is not None:
        attempts = attempts.filter(
            pk__in=AttemptSlot.objects.filter(question__bank=bank).values("attempt"))
    if first_attempts_only:
        attempts = attempts.filter(number=1)
    return attempts


def _mean_fraction() -> Avg:
    # a slot of a submitted attempt is graded; one that is not counts as wrong
    return Avg(Coalesce("fraction", Value(0.0), output_field=FloatField()))


def _means_by_question(slots: QuerySet[AttemptSlot], attempt_ids: QuerySet) -> dict[int, float]:
    rows = (slots.filter(attempt__in=attempt_ids).order_by().values("question")
            .annotate(mean=_mean_fraction()))
    return {row["question"]: row["mean"] for row in rows}


def item_analysis(*, quiz: QuizPage | None = None, bank: QuestionBank | None = None,
                  first_attempts_only: bool = False) -> ItemAnalysis:
    """Facility, shares fully right and unanswered, and discrimination index per question
    of the submitted attempts of ``quiz`` and/or questions of ``bank``. At most five
    queries; no slot is loaded into Python."""
    attempts = analysis_attempts(quiz=quiz, bank=bank, first_attempts_only=first_attempts_only)
    total = attempts.count()
    if total == 0:
        return ItemAnalysis(attempts=0, group_size=0)
    slots = AttemptSlot.objects.filter(attempt__in=attempts.values("pk"))
    if bank is not None:
        slots = slots.filter(question__bank=bank)
    rows = list(
        slots.order_by().values("question").annotate(
            n=Count("pk"),
            facility=_mean_fraction(),
            full=Count("pk", filter=Q(fraction__gte=CORRECT_FROM)),
            unanswered=Count("pk", filter=Q(response__isnull=True)),
        )
    )
    upper: dict[int, float] = {}
    lower: dict[int, float] = {}
    size = 0
    if total >= MIN_ATTEMPTS_FOR_DISCRIMINATION:
        size = group_size(total)
        ranked_low = attempts.order_by(F("score_scaled").asc(nulls_first=True), "pk")
        ranked_high = attempts.order_by(F("score_scaled").desc(nulls_last=True), "-pk")
        lower = _means_by_question(slots, ranked_low.values("pk")[:size])
        upper = _means_by_question(slots, ranked_high.values("pk")[:size])
    questions = Question.objects.select_related("bank").in_bulk([row["question"] for row in rows])
    items = []
    for row in rows:
        question_id = row["question"]
        discrimination = None
        if question_id in upper and question_id in lower:
            discrimination = round(upper[question_id] - lower[question_id], 4)
        facility = round(row["facility"], 4)
        n = row["n"]
        items.append(ItemStats(
            question=questions[question_id], n=n, facility=facility,
            fully_correct=round(row["full"] / n, 4), unanswered=round(row["unanswered"] / n, 4),
            discrimination=discrimination,
            flags=item_flags(facility=facility, discrimination=discrimination),
        ))
    items.sort(key=lambda item: (item.question.bank.name, item.question.pk))
    return ItemAnalysis(attempts=total, group_size=size, items=items)


SORT_KEYS = ("facility", "-facility", "discrimination", "-discrimination")


def items_sorted(items: Iterable[ItemStats], order: str | None) -> list[ItemStats]:
    """The items in the order a table asks for (``facility``, ``discrimination``, or either
    with a leading ``-`` for descending); questions without an index come last."""
    items = list(items)
    if order not in SORT_KEYS:
        return items
    key = order.lstrip("-")
    descending = order.startswith("-")
    known = [item for item in items if getattr(item, key) is not None]
    unknown = [item for item in items if getattr(item, key) is None]
    known.sort(key=lambda item: (getattr(item, key), item.question.pk), reverse=descending)
    return known + unknown


def quizzes_with_attempts() -> QuerySet[QuizPage]:
    """Every quiz with its number of submitted attempts (``submitted``), the most
    attempted first."""
    return (QuizPage.objects.annotate(
        submitted=Count("attempts", filter=Q(attempts__status=AttemptStatus.SUBMITTED)))
        .order_by("-submitted", "title", "pk"))


def banks_with_attempts() -> QuerySet[QuestionBank]:
    """Every question bank with its number of questions (``question_count``) and of
    submitted attempts that asked one of them (``submitted``)."""
    submitted = (AttemptSlot.objects.filter(question__bank=OuterRef("pk"),
                                            attempt__status=AttemptStatus.SUBMITTED)
                 .order_by().values("question__bank")
                 .annotate(count=Count("attempt", distinct=True)).values("count"))
    return (QuestionBank.objects
            .annotate(question_count=Count("questions", distinct=True),
                      submitted=Coalesce(Subquery(submitted), 0))
            .order_by("name"))
