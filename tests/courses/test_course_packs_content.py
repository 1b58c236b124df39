"""Walks every course pack in content/courses/ (whatever is there when the tests run):
the pack is complete and correct, imports, and every lesson renders in both languages."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils.html import escape

from courses.competencies import known_codes
from courses.models import CoursePage, LessonPage
from lms.setup.packs.importer import packs_import
from lms.setup.packs.reader import LANGUAGES, pack_folders, pack_read
from tests.factories import UserFactory

FOLDERS = pack_folders(Path(settings.BASE_DIR) / "content" / "courses")
each_pack = pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])


@each_pack
def test_pack_is_complete(folder):
    # pack_read refuses a missing language file, a question without a right answer,
    # feedback or explanation in both languages, a short exam bank and unknown codes;
    # the checks are repeated here so a failure reads plainly
    pack = pack_read(folder, known_codes=known_codes())
    assert 5 <= len(pack.lessons) <= 10, f"{folder.name}: {len(pack.lessons)} lessons"
    for lesson in pack.lessons:
        assert set(lesson.texts) == set(LANGUAGES), lesson.stem
        assert lesson.questions, f"{lesson.stem}: no practice questions"
    for question in pack.all_questions():
        assert any(choice.correct for choice in question.choices), question.key
        for language in LANGUAGES:
            assert question.explanation[language].strip(), question.key
            assert all(choice.feedback[language].strip() for choice in question.choices), \
                question.key
    assert len(pack.exam_questions) >= 3 * pack.exam["draw"]


@each_pack
@pytest.mark.django_db
def test_pack_imports_and_renders_in_both_languages(folder, client):
    reports, refused = packs_import(folders=[folder])
    assert refused == {}
    course = CoursePage.objects.get(pk=reports[0].course.pk)
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    assert len(lessons) == len(pack_read(folder, known_codes=known_codes()).lessons)
    if not course.public:  # public packs are read anonymously, the others by an editor
        client.force_login(UserFactory(is_superuser=True))  # (lessons in order bind learners)
    for page in [course, *lessons]:
        for language, title in (("vi", page.title), ("en", page.title_en)):
            client.cookies["django_language"] = language
            response = client.get(page.url)
            assert response.status_code == 200, (page.url, language)
            assert title and f"<h1>{escape(title)}</h1>" in response.content.decode(), (
                page.url, language)
