"""Moodle XML → HọcSố → Moodle XML keeps every question's text, options and scoring."""

import pytest
from lxml import etree

from assessments.banks import bank_export, bank_import, question_data
from assessments.formats.export import bank_to_moodle_xml, percent
from assessments.formats.moodle_xml import parse_moodle_xml
from assessments.models import QuestionBank

from . import formats_samples as samples

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _essence(question):
    return (question.kind, question.name, question.prompt_html, question.default_mark,
            question.shuffle_options, question.case_sensitive, question.competency,
            question.difficulty, question.explanation, question.feedback_correct,
            question.feedback_wrong, question.image,
            [(o.text, o.match, o.fraction, o.tolerance, o.feedback) for o in question.options])


def test_round_trip_keeps_texts_options_and_scoring():
    source = samples.quiz(samples.SINGLE, samples.MULTIPLE, samples.TRUE_FALSE,
                          samples.MATCHING, samples.SHORT, samples.NUMERICAL, samples.ORDERING,
                          samples.with_image())
    bank = QuestionBank.objects.create(name="Kỹ năng số cơ bản")
    report = bank_import(bank=bank, data=source, filename="nguon.xml")
    assert (report.created, report.errors) == (8, [])

    exported = bank_export(bank=bank)
    again = parse_moodle_xml(exported)
    assert [p for p in again.problems if not p.warning] == []
    original = parse_moodle_xml(source).questions
    assert [_essence(q) for q in again.questions] == [_essence(q) for q in original]
    assert {q.category for q in again.questions} == {"Kỹ năng số cơ bản"}
    uids = {str(uid) for uid in bank.questions.values_list("uid", flat=True)}
    assert {q.uid for q in again.questions} == uids  # idnumber = our uid

    # importing our own export again updates the same questions
    second = bank_import(bank=bank, data=exported, filename="xuat.xml")
    assert (second.created, second.updated, second.errors) == (0, 8, [])
    assert bank_export(bank=bank) == exported


def test_export_is_moodle_xml():
    bank = QuestionBank.objects.create(name="Ngân hàng")
    bank_import(bank=bank, data=samples.ALL_KINDS, filename="nguon.xml")
    root = etree.fromstring(bank_export(bank=bank))
    assert root.tag == "quiz"
    category, *questions = root.findall("question")
    assert category.get("type") == "category"
    assert category.findtext("category/text") == "$course$/top/Ngân hàng"
    assert [q.get("type") for q in questions] == [
        "multichoice", "multichoice", "truefalse", "matching", "shortanswer", "numerical",
        "ordering"]
    single, multiple, _tf, matching, short, numerical, ordering = questions
    assert single.findtext("single") == "true" and multiple.findtext("single") == "false"
    assert [a.get("fraction") for a in multiple.findall("answer")] == [
        "33.33333", "33.33333", "33.33333", "-100"]
    assert single.findtext("questiontext/text").startswith("<p>Thủ đô")
    assert [t.findtext("text") for t in single.findall("tags/tag")] == [
        "competency:1.2", "difficulty:hard"]
    assert single.findtext("defaultgrade") == "2.0000000"
    assert [(s.findtext("text"), s.findtext("answer/text"))
            for s in matching.findall("subquestion")] == [
        ("<p>Word</p>", "Soạn thảo văn bản"), ("<p>Excel</p>", "Bảng tính"),
        ("", "Chỉnh sửa ảnh")]
    assert short.findtext("usecase") == "1"
    assert [(a.findtext("text"), a.findtext("tolerance"))
            for a in numerical.findall("answer")] == [("3.14", "0.0100000"), ("3", "0.5000000")]
    assert ordering.findtext("gradingtype") == "ABSOLUTE_POSITION"
    assert [(a.get("fraction"), a.findtext("text")) for a in ordering.findall("answer")] == [
        ("1.0000000", "Mở trình duyệt"), ("2.0000000", "Đăng nhập"),
        ("3.0000000", "Nộp hồ sơ")]


def test_retired_question_exported_hidden_and_image_embedded():
    bank = QuestionBank.objects.create(name="Ảnh")
    bank_import(bank=bank, data=samples.quiz(samples.with_image()), filename="anh.xml")
    bank.questions.update(active=False)
    question = etree.fromstring(bank_export(bank=bank)).findall("question")[1]
    assert question.findtext("hidden") == "1"
    assert question.find("questiontext/file").get("name") == "so-do.png"
    assert '@@PLUGINFILE@@/so-do.png' in question.findtext("questiontext/text")
    data = question_data(bank.questions.get())
    assert data.image == ("so-do.png", samples.png_bytes())


@pytest.mark.parametrize("fraction, text", [(1.0, "100"), (0.0, "0"), (-0.5, "-50"),
                                            (0.3333333, "33.33333"), (0.1, "10"),
                                            (-1.0, "-100"), (0.05, "5")])
def test_percent_as_moodle_writes_it(fraction, text):
    assert percent(fraction) == text


def test_export_without_questions_is_a_category_only():
    root = etree.fromstring(bank_to_moodle_xml([], "Trống"))
    assert [q.get("type") for q in root.findall("question")] == ["category"]
