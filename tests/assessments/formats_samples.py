"""Question files used by the format tests, written the way Moodle writes them."""

from __future__ import annotations

import base64
import io

from PIL import Image

UID = "2f1c7a52-3b7e-4c55-9a0e-6d2f8b1c4e90"


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def moodle_question(qtype: str, body: str, *, name: str = "Câu hỏi",
                    text: str = "<p>Nội dung câu hỏi</p>", extra: str = "") -> str:
    return f"""
  <question type="{qtype}">
    <name><text>{name}</text></name>
    <questiontext format="html"><text><![CDATA[{text}]]></text>{extra}</questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Giải thích chung</p>]]></text></generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
{body}
  </question>"""


def quiz(*questions: str, category: str = "$course$/top/Kỹ năng số") -> bytes:
    head = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>{category}</text></category>
  </question>"""
    return (head + "".join(questions) + "\n</quiz>\n").encode()


SINGLE = moodle_question("multichoice", """
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <correctfeedback format="html"><text>Chính xác.</text></correctfeedback>
    <partiallycorrectfeedback format="html"><text></text></partiallycorrectfeedback>
    <incorrectfeedback format="html"><text>Chưa đúng.</text></incorrectfeedback>
    <answer fraction="100" format="html"><text><![CDATA[<p>Hà Nội</p>]]></text>
      <feedback format="html"><text>Đúng rồi</text></feedback></answer>
    <answer fraction="0" format="html"><text>Huế</text>
      <feedback format="html"><text></text></feedback></answer>
    <answer fraction="-50" format="html"><text>Đà Nẵng &amp; Hội An</text>
      <feedback format="html"><text></text></feedback></answer>
    <tags><tag><text>competency:1.2</text></tag><tag><text>difficulty:hard</text></tag>
      <tag><text>địa lý</text></tag></tags>""", name="Thủ đô",
                         text="<p>Thủ đô của Việt Nam là <b>thành phố</b> nào?</p>")

MULTIPLE = moodle_question("multichoice", """
    <single>false</single>
    <shuffleanswers>false</shuffleanswers>
    <answer fraction="33.33333"><text>Mật khẩu dài</text></answer>
    <answer fraction="33.33333"><text>Xác thực hai lớp</text></answer>
    <answer fraction="33.33333"><text>Cập nhật phần mềm</text></answer>
    <answer fraction="-100"><text>Dùng chung mật khẩu</text></answer>""", name="An toàn")

TRUE_FALSE = moodle_question("truefalse", """
    <answer fraction="0" format="moodle_auto_format"><text>true</text>
      <feedback format="html"><text>Sai: thư lạ có thể là lừa đảo.</text></feedback></answer>
    <answer fraction="100" format="moodle_auto_format"><text>false</text>
      <feedback format="html"><text>Đúng.</text></feedback></answer>""", name="Thư lạ")

MATCHING = moodle_question("matching", """
    <shuffleanswers>true</shuffleanswers>
    <subquestion format="html"><text><![CDATA[<p>Word</p>]]></text>
      <answer><text>Soạn thảo văn bản</text></answer></subquestion>
    <subquestion format="html"><text>Excel</text>
      <answer><text>Bảng tính</text></answer></subquestion>
    <subquestion format="html"><text></text>
      <answer><text>Chỉnh sửa ảnh</text></answer></subquestion>""", name="Ghép phần mềm")

SHORT = moodle_question("shortanswer", """
    <usecase>1</usecase>
    <answer fraction="100" format="moodle_auto_format"><text>Hà Nội</text>
      <feedback format="html"><text>Đúng</text></feedback></answer>
    <answer fraction="50" format="moodle_auto_format"><text>Ha Noi</text></answer>""",
                        name="Viết tên")

NUMERICAL = moodle_question("numerical", """
    <answer fraction="100" format="moodle_auto_format"><text>3.14</text>
      <tolerance>0.01</tolerance></answer>
    <answer fraction="50" format="moodle_auto_format"><text>3</text>
      <tolerance>0.5</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit></units>""",
                            name="Số pi")

ORDERING = moodle_question("ordering", """
    <layouttype>VERTICAL</layouttype>
    <selecttype>ALL</selecttype>
    <selectcount>0</selectcount>
    <gradingtype>RELATIVE_NEXT_EXCLUDE_LAST</gradingtype>
    <answer fraction="2.0000000" format="moodle_auto_format"><text>Đăng nhập</text></answer>
    <answer fraction="1.0000000" format="moodle_auto_format"><text>Mở trình duyệt</text></answer>
    <answer fraction="3.0000000" format="moodle_auto_format"><text>Nộp hồ sơ</text></answer>""",
                           name="Các bước")

ESSAY = moodle_question("essay", "<responseformat>editor</responseformat>", name="Bài luận")
DESCRIPTION = moodle_question("description", "", name="Giới thiệu")


def with_image(name: str = "so-do.png") -> str:
    data = base64.b64encode(png_bytes()).decode()
    return moodle_question(
        "truefalse", """
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>""", name="Sơ đồ",
        text=f'<p>Sơ đồ đúng?</p><p><img src="@@PLUGINFILE@@/{name}" alt=""></p>',
        extra=f'<file name="{name}" path="/" encoding="base64">{data}</file>')


ALL_KINDS = quiz(SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, SHORT, NUMERICAL, ORDERING)

GIFT_ALL = """// Ngân hàng câu hỏi kỹ năng số
$CATEGORY: $course$/Kỹ năng số

// [id:2f1c7a52-3b7e-4c55-9a0e-6d2f8b1c4e90] [tag:competency:1.2] [tag:difficulty:easy]
::Thủ đô::Thủ đô của Việt Nam là gì? {
  =Hà Nội # Chính xác
  ~Huế # Chưa đúng
  ~Đà Nẵng
}

::An toàn::[html]Cách nào <b>giữ</b> tài khoản an toàn? {
  ~%50%Mật khẩu dài
  ~%50%Xác thực hai lớp
  ~%-100%Dùng chung mật khẩu
}

::Thư lạ::Mở tệp đính kèm từ thư lạ là an toàn.{F#Sai rồi.#Đúng vậy.####Luôn kiểm tra người gửi.}

::Viết tên::Thủ đô của Pháp là {=Paris =%50%paris thủ đô #Gần đúng} phải không?

::Số pi::Số pi bằng bao nhiêu? {#3.14:0.01}

::Khoảng::Một số từ 1 đến 5: {#1..5}

::Nhiều số::Giá trị? {# =1.5:0.1 =%50%1.5:0.5 ~#Sai}

::Ghép::Ghép phần mềm với công dụng. {
  =Word -> Soạn thảo văn bản
  =Excel -> Bảng tính
  = -> Chỉnh sửa ảnh
}

::Dấu đặc biệt::Ký hiệu \\{ \\} \\= \\~ \\# \\: và dòng\\nmới {=a\\=b}
"""
