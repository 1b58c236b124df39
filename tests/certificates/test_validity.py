"""Further requirements (minimum score, another course), validity periods, expiry and
renewal by passing the exam again."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateRequirement, CertificateType
from certificates.services import certificate_revoke, certificates_issue_due
from tests.factories import PersonFactory, build_course

from .helpers import age, complete, days_from_now, pass_exam

pytestmark = pytest.mark.django_db
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def expiring_type(course):
    CertificateType.objects.update(validity_months=36, renewal_window_days=90)
    return CertificateType.objects.get()


@pytest.mark.parametrize("issued, months, expected", [
    (datetime.datetime(2026, 11, 23, 9, 30), 36, datetime.datetime(2029, 11, 23, 9, 30)),
    (datetime.datetime(2027, 1, 31, 8, 0), 1, datetime.datetime(2027, 2, 28, 8, 0)),
    (datetime.datetime(2028, 1, 31, 8, 0), 1, datetime.datetime(2028, 2, 29, 8, 0)),
    (datetime.datetime(2026, 12, 15, 0, 5), 2, datetime.datetime(2027, 2, 15, 0, 5)),
])
def test_validity_counts_calendar_months(course, issued, months, expected):
    certificate_type = CertificateType(validity_months=months)
    assert certificate_type.expiry_for(issued.replace(tzinfo=HANOI)) == \
        expected.replace(tzinfo=HANOI)
    assert CertificateType(validity_months=None).expiry_for(issued.replace(tzinfo=HANOI)) \
        is None


def test_minimum_score_on_the_exam(course, quiz, tree):
    CertificateRequirement.objects.create(certificate_type=CertificateType.objects.get(),
                                          page=quiz, min_score=90)
    good, short = (PersonFactory(agency=tree["hong_ha"]).user for _ in range(2))
    for user, score in ((good, 0.9), (short, 0.85)):
        pass_exam(user, quiz, score=score)
        complete(user, course)
    assert certificates_issue_due().issued == 1
    assert Certificate.objects.get().user == good


def test_another_course_required(course, tree):
    other = build_course(code="QTDL", title="Quản trị dữ liệu", certificate=False)
    CertificateRequirement.objects.create(certificate_type=CertificateType.objects.get(),
                                          page=other)
    both, one = (PersonFactory(agency=tree["hong_ha"]).user for _ in range(2))
    complete(both, course)
    complete(both, other)
    complete(one, course)
    assert certificates_issue_due().issued == 1
    assert Certificate.objects.get().user == both


def test_expired_certificate_shows_expired(client, expiring_type, course, learner):
    complete(learner, course)
    certificates_issue_due()
    certificate = Certificate.objects.get()
    assert certificate.expires_at.date() - certificate.issued_at.date() > \
        datetime.timedelta(days=3 * 365)
    age(certificate, days=3 * 366)
    assert certificate.current_status == "expired"
    data = client.get(reverse("certificates:verify_json", args=[certificate.serial])).json()
    assert data["status"] == "expired"
    assert data["valid_until"] == certificate.expires_at.astimezone(HANOI).date().isoformat()
    page = client.get(reverse("certificates:verify", args=[certificate.serial]),
                      HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'class="status-expired"' in page.content.decode()


def test_renewal_after_passing_again_in_the_window(expiring_type, course, quiz, learner):
    complete(learner, course)
    pass_exam(learner, quiz)
    certificates_issue_due()
    first = Certificate.objects.get()
    # nothing to renew while the window is closed, even after a new pass
    pass_exam(learner, quiz)
    assert certificates_issue_due().renewed == 0
    # 35 months later the window is open; a pass from before it opened does not count
    age(first, days=35 * 30)
    pass_exam(learner, quiz, stored_at=first.expires_at - datetime.timedelta(days=120))
    assert certificates_issue_due().renewed == 0
    pass_exam(learner, quiz)
    summary = certificates_issue_due()
    assert (summary.issued, summary.renewed) == (0, 1)
    renewed = Certificate.objects.get(cycle=2)
    assert renewed.user == learner
    assert renewed.expires_at > days_from_now(3 * 365 - 2)
    assert certificates_issue_due().renewed == 0  # a re-run renews nothing twice


def test_expired_certificate_renews_too(expiring_type, course, quiz, learner):
    complete(learner, course)
    certificates_issue_due()
    age(Certificate.objects.get(), days=4 * 365)
    pass_exam(learner, quiz)
    assert certificates_issue_due().renewed == 1
    assert Certificate.objects.filter(user=learner).count() == 2


def test_revoked_certificate_is_not_renewed(expiring_type, course, quiz, learner):
    complete(learner, course)
    certificates_issue_due()
    first = age(Certificate.objects.get(), days=35 * 30)
    certificate_revoke(certificate=first, actor=None, reason="Cấp nhầm")
    pass_exam(learner, quiz)
    assert certificates_issue_due().renewed == 0


def test_type_with_validity_needs_a_retakeable_exam(course, quiz):
    from certificates.forms import CertificateTypeForm

    certificate_type = CertificateType.objects.get()
    data = {field: getattr(certificate_type, field) for field in CertificateTypeForm._meta.fields}
    data.update(course=course.pk, authority=certificate_type.authority_id, validity_months=36)
    form = CertificateTypeForm(data=data, instance=certificate_type)
    assert not form.is_valid()
    assert quiz.title in str(form.non_field_errors())
    quiz.allow_retake_after_pass = True
    quiz.save_revision().publish()
    assert CertificateTypeForm(data=data, instance=certificate_type).is_valid()
