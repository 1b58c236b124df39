import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses.services import lesson_complete
from lms.assignments.models import Assignment
from lms.assignments.selectors import assignments_totals
from lms.assignments.services import assignments_sync
from lms.org.models import ManagerScope
from tests.factories import PersonFactory, UserFactory, build_course

from .conftest import CIVIL, IT, complete, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tree, client):
    user = UserFactory()
    ManagerScope.objects.create(user=user, agency=tree["hanoi"])
    client.force_login(user)
    return user


def test_my_learning_shows_required_courses_first(client, staff, tree, course, lessons):
    optional = build_course(code="OPT", title="Khóa tự chọn", certificate=False)
    soon = build_course(code="SOON", title="Khóa sắp đến hạn", certificate=False)
    learner = staff["an"].user
    from courses.services import course_enrol

    course_enrol(user=learner, course=optional)
    Assignment.objects.create(course=course, agency=tree["hanoi"], due_on=days(-2))
    Assignment.objects.create(course=soon, agency=tree["hong_ha"], positions=[CIVIL],
                              due_on=days(-5))
    Assignment.objects.create(course=optional, agency=tree["hong_ha"], positions=[IT],
                              due_on=days(1))  # not her position
    assignments_sync()
    complete(learner, soon.activity_id)
    lesson_complete(user=learner, lesson=lessons[0])
    client.force_login(learner)
    page = client.get(reverse("courses:my_learning")).content.decode()
    # open first (overdue), then the done one, then her own course
    assert page.index("Kỹ năng số cơ bản") < page.index("Khóa sắp đến hạn") < page.index(
        "Khóa tự chọn")
    assert page.count('class="badge overdue"') == 1
    assert page.count('class="badge done"') == 1
    assert days(-2).strftime("%d/%m/%Y") in page
    assert f'href="{lessons[1].url}"' in page  # resume where she left


def test_my_learning_without_required_courses_is_the_old_page(client, learner):
    client.force_login(learner)
    response = client.get("/my/")
    assert response.status_code == 200
    assert 'class="card required' not in response.content.decode()


def test_manager_lists_rules_of_the_subtree_with_counts(client, manager, staff, tree, course,
                                                        lessons):
    mine = Assignment.objects.create(course=course, agency=tree["hanoi"], positions=[CIVIL],
                                     due_on=days(-1), title="Hà Nội: kỹ năng số")
    national = Assignment.objects.create(course=course, agency=tree["nation"], positions=[IT],
                                         due_on=days(60), title="Toàn quốc: CNTT")
    Assignment.objects.create(course=course, agency=tree["laocai"], due_on=days(9),
                              title="Lào Cai: kỹ năng số")
    assignments_sync()
    lesson_complete(user=staff["an"].user, lesson=lessons[0])
    complete(staff["binh"].user, course.activity_id)
    response = client.get(reverse("assignments:list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hà Nội: kỹ năng số" in page and "Toàn quốc: CNTT" in page
    assert "Lào Cai" not in page
    rows = dict((r["rule"].pk, r) for r in response.context["rows"])
    counts = rows[mine.pk]["counts"]
    assert (counts.assigned, counts.not_started, counts.in_progress, counts.done,
            counts.overdue) == (3, 1, 1, 1, 2)
    assert rows[national.pk]["counts"].assigned == 1  # chi only: Lào Cai is not counted here
    assert rows[mine.pk]["editable"] and not rows[national.pk]["editable"]
    totals = assignments_totals(root=tree["hanoi"])
    assert (totals.rules, totals.overdue, totals.not_started) == (2, 2, 2)  # dao; chi


def test_another_subtrees_rule_is_a_404(client, manager, tree, course):
    laocai = Assignment.objects.create(course=course, agency=tree["laocai"], due_on=days(9))
    national = Assignment.objects.create(course=course, agency=tree["nation"],
                                         due_on=days(9))
    for name in ("people", "edit", "people_csv", "people_xlsx"):
        assert client.get(reverse(f"assignments:{name}", args=[laocai.pk])).status_code == 404
    assert client.post(reverse("assignments:archive", args=[laocai.pk])).status_code == 404
    # a national rule is visible, not editable
    assert client.get(reverse("assignments:people", args=[national.pk])).status_code == 200
    assert client.get(reverse("assignments:edit", args=[national.pk])).status_code == 404
    assert client.post(reverse("assignments:archive", args=[national.pk])).status_code == 404
    laocai.refresh_from_db()
    assert laocai.active


def test_an_agency_outside_the_subtree_is_refused(client, manager, tree, course):
    rule = Assignment.objects.create(course=course, agency=tree["hanoi"], due_on=days(9))
    response = client.get(reverse("assignments:people", args=[rule.pk]) + "?agency=02665")
    assert response.status_code == 404
    assert "02665" in response.content.decode()


def test_without_a_scope_the_pages_say_so(client, learner):
    client.force_login(learner)
    response = client.get(reverse("assignments:list"))
    assert response.status_code == 403
    assert "error-box" in response.content.decode()


def test_create_edit_and_archive_a_rule_in_scope(client, manager, staff, tree, course,
                                                 django_capture_on_commit_callbacks):
    form = client.get(reverse("assignments:new")).content.decode()
    assert "Phường Hồng Hà" in form and "Phường Sa Pa" not in form
    data = {"title": "", "course": course.pk, "positions": [CIVIL],
            "agency": tree["hong_ha"].pk, "due_on": days(30).isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assignments:new"), data)
    rule = Assignment.objects.get()
    assert response.status_code == 302
    assert (rule.agency, rule.positions, rule.created_by) == (tree["hong_ha"], [CIVIL], manager)
    assert rule.display_title == course.title
    assert set(rule.positions) == {CIVIL}
    from lms.records.models import Registration

    assert Registration.objects.filter(activity_id=course.activity_id).count() == 2
    response = client.post(reverse("assignments:edit", args=[rule.pk]),
                           {**data, "agency": tree["hanoi"].pk, "title": "Bắt buộc"})
    rule.refresh_from_db()
    assert (rule.agency, rule.title) == (tree["hanoi"], "Bắt buộc")
    client.post(reverse("assignments:archive", args=[rule.pk]))
    rule.refresh_from_db()
    assert rule.active is False
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize("change, error", [
    ({"agency_code": "sa_pa"}, "Select a valid choice"),
    ({"due_on": days(-1).isoformat()}, "past"),
    ({"course": ""}, "Choose a course or a certificate"),
    ({"certificate_type": "FROM_COURSE"}, "Choose a course or a certificate"),
])
def test_the_form_refuses_bad_rules(client, manager, tree, course, change, error):
    from certificates.models import CertificateType

    client.cookies["django_language"] = "en"
    data = {"course": course.pk, "agency": tree["hanoi"].pk,
            "due_on": days(3).isoformat()}
    if "agency_code" in change:
        data["agency"] = tree[change.pop("agency_code")].pk
    if change.get("certificate_type") == "FROM_COURSE":
        change["certificate_type"] = CertificateType.objects.get(course=course).pk
    data.update(change)
    response = client.post(reverse("assignments:new"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Assignment.objects.exists()


def test_people_list_by_status_and_agency_with_exports(client, manager, staff, tree, course):
    rule = Assignment.objects.create(course=course, agency=tree["hanoi"], due_on=days(-1))
    complete(staff["an"].user, course.activity_id)
    PersonFactory(agency=tree["hong_ha"], full_name="=HYPERLINK(\"http://x\")")
    url = reverse("assignments:people", args=[rule.pk])
    response = client.get(url + "?status=overdue")
    rows = response.context["rows"]
    # by agency (tree order), then name
    assert [p.agency.code for p, _s in rows] == ["01", "00097", "00097", "00004"]
    assert {p.full_name for p, _s in rows} == {"dao", "chi", "=HYPERLINK(\"http://x\")", "binh"}
    assert {status for _p, status in rows} == {"overdue"}
    assert response.context["page"].paginator.count == 4
    response = client.get(url + "?status=done&agency=00097")
    assert [p.full_name for p, _s in response.context["rows"]] == ["an"]
    csv_response = client.get(reverse("assignments:people_csv", args=[rule.pk])
                              + "?status=overdue&agency=00097")
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] in ("Họ và tên", "Full name")
    assert sorted(r[0] for r in rows[1:]) == ["'=HYPERLINK(\"http://x\")", "binh"]
    assert "@" not in text
    xlsx = client.get(reverse("assignments:people_xlsx", args=[rule.pk]) + "?status=overdue")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(values) == 4
    formula = next(row for row in values if row[0].startswith("="))
    assert formula[0] == "=HYPERLINK(\"http://x\")"  # text, not a formula


def test_people_list_paginates_with_the_known_count(client, manager, tree, course):
    rule = Assignment.objects.create(course=course, agency=tree["hanoi"], due_on=days(3))
    for index in range(55):
        PersonFactory(agency=tree["ba_dinh"], full_name=f"Người {index:02d}")
    url = reverse("assignments:people", args=[rule.pk])
    first = client.get(url + "?status=not_started")
    assert len(first.context["rows"]) == 50
    second = client.get(url + "?status=not_started&page=2")
    assert len(second.context["rows"]) == 5
    assert second.context["page"].paginator.num_pages == 2
