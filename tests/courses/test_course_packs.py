"""The course-pack importer (format v2) on the small sample pack in tests/courses/packs/."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from assessments.models import Attempt, Question, QuestionBank, QuizPage
from assessments.services import attempt_start, attempt_submit
from certificates.models import CertificateType
from courses.competencies import proven_competencies
from courses.models import Competency, CoursePage, LessonPage
from courses.services import lesson_complete
from lms.records.models import ActivityRequirement, Progress
from lms.setup.packs.importer import KEPT_MESSAGE, packs_import
from lms.setup.packs.reader import PackError, pack_read
from tests.factories import attempt_answers

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "packs" / "mau-tep-tin"


def _import(folder: Path = SAMPLE, *, force: bool = False):
    reports, refused = packs_import(folders=[folder], force=force)
    assert refused == {}
    return reports[0]


@pytest.fixture
def pack(tmp_path) -> Path:
    """A copy of the sample pack the test may change."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "mau-tep-tin"))


def _pages() -> list[tuple[int, str]]:
    course = CoursePage.objects.get(code="MAU-TEP")
    return sorted(course.get_descendants(inclusive=True).values_list("pk", "slug"))


def test_import_on_an_empty_database():
    report = _import()
    course = CoursePage.objects.get(code="MAU-TEP")
    assert (course.title, course.title_en) == ("Mẫu: Quản lý tệp công việc",
                                                "Sample: Managing work files")
    assert course.competencies == ["dc.1.3", "dc.4.1"]
    assert course.sequential and not course.public
    lessons = list(LessonPage.objects.child_of(course).order_by("path"))
    assert [lesson.slug for lesson in lessons] == ["dat-ten-tep", "sao-luu"]
    first = lessons[0]
    assert first.title_en == "Naming files by a rule"
    assert [block.block_type for block in first.body] == [
        "text", "table", "image", "callout", "callout"]
    assert [block.block_type for block in first.body_en] == [
        "text", "table", "image", "callout", "callout"]
    table = first.body[1].value
    assert table["data"][0] == ["Tên", "Đánh giá"]
    assert table["data"][1] == ["Moi.docx", "Không rõ"]
    image = first.body[2].value
    assert image["image"].is_svg() and image["alt"].startswith("Sơ đồ đặt tên tệp")
    assert first.body[4].value["kind"] == "steps"
    assert "<code>2026-11-20_BaoCao.docx</code>" in str(first.body[0].value)
    # a practice quiz under each lesson, the exam under the course drawing 2 of 6
    practice = QuizPage.objects.child_of(first).get()
    assert (practice.kind, practice.title_en, len(practice.questions)) == (
        "practice", "Practice", 3)
    exam = QuizPage.objects.child_of(course).get()
    assert (exam.kind, exam.slug, exam.pass_mark) == ("exam", "bai-thi-cuoi-khoa", 50)
    draw = exam.questions[0]
    assert draw.block_type == "random" and draw.value["count"] == 2
    assert draw.value["bank"].questions.count() == 6
    question = Question.objects.get(name="l1-ten-3")
    assert (question.kind, question.competency, question.difficulty) == (
        "multiple_response", "dc.1.3", 2)
    assert question.prompt_en == "<p>What should a file name hold?</p>"
    assert [float(o.fraction) for o in question.options.all()] == [0.5, 0.5, -0.5]
    true_false = Question.objects.get(name="l1-ten-2")
    assert [(o.text, float(o.fraction)) for o in true_false.options.all()] == [
        ("true", 1.0), ("false", 0.0)]
    # the course rule: both lessons completed and the exam passed
    assert ActivityRequirement.objects.filter(parent_id=course.activity_id).count() == 3
    assert CertificateType.objects.get(code="mau-tep").course_id == course.pk
    assert Competency.objects.get(code="dc.1.3").name_en.startswith("Managing data")
    assert report.counts["created"] == 1 + 2 + 2 + 1 + 11  # pages and questions
    assert report.counts["kept"] == report.counts["updated"] == 0


def test_reimport_keeps_pages_and_progress(learner):
    _import()
    before = _pages()
    course = CoursePage.objects.get(code="MAU-TEP")
    lesson = LessonPage.objects.child_of(course).order_by("path").first()
    lesson_complete(user=learner, lesson=lesson)
    report = _import()
    assert report.counts["unchanged"] == 17 and report.counts["created"] == 0
    assert _pages() == before
    assert CoursePage.objects.filter(code="MAU-TEP").count() == 1
    assert Question.objects.count() == 11 and QuestionBank.objects.count() == 2
    progress = Progress.objects.get(user=learner, activity_id=lesson.activity_id)
    assert progress.completed


def test_a_changed_pack_updates_in_place(pack):
    _import(pack)
    before = _pages()
    lesson_file = pack / "lessons" / "02-sao-luu.en.md"
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8").replace(
        "Backing up documents", "Backing up work documents"), encoding="utf-8")
    exam = pack / "exam.yaml"
    exam.write_text(exam.read_text(encoding="utf-8").replace("Exam question 1?",
                                                             "Exam question one?"),
                    encoding="utf-8")
    report = _import(pack)
    assert report.counts["updated"] == 2, report.lines
    assert _pages() == before
    assert LessonPage.objects.get(slug="sao-luu").title_en == "Backing up work documents"
    assert Question.objects.get(name="thi-1").prompt_en == "<p>Exam question one?</p>"


def test_a_question_dropped_from_the_pack_is_retired(pack):
    _import(pack)
    questions = pack / "lessons" / "01-dat-ten-tep.questions.yaml"
    text = questions.read_text(encoding="utf-8")
    questions.write_text(text[:text.index("- key: l1-ten-3")], encoding="utf-8")
    report = _import(pack)
    assert report.counts["retired"] == 1
    assert ("updated", "practice quiz of dat-ten-tep", "") in report.lines
    assert not Question.objects.get(name="l1-ten-3").active
    assert len(QuizPage.objects.get(slug="luyen-tap", url_path__contains="dat-ten-tep")
               .questions) == 2


def test_an_editors_change_is_kept_and_reported_then_forced():
    _import()
    lesson = LessonPage.objects.get(slug="dat-ten-tep")
    lesson.title = "Đặt tên tệp (biên tập viên sửa)"
    lesson.save_revision().publish()
    question = Question.objects.get(name="l2-sao-luu-1")
    question.prompt = "<p>Câu hỏi do biên tập viên sửa?</p>"
    question.save()
    out = StringIO()
    call_command("import_course_packs", str(SAMPLE), stdout=out)
    text = out.getvalue()
    assert f"lesson dat-ten-tep: {KEPT_MESSAGE}" in text
    assert f"question l2-sao-luu-1: {KEPT_MESSAGE}" in text
    assert "mau-tep-tin: 0 created, 0 updated, 15 unchanged, 2 kept, 0 retired" in text
    lesson.refresh_from_db()
    assert lesson.title == "Đặt tên tệp (biên tập viên sửa)"
    revisions = lesson.revisions.count()
    # a second import without --force still keeps it
    assert _import().counts["kept"] == 2
    report = _import(force=True)
    assert report.counts["updated"] == 2 and report.counts["kept"] == 0
    lesson.refresh_from_db()
    assert lesson.title == "Đặt tên tệp có quy tắc"
    assert lesson.revisions.count() == revisions + 1  # the editor's version stays in history
    assert Question.objects.get(name="l2-sao-luu-1").prompt == "<p>Nên sao lưu ở đâu?</p>"
    # once overwritten, the next import sees its own content again
    assert _import().counts["unchanged"] == 17


def test_an_editors_draft_counts_as_a_change():
    _import()
    lesson = LessonPage.objects.get(slug="sao-luu")
    lesson.summary = "Bản nháp của biên tập viên"
    lesson.save_revision()  # saved, not published
    report = _import()
    assert ("kept", "lesson sao-luu", KEPT_MESSAGE) in report.lines


def _refused(folder: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        pack_read(folder, known_codes={f"dc.{d}.{n}" for d in range(1, 7) for n in range(1, 7)})
    return caught.value.problems


def test_unknown_competency_code_is_refused_naming_file_and_key(pack):
    questions = pack / "lessons" / "02-sao-luu.questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        "competency: dc.4.1", "competency: dc.9.9", 1), encoding="utf-8")
    assert _refused(pack) == [
        "mau-tep-tin/lessons/02-sao-luu.questions.yaml: question l2-sao-luu-1: unknown "
        "competency code 'dc.9.9' (not in content/competencies/)"]
    reports, refused = packs_import(folders=[pack])
    assert reports == [] and list(refused.values())[0] == _refused(pack)
    assert not CoursePage.objects.filter(code="MAU-TEP").exists()


def test_missing_english_lesson_is_refused_naming_the_file(pack):
    (pack / "lessons" / "02-sao-luu.en.md").unlink()
    assert _refused(pack) == ["mau-tep-tin/lessons/02-sao-luu.en.md: file missing"]


def test_question_without_a_correct_answer_is_refused_naming_the_file(pack):
    exam = pack / "exam.yaml"
    exam.write_text(exam.read_text(encoding="utf-8").replace("correct: true", "correct: false",
                                                             1), encoding="utf-8")
    problems = _refused(pack)
    assert problems[0] == "mau-tep-tin/exam.yaml: question thi-1: no choice is marked correct"
    # and the bank is now short of 3 x draw good questions
    assert problems[1].startswith("mau-tep-tin/exam.yaml: the bank holds 5 good questions")


def test_image_without_alt_text_and_unknown_callout_are_refused(pack):
    lesson = pack / "lessons" / "01-dat-ten-tep.vi.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("![Sơ đồ đặt tên tệp: ngày, loại, nội dung]", "![]")
                      .replace("[!TIP]", "[!HINT]"), encoding="utf-8")
    problems = _refused(pack)
    assert any("01-dat-ten-tep.vi.md: line 18: the image ../images/ten-tep.svg needs alt text"
               in p for p in problems), problems
    assert any("01-dat-ten-tep.vi.md: line 20: unknown callout [!HINT]" in p for p in problems)


def test_command_refuses_with_a_clear_message(pack, capsys):
    (pack / "exam.yaml").unlink()
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 course packs refused"):
        call_command("import_course_packs", str(pack), stderr=err)
    assert "mau-tep-tin/exam.yaml: file missing" in err.getvalue()


# --- both languages ---------------------------------------------------------------------

def test_every_page_renders_in_both_languages(client):
    from tests.factories import UserFactory

    _import()
    course = CoursePage.objects.get(code="MAU-TEP")
    # not a public course, and one in order: an editor checking it reads every step
    client.force_login(UserFactory(is_superuser=True))
    for page in course.get_descendants(inclusive=True).specific():
        client.cookies["django_language"] = "vi"
        vietnamese = client.get(page.url)
        client.cookies["django_language"] = "en"
        english = client.get(page.url)
        assert vietnamese.status_code == english.status_code == 200, page.url
        assert f"<h1>{escape(page.title)}</h1>" in vietnamese.content.decode()
        assert f"<h1>{escape(page.title_en)}</h1>" in english.content.decode(), page.url
    lesson = LessonPage.objects.get(slug="dat-ten-tep")
    english = client.get(lesson.url).content.decode()
    assert "Type part of the file name into the search box." in english
    assert '<th scope="col">Verdict</th>' in english
    assert 'alt="Diagram of a file name: date, type, content"' in english
    assert "Gõ một phần tên tệp" not in english
    course_page = client.get(course.url).content.decode()
    assert "dc.1.3 Managing data, information and digital content" in course_page
    assert "Nghị định 30/2020/NĐ-CP" in course_page  # its sources


def test_progress_counts_once_whichever_language(client, learner):
    _import()
    lesson = LessonPage.objects.get(slug="dat-ten-tep")
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    client.post(f"/learn/lesson/{lesson.pk}/complete/")
    client.cookies["django_language"] = "vi"
    client.post(f"/learn/lesson/{lesson.pk}/complete/")
    assert Progress.objects.filter(user=learner, activity_id=lesson.activity_id).count() == 1
    assert "lesson-done" in client.get(lesson.url).content.decode()


def test_an_exam_in_english_is_shown_and_graded_on_the_same_options(client, learner):
    _import()
    exam = QuizPage.objects.get(slug="bai-thi-cuoi-khoa")
    for lesson in LessonPage.objects.child_of(exam.get_parent()):  # the course goes in order
        lesson_complete(user=learner, lesson=lesson)
    attempt = attempt_start(user=learner, quiz=exam)
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    page = client.get(exam.url).content.decode()
    prompts = [slot.snapshot["en"]["prompt"] for slot in attempt.slots.all()]
    assert all(prompt in page for prompt in prompts)
    assert "Câu thi" not in page
    attempt_submit(user=learner, attempt_id=attempt.pk, responses=attempt_answers(attempt))
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.passed
    result = client.get(f"/quiz/attempt/{attempt.pk}/").content.decode()
    assert "Exam question" in result and "Right." in result  # English prompts and feedback


def test_profile_lists_the_competences_proven_by_a_completed_course(client, learner):
    _import()
    client.force_login(learner)
    client.cookies["django_language"] = "en"
    assert "No competence proven yet" in client.get("/my/profile/").content.decode()
    course = CoursePage.objects.get(code="MAU-TEP")
    for lesson in LessonPage.objects.child_of(course):
        lesson_complete(user=learner, lesson=lesson)
    exam = QuizPage.objects.child_of(course).get()
    attempt = attempt_start(user=learner, quiz=exam)
    attempt_submit(user=learner, attempt_id=attempt.pk, responses=attempt_answers(attempt))
    proven = proven_competencies(user=learner)
    assert [(item.code, [c.code for c in courses]) for item, courses in proven] == [
        ("dc.1.3", ["MAU-TEP"]), ("dc.4.1", ["MAU-TEP"])]
    page = client.get("/my/profile/").content.decode()
    assert "dc.4.1 Protecting devices" in page
    assert "Sample: Managing work files" in page


def test_a_value_of_the_wrong_type_is_refused_without_a_traceback(pack):
    course = pack / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace(
        "estimated_minutes: 20", "estimated_minutes: lots"), encoding="utf-8")
    reports, refused = packs_import(folders=[pack])
    assert reports == []
    assert list(refused.values())[0][0].startswith("mau-tep-tin: cannot be imported")
    assert not CoursePage.objects.filter(code="MAU-TEP").exists()


def test_competencies_load_is_idempotent():
    out = StringIO()
    call_command("load_competencies", stdout=out)
    assert out.getvalue().strip() == "41 created, 0 updated, 0 unchanged"
    assert Competency.objects.filter(framework="dc", kind="competence").count() == 24
    assert Competency.objects.filter(framework="dc", kind="domain").count() == 6
    assert Competency.objects.filter(framework="dmbok").count() == 11
    call_command("load_competencies", stdout=out)
    assert out.getvalue().strip().endswith("0 created, 0 updated, 41 unchanged")


def test_editors_can_open_imported_pages_and_questions(client):
    from tests.factories import UserFactory

    _import()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    course = CoursePage.objects.get(code="MAU-TEP")
    for page in course.get_descendants(inclusive=True):
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200, page.url_path
    question = Question.objects.get(name="l1-ten-1")
    assert client.get(f"/admin/snippets/assessments/question/edit/{question.pk}/").status_code \
        == 200
