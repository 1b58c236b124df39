"""Files written by other tools, not by us, import with their questions and grades:
Moodle XML from pymoodef (questions kept in a spreadsheet) and GIFT from gift-wrapper
(questions kept in YAML). Both tools run here, at test time."""

import csv

import pytest
from gift_wrapper.core import wrap
from pymoodef.pymoodef import moodef

from assessments.banks import bank_import
from assessments.models import QuestionBank

from . import formats_samples as samples

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def bank():
    return QuestionBank.objects.create(name="Công cụ khác")


def _options(question):
    return [(o.text, o.match, float(o.fraction), o.tolerance and float(o.tolerance))
            for o in question.options.all()]


def test_pymoodef_moodle_xml(bank, tmp_path):
    (tmp_path / "so-do.png").write_bytes(samples.png_bytes("blue"))
    rows = [
        ["type", "question", "image", "image_alt", "answer", "a", "b", "c"],
        ["", "Thủ đô của Việt Nam là gì?", "", "", "Hà Nội", "Huế", "Đà Nẵng", ""],
        ["", "Số pi bằng bao nhiêu?", "", "", "3.1416<|>0.001", "", "", ""],
        ["x", "Sắp xếp các bước nộp hồ sơ", "", "", "Mở trình duyệt", "Đăng nhập",
         "Nộp hồ sơ", ""],
        ["", "Ghép phần mềm với công dụng", "", "", "Word<|>Soạn thảo",
         "Excel<|>Bảng tính", "Paint<|>Vẽ", ""],
        ["", "Sơ đồ mạng này có đúng không?", "so-do.png", "Sơ đồ", "True", "", "", ""],
        ["", "Viết tên thủ đô", "", "", "Hà Nội", "", "", ""],
        ["", "Viết một đoạn về an toàn thông tin", "", "", "", "", "", ""],
        ["", "Điền [[1]] và [[2]]", "", "", "mật khẩu", "tài khoản", "", ""],
    ]
    with (tmp_path / "cau-hoi.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    xml = moodef(str(tmp_path / "cau-hoi.csv"), xml=str(tmp_path / "cau-hoi.xml"))
    data = (tmp_path / "cau-hoi.xml").read_bytes()
    assert xml.endswith("cau-hoi.xml")

    report = bank_import(bank=bank, data=data, filename="cau-hoi.xml")

    assert report.created == 6
    assert [(p.line, "essay" in str(p.reason), "drag and drop" in str(p.reason))
            for p in report.errors] == [
        (data.decode().splitlines().index('<question type="essay">') + 1, True, False),
        (data.decode().splitlines().index('<question type="ddwtos">') + 1, False, True)]
    questions = list(bank.questions.order_by("pk"))
    assert [q.kind for q in questions] == [
        "single_choice", "numerical", "ordering", "matching", "true_false", "short_answer"]
    single, numerical, ordering, matching, true_false, short = questions
    assert single.prompt == "<p>Thủ đô của Việt Nam là gì?</p>"
    assert _options(single) == [("Hà Nội", "", 1.0, None), ("Huế", "", -0.5, None),
                                ("Đà Nẵng", "", -0.5, None)]
    assert _options(numerical) == [("3.1416", "", 1.0, 0.001)]
    assert [o.text for o in ordering.options.all()] == [
        "Mở trình duyệt", "Đăng nhập", "Nộp hồ sơ"]
    assert [(o.text, o.match) for o in matching.options.all()] == [
        ("Word", "Soạn thảo"), ("Excel", "Bảng tính"), ("Paint", "Vẽ")]
    assert _options(true_false) == [("true", "", 1.0, None), ("false", "", 0.0, None)]
    assert true_false.image is not None and true_false.image.width == 4
    assert _options(short) == [("Hà Nội", "", 1.0, None)]
    assert single.feedback_correct == "Correct."


def test_gift_wrapper_gift(bank, tmp_path):
    (tmp_path / "bank.yaml").write_text("""\
pictures base directory: kns
categories:
  - name: Kỹ năng số
    questions:
      - class: MultipleChoice
        name: Thủ đô
        statement: |-
          Thủ đô của Việt Nam là gì?
          Chọn một đáp án.
        feedback: Hà Nội là thủ đô từ năm 1010.
        answers:
          perfect: Hà Nội
          wrong:
            - Huế
            - [Đà Nẵng, -50]
      - class: MultipleChoice
        name: An toàn
        statement: Cách nào giữ tài khoản an toàn?
        answers:
          partial:
            - [Mật khẩu dài, 50]
            - [Xác thực hai lớp, 50]
            - [Dùng chung mật khẩu, -100]
      - class: Numerical
        name: Số pi
        statement: Số pi bằng bao nhiêu?
        solution:
          value: 3.14
          error: 0.01
      - class: Numerical
        name: Phần trăm
        statement: "Tăng 10% của 200 là bao nhiêu: điền số."
        solution:
          value: 220
          error: 5%
      - class: Numerical
        name: Tuần
        statement: Một tuần có mấy ngày?
        solution:
          value: 7
""", encoding="utf-8")
    wrap(parameters={}, questions_file=str(tmp_path / "bank.yaml"), local_run=True,
         no_checks=True, embed_images=True)
    data = (tmp_path / "bank.gift.txt").read_bytes()

    report = bank_import(bank=bank, data=data, filename="bank.gift.txt")

    assert (report.created, report.problems, report.skipped) == (5, [], [])
    capital, safety, pi, percent, week = bank.questions.order_by("pk")
    assert capital.kind == "single_choice"
    assert capital.prompt == "<p>Thủ đô của Việt Nam là gì?<br>Chọn một đáp án.</p>"
    assert capital.explanation == "Hà Nội là thủ đô từ năm 1010."
    assert _options(capital) == [("Hà Nội", "", 1.0, None), ("Huế", "", 0.0, None),
                                 ("Đà Nẵng", "", -0.5, None)]
    assert safety.kind == "multiple_response"
    assert [float(o.fraction) for o in safety.options.all()] == [0.5, 0.5, -1.0]
    assert (pi.kind, _options(pi)) == ("numerical", [("3.14", "", 1.0, 0.01)])
    assert _options(percent) == [("220", "", 1.0, 11.0)]
    assert _options(week) == [("7", "", 1.0, None)]
