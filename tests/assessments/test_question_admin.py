"""Question authoring: what each kind needs of its options (the pure rules), and the Wagtail
snippet form that applies them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from assessments.models import Question, QuestionBank
from assessments.validation import question_problems
from lms.org.models import User


def opt(text: str = "", fraction: float = 0.0, *, match: str = "",
        tolerance: float | None = None) -> dict:
    return {"text": text, "match": match, "fraction": fraction, "tolerance": tolerance}


def problems(kind: str, options: list[dict]) -> list[str]:
    with translation.override("en"):
        return question_problems(kind, options)


VALID = {
    "single_choice": [opt("Hà Nội", 1), opt("Huế"), opt("Đà Nẵng", -0.5)],
    "multiple_response": [opt("HTTPS", 0.5), opt("Mật khẩu mạnh", 0.5), opt("Chia sẻ mật khẩu",
                                                                              -1)],
    "true_false": [opt("true", 1), opt("false", 0)],
    "matching": [opt("PDF", match="Tài liệu"), opt("PNG", match="Hình ảnh"),
                 opt("", match="Âm thanh")],
    "ordering": [opt("Mở trình duyệt"), opt("Nhập địa chỉ"), opt("Nhấn Enter")],
    "numerical": [opt("3.5", 1, tolerance=0.1), opt("*", 0)],
    "short_answer": [opt("Cổng dịch vụ công*", 1), opt("dịch vụ công", 0.5)],
}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_a_well_formed_question_of_each_kind_has_no_problem(kind):
    assert problems(kind, VALID[kind]) == []


@pytest.mark.parametrize(("kind", "options", "expected"), [
    ("single_choice", [opt("Hà Nội", 1)],
     ["A single-choice question needs at least two options."]),
    ("single_choice", [opt("Hà Nội", 0.5), opt("Huế")], ["Give the right option the grade 1."]),
    ("single_choice", [opt("Hà Nội", 1), opt("Huế", -2)],
     ["Option 2: the grade must be between -1 and 1."]),
    ("single_choice", [opt("Hà Nội", 1), opt("Huế"), opt("  ")],
     ["Option 3 is empty: fill it in or remove it."]),
    ("multiple_response", [opt("HTTPS", 1)],
     ["A multiple-response question needs at least two options."]),
    ("multiple_response", [opt("HTTPS", 0.5), opt("VPN", 0.4), opt("Wi-Fi", -0.5)],
     ["The grades of the right options must add up to 1 (now 0.9)."]),
    ("true_false", [opt("true", 1), opt("false"), opt("maybe")],
     ['A true/false question needs exactly two options, "true" and "false".']),
    ("true_false", [opt("Đúng", 1), opt("Sai")],
     ['A true/false question needs exactly two options, "true" and "false".']),
    ("true_false", [opt("true", 1), opt("false", 1)],
     ['Give the right one of "true" and "false" the grade 1 and the other 0.']),
    ("matching", [opt("PDF", match="Tài liệu"), opt("PNG")],
     ["Option 2: give the item its matching answer.",
      "A matching question needs at least two items, each with its matching answer."]),
    ("matching", [opt("PDF", match="Tài liệu"), opt("", match="Âm thanh")],
     ["A matching question needs at least two items, each with its matching answer."]),
    ("ordering", [opt("Mở trình duyệt")],
     ["An ordering question needs at least two items, entered in the right order."]),
    ("numerical", [opt("3,5", 0.5), opt("ba", 0, tolerance=-1)],
     ['Option 1: "3,5" is not a number. Write it like 3.5, or * for any other answer.',
      'Option 2: "ba" is not a number. Write it like 3.5, or * for any other answer.',
      "Option 2: the tolerance cannot be negative.",
      "Give the right answer the grade 1."]),
    ("short_answer", [opt("dịch vụ công", 0.5)],
     ["Give at least one accepted answer the grade 1."]),
    ("short_answer", [], ["Give at least one accepted answer the grade 1."]),
    ("essay", [opt("x", 1)], ["Unknown question type: essay."]),
])
def test_problems_of_ill_formed_questions(kind, options, expected):
    assert problems(kind, options) == expected


def test_numbers_accepted_for_a_numerical_answer():
    for text in ("3", "-2.75", "+0.5", ".5", "10.", "*"):
        assert problems("numerical", [opt(text, 1)]) == [], text


# -- through the Wagtail snippet form ---------------------------------------------------------

def _contentstate(text: str) -> str:
    return json.dumps({"blocks": [{"key": "a1b2c", "text": text, "type": "unstyled",
                                   "depth": 0, "inlineStyleRanges": [], "entityRanges": []}],
                       "entityMap": {}})


def _post_data(bank: QuestionBank, options: list[tuple[str, str]], *,
               kind: str = "single_choice", prompt: str = "Thủ đô của Việt Nam là?") -> dict:
    data = {
        "bank": str(bank.pk), "kind": kind, "name": "", "prompt": _contentstate(prompt),
        "competency": "1.1", "difficulty": "2", "default_mark": "1",
        "feedback_correct": "", "feedback_partial": "", "feedback_wrong": "",
        "explanation": "", "shuffle_options": "on", "active": "on",
        "options-TOTAL_FORMS": str(len(options)), "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "1", "options-MAX_NUM_FORMS": "1000",
    }
    for index, (text, fraction) in enumerate(options):
        data.update({
            f"options-{index}-text": text, f"options-{index}-match": "",
            f"options-{index}-fraction": fraction, f"options-{index}-tolerance": "",
            f"options-{index}-feedback": "", f"options-{index}-id": "",
            f"options-{index}-ORDER": str(index + 1), f"options-{index}-DELETE": "",
        })
    return data


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser(username="quan-tri", password="pw-for-tests-1",
                                         email="quantri@example.vn")
    client.force_login(user)
    return client


@pytest.fixture
def bank(db):
    return QuestionBank.objects.create(name="Địa lý")


def test_admin_creates_a_valid_single_choice_question(admin_client, bank):
    data = _post_data(bank, [("Hà Nội", "1"), ("Huế", "0"), ("Đà Nẵng", "0")])
    response = admin_client.post(reverse("wagtailsnippets_assessments_question:add"), data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.bank == bank
    assert "Thủ đô của Việt Nam là?" in question.prompt
    assert [(o.text, float(o.fraction)) for o in question.options.all()] == [
        ("Hà Nội", 1.0), ("Huế", 0.0), ("Đà Nẵng", 0.0)]


def test_admin_refuses_a_single_choice_question_without_a_right_option(admin_client, bank):
    data = _post_data(bank, [("Hà Nội", "0.5"), ("Huế", "0")])
    with translation.override("en"):
        response = admin_client.post(reverse("wagtailsnippets_assessments_question:add"),
                                     data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    with translation.override("vi"):  # the admin speaks the site's default language
        message = gettext("Give the right option the grade 1.")
    assert message in response.content.decode()
    assert response.context["form"].non_field_errors() == [message]
    assert not Question.objects.exists()


def test_deleted_options_are_not_counted(admin_client, bank):
    data = _post_data(bank, [("Hà Nội", "1"), ("Huế", "0")])
    data["options-1-DELETE"] = "1"
    with translation.override("en"):
        response = admin_client.post(reverse("wagtailsnippets_assessments_question:add"),
                                     data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    with translation.override("vi"):  # the admin speaks the site's default language
        message = gettext("A single-choice question needs at least two options.")
    assert response.context["form"].non_field_errors() == [message]
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_editors_may_author_import_and_analyse_questions():
    from django.contrib.auth.models import Group

    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.filter(content_type__app_label="assessments")
                    .values_list("codename", flat=True))
    assert {"add_question", "change_question", "delete_question", "view_question",
            "add_questionbank", "change_questionbank"} <= codenames
