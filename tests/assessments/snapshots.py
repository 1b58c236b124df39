"""Question snapshots as plain dicts (the shape of ``AttemptSlot.snapshot``), one sample
question per kind, for the tests of the pure grading and xAPI modules."""

from __future__ import annotations

from typing import Any


def option(option_id: int | str, text: str = "", fraction: float = 0.0, *, match: str = "",
           tolerance: float | None = None, feedback: str = "") -> dict[str, Any]:
    return {"id": str(option_id), "text": text, "match": match, "fraction": fraction,
            "tolerance": tolerance, "feedback": feedback}


def snapshot(kind: str, options: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "v": 1, "uid": "5b0f8a34-3c52-4f7e-9d36-0c8f1d2a9e11", "kind": kind, "name": "",
        "prompt": "<p>Câu hỏi</p>", "image_id": None, "mark": 1.0, "case_sensitive": False,
        "shuffle": True, "competency": "1.2", "difficulty": 2, "options": options,
        "feedback": {"correct": "Chính xác!", "partial": "Gần đúng.", "wrong": "Chưa đúng."},
        "explanation": "",
    }
    data.update(fields)
    return data


def single_choice(**fields: Any) -> dict[str, Any]:
    return snapshot("single_choice", [
        option(1, "Hà Nội", 1.0, feedback="Đúng, Hà Nội là thủ đô."),
        option(2, "Huế", 0.5, feedback="Huế từng là kinh đô."),
        option(3, "Đà Nẵng", 0.0),
        option(4, "Sài Gòn", -0.5, feedback="Không phải."),
    ], **{"prompt": "<p>Thủ đô của Việt Nam là <b>thành phố</b> nào?</p>", **fields})


def multiple_response(**fields: Any) -> dict[str, Any]:
    return snapshot("multiple_response", [
        option(11, "Quảng Ninh", 0.5, feedback="Có bờ biển dài."),
        option(12, "Đà Nẵng", 0.5),
        option(13, "Lào Cai", -1.0, feedback="Lào Cai không giáp biển."),
        option(14, "Cao Bằng", -0.5),
    ], **{"prompt": "<p>Những tỉnh, thành phố nào giáp biển?</p>", **fields})


def true_false(**fields: Any) -> dict[str, Any]:
    return snapshot("true_false", [
        option(21, "true", 1.0, feedback="Đúng vậy."),
        option(22, "false", 0.0, feedback="Hãy xem lại bài 2."),
    ], **{"prompt": "<p>Dữ liệu cá nhân phải được bảo vệ.</p>", **fields})


def matching(**fields: Any) -> dict[str, Any]:
    """Four items, one distractor answer and two items sharing the same answer text."""
    return snapshot("matching", [
        option(31, "Hà Nội", match="Thủ đô"),
        option(32, "Huế", match="Cố đô"),
        option(33, "Đà Lạt", match="Thành phố ngàn hoa"),
        option(34, "", match="Thành phố cảng"),
        option(35, "Thăng Long", match="Thủ đô"),
    ], **{"prompt": "<p>Ghép mỗi tên với mô tả.</p>", **fields})


def ordering(**fields: Any) -> dict[str, Any]:
    return snapshot("ordering", [
        option(41, "Đăng nhập"), option(42, "Mở bài thi"), option(43, "Trả lời"),
        option(44, "Nộp bài"),
    ], **{"prompt": "<p>Sắp xếp các bước làm bài thi.</p>", **fields})


def numerical(**fields: Any) -> dict[str, Any]:
    return snapshot("numerical", [
        option(51, "3.5", 1.0, tolerance=0.1, feedback="Chính xác."),
        option(52, "3", 0.5, feedback="Bạn đã làm tròn."),
        option(53, "*", 0.0, feedback="Hãy xem lại cách tính."),
    ], **{"prompt": "<p>7 chia 2 bằng bao nhiêu?</p>", **fields})


def short_answer(**fields: Any) -> dict[str, Any]:
    return snapshot("short_answer", [
        option(61, "Hà Nội", 1.0, feedback="Chính xác."),
        option(62, "Ha Noi", 0.5, feedback="Nhớ viết có dấu."),
        option(63, "Thăng *", 0.5, feedback="Đó là tên cũ."),
    ], **{"prompt": "<p>Thủ đô của Việt Nam là gì?</p>", **fields})


SAMPLES = {
    "single_choice": single_choice, "multiple_response": multiple_response,
    "true_false": true_false, "matching": matching, "ordering": ordering,
    "numerical": numerical, "short_answer": short_answer,
}
