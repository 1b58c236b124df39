"""The whole path on the production topology without Docker: PostgreSQL, Redis, a real
``celery worker`` process and a real gunicorn web process, as in docker-compose.yml.

Runs when DATABASE_URL points at PostgreSQL and CELERY_BROKER_URL / CELERY_RESULT_BACKEND
at Redis (as in CI); skipped on the embedded default."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Attempt, QuizPage
from certificates.models import Certificate
from certificates.tasks import issue_due_certificates
from courses.models import LessonPage
from lms.org.models import Agency
from lms.org.services import agencies_seed, manager_scope_set
from lms.records import vocab
from lms.records.models import Statement
from tests.factories import (
    PersonFactory,
    UserFactory,
    attempt_answers,
    attempt_form,
    build_course,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.stack,
    # committed data, so that the worker and web processes see it; the migrated rows
    # (Wagtail's root page, the default schedules) are restored after the flush
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
        or not os.environ.get("CELERY_BROKER_URL", "").startswith("redis")
        or not os.environ.get("CELERY_RESULT_BACKEND", "").startswith("redis"),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (CELERY_BROKER_URL, "
               "CELERY_RESULT_BACKEND)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def stack_env(settings) -> dict[str, str]:
    db = connection.settings_dict
    url = (f"postgres://{db['USER'] or ''}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
           f":{db['PORT'] or 5432}/{db['NAME']}")
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_DEBUG": "true",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(ROOT),
        "HOCSO_SIGNING_KEY": str(settings.HOCSO_SIGNING_KEY),
        "HOCSO_SIGNING_CERT": str(settings.HOCSO_SIGNING_CERT),
    })
    return env


@pytest.fixture
def worker(stack_env):
    """A real celery worker on its own queue, against the test database."""
    queue = f"e2e-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "lms", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=stack_env,
    )
    yield queue
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture
def web(stack_env):
    """gunicorn serving the platform, as the web service of docker-compose.yml does."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "lms.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--log-level", "warning"], cwd=ROOT, env=stack_env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=30)


def _http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_learner_to_certificate_to_coverage(client, worker, web):
    agencies_seed()
    course = build_course(code="KNS-E2E", lessons=2, questions=4, pass_mark=75)
    hong_ha = Agency.objects.get(code="00097")  # Phường Hồng Hà, Thành phố Hà Nội
    learner = PersonFactory(agency=hong_ha, full_name="Nguyễn Thị Ánh Tuyết").user

    # the learner enrols, completes the lessons and passes the quiz, through the pages
    client.force_login(learner)
    assert client.post(reverse("courses:enrol", args=[course.pk])).status_code == 302
    for lesson in LessonPage.objects.child_of(course).order_by("path"):
        response = client.post(reverse("courses:complete_lesson", args=[lesson.pk]))
        assert response.status_code == 302
    quiz = QuizPage.objects.child_of(course).get()
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(user=learner)
    answers = attempt_form(attempt, attempt_answers(attempt))
    assert client.post(reverse("assessments:submit", args=[attempt.pk]),
                       answers).status_code == 302

    verbs = sorted(Statement.objects.filter(user=learner).values_list("verb_id", flat=True))
    assert verbs == sorted([vocab.REGISTERED, vocab.COMPLETED, vocab.COMPLETED,
                            vocab.ATTEMPTED, *[vocab.ANSWERED] * 4, vocab.PASSED,
                            vocab.COMPLETED])

    # the scheduled job, run by the worker process: one certificate, then none
    first = issue_due_certificates.apply_async(queue=worker).get(timeout=120)
    second = issue_due_certificates.apply_async(queue=worker).get(timeout=120)
    assert first == {"issued": 1, "renewed": 0, "skipped": 0}
    assert second == {"issued": 0, "renewed": 0, "skipped": 0}
    certificate = Certificate.objects.get()
    assert certificate.user == learner

    pdf_path = Path(settings.MEDIA_ROOT) / certificate.pdf.name
    text = PdfReader(io.BytesIO(pdf_path.read_bytes())).pages[0].extract_text()
    assert "Nguyễn Thị Ánh Tuyết" in unicodedata.normalize("NFC", text)

    # the public check page, served by gunicorn
    status, html = _http_get(f"{web}/verify/{certificate.serial}/")
    assert status == 200
    assert "Nguyễn Thị Ánh Tuyết" in html
    status, _html = _http_get(f"{web}/verify/HS-0000-0000-0000/")
    assert status == 404

    # Hà Nội's HR manager sees the learner counted; Lào Cai's does not see them at all
    hanoi_manager, laocai_manager = UserFactory(), UserFactory()
    manager_scope_set(user=hanoi_manager, agency=Agency.objects.get(code="01"))
    manager_scope_set(user=laocai_manager, agency=Agency.objects.get(code="15"))
    client.force_login(hanoi_manager)
    response = client.get(reverse("reports:coverage"))
    root = response.context["coverage"].root
    assert (root.headcount, root.trained, root.certified) == (1, 1, 1)
    assert "Nguyễn Thị Ánh Tuyết" in response.content.decode()
    client.force_login(laocai_manager)
    response = client.get(reverse("reports:coverage"))
    root = response.context["coverage"].root
    assert (root.headcount, root.trained, root.certified) == (0, 0, 0)
    assert "Nguyễn Thị Ánh Tuyết" not in response.content.decode()
    export = client.get(reverse("reports:coverage_csv"), {"table": "people"})
    assert "Nguyễn Thị Ánh Tuyết" not in b"".join(export.streaming_content).decode("utf-8-sig")
