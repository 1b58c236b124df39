"""The GIFT reader, question type by question type."""

import pytest

from assessments.formats.gift import parse_gift
from assessments.formats.validate import problems_of

from . import formats_samples as samples

pytestmark = pytest.mark.usefixtures("english")


def _one(text: str):
    result = parse_gift(text)
    assert [str(p) for p in result.problems] == []
    assert len(result.questions) == 1
    return result.questions[0]


def _options(question):
    return [(o.text, o.match, o.fraction, o.tolerance, o.feedback) for o in question.options]


def _line_of(text: str, marker: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1)
                if marker in line)


@pytest.fixture(scope="module")
def sample():
    result = parse_gift(samples.GIFT_ALL)
    assert result.problems == [] and result.skipped == []
    return {question.name: question for question in result.questions}


def test_single_choice_with_feedback_id_tags_and_category(sample):
    question = sample["Thủ đô"]
    assert question.kind == "single_choice"
    assert question.prompt_html == "<p>Thủ đô của Việt Nam là gì?</p>"
    assert _options(question) == [("Hà Nội", "", 1.0, None, "Chính xác"),
                                  ("Huế", "", 0.0, None, "Chưa đúng"),
                                  ("Đà Nẵng", "", 0.0, None, "")]
    assert question.uid == samples.UID
    assert (question.competency, question.difficulty) == ("1.2", 1)
    assert question.category == "Kỹ năng số"
    assert question.line == _line_of(samples.GIFT_ALL, "::Thủ đô::")
    assert problems_of(question) == []


def test_weights_split_make_multiple_response(sample):
    question = sample["An toàn"]
    assert question.kind == "multiple_response"
    assert question.prompt_html == "<p>Cách nào <b>giữ</b> tài khoản an toàn?</p>"
    assert [o.fraction for o in question.options] == [0.5, 0.5, -1.0]
    assert problems_of(question) == []


def test_true_false_feedback_wrong_then_right_and_general_feedback(sample):
    question = sample["Thư lạ"]
    assert question.kind == "true_false"
    assert _options(question) == [("true", "", 0.0, None, "Sai rồi."),
                                  ("false", "", 1.0, None, "Đúng vậy.")]
    assert question.explanation == "Luôn kiểm tra người gửi."


@pytest.mark.parametrize("answer, right", [("T", "true"), ("TRUE", "true"), ("F", "false"),
                                            ("FALSE", "false"), ("true", "true")])
def test_true_false_spellings(answer, right):
    question = _one(f"Trái Đất quay quanh Mặt Trời. {{{answer}}}")
    assert [o.text for o in question.options if o.fraction == 1.0] == [right]


def test_short_answer_missing_word(sample):
    question = sample["Viết tên"]
    assert question.kind == "short_answer"
    assert question.prompt_html == "<p>Thủ đô của Pháp là _____ phải không?</p>"
    assert _options(question) == [("Paris", "", 1.0, None, ""),
                                  ("paris thủ đô", "", 0.5, None, "Gần đúng")]


def test_numerical_value_tolerance_range_and_several_answers(sample):
    assert _options(sample["Số pi"]) == [("3.14", "", 1.0, 0.01, "")]
    assert _options(sample["Khoảng"]) == [("3", "", 1.0, 2.0, "")]
    assert _options(sample["Nhiều số"]) == [("1.5", "", 1.0, 0.1, ""),
                                           ("1.5", "", 0.5, 0.5, ""),
                                           ("*", "", 0.0, None, "Sai")]
    assert {q.kind for name, q in sample.items() if name in ("Số pi", "Khoảng")} == {"numerical"}


def test_matching_with_distractor(sample):
    question = sample["Ghép"]
    assert question.kind == "matching"
    assert [(o.text, o.match) for o in question.options] == [
        ("Word", "Soạn thảo văn bản"), ("Excel", "Bảng tính"), ("", "Chỉnh sửa ảnh")]


def test_escapes(sample):
    question = sample["Dấu đặc biệt"]
    assert question.prompt_html == "<p>Ký hiệu { } = ~ # : và dòng<br>mới</p>"
    assert [o.text for o in question.options] == ["a=b"]


@pytest.mark.parametrize("prefix, html", [
    ("[plain]", "<p>a &lt;b&gt; c</p>"),
    ("[html]", "<p>a <b> c</b></p>"),
    ("[markdown]", "<p>a &lt;b&gt; c</p>"),
    ("[moodle]", "<p>a <b> c</b></p>"),
])
def test_text_formats(prefix, html):
    assert _one(f"::T::{prefix}a <b> c{{T}}").prompt_html == html


def test_essay_and_description_reported_with_their_lines():
    text = "::Luận:: Viết về an toàn thông tin. {}\n\n::Mở đầu:: Phần này nói về mạng.\n\n" \
           "Câu tiếp {T}\n"
    result = parse_gift(text)
    assert len(result.questions) == 1
    [problem] = result.problems
    assert problem.line == 1 and "essay" in str(problem.reason)
    [skipped] = result.skipped
    assert skipped.line == 3 and "“Mở đầu”" in str(skipped.reason)


def test_syntax_errors_reported_and_reading_goes_on():
    text = ("// đầu tệp\n::Một:: Câu một {T}\n\n::Hai:: Câu hai\n{=a ~b\n\n"
            "::Ba:: Câu ba {=a ~b}\n\n::Bốn:: Câu bốn {vâng}\n\n::Năm {T}\n\n"
            "::Sáu:: x {#abc}\n\n::Bảy:: y {=a -> b =c}\n")
    result = parse_gift(text)
    assert [q.name for q in result.questions] == ["Một", "Ba"]
    lines = [(p.line, str(p.reason)) for p in result.problems]
    assert [line for line, _reason in lines] == [5, 9, 11, 13, 15]
    assert "never closed" in lines[0][1] and "“Hai”" in lines[0][1]
    assert "not an answer" in lines[1][1]
    assert "title" in lines[2][1]
    assert "not a number" in lines[3][1]
    assert "item -> answer" in lines[4][1]


def test_no_right_answer_caught_by_the_checks():
    question = _one("::Sai hết:: Chọn một {~a ~b}")
    assert question.kind == "single_choice"
    [problem] = problems_of(question)
    assert problem.line == 1 and "grade 1" in str(problem.reason)


def test_moodle_fixture_style_questions():
    text = ("::Greeting::[html]<a href\\=\"http\\://demo.moodle.net/bonjour.mp3\">Nghe\\:</a>"
            "<br />Tiếng gì?{\n\t~English#Sorry\n\t=French#Yes\n}\n\n"
            "::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}\";\n")
    result = parse_gift(text)
    greeting, number = result.questions
    assert greeting.prompt_html == (
        '<p><a href="http://demo.moodle.net/bonjour.mp3">Nghe:</a><br>Tiếng gì?</p>')
    assert _options(number) == [("3", "", 1.0, 2.0, ""),
                                ("*", "", 0.0, None, "Completely wrong")]


def test_matching_item_that_is_only_an_image_is_refused():
    result = parse_gift('::G::[html]Ghép {=<img src\\="a.png"> -> Ảnh =Word -> Văn bản}')
    assert result.questions == []
    assert "image only" in str(result.problems[0].reason)
