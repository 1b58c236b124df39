"""A quiz asking one question of every kind, under the standard test course."""

from __future__ import annotations

import pytest

from assessments.models import QuestionBank, QuizPage
from tests.factories import question_create

SECRET = "BÍ-MẬT"  # marks every text a learner must not see before review


def kinds_bank(name: str = "Ngân hàng mọi loại câu hỏi") -> tuple[QuestionBank, list]:
    bank = QuestionBank.objects.create(name=name)
    fb = {"feedback_correct": f"{SECRET} đúng", "feedback_wrong": f"{SECRET} sai",
          "feedback_partial": f"{SECRET} một phần", "explanation": f"{SECRET} giải thích"}
    questions = [
        question_create(bank=bank, prompt="Chọn một", options=[
            ("Một", 1, {"feedback": f"{SECRET} a"}), ("Hai", 0), ("Ba", 0)], **fb),
        question_create(bank=bank, kind="multiple_response", prompt="Chọn nhiều", options=[
            ("Xanh", 0.5), ("Đỏ", 0.5), ("Tím", -1)], **fb),
        question_create(bank=bank, kind="true_false", prompt="Đúng hay sai?",
                        options=[("true", 1), ("false", 0)], **fb),
        question_create(bank=bank, kind="matching", prompt="Ghép", options=[
            ("Hà Nội", 1, {"match": "Thủ đô"}), ("Huế", 1, {"match": "Cố đô"}),
            ("", 0, {"match": "Thành phố cảng"})], **fb),
        question_create(bank=bank, kind="ordering", prompt="Sắp xếp", options=[
            ("Bước 1", 1), ("Bước 2", 1), ("Bước 3", 1)], **fb),
        question_create(bank=bank, kind="numerical", prompt="Bao nhiêu?", options=[
            ("34", 1, {"tolerance": 0})], **fb),
        question_create(bank=bank, kind="short_answer", prompt="Tên ứng dụng?", options=[
            (f"VNeID{SECRET}", 1)], **fb),
    ]
    return bank, questions


@pytest.fixture
def kinds_quiz(course) -> QuizPage:
    """A practice-free exam of seven questions, one per kind, answers reviewed only once
    passed or out of attempts."""
    _bank, questions = kinds_bank()
    quiz = QuizPage(title="Mọi loại câu hỏi", slug="moi-loai", pass_mark=50,
                    review_policy="after_final", max_attempts=2,
                    questions=[("question", {"question": q}) for q in questions])
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


@pytest.fixture
def english():
    """Messages in English (the site's default is Vietnamese), for tests that read them."""
    from django.utils import translation

    with translation.override("en"):
        yield


def admin_in_english(user) -> None:
    """Wagtail's admin speaks each user's preferred language."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
