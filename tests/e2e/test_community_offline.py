"""The community teams' offline web app in headless Chromium: visits recorded with the
network off are sent once when it returns, with the phone's times; a record the server
refuses stays on the phone for correction; the open courses are readable offline."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from courses.models import CoursePage, LessonPage
from lms.community.models import Team, Visit
from lms.community.services import team_create
from lms.org.models import AgencyKind, PositionCategory
from lms.records.models import Statement
from tests.factories import PersonFactory, agency, build_course

# serialized_rollback, like every transactional test here: on PostgreSQL a plain flush lets
# post_migrate recreate rows (content types, schedules) under new ids, which the next
# serialized test would then load a second time
pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-for-tests-1"  # tests.factories.UserFactory's

QUEUE_JS = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("hocso-community");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction("outbox").objectStore("outbox").getAll();
    request.onsuccess = () => resolve(request.result);
  };
})"""
QUEUE_PUT_JS = """(records) => new Promise((resolve, reject) => {
  const open = indexedDB.open("hocso-community");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction("outbox", "readwrite");
    records.forEach((record) => tx.objectStore("outbox").put(record));
    tx.oncomplete = () => resolve(records.length);
  };
})"""


@pytest.fixture
def member():
    # no ``db``/``transactional_db`` argument: the module's mark gives the database; asking
    # for either fixture here made pytest-django drop the serialized rollback
    nation = agency("Việt Nam", kind=AgencyKind.NATION, code="VN")
    commune = agency("Xã Tả Van", parent=nation, kind=AgencyKind.COMMUNE, code="02680")
    person = PersonFactory(agency=commune, full_name="Lò Thị Mai",
                           position=PositionCategory.COMMUNITY_TEAM)
    team_create(name="Tổ công nghệ số thôn 2", commune=commune, members=[person], by=None)
    return person.user


def _log_in(page, user, next_url: str) -> None:
    page.goto(f"{reverse('login')}?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button")
    page.wait_for_url(f"**{next_url}")


def _controlled(page) -> None:
    """Waits until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")


def _record(page, *, place: str, citizens: int, services: list[str], queued: int) -> None:
    page.fill("[name=place]", place)
    for service in services:
        page.check(f"[name=services][value={service}]")
    page.fill("[name=citizens]", str(citizens))
    page.select_option("[name=outcome]", "done")
    page.click("#visit-submit")
    page.wait_for_function(
        f"document.querySelectorAll('#outbox li[data-state]').length === {queued}")
    assert page.input_value("[name=place]") == ""  # the form is cleared for the next one


def _wait_queue_empty(page, seconds: float = 15) -> None:
    """Waits until the phone's queue is empty (IndexedDB is asynchronous: polled)."""
    deadline = time.monotonic() + seconds
    while page.evaluate(QUEUE_JS):
        assert time.monotonic() < deadline, "the queue was not sent"
        page.wait_for_timeout(100)


def test_three_visits_recorded_offline_are_sent_once_with_their_device_times(
        browser_context, page, member):
    form_url = reverse("community:visit_new")
    _log_in(page, member, form_url)
    _controlled(page)

    browser_context.set_offline(True)
    page.reload()  # from the service worker's cache
    assert page.locator("#visit-form").is_visible()
    _record(page, place="Thôn 2", citizens=4, services=["vneid"], queued=1)
    _record(page, place="Thôn Lủ Khấu", citizens=2, services=["payment", "safety"], queued=2)
    _record(page, place="Tổ 5", citizens=1, services=["public_service"], queued=3)
    assert page.locator("#outbox li[data-state=waiting]").count() == 3
    assert "Đã lưu trên điện thoại" in page.inner_text("#offline-saved")
    assert Visit.objects.count() == 0
    queued = page.evaluate(QUEUE_JS)
    assert len(queued) == 3 and len({record["id"] for record in queued}) == 3

    browser_context.set_offline(False)
    page.wait_for_function("document.querySelector('#outbox').hidden")
    _wait_queue_empty(page)
    visits = {str(visit.pk): visit for visit in Visit.objects.all()}
    assert len(visits) == 3
    for record in queued:
        visit = visits[record["id"]]
        assert visit.recorded_at == parse_datetime(record["body"]["recorded_at"])
        assert visit.place == record["body"]["place"]
        assert visit.member == member
    statements = [visit.statement_id for visit in visits.values()]
    assert Statement.objects.filter(pk__in=statements).count() == 3
    assert Statement.objects.count() == 3

    # the same queue sent again: the server takes it as a no-op
    assert page.evaluate(QUEUE_PUT_JS, queued) == 3
    assert len(page.evaluate(QUEUE_JS)) == 3
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_queue_empty(page)
    page.reload()
    assert page.locator("#outbox").is_hidden()
    assert Visit.objects.count() == 3
    assert Statement.objects.count() == 3


def test_a_record_the_server_refuses_stays_queued_for_correction(
        browser_context, page, member):
    _log_in(page, member, reverse("community:visit_new"))
    _controlled(page)
    team = Team.objects.get()
    browser_context.set_offline(True)
    # what the form's own checks catch: a message in the form, nothing queued
    page.fill("[name=place]", "Thôn 3")
    page.fill("[name=citizens]", "-1")
    page.fill("[name=visited_on]", "2099-01-01")
    page.click("#visit-submit")
    assert page.inner_text("#error-citizens") == "Nhập ít nhất 1 người dân."
    assert page.inner_text("#error-visited_on") == "Ngày không được ở tương lai."
    assert page.inner_text("#error-services")
    assert page.evaluate(QUEUE_JS) == []
    # what an old cached form could have produced: an unknown service, a negative count
    bad = {"id": "0b5cab00-0000-4000-8000-000000000009", "state": "waiting", "errors": {},
           "queued": 1, "body": {
               "id": "0b5cab00-0000-4000-8000-000000000009",
               "recorded_at": "2026-01-05T09:15:00+07:00", "team": team.pk,
               "visited_on": "2026-01-05", "place": "Thôn 3", "services": ["fax"],
               "citizens": -2, "outcome": "done", "note": "", "consent": False,
               "phone": ""}}
    page.evaluate(QUEUE_PUT_JS, [bad])
    page.reload()
    page.wait_for_selector("#outbox li[data-state=waiting]")

    browser_context.set_offline(False)
    item = page.wait_for_selector("#outbox li[data-state=correction]")
    assert "fax" in item.inner_text()
    assert Visit.objects.count() == 0
    assert len(page.evaluate(QUEUE_JS)) == 1  # kept on the phone

    page.click(f"[data-correct='{bad['id']}']")
    page.wait_for_function(f"document.querySelector('[name=id]').value === '{bad['id']}'")
    assert page.input_value("[name=place]") == "Thôn 3"
    assert "fax" in page.inner_text("[data-error-for=services]")
    assert page.inner_text("[data-error-for=citizens]")
    page.check("[name=services][value=vneid]")
    page.fill("[name=citizens]", "2")
    assert page.input_value("[name=outcome]") == "done"
    page.click("#visit-submit")
    page.wait_for_function("document.querySelector('#outbox').hidden")
    _wait_queue_empty(page)
    visit = Visit.objects.get()
    assert str(visit.pk) == bad["id"]
    assert (visit.services, visit.citizens) == (["vneid"], 2)


def test_open_courses_are_readable_offline(browser_context, page, member):
    course = build_course(code="DVC-PUB", title="Dịch vụ công trực tuyến", certificate=False)
    CoursePage.objects.filter(pk=course.pk).update(public=True)
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    _log_in(page, member, reverse("community:home"))
    _controlled(page)

    browser_context.set_offline(True)
    page.goto(reverse("courses:public_catalog"))
    assert page.locator("a", has_text="Dịch vụ công trực tuyến").count() == 1
    page.goto(lesson.get_url())
    assert "Nội dung bài 1" in page.inner_text("main")
    response = page.goto("/community/never-saved/")
    assert response.status == 503
    assert "You are offline" in page.inner_text("body")
