import pytest

from courses.models import LessonPage
from courses.wagtail_hooks import sync_after_change, sync_after_delete
from lms.records.models import ActivityRequirement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_editor_pages_render(client, course, lessons, quiz):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    for page in (course, lessons[0], quiz):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    assert client.get(f"/admin/pages/{course.pk}/").status_code == 200


def test_course_rule_follows_the_pages(course, lessons, quiz):
    rule = set(ActivityRequirement.objects.filter(parent_id=course.activity_id)
               .values_list("child_id", "rule"))
    assert rule == {(lessons[0].activity_id, "completed"), (lessons[1].activity_id, "completed"),
                    (quiz.activity_id, "passed")}
    extra = LessonPage(title="Bài 3", slug="bai-3", body=[("text", "<p>3</p>")])
    course.add_child(instance=extra)
    extra.save_revision().publish()
    sync_after_change(None, extra)
    assert ActivityRequirement.objects.filter(parent_id=course.activity_id).count() == 4
    extra.delete()
    sync_after_delete(None, extra)
    assert ActivityRequirement.objects.filter(parent_id=course.activity_id).count() == 3
    lessons[1].unpublish()
    sync_after_change(None, lessons[1])
    assert not ActivityRequirement.objects.filter(child_id=lessons[1].activity_id).exists()
