"""Factories: agencies (as tree nodes), people, and whole courses built as page trees."""

from __future__ import annotations

import itertools

import factory
from wagtail.models import Locale, Page

from assessments.models import Question, QuestionBank, QuestionOption, QuizPage
from certificates.models import CertificateType, IssuingAuthority
from courses.models import CoursePage, LessonPage
from courses.services import course_requirements_sync
from lms.org.models import Agency, AgencyKind, Person, PositionCategory, User
from lms.setup.coursepack import catalog_ensure

_codes = itertools.count(1)


def agency(name: str, *, parent: Agency | None = None, kind: str = AgencyKind.UNIT,
           code: str | None = None) -> Agency:
    """An agency node; a root if no parent is given."""
    code = code or f"T{next(_codes):05d}"
    if parent is None:
        return Agency.add_root(code=code, name=name, kind=kind)
    return parent.add_child(code=code, name=name, kind=kind)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Trần Thị Hồng {n}")
    position = PositionCategory.CIVIL_SERVANT
    agency = None  # always given by the test


def question_create(*, bank: QuestionBank, prompt: str = "Câu hỏi?",
                    kind: str = "single_choice",
                    options: list[tuple] = (("Đúng", 1), ("Sai", 0)),
                    shuffle: bool = True, **fields: object) -> Question:
    """A question with its options given as (text, fraction) or (text, fraction, extra
    fields) tuples, in order."""
    question = Question.objects.create(bank=bank, kind=kind, prompt=f"<p>{prompt}</p>",
                                       shuffle_options=shuffle, **fields)
    for order, (text, fraction, *extra) in enumerate(options):
        QuestionOption.objects.create(question=question, sort_order=order, text=text,
                                      fraction=fraction, **(extra[0] if extra else {}))
    return question


def authority_default() -> IssuingAuthority:
    authority, _ = IssuingAuthority.objects.get_or_create(code="hocso", defaults={
        "name": "Nền tảng HọcSố", "signer_name": "Nguyễn Văn An",
        "signer_title": "Giám đốc", "signer_title_en": "Director"})
    return authority


def build_course(*, code: str = "KNS-T", lessons: int = 2, questions: int = 3,
                 pass_mark: int = 60, title: str = "Kỹ năng số cơ bản",
                 certificate: bool = True) -> CoursePage:
    """A published course with lessons, a quiz whose first option is always the right one,
    and (by default) a certificate type."""
    if Page.get_first_root_node() is None:  # flushed by a transactional test, reused db
        Locale.objects.get_or_create(language_code="vi")
        Page.add_root(instance=Page(title="Root", slug="root"))
    catalog = catalog_ensure()
    course = CoursePage(title=title, code=code, slug=code.lower(), summary="Tóm tắt",
                        estimated_minutes=30, target_positions=["civil_servant"])
    catalog.add_child(instance=course)
    course.save_revision().publish()
    for index in range(lessons):
        lesson = LessonPage(title=f"Bài {index + 1}", slug=f"bai-{index + 1}",
                            body=[("text", f"<p>Nội dung bài {index + 1}</p>")])
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    bank = QuestionBank.objects.create(name=f"Ngân hàng {code}")
    quiz = QuizPage(title="Bài kiểm tra", slug="kiem-tra", pass_mark=pass_mark,
                    shuffle_questions=False, review_policy="after_attempt", questions=[
        ("question", {"question": question_create(
            bank=bank, prompt=f"Câu hỏi {index + 1}?",
            options=[("Đúng", 1), ("Sai", 0), ("Không biết", 0)], shuffle=False)})
        for index in range(questions)
    ])
    course.add_child(instance=quiz)
    quiz.save_revision().publish()
    course_requirements_sync(course=course)
    if certificate:
        CertificateType.objects.create(code=code.lower(), name=f"Chứng nhận {title}",
                                       course=course, authority=authority_default())
    return CoursePage.objects.get(pk=course.pk)


def attempt_answers(attempt, *, right: int | None = None) -> dict[int, object]:
    """Responses to an attempt, by slot position: the first ``right`` questions (all when
    None) answered right, the others wrongly."""
    from assessments.grading import correct_response

    answers: dict[int, object] = {}
    for index, slot in enumerate(attempt.slots.order_by("position")):
        good = correct_response(slot.snapshot, slot.layout)
        if right is None or index < right:
            answers[slot.position] = good
        elif isinstance(good, str) and slot.layout.get("options"):
            answers[slot.position] = next(o for o in slot.layout["options"] if o != good)
        elif isinstance(good, str):
            answers[slot.position] = "không biết"
        elif slot.snapshot["kind"] == "ordering":
            answers[slot.position] = list(reversed(good))
        elif isinstance(good, list):  # multiple response: the options that are not right
            answers[slot.position] = [o for o in slot.layout["options"] if o not in good][:1]
        else:  # matching: every item given another item's answer
            matches = [m["id"] for m in slot.layout["matches"]]
            answers[slot.position] = {
                stem: next(m for m in matches if m != good[stem]) for stem in good}
    return answers


def attempt_form(attempt, answers: dict[int, object]) -> dict[str, object]:
    """The POST data the quiz page's form sends for ``answers`` (see assessments.responses)."""
    kinds = {slot.position: slot.snapshot["kind"] for slot in attempt.slots.all()}
    data: dict[str, object] = {"p": [str(p) for p in answers]}
    for position, value in answers.items():
        if isinstance(value, dict):
            data.update({f"s{position}-{k}": v for k, v in value.items()})
        elif isinstance(value, list) and kinds.get(position) == "ordering":
            data.update({f"s{position}-{item}": str(rank)
                         for rank, item in enumerate(value, start=1)})
        else:
            data[f"s{position}"] = value
    return data
