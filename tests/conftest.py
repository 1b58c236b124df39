from __future__ import annotations

import pytest

from assessments.models import QuizPage
from courses.models import CoursePage, LessonPage
from lms.org.models import Agency, AgencyKind

from .factories import PersonFactory, agency, build_course


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tree(db) -> dict[str, Agency]:
    """A small agency tree: nation > local > two provinces > two communes each."""
    nation = agency("Việt Nam", kind=AgencyKind.NATION, code="VN")
    local = agency("Địa phương", parent=nation, kind=AgencyKind.LOCAL, code="DP")
    hanoi = agency("Thành phố Hà Nội", parent=local, kind=AgencyKind.PROVINCE, code="01")
    laocai = agency("Tỉnh Lào Cai", parent=local, kind=AgencyKind.PROVINCE, code="15")
    return {
        "nation": Agency.objects.get(pk=nation.pk),
        "local": Agency.objects.get(pk=local.pk),
        "hanoi": Agency.objects.get(pk=hanoi.pk),
        "laocai": Agency.objects.get(pk=laocai.pk),
        "hong_ha": agency("Phường Hồng Hà", parent=Agency.objects.get(pk=hanoi.pk),
                          kind=AgencyKind.WARD, code="00097"),
        "ba_dinh": agency("Phường Ba Đình", parent=Agency.objects.get(pk=hanoi.pk),
                          kind=AgencyKind.WARD, code="00004"),
        "sa_pa": agency("Phường Sa Pa", parent=Agency.objects.get(pk=laocai.pk),
                        kind=AgencyKind.WARD, code="02665"),
    }


@pytest.fixture
def course(db) -> CoursePage:
    return build_course()


@pytest.fixture
def lessons(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


@pytest.fixture
def quiz(course) -> QuizPage:
    return QuizPage.objects.child_of(course).get()


@pytest.fixture
def learner(tree):
    return PersonFactory(agency=tree["hong_ha"], full_name="Nguyễn Thị Ánh Tuyết").user
