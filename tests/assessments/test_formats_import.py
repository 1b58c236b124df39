"""Importing question files into a bank: what is saved, what is reported, what is refused."""

import pytest
from wagtail.images import get_image_model

from assessments.banks import bank_import
from assessments.models import Question, QuestionBank

from . import formats_samples as samples

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def bank():
    return QuestionBank.objects.create(name="Kỹ năng số cơ bản")


def _line_of(data: bytes, marker: str) -> int:
    return next(number for number, line in enumerate(data.decode().splitlines(), start=1)
                if marker in line)


def test_all_kinds_imported_with_options_in_order(bank):
    report = bank_import(bank=bank, data=samples.ALL_KINDS, filename="ngan-hang.xml")
    assert (report.created, report.updated, report.errors, report.skipped) == (7, 0, [], [])
    assert len(report.warnings) == 2  # numerical units, ordering grading
    kinds = list(bank.questions.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["single_choice", "multiple_response", "true_false", "matching",
                     "short_answer", "numerical", "ordering"]
    single = bank.questions.get(kind="single_choice")
    assert [(o.text, str(o.fraction), o.feedback) for o in single.options.all()] == [
        ("Hà Nội", "1.0000000", "Đúng rồi"), ("Huế", "0E-7", ""),
        ("Đà Nẵng & Hội An", "-0.5000000", "")]
    assert (single.competency, single.difficulty, str(single.default_mark)) == ("1.2", 3, "2.00")
    numerical = bank.questions.get(kind="numerical")
    assert [(o.text, str(o.tolerance)) for o in numerical.options.all()] == [
        ("3.14", "0.0100000"), ("3", "0.5000000")]
    ordering = bank.questions.get(kind="ordering")
    assert [o.text for o in ordering.options.all()] == [
        "Mở trình duyệt", "Đăng nhập", "Nộp hồ sơ"]


def test_gift_file_imported(bank):
    report = bank_import(bank=bank, data=samples.GIFT_ALL.encode(), filename="cau-hoi.gift")
    assert report.fmt == "gift"
    assert (report.created, report.problems) == (9, [])
    assert Question.objects.get(uid=samples.UID).name == "Thủ đô"


def test_unsupported_and_invalid_questions_reported_others_imported(bank):
    bad_choice = samples.moodle_question("multichoice", """
    <single>true</single>
    <answer fraction="0"><text>Một</text></answer>
    <answer fraction="0"><text>Hai</text></answer>""", name="Không có đáp án")
    data = samples.quiz(samples.SINGLE, samples.ESSAY, samples.TRUE_FALSE, bad_choice,
                        samples.DESCRIPTION)
    report = bank_import(bank=bank, data=data, filename="moodle.xml")
    assert report.created == 2
    assert sorted(bank.questions.values_list("name", flat=True)) == ["Thư lạ", "Thủ đô"]
    assert [(p.line, p.warning) for p in report.problems] == [
        (_line_of(data, '"essay"'), False), (_line_of(data, "Không có đáp án") - 1, False)]
    assert "essay" in str(report.problems[0].reason)
    assert "grade 1" in str(report.problems[1].reason)
    assert [p.line for p in report.skipped] == [_line_of(data, '"description"')]


def test_malformed_xml_changes_nothing(bank):
    data = samples.ALL_KINDS.replace("Mật khẩu dài</text>".encode(), "Mật khẩu dài</txt>".encode())
    report = bank_import(bank=bank, data=data, filename="hong.xml")
    assert report.created == 0 and not bank.questions.exists()
    [problem] = report.problems
    assert problem.line == _line_of(data, "Mật khẩu dài")
    assert "not well-formed XML" in str(problem.reason)


def test_malformed_gift_changes_nothing(bank):
    data = "::Hỏng:: Câu hỏi {=a ~b\n~c\n".encode()
    report = bank_import(bank=bank, data=data, filename="hong.gift")
    assert report.created == 0 and not bank.questions.exists()
    [problem] = report.problems
    assert problem.line == 1 and "never closed" in str(problem.reason)


def test_non_utf8_file_refused_with_a_clear_message(bank):
    data = "// Windows\n::Café:: Thức uống? {=Cà phê ~Trà}\n".encode("cp1252", "replace")
    report = bank_import(bank=bank, data=data, filename="windows.txt")
    assert report.created == 0 and not bank.questions.exists()
    [problem] = report.problems
    assert problem.line == 2 and "UTF-8" in str(problem.reason)
    xml = samples.quiz(samples.SINGLE).decode().encode("utf-16-le")  # no BOM, says UTF-8
    assert bank_import(bank=bank, data=xml, filename="x.xml").created == 0


def test_bom_and_declared_encodings_accepted(bank):
    gift = b"\xef\xbb\xbf" + "Trái Đất tròn. {T}\n".encode()
    assert bank_import(bank=bank, data=gift, filename="bom.txt").created == 1
    latin = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz>'
             '<question type="truefalse"><name><text>Café</text></name>'
             '<questiontext format="html"><text>Café?</text></questiontext>'
             '<answer fraction="100"><text>true</text></answer>'
             '<answer fraction="0"><text>false</text></answer></question></quiz>')
    report = bank_import(bank=bank, data=latin.encode("latin-1"), filename="latin.xml")
    assert report.created == 1 and bank.questions.filter(name="Café").exists()


def test_xml_bomb_and_external_entity_are_harmless(bank, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0")
    lol = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    for doctype, entity in ((f"<!DOCTYPE quiz [{lol}]>", "l9"),
                            (f'<!DOCTYPE quiz [<!ENTITY x SYSTEM "file://{secret}">]>', "x")):
        data = (f'<?xml version="1.0"?>\n{doctype}\n<quiz><question type="shortanswer">'
                f'<name><text>&{entity};</text></name><questiontext><text>&{entity};</text>'
                f'</questiontext><answer fraction="100"><text>&{entity};</text></answer>'
                '</question></quiz>').encode()
        report = bank_import(bank=bank, data=data, filename="bom.xml")
        assert report.created == 0
        [problem] = report.problems  # refused: the DTD, or libxml2's own entity limits
        assert "DTD" in str(problem.reason) or "entity" in str(problem.reason).lower()
        assert "root:x" not in str(problem.reason)
    assert not bank.questions.exists()


def test_reimport_updates_questions_with_the_same_uid(bank):
    single = samples.SINGLE.replace("<idnumber></idnumber>",
                                    f"<idnumber>{samples.UID}</idnumber>")
    other = samples.TRUE_FALSE.replace("<idnumber></idnumber>", "<idnumber>KNS-02</idnumber>")
    first = bank_import(bank=bank, data=samples.quiz(single, other), filename="a.xml")
    assert (first.created, first.updated) == (2, 0)
    changed = single.replace("Huế", "Hải Phòng")
    second = bank_import(bank=bank, data=samples.quiz(changed, other), filename="a.xml")
    assert (second.created, second.updated, second.problems) == (0, 2, [])
    assert bank.questions.count() == 2
    question = Question.objects.get(uid=samples.UID)
    assert [o.text for o in question.options.all()] == ["Hà Nội", "Hải Phòng",
                                                        "Đà Nẵng & Hội An"]
    elsewhere = QuestionBank.objects.create(name="Ngân hàng khác")
    third = bank_import(bank=elsewhere, data=samples.quiz(single, other), filename="a.xml")
    assert (third.created, third.updated) == (1, 0)  # KNS-02 is per bank; the UUID is not
    assert "Kỹ năng số cơ bản" in str(third.problems[0].reason)
    assert Question.objects.get(uid=samples.UID).bank == bank


def test_same_uid_twice_in_one_file(bank):
    single = samples.SINGLE.replace("<idnumber></idnumber>",
                                    f"<idnumber>{samples.UID}</idnumber>")
    report = bank_import(bank=bank, data=samples.quiz(single, single), filename="a.xml")
    assert report.created == 1
    [problem] = report.problems
    assert "repeats the question on line" in str(problem.reason)


def test_image_saved_once_as_a_wagtail_image(bank):
    data = samples.quiz(samples.with_image())
    assert bank_import(bank=bank, data=data, filename="anh.xml").created == 1
    assert bank_import(bank=bank, data=data, filename="anh.xml").updated == 1
    other = QuestionBank.objects.create(name="Khác")
    assert bank_import(bank=other, data=data, filename="anh.xml").created == 1
    images = get_image_model().objects.all()
    assert images.count() == 1
    assert {q.image_id for q in Question.objects.all()} == {images.get().pk}
    assert (images.get().width, images.get().height) == (4, 3)


def test_broken_image_left_out_with_a_warning(bank):
    data = samples.quiz(samples.with_image()).replace(b'encoding="base64">',
                                                      b'encoding="base64">AAAA', 1)
    report = bank_import(bank=bank, data=data, filename="anh.xml")
    assert report.created == 1 and bank.questions.get().image is None
    assert [p.warning for p in report.problems] == [True]


def test_format_sniffed_without_extension(bank):
    assert bank_import(bank=bank, data=samples.ALL_KINDS, filename="tep").fmt == "moodle_xml"
    assert bank_import(bank=bank, data="Câu {T}".encode(), filename="tep").fmt == "gift"


def test_reimport_of_a_file_without_ids_adds_nothing_twice(bank):
    gift = "::Một:: Trái Đất tròn. {T}\n\n::Hai:: Nước sôi ở 100 độ C. {T}\n".encode()
    assert bank_import(bank=bank, data=gift, filename="a.gift").created == 2
    again = bank_import(bank=bank, data=gift, filename="a.gift")
    assert (again.created, again.updated, again.problems) == (0, 2, [])
    assert bank.questions.count() == 2
    repeated = gift + "\n::Một:: Trái Đất tròn. {T}\n".encode()
    report = bank_import(bank=bank, data=repeated, filename="b.gift")
    assert (report.created, report.updated) == (0, 2)
    [problem] = report.problems
    assert problem.line == 5 and "line 1" in str(problem.reason)


def test_same_name_and_text_with_other_answers_are_two_questions(bank):
    gift = "::Chọn:: Chọn đáp án đúng. {=a ~b}\n\n::Chọn:: Chọn đáp án đúng. {=c ~d}\n"
    report = bank_import(bank=bank, data=gift.encode(), filename="a.gift")
    assert (report.created, report.problems) == (2, [])
