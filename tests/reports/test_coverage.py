import csv
import io

import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateType
from lms.org.services import manager_scope_set
from lms.reports.selectors import coverage_for
from tests.factories import PersonFactory, UserFactory

from .conftest import complete_course

pytestmark = pytest.mark.django_db




@pytest.fixture
def people(tree, course):
    """Hồng Hà: 3 people, 2 trained, 1 certified; Ba Đình: 1 untrained; Sa Pa: 2, 1 trained."""
    certificate_type = CertificateType.objects.get(course=course)
    made = {}
    for key, agency, trained, certified in [
        ("tuyet", "hong_ha", True, True), ("binh", "hong_ha", True, False),
        ("chau", "hong_ha", False, False), ("dung", "ba_dinh", False, False),
        ("hmong", "sa_pa", True, False), ("lo", "sa_pa", False, False),
    ]:
        person = PersonFactory(agency=tree[agency], full_name=f"Người {key}")
        if trained:
            complete_course(person.user, course)
        if certified:
            Certificate.objects.create(serial=f"HS-TEST-{key}", user=person.user,
                                       certificate_type=certificate_type,
                                       holder_name=person.full_name, course_title="x",
                                       issued_at="2026-11-01T00:00:00Z")
        made[key] = person
    return made


def test_rates_roll_up_the_tree_once(tree, course, people):
    certificate_type = CertificateType.objects.get(course=course)
    national = coverage_for(root=tree["nation"], certificate_type=certificate_type)
    assert (national.root.headcount, national.root.trained, national.root.certified) == (6, 3, 1)
    local = national.children[0]
    assert (local.headcount, local.trained, local.certified) == (6, 3, 1)
    province = coverage_for(root=tree["hanoi"], certificate_type=certificate_type)
    assert (province.root.headcount, province.root.trained, province.root.certified) == (4, 2, 1)
    by_code = {row.agency.code: row for row in province.children}
    assert (by_code["00097"].headcount, by_code["00097"].trained) == (3, 2)
    assert by_code["00097"].trained_rate == pytest.approx(2 / 3)
    assert (by_code["00004"].headcount, by_code["00004"].trained) == (1, 0)
    laocai = coverage_for(root=tree["laocai"], certificate_type=certificate_type)
    assert (laocai.root.headcount, laocai.root.trained, laocai.root.certified) == (2, 1, 0)


def test_manager_sees_own_subtree_only(client, tree, course, people):
    manager = UserFactory()
    manager_scope_set(user=manager, agency=tree["laocai"])
    client.force_login(manager)
    page = client.get(reverse("reports:coverage")).content.decode()
    assert "Người hmong" in page
    assert "Người tuyet" not in page and "Người binh" not in page
    assert "Phường Hồng Hà" not in page
    # Drilling into another province is refused, with a message, not a 500
    outside = client.get(reverse("reports:coverage"), {"agency": "01"})
    assert outside.status_code == 404
    assert "Người tuyet" not in outside.content.decode()
    unknown = client.get(reverse("reports:coverage"), {"agency": "nope"})
    assert unknown.status_code == 404
    people_csv = client.get(reverse("reports:coverage_csv"), {"table": "people"})
    body = b"".join(people_csv.streaming_content).decode("utf-8-sig")
    names = [row[0] for row in csv.reader(io.StringIO(body))][1:]
    assert sorted(names) == ["Người hmong", "Người lo"]
    denied_csv = client.get(reverse("reports:coverage_csv"), {"agency": "00097",
                                                              "table": "people"})
    assert denied_csv.status_code == 404


def test_coverage_csv_has_the_figures(client, tree, course, people):
    manager = UserFactory()
    manager_scope_set(user=manager, agency=tree["hanoi"])
    client.force_login(manager)
    response = client.get(reverse("reports:coverage_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(
        b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][:4] == ["01", "Thành phố Hà Nội", "4", "2"]
    assert rows[1][4] == "50.0"
    hong_ha = next(r for r in rows if r[0] == "00097")
    assert hong_ha[2:] == ["3", "2", "66.7", "1", "33.3"]


def test_drill_down_within_scope(client, tree, course, people):
    manager = UserFactory()
    manager_scope_set(user=manager, agency=tree["hanoi"])
    client.force_login(manager)
    response = client.get(reverse("reports:coverage"), {"agency": "00097"})
    assert response.status_code == 200
    assert response.context["coverage"].root.headcount == 3
    assert "Người dung" not in response.content.decode()


def test_no_scope_gets_a_clear_page(client, tree):
    client.force_login(UserFactory())
    response = client.get(reverse("reports:coverage"))
    assert response.status_code == 403
    assert 'role="alert"' in response.content.decode()


def test_without_a_certificate_type_people_are_counted_untrained(tree, people):
    coverage = coverage_for(root=tree["hanoi"], certificate_type=None)
    assert (coverage.root.headcount, coverage.root.trained, coverage.root.certified) == (4, 0, 0)


def test_people_csv_neutralises_formulas(client, tree, course):
    PersonFactory(agency=tree["hong_ha"], full_name='=HYPERLINK("http://x","bấm")')
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(reverse("reports:coverage_csv"), {"table": "people"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()
                                       .lstrip("\ufeff"))))
    assert rows[1][0] == '\'=HYPERLINK("http://x","bấm")'
