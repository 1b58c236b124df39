"""The Moodle XML reader, question type by question type."""

import pytest

from assessments.formats.moodle_xml import parse_moodle_xml
from assessments.formats.validate import problems_of

from . import formats_samples as samples

pytestmark = pytest.mark.usefixtures("english")


def _one(question_xml: str):
    result = parse_moodle_xml(samples.quiz(question_xml))
    assert [str(p) for p in result.problems if not p.warning] == []
    assert len(result.questions) == 1
    return result.questions[0], result


def _line_of(data: bytes, marker: str) -> int:
    return next(number for number, line in enumerate(data.decode().splitlines(), start=1)
                if marker in line)


def _options(question):
    return [(o.text, o.match, o.fraction, o.tolerance, o.feedback) for o in question.options]


def test_single_choice_with_tags_feedback_and_category():
    question, _result = _one(samples.SINGLE)
    assert question.kind == "single_choice"
    assert question.name == "Thủ đô"
    assert question.prompt_html == "<p>Thủ đô của Việt Nam là <b>thành phố</b> nào?</p>"
    assert _options(question) == [("Hà Nội", "", 1.0, None, "Đúng rồi"),
                                  ("Huế", "", 0.0, None, ""),
                                  ("Đà Nẵng & Hội An", "", -0.5, None, "")]
    assert (question.competency, question.difficulty) == ("1.2", 3)
    assert question.default_mark == 2.0
    assert question.shuffle_options is True
    assert question.feedback_correct == "Chính xác."
    assert question.feedback_wrong == "Chưa đúng."
    assert question.explanation == "Giải thích chung"
    assert question.category == "Kỹ năng số"
    assert question.line == _line_of(samples.quiz(samples.SINGLE), '"multichoice"')
    assert problems_of(question) == []


def test_multiple_response_fractions_in_percent():
    question, _result = _one(samples.MULTIPLE)
    assert question.kind == "multiple_response"
    assert question.shuffle_options is False
    assert [o.fraction for o in question.options] == [0.3333333, 0.3333333, 0.3333333, -1.0]
    assert problems_of(question) == []


def test_true_false_keeps_true_then_false_with_feedback():
    question, _result = _one(samples.TRUE_FALSE)
    assert question.kind == "true_false"
    assert _options(question) == [
        ("true", "", 0.0, None, "Sai: thư lạ có thể là lừa đảo."),
        ("false", "", 1.0, None, "Đúng.")]
    assert question.shuffle_options is False


def test_matching_pairs_and_distractor():
    question, _result = _one(samples.MATCHING)
    assert question.kind == "matching"
    assert [(o.text, o.match) for o in question.options] == [
        ("Word", "Soạn thảo văn bản"), ("Excel", "Bảng tính"), ("", "Chỉnh sửa ảnh")]


def test_short_answer_case_sensitive():
    question, _result = _one(samples.SHORT)
    assert question.kind == "short_answer"
    assert question.case_sensitive is True
    assert _options(question) == [("Hà Nội", "", 1.0, None, "Đúng"),
                                  ("Ha Noi", "", 0.5, None, "")]


def test_numerical_tolerances_and_units_noted():
    question, result = _one(samples.NUMERICAL)
    assert question.kind == "numerical"
    assert _options(question) == [("3.14", "", 1.0, 0.01, ""), ("3", "", 0.5, 0.5, "")]
    [warning] = result.problems
    assert warning.warning and warning.line == question.line
    assert "units" in str(warning.reason)


def test_ordering_sorted_by_position_and_grading_noted():
    question, result = _one(samples.ORDERING)
    assert question.kind == "ordering"
    assert [o.text for o in question.options] == ["Mở trình duyệt", "Đăng nhập", "Nộp hồ sơ"]
    [warning] = result.problems
    assert warning.warning and "RELATIVE_NEXT_EXCLUDE_LAST" in str(warning.reason)


def test_embedded_image_becomes_the_question_image():
    question, _result = _one(samples.with_image())
    assert question.image == ("so-do.png", samples.png_bytes())
    assert question.prompt_html == "<p>Sơ đồ đúng?</p>"


def test_plain_text_and_markdown_prompts_are_escaped_html():
    plain = samples.moodle_question("truefalse", """
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>""").replace(
        '<questiontext format="html"><text><![CDATA[<p>Nội dung câu hỏi</p>]]>',
        '<questiontext format="plain_text"><text>a &lt; b &amp;&amp; c\ndòng 2')
    question, _result = _one(plain)
    assert question.prompt_html == "<p>a &lt; b &amp;&amp; c<br>dòng 2</p>"
    markdown = plain.replace('format="plain_text"', 'format="markdown"')
    question, _result = _one(markdown.replace("a &lt; b &amp;&amp; c", "**đậm** và *nghiêng*"))
    assert question.prompt_html == "<p><strong>đậm</strong> và <em>nghiêng</em><br>dòng 2</p>"


def test_scripts_and_handlers_are_removed_from_html():
    question, _result = _one(samples.moodle_question("truefalse", """
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>""",
        text='<p onclick="x()">Câu <script>alert(1)</script><a href="javascript:x()">đây</a>'
             '<a href="https://hocso.gov.vn">nguồn</a></p>'))
    assert question.prompt_html == (
        '<p>Câu <a>đây</a><a href="https://hocso.gov.vn">nguồn</a></p>')


@pytest.mark.parametrize("qtype", ["essay", "cloze", "calculated", "ddwtos", "gapselect",
                                   "random", "somethingnew"])
def test_unsupported_types_reported_with_their_line(qtype):
    data = samples.quiz(samples.SINGLE, samples.moodle_question(qtype, "", name="Lạ"))
    result = parse_moodle_xml(data)
    assert [q.name for q in result.questions] == ["Thủ đô"]
    [problem] = result.problems
    assert problem.line == _line_of(data, f'<question type="{qtype}">') and not problem.warning
    assert "“Lạ”" in str(problem.reason)


def test_description_is_skipped_not_an_error():
    data = samples.quiz(samples.DESCRIPTION, samples.SINGLE)
    result = parse_moodle_xml(data)
    assert len(result.questions) == 1
    assert result.problems == []
    assert [p.line for p in result.skipped] == [_line_of(data, '"description"')]


def test_idnumber_uuid_becomes_uid_other_idnumbers_are_kept_aside():
    xml = samples.SINGLE.replace("<idnumber></idnumber>", f"<idnumber>{samples.UID}</idnumber>")
    question, _result = _one(xml)
    assert question.uid == samples.UID
    question, _result = _one(samples.SINGLE.replace("<idnumber></idnumber>",
                                                    "<idnumber>KNS-01</idnumber>"))
    assert (question.uid, question.source_id) == (None, "KNS-01")


def test_malformed_xml_one_problem_with_the_line():
    data = samples.ALL_KINDS.replace(b"</name>", b"</nam>", 1)
    result = parse_moodle_xml(data)
    assert result.questions == []
    [problem] = result.problems
    assert problem.line == _line_of(data, "</nam>")
    assert "not well-formed XML" in str(problem.reason)


def test_wrong_root_element():
    result = parse_moodle_xml(b'<?xml version="1.0"?>\n<assessment><item/></assessment>')
    assert result.questions == []
    [problem] = result.problems
    assert problem.line == 2 and "<assessment>" in str(problem.reason)


def test_doctype_refused_entities_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT KHẨU")
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        f'<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<quiz><question type="shortanswer"><name><text>&c;&xxe;</text></name>'
        '<questiontext><text>&c;&xxe;</text></questiontext>'
        '<answer fraction="100"><text>&xxe;</text></answer></question></quiz>')
    result = parse_moodle_xml(bomb.encode())
    assert result.questions == []
    [problem] = result.problems
    assert "DTD" in str(problem.reason)
    assert "MẬT KHẨU" not in str(problem.reason)


def test_matching_item_that_is_only_an_image_is_refused_not_turned_into_a_distractor():
    xml = samples.MATCHING.replace("<text>Excel</text>",
                                   '<text><![CDATA[<img src="@@PLUGINFILE@@/x.png">]]></text>')
    result = parse_moodle_xml(samples.quiz(xml))
    assert result.questions == []
    [problem] = result.problems
    assert "image only" in str(problem.reason)
