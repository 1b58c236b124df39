"""Item analysis: facility, discrimination index and flags per question, the admin pages
and the CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments.analysis import item_analysis
from assessments.models import AttemptStatus, QuestionBank
from lms.org.models import User

from .analysis_data import attempt_build, learners, question_build, quiz_build
from .conftest import admin_in_english

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    """20 submitted attempts, attempt i (0..19) scoring i/20, and five questions:
    good (right in the top half only), bad (right in the bottom 5 only), easy (always
    right), hard (right in the best attempt only) and half (worth 0.5 when answered, left
    unanswered by the 4 weakest attempts)."""
    quiz = quiz_build()
    bank = QuestionBank.objects.create(name="Ngân hàng A")
    q = {name: question_build(bank, name) for name in ("good", "bad", "easy", "hard", "half")}
    users = learners(20)
    for i, user in enumerate(users):
        fractions = [
            (q["good"], 1.0 if i >= 10 else 0.0),
            (q["bad"], 1.0 if i < 5 else 0.0),
            (q["easy"], 1.0),
            (q["hard"], 1.0 if i == 19 else 0.0),
            (q["half"], 0.0 if i < 4 else 0.5),
        ]
        attempt_build(quiz=quiz, user=user, ident=i + 1, score=i / 20, fractions=fractions,
                      unanswered=[q["half"]] if i < 4 else [])
    return {"quiz": quiz, "bank": bank, "q": q, "users": users}


def _by_name(analysis):
    return {item.question.name: item for item in analysis.items}


def test_facility_discrimination_and_flags_of_a_constructed_case(case,
                                                                django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        analysis = item_analysis(quiz=case["quiz"])
    assert (analysis.attempts, analysis.group_size, analysis.enough_attempts) == (20, 5, True)
    items = _by_name(analysis)
    figures = {name: (item.n, item.facility, item.fully_correct, item.unanswered,
                      item.discrimination, item.flag_codes)
               for name, item in items.items()}
    assert figures == {
        "good": (20, 0.5, 0.5, 0.0, 1.0, ()),
        "bad": (20, 0.25, 0.25, 0.0, -1.0, ("negative_discrimination",)),
        "easy": (20, 1.0, 1.0, 0.0, 0.0, ("too_easy", "no_discrimination")),
        "hard": (20, 0.05, 0.05, 0.0, 0.2, ("too_hard",)),
        # lower group: four unanswered (0) and one 0.5 -> 0.1; upper: 0.5 -> D = 0.4
        "half": (20, 0.4, 0.0, 0.2, 0.4, ()),
    }


def test_in_progress_attempts_are_ignored(case):
    extra = learners(1, prefix="dang-lam")[0]
    attempt_build(quiz=case["quiz"], user=extra, ident=100, score=None,
                  status=AttemptStatus.IN_PROGRESS,
                  fractions=[(question, None) for question in case["q"].values()])
    analysis = item_analysis(quiz=case["quiz"])
    assert analysis.attempts == 20
    assert {item.n for item in analysis.items} == {20}
    assert _by_name(analysis)["good"].discrimination == 1.0


def test_first_attempts_only(case):
    # the weakest learner tries again and now gets the bad question wrong, the good right
    attempt_build(quiz=case["quiz"], user=case["users"][0], ident=200, score=0.99, number=2,
                  fractions=[(case["q"]["good"], 1.0), (case["q"]["bad"], 0.0)])
    assert item_analysis(quiz=case["quiz"]).attempts == 21
    assert _by_name(item_analysis(quiz=case["quiz"]))["good"].n == 21
    first = item_analysis(quiz=case["quiz"], first_attempts_only=True)
    assert first.attempts == 20
    assert _by_name(first)["good"].n == 20


def test_fewer_than_ten_attempts_give_no_discrimination_index():
    quiz = quiz_build()
    bank = QuestionBank.objects.create(name="Ngân hàng nhỏ")
    question = question_build(bank, "only")
    for i, user in enumerate(learners(9)):
        attempt_build(quiz=quiz, user=user, ident=i + 1, score=i / 9,
                      fractions=[(question, 1.0 if i % 3 == 0 else 0.0)])
    analysis = item_analysis(quiz=quiz)
    assert (analysis.attempts, analysis.group_size, analysis.enough_attempts) == (9, 0, False)
    [item] = analysis.items
    assert (item.n, item.facility, item.discrimination) == (9, round(3 / 9, 4), None)
    assert item.flag_codes == ()


def test_ties_in_score_are_broken_by_attempt_id():
    """12 attempts with the same score: the groups (3 each) are the lowest and the highest
    ids."""
    quiz = quiz_build()
    bank = QuestionBank.objects.create(name="Ngân hàng hòa")
    question = question_build(bank, "tie")
    for i, user in enumerate(learners(12)):
        attempt_build(quiz=quiz, user=user, ident=i + 1, score=0.5,
                      fractions=[(question, 1.0 if i >= 9 else 0.0)])
    analysis = item_analysis(quiz=quiz)
    assert analysis.group_size == 3
    assert analysis.items[0].discrimination == 1.0


def test_bank_analysis_reads_only_the_banks_questions(case):
    other = QuestionBank.objects.create(name="Ngân hàng B")
    outside = question_build(other, "outside")
    quiz2 = quiz_build(code="PT-2")
    for i, user in enumerate(learners(3, prefix="b")):
        attempt_build(quiz=quiz2, user=user, ident=300 + i, score=0.5,
                      fractions=[(outside, 1.0)])
    analysis = item_analysis(bank=case["bank"])
    assert analysis.attempts == 20
    assert set(_by_name(analysis)) == {"good", "bad", "easy", "hard", "half"}
    other_analysis = item_analysis(bank=other)
    assert (other_analysis.attempts, [i.question.name for i in other_analysis.items]) == (
        3, ["outside"])
    assert item_analysis(quiz=quiz2).attempts == 3


def test_no_attempts_gives_an_empty_analysis():
    analysis = item_analysis(quiz=quiz_build())
    assert (analysis.attempts, analysis.items) == (0, [])


# -- admin pages ----------------------------------------------------------------------------

@pytest.fixture
def editor():
    user = User.objects.create_user(username="bien-tap", password="pw-for-tests-1",
                                    is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="change_question", content_type__app_label="assessments"),
    )
    admin_in_english(user)
    return user


def test_editor_sees_the_index_and_the_quiz_table(client, case, editor):
    client.force_login(editor)
    assert reverse("assessments_item_analysis") in client.get(
        reverse("wagtailadmin_home")).content.decode()  # the menu item
    index = client.get(reverse("assessments_item_analysis"))
    assert index.status_code == 200
    assert case["quiz"].title in index.content.decode()
    url = reverse("assessments_item_analysis_quiz", args=[case["quiz"].pk])
    response = client.get(url, {"order": "discrimination"})
    assert response.status_code == 200
    rows = [row["question"].name for row in response.context["rows"]]
    assert rows == ["bad", "easy", "hard", "half", "good"]
    html = response.content.decode()
    edit_url = reverse("wagtailsnippets_assessments_question:edit", args=[case["q"]["good"].pk])
    assert edit_url in html
    bank = client.get(reverse("assessments_item_analysis_bank", args=[case["bank"].pk]))
    assert bank.status_code == 200
    assert len(bank.context["rows"]) == 5


def test_quiz_without_attempts_shows_what_to_do(client, editor):
    client.force_login(editor)
    quiz = quiz_build()
    response = client.get(reverse("assessments_item_analysis_quiz", args=[quiz.pk]))
    assert response.status_code == 200
    assert response.context["analysis"].attempts == 0
    # no .po entry yet: the message shows as written
    assert "No submitted attempts yet" in response.content.decode()
    assert response.context["rows"] == []


def test_people_without_the_permission_are_kept_out(client, case):
    url = reverse("assessments_item_analysis_quiz", args=[case["quiz"].pk])
    learner = case["users"][0]
    client.force_login(learner)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "rows" not in (response.context or {})
    admin_only = User.objects.create_user(username="chi-xem", password="pw-for-tests-1",
                                          is_staff=True)
    admin_only.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    client.force_login(admin_only)
    assert reverse("assessments_item_analysis") not in client.get(
        reverse("wagtailadmin_home")).content.decode()
    response = client.get(url)
    assert response.status_code in (302, 403)
    csv_response = client.get(reverse("assessments_item_analysis_quiz_csv",
                                      args=[case["quiz"].pk]))
    assert csv_response.status_code in (302, 403)


def test_csv_has_a_header_and_one_row_per_question(client, case, editor):
    client.force_login(editor)
    response = client.get(reverse("assessments_item_analysis_quiz_csv", args=[case["quiz"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(rows[0]) == 12
    assert len(rows) == 1 + 5
    good = next(row for row in rows[1:] if row[0] == "good")
    assert good[1] == str(case["q"]["good"].uid)
    assert good[2] == "Ngân hàng A"
    assert good[6:11] == ["20", "50.0", "50.0", "0.0", "1.00"]
