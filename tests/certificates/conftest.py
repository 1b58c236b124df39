"""Fixtures of the certificate tests."""

import pytest

from certificates.models import Certificate
from certificates.services import certificates_issue_due

from .helpers import complete


@pytest.fixture
def certificate(course, learner) -> Certificate:
    """The learner's certificate of the course, issued by the job."""
    complete(learner, course)
    certificates_issue_due()
    return Certificate.objects.get()
