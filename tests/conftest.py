from __future__ import annotations

from pathlib import Path

import pytest

from assessments.models import QuizPage
from certificates.keys import dev_key_generate
from courses.models import CoursePage, LessonPage
from lms.celery import app as celery_app
from lms.org.models import Agency, AgencyKind

from .factories import PersonFactory, agency, build_course


def _server_rank(item: pytest.Item) -> int:
    """0: the rest; 1: the stack test (worker and gunicorn); 2: the browser tests."""
    if "chromium" in getattr(item, "fixturenames", ()):
        return 2
    return 1 if item.get_closest_marker("stack") is not None else 0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that start servers run last (the stack test, then the browser tests), after
    pytest-django's own ordering. After them, on PostgreSQL, the next serialized test would
    find rows recreated under new ids (content types, schedules: Playwright keeps Django's
    connection in its own context, so the flush after a browser test cannot use the
    serialized database and lets post_migrate run) and fail to load its own."""
    items.sort(key=_server_rank)  # stable: each group keeps pytest-django's order


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def signing_key_files(tmp_path_factory) -> tuple[Path, Path]:
    """A throwaway development key and self-signed certificate, made once per run."""
    folder = tmp_path_factory.mktemp("keys")
    key_path, cert_path = folder / "signing-key.pem", folder / "signing-cert.pem"
    dev_key_generate(key_path=key_path, cert_path=cert_path,
                     common_name="HọcSố test signer", organization="HọcSố")
    return key_path, cert_path


@pytest.fixture(autouse=True)
def _signing_key(settings, signing_key_files):
    """Certificates are signed with the test key, never with a key found on the machine."""
    settings.HOCSO_SIGNING_KEY, settings.HOCSO_SIGNING_CERT = signing_key_files
    settings.HOCSO_SIGNING_KEY_PASSWORD = ""


@pytest.fixture(autouse=True)
def _celery_inline(request):
    """Tasks run inline, as in the embedded default, except in the tests that start a
    real worker (marked ``stack``)."""
    eager = request.node.get_closest_marker("stack") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def tree(db) -> dict[str, Agency]:
    """A small agency tree: nation > local > two provinces > two communes each."""
    nation = agency("Việt Nam", kind=AgencyKind.NATION, code="VN")
    local = agency("Địa phương", parent=nation, kind=AgencyKind.LOCAL, code="DP")
    hanoi = agency("Thành phố Hà Nội", parent=local, kind=AgencyKind.PROVINCE, code="01")
    agency("Tỉnh Lào Cai", parent=Agency.objects.get(pk=local.pk), kind=AgencyKind.PROVINCE,
           code="15")
    agency("Phường Hồng Hà", parent=hanoi, kind=AgencyKind.WARD, code="00097")
    agency("Phường Ba Đình", parent=Agency.objects.get(pk=hanoi.pk), kind=AgencyKind.WARD,
           code="00004")
    agency("Phường Sa Pa", parent=Agency.objects.get(code="15"), kind=AgencyKind.WARD,
           code="02665")
    codes = {"nation": "VN", "local": "DP", "hanoi": "01", "laocai": "15", "hong_ha": "00097",
             "ba_dinh": "00004", "sa_pa": "02665"}
    # fetched afresh: treebeard keeps child counts on the instance
    return {key: Agency.objects.get(code=code) for key, code in codes.items()}


@pytest.fixture
def course(db) -> CoursePage:
    return build_course()


@pytest.fixture
def public_course(course) -> CoursePage:
    """``course`` open to readers without an account (citizens)."""
    course.public = True
    course.save()
    return course


@pytest.fixture
def lessons(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


@pytest.fixture
def quiz(course) -> QuizPage:
    return QuizPage.objects.child_of(course).get()


@pytest.fixture
def learner(tree):
    return PersonFactory(agency=tree["hong_ha"], full_name="Nguyễn Thị Ánh Tuyết").user


@pytest.fixture(autouse=True)
def _xapi_credentials_fresh():
    """Each test starts with no verified xAPI credentials and no learner ids remembered by
    the process (a rolled-back test's ids may be reused by the next)."""
    from lms.records.credentials import credential_cache_clear
    from lms.records.selectors import learner_cache_clear

    credential_cache_clear()
    learner_cache_clear()
    yield
    credential_cache_clear()
    learner_cache_clear()
