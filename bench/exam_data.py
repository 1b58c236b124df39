"""Setup for the exam submission benchmark (``bench/exam_submit.py``): an exam drawing
from a mixed question bank, learners with ready-made session cookies, and their attempts
started and fully saved through the assessment services, so that what is left to measure
is the final submission. Every step is idempotent: on a kept database (``--reuse``) only
sessions and attempts are made again.

Django must be set up (``DATABASE_URL`` pointing at the bench database) before use.
"""

from __future__ import annotations

import random
import urllib.parse
from dataclasses import dataclass
from typing import Any

PREFIX = "bench-exam-"
COURSE_CODE = "BENCH-THI"
QUIZ_SLUG = "bai-thi-cuoi-khoa"
BANK_NAME = "Ngân hàng câu hỏi thi (benchmark)"
PASS_MARK = 70
TIME_LIMIT = 45
# The server must sign sessions with the key the setup used (session auth hashes).
SECRET_KEY = "bench-exam-throwaway-key-not-for-production-0123456789"
KINDS = ("single_choice", "multiple_response", "true_false", "matching", "ordering",
         "numerical", "short_answer")


@dataclass(frozen=True)
class Submission:
    """One learner's final submission, ready to send, and what grading it must give."""

    user_id: int
    attempt_id: str
    path: str
    cookie: str
    body: bytes
    answered: int
    expected_scaled: float
    expected_passed: bool


def _options(kind: str, i: int) -> tuple[list[tuple], bool]:
    """(text, fraction, extra fields) options of question ``i`` of ``kind``, and shuffle."""
    if kind == "single_choice":
        return [("VNeID", 1), ("Zalo", 0), ("Một trò chơi", 0), (f"Ứng dụng {i}", 0)], True
    if kind == "multiple_response":
        return [("Mật khẩu mạnh", 0.5), ("Xác thực hai lớp", 0.5),
                ("Chia sẻ mật khẩu cho đồng nghiệp", -1), ("Bấm vào liên kết lạ", -1)], True
    if kind == "true_false":
        return [("true", 1 if i % 2 else 0), ("false", 0 if i % 2 else 1)], False
    if kind == "matching":
        return [("Hà Nội", 1, {"match": "Thủ đô"}), ("Huế", 1, {"match": "Cố đô"}),
                ("Hải Phòng", 1, {"match": "Thành phố cảng"}),
                ("", 0, {"match": "Thành phố du lịch"})], True
    if kind == "ordering":
        return [("Mở ứng dụng", 1), ("Đăng nhập", 1), ("Chọn dịch vụ", 1),
                ("Nộp hồ sơ", 1)], True
    if kind == "numerical":
        return [(str(30 + i), 1, {"tolerance": 0}), (str(30 + i), 0.5, {"tolerance": 2})], False
    return [("VNeID", 1), ("VNe*ID", 0.5)], False


def quiz_ensure(*, questions: int, bank_size: int) -> Any:
    """The exam (a random draw of ``questions`` from the bank) under its course, with a
    bank of at least ``bank_size`` questions of every kind in turn."""
    from wagtail.models import Locale, Page

    from assessments.models import Question, QuestionBank, QuestionOption, QuizPage
    from courses.models import CoursePage
    from courses.services import course_requirements_sync
    from lms.setup.coursepack import catalog_ensure

    bank, _new = QuestionBank.objects.get_or_create(name=BANK_NAME)
    for i in range(bank.questions.count(), bank_size):
        kind = KINDS[i % len(KINDS)]
        options, shuffle = _options(kind, i)
        question = Question.objects.create(
            bank=bank, kind=kind, name=f"Câu {i + 1}", prompt=f"<p>Câu hỏi số {i + 1}?</p>",
            shuffle_options=shuffle, competency=f"{i % 3 + 1}.{i % 2 + 1}",
            difficulty=i % 3 + 1, feedback_correct="Chính xác.", feedback_wrong="Chưa đúng.")
        QuestionOption.objects.bulk_create(
            QuestionOption(question=question, sort_order=order, text=text, fraction=fraction,
                           **(extra[0] if extra else {}))
            for order, (text, fraction, *extra) in enumerate(options))
    rule = [("random", {"bank": bank, "count": questions, "competency": "",
                        "difficulty": ""})]
    quiz = QuizPage.objects.filter(slug=QUIZ_SLUG).first()
    if quiz is not None:
        if quiz.questions.raw_data[0]["value"]["count"] != questions:
            quiz.questions = rule
            quiz.save_revision().publish()
        return QuizPage.objects.get(pk=quiz.pk)
    if Page.get_first_root_node() is None:
        Locale.objects.get_or_create(language_code="vi")
        Page.add_root(instance=Page(title="Root", slug="root"))
    course = CoursePage(title="Kỹ năng số cho cán bộ (thi)", code=COURSE_CODE,
                        slug=COURSE_CODE.lower(), summary="Khóa học có bài thi cuối khóa.",
                        estimated_minutes=60, target_positions=["civil_servant"])
    catalog_ensure().add_child(instance=course)
    course.save_revision().publish()
    quiz = QuizPage(title="Bài thi cuối khóa", slug=QUIZ_SLUG, kind="exam",
                    pass_mark=PASS_MARK, time_limit_minutes=TIME_LIMIT, max_attempts=0,
                    allow_retake_after_pass=True, review_policy="after_attempt",
                    shuffle_questions=True, questions=rule)
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    course_requirements_sync(course=course)
    return QuizPage.objects.get(pk=quiz.pk)


def learners_ensure(group: str, count: int) -> list[Any]:
    """``count`` learners named ``bench-exam-<group>…`` with their Person rows (bulk)."""
    from lms.org.models import Agency, AgencyKind, Person, PositionCategory, User

    agency = Agency.objects.filter(code="VN").first() or Agency.add_root(
        code="VN", name="Việt Nam", kind=AgencyKind.NATION)
    prefix = f"{PREFIX}{group}"
    have = set(User.objects.filter(username__startswith=prefix)
               .values_list("username", flat=True))
    new = []
    for i in range(count):
        if f"{prefix}{i:05d}" not in have:
            user = User(username=f"{prefix}{i:05d}")
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new, batch_size=1000)
    users = list(User.objects.filter(username__startswith=prefix).order_by("username")
                 .select_related("person")[:count])
    Person.objects.bulk_create(
        [Person(user=user, full_name=f"Nguyễn Văn {user.username[-5:]}", agency=agency,
                position=PositionCategory.CIVIL_SERVANT)
         for user in users if not hasattr(user, "person")], batch_size=1000)
    return users


def sessions_make(users: list[Any]) -> dict[int, str]:
    """A logged-in session per learner, written straight to the session table, and the
    Cookie header that carries it with a CSRF cookie (its secret, as the form's token)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = SessionStore()
    expires = timezone.now() + timezone.timedelta(days=1)
    rows, cookies = [], {}
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        rows.append(Session(session_key=key, expire_date=expires, session_data=store.encode({
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash()})))
        cookies[user.pk] = (f"{settings.SESSION_COOKIE_NAME}={key}; "
                            f"{settings.CSRF_COOKIE_NAME}={get_random_string(32)}")
    Session.objects.bulk_create(rows, batch_size=1000)
    return cookies


def _wrong(slot: Any, good: object) -> object:
    """A response that misses the right answer (as tests.factories.attempt_answers)."""
    if isinstance(good, str) and slot.layout.get("options"):
        return next(o for o in slot.layout["options"] if o != good)
    if isinstance(good, str):
        return "không biết"
    if slot.snapshot["kind"] == "ordering":
        return list(reversed(good))
    if isinstance(good, list):
        return [o for o in slot.layout["options"] if o not in good][:1]
    matches = [m["id"] for m in slot.layout["matches"]]
    return {stem: next(m for m in matches if m != good[stem]) for stem in good}


def form_body(kinds: dict[int, str], answers: dict[int, object], csrf: str) -> bytes:
    """The POST body the quiz page's form sends on "Submit" (see assessments.responses)."""
    data: list[tuple[str, str]] = [("csrfmiddlewaretoken", csrf)]
    data += [("p", str(position)) for position in sorted(answers)]
    for position in sorted(answers):
        value = answers[position]
        if isinstance(value, dict):
            data += [(f"s{position}-{k}", v) for k, v in value.items()]
        elif isinstance(value, list) and kinds[position] == "ordering":
            data += [(f"s{position}-{item}", str(rank)) for rank, item in
                     enumerate(value, start=1)]
        elif isinstance(value, list):
            data += [(f"s{position}", v) for v in value]
        else:
            data.append((f"s{position}", str(value)))
    data.append(("submit", "1"))
    return urllib.parse.urlencode(data).encode()


def attempts_prepare(quiz: Any, users: list[Any], cookies: dict[int, str], *,
                     right_share: float = 0.7, seed: int = 1) -> list[Submission]:
    """Each learner's attempt started (``attempt_start``) and every answer saved
    (``attempt_save``): right with probability ``right_share``, wrong otherwise. Returns
    the final submissions and the grades the server must give them."""
    from django.urls import reverse

    from assessments import grading
    from assessments.services import attempt_save, attempt_start

    rng = random.Random(seed)
    out = []
    for user in users:
        attempt = attempt_start(user=user, quiz=quiz)
        slots = list(attempt.slots.order_by("position"))
        answers = {}
        for slot in slots:
            good = grading.correct_response(slot.snapshot, slot.layout)
            answers[slot.position] = good if rng.random() < right_share else _wrong(slot, good)
        attempt_save(user=user, attempt_id=attempt.pk, responses=answers)
        graded = [(grading.grade(s.snapshot, s.layout, grading.response_clean(
            s.snapshot, s.layout, answers[s.position])), s.mark) for s in slots]
        _raw, _max, scaled = grading.score(graded)
        cookie = cookies[user.pk]
        out.append(Submission(
            user_id=user.pk, attempt_id=str(attempt.pk),
            path=reverse("assessments:submit", args=[attempt.pk]), cookie=cookie,
            body=form_body({s.position: s.snapshot["kind"] for s in slots}, answers,
                           cookie.rsplit("=", 1)[1]),
            answered=len(answers), expected_scaled=scaled,
            expected_passed=round(scaled * 100, 2) >= quiz.pass_mark))
    return out


@dataclass
class Check:
    attempts_submitted: int = 0
    slots_graded: int = 0
    grades_wrong: int = 0
    answered: int = 0
    passed: int = 0
    failed: int = 0
    duplicates: int = 0  # (learner, activity, verb) stored more than once in the round

    def problems(self, subs: list[Submission]) -> list[str]:
        want_passed = sum(s.expected_passed for s in subs)
        expected = [("attempts submitted", self.attempts_submitted, len(subs)),
                    ("slots graded", self.slots_graded, sum(s.answered for s in subs)),
                    ("attempts graded differently than expected", self.grades_wrong, 0),
                    ("answered statements", self.answered, sum(s.answered for s in subs)),
                    ("passed statements", self.passed, want_passed),
                    ("failed statements", self.failed, len(subs) - want_passed),
                    ("duplicated statements", self.duplicates, 0)]
        return [f"{name}: {got} (expected {want})" for name, got, want in expected
                if got != want]


def check(subs: list[Submission], *, since: Any) -> Check:
    """What the database holds for these attempts, and the statements stored since."""
    from django.db.models import Count

    from assessments.models import Attempt, AttemptSlot
    from lms.records import vocab
    from lms.records.models import Statement

    ids = [s.attempt_id for s in subs]
    result = Check()
    attempts = {str(a.pk): a for a in Attempt.objects.filter(pk__in=ids, status="submitted")}
    result.attempts_submitted = len(attempts)
    result.slots_graded = AttemptSlot.objects.filter(attempt_id__in=ids,
                                                     fraction__isnull=False).count()
    result.grades_wrong = sum(
        1 for s in subs if s.attempt_id not in attempts
        or abs((attempts[s.attempt_id].score_scaled or 0) - s.expected_scaled) > 1e-6
        or attempts[s.attempt_id].passed != s.expected_passed)
    rows = (Statement.objects.filter(user_id__in=[s.user_id for s in subs], stored__gte=since,
                                     verb_id__in=[vocab.ANSWERED, vocab.PASSED, vocab.FAILED])
            .values("user_id", "activity_id", "verb_id").annotate(n=Count("id")))
    for row in rows:
        key = {vocab.ANSWERED: "answered", vocab.PASSED: "passed",
               vocab.FAILED: "failed"}[row["verb_id"]]
        setattr(result, key, getattr(result, key) + row["n"])
        result.duplicates += row["n"] - 1
    return result
