"""A learner's whole journey on a 360×740 phone, in headless Chromium: log in through the
form, open the course from the catalogue, complete each lesson, pass the final quiz, get
the certificate from the scheduled issuing job and download its PDF from My certificates.
Screenshots of each step: tests/e2e/artifacts/test_learner_journey/."""

from __future__ import annotations

import pytest

from assessments.models import Attempt
from certificates.models import Certificate
from certificates.tasks import issue_due_certificates
from courses.models import LessonPage
from lms.records import vocab
from lms.records.models import Statement
from tests.factories import PersonFactory, agency, build_course

from .conftest import browser_needed, log_in
from .steps import follow, in_thread

pytestmark = [
    browser_needed,
    # committed data, seen by the live server's thread; migrated rows restored afterwards
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_learner_journey(phone_page, shots):
    page, shot = phone_page, shots(phone_page)
    course = build_course(code="KNS-J", lessons=2, questions=3, pass_mark=60)
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    ward = agency("Phường Hồng Hà", code="00097")
    learner = PersonFactory(agency=ward, full_name="Nguyễn Thị Ánh Tuyết").user

    log_in(page, username=learner.username)
    assert page.url.endswith("/my/")  # LOGIN_REDIRECT_URL: My learning
    shot("my learning")

    follow(page, "/")
    shot("catalogue")
    page.get_by_role("link", name=course.title).first.click()
    page.wait_for_url(f"**{course.url}")
    shot("course")
    enrol = page.locator('main form[action$="/enrol/"] button')
    if enrol.count():  # a course may enrol its learners on their first lesson instead
        with page.expect_navigation():
            enrol.click()
        shot("enrolled")

    for lesson in lessons:
        page.goto(course.url)
        page.get_by_role("link", name=lesson.title, exact=True).first.click()
        page.wait_for_url(f"**{lesson.url}")
        shot(f"lesson {lesson.slug}")
        with page.expect_navigation():
            page.locator('main form[action*="/complete/"] button').click()
        shot(f"lesson {lesson.slug} completed")
    completed = set(Statement.objects.filter(user=learner, verb_id=vocab.COMPLETED)
                    .values_list("activity_id", flat=True))
    assert {lesson.activity_id for lesson in lessons} <= completed

    page.goto(course.url)
    page.get_by_role("link", name="Bài kiểm tra", exact=True).first.click()
    shot("quiz")
    with page.expect_navigation():
        page.locator('main form[action$="/start/"] button').click()
    questions = page.locator("fieldset.question")
    assert questions.count() == 3
    for index in range(3):  # build_course: "Đúng" is always the right option
        questions.nth(index).get_by_label("Đúng", exact=True).check()
    shot("quiz answered")
    with page.expect_navigation():
        page.locator('main button[name="submit"]').click()
    shot("quiz result")
    attempt = Attempt.objects.get(user=learner)
    assert attempt.passed and attempt.percent == 100

    # the scheduled job, run as the scheduler would: in its own thread, away from the
    # browser's event loop (the PDF signer runs one of its own)
    assert in_thread(issue_due_certificates)["issued"] == 1
    certificate = Certificate.objects.get(user=learner)

    follow(page, "/my/certificates/")
    assert page.get_by_text(certificate.serial).count() == 1
    shot("my certificates")
    with page.expect_download() as info:
        page.locator(f'main a[href$="/{certificate.serial}.pdf"]').click()
    download = info.value
    assert download.suggested_filename == f"{certificate.serial}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
