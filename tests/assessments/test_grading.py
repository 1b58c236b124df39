"""Grading of every question kind: layouts, canonical responses, Moodle's fractions."""

from __future__ import annotations

import random
import unicodedata

import pytest
from django.utils import translation

from assessments.grading import (
    KINDS,
    ResponseError,
    correct_response,
    grade,
    layout_make,
    option_feedback,
    outcome,
    response_clean,
    score,
)
from assessments.models import QuestionKind

from .snapshots import (
    SAMPLES,
    matching,
    multiple_response,
    numerical,
    option,
    ordering,
    short_answer,
    single_choice,
    snapshot,
    true_false,
)


def _layout(snap: dict, seed: int = 7) -> dict:
    return layout_make(snap, random.Random(seed))


def _m(layout: dict, text: str) -> str:
    """The id of a matching answer, by its text."""
    return next(m["id"] for m in layout["matches"] if m["text"] == text)


def _grade(snap: dict, raw: object, layout: dict | None = None) -> float:
    """Clean a form value as the view will, then grade it."""
    layout = layout if layout is not None else _layout(snap)
    return grade(snap, layout, response_clean(snap, layout, raw))


def test_kinds_are_the_model_choices():
    assert set(KINDS) == set(QuestionKind.values)


# ---------------------------------------------------------------------------- layouts


def test_layout_is_deterministic_for_a_seed():
    for make in SAMPLES.values():
        snap = make()
        assert layout_make(snap, random.Random(42)) == layout_make(snap, random.Random(42))


def test_choice_options_shuffled_only_when_asked():
    snap = single_choice()
    orders = {tuple(_layout(snap, seed)["options"]) for seed in range(20)}
    assert all(sorted(order) == ["1", "2", "3", "4"] for order in orders)
    assert len(orders) > 1
    assert _layout(single_choice(shuffle=False)) == {"options": ["1", "2", "3", "4"],
                                                     "matches": []}


def test_true_false_never_shuffled():
    for seed in range(10):
        assert _layout(true_false(shuffle=True), seed)["options"] == ["21", "22"]


def test_typed_kinds_have_no_options_to_show():
    assert _layout(numerical()) == {"options": [], "matches": []}
    assert _layout(short_answer()) == {"options": [], "matches": []}


def test_matching_layout_shows_stems_and_distinct_answers_with_distractor():
    layout = _layout(matching())
    assert sorted(layout["options"]) == ["31", "32", "33", "35"]  # 34 is a distractor
    ids = {m["text"]: m["id"] for m in layout["matches"]}
    # one id per distinct answer, numbered in authored order of first appearance
    assert ids == {"Thủ đô": "m0", "Cố đô": "m1", "Thành phố ngàn hoa": "m2",
                   "Thành phố cảng": "m3"}
    assert len(layout["matches"]) == 4


def test_matching_answers_and_stems_are_shuffled():
    layouts = [_layout(matching(), seed) for seed in range(20)]
    assert len({tuple(m["id"] for m in lay["matches"]) for lay in layouts}) > 1
    assert len({tuple(lay["options"]) for lay in layouts}) > 1
    assert all(m["text"] for lay in layouts for m in lay["matches"])


@pytest.mark.parametrize("count", [2, 3, 4, 6])
def test_ordering_never_starts_in_the_right_order(count):
    snap = snapshot("ordering", [option(i, f"Bước {i}") for i in range(count)])
    right = [str(i) for i in range(count)]
    for seed in range(200):
        order = _layout(snap, seed)["options"]
        assert sorted(order) == sorted(right)
        assert order != right


def test_ordering_with_one_item_keeps_it():
    assert _layout(snapshot("ordering", [option(1, "Một")]))["options"] == ["1"]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="essay"):
        layout_make(snapshot("essay", []), random.Random(1))


# ----------------------------------------------------------------- responses (clean)


@pytest.mark.parametrize("make", [single_choice, true_false])
def test_clean_single_choice(make):
    snap = make()
    layout = _layout(snap)
    first = snap["options"][0]["id"]
    assert response_clean(snap, layout, first) == first
    assert response_clean(snap, layout, f" {first} ") == first
    assert response_clean(snap, layout, "") is None
    assert response_clean(snap, layout, None) is None
    with pytest.raises(ResponseError):
        response_clean(snap, layout, "999")  # forged id
    with pytest.raises(ResponseError):
        response_clean(snap, layout, [first])  # wrong shape


def test_clean_multiple_response_sorts_in_layout_order_without_repeats():
    snap = multiple_response()
    layout = {"options": ["13", "12", "14", "11"], "matches": []}
    assert response_clean(snap, layout, ["11", "12", "11", ""]) == ["12", "11"]
    assert response_clean(snap, layout, []) is None
    assert response_clean(snap, layout, [""]) is None
    with pytest.raises(ResponseError):
        response_clean(snap, layout, ["11", "99"])
    with pytest.raises(ResponseError):
        response_clean(snap, layout, "11")
    with pytest.raises(ResponseError):
        response_clean(snap, layout, ["11", 12])


def test_clean_matching():
    snap = matching()
    layout = {"options": ["35", "33", "32", "31"],
              "matches": [{"id": "m2", "text": "Thành phố ngàn hoa"},
                          {"id": "m0", "text": "Thủ đô"}, {"id": "m3", "text": "Thành phố cảng"},
                          {"id": "m1", "text": "Cố đô"}]}
    cleaned = response_clean(snap, layout, {"31": "m0", "32": "", "35": "m0"})
    assert cleaned == {"35": "m0", "31": "m0"}
    assert list(cleaned) == ["35", "31"]  # layout order
    assert response_clean(snap, layout, {"31": "", "32": ""}) is None
    assert response_clean(snap, layout, {}) is None
    for forged in ({"31": "m9"}, {"34": "m3"}, {"99": "m0"}):
        with pytest.raises(ResponseError):
            response_clean(snap, layout, forged)
    for wrong_shape in (["31"], {"31": 0}, "m0"):
        with pytest.raises(ResponseError):
            response_clean(snap, layout, wrong_shape)


def test_clean_ordering_needs_a_permutation_of_all_items():
    snap = ordering()
    layout = _layout(snap)
    assert response_clean(snap, layout, ["44", "43", "42", "41"]) == ["44", "43", "42", "41"]
    assert response_clean(snap, layout, []) is None
    for broken in (["41", "42", "43"], ["41", "42", "43", "43"],
                   ["41", "42", "43", "44", "44"], ["41", "42", "43", "99"]):
        with pytest.raises(ResponseError):
            response_clean(snap, layout, broken)
    with pytest.raises(ResponseError):
        response_clean(snap, layout, "41,42,43,44")


@pytest.mark.parametrize("make", [numerical, short_answer])
def test_clean_typed_answer(make):
    snap = make()
    layout = _layout(snap)
    assert response_clean(snap, layout, "  3,5 ") == "3,5"
    assert response_clean(snap, layout, "   ") is None
    assert response_clean(snap, layout, "") is None
    assert response_clean(snap, layout, "x" * 200) == "x" * 200
    with pytest.raises(ResponseError):
        response_clean(snap, layout, "x" * 201)
    with pytest.raises(ResponseError):
        response_clean(snap, layout, 3.5)


def test_response_error_is_a_translated_learner_message():
    with translation.override("en"), pytest.raises(ResponseError) as caught:
        response_clean(single_choice(), _layout(single_choice()), "999")
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == ("This answer names an option the question does not have. "
                                 "Reload the question and try again.")


# ------------------------------------------------------------------------------ grade


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1.0), ("2", 0.5), ("3", 0.0), ("4", 0.0), ("", 0.0), (None, 0.0),
])
def test_grade_single_choice(raw, expected):
    assert _grade(single_choice(), raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    (["11", "12"], 1.0),        # both right
    (["11"], 0.5),              # half of it
    (["11", "12", "14"], 0.5),  # right ones, minus a penalty
    (["11", "14"], 0.0),        # penalty cancels the gain
    (["13"], 0.0),              # a penalty alone clamps at 0
    (["11", "12", "13", "14"], 0.0),
    ([], 0.0),
])
def test_grade_multiple_response(raw, expected):
    assert _grade(multiple_response(), raw) == expected


def test_grade_multiple_response_never_above_one():
    snap = snapshot("multiple_response", [option(1, "A", 0.6), option(2, "B", 0.6)])
    assert _grade(snap, ["1", "2"]) == 1.0


def test_grade_thirds_add_up_to_correct():
    snap = snapshot("multiple_response", [option(i, str(i), 0.3333333) for i in range(3)])
    fraction = _grade(snap, ["0", "1", "2"])
    assert fraction == pytest.approx(0.9999999)
    assert outcome(fraction) == "correct"


@pytest.mark.parametrize(("raw", "expected"), [("21", 1.0), ("22", 0.0), ("", 0.0)])
def test_grade_true_false(raw, expected):
    assert _grade(true_false(), raw) == expected


def test_grade_matching():
    snap = matching()
    layout = _layout(snap)
    capital, old, flowers, port = (_m(layout, text) for text in (
        "Thủ đô", "Cố đô", "Thành phố ngàn hoa", "Thành phố cảng"))
    right = {"31": capital, "32": old, "33": flowers, "35": capital}
    assert _grade(snap, right, layout) == 1.0
    assert _grade(snap, {**right, "33": port}, layout) == 0.75  # the distractor is wrong
    assert _grade(snap, {"31": capital}, layout) == 0.25  # unanswered stems earn nothing
    assert _grade(snap, {"31": old, "32": capital}, layout) == 0.0
    assert _grade(snap, {}, layout) == 0.0


def test_grade_ordering_counts_items_in_their_right_place():
    snap = ordering()
    assert _grade(snap, ["41", "42", "43", "44"]) == 1.0
    assert _grade(snap, ["41", "42", "44", "43"]) == 0.5
    assert _grade(snap, ["42", "43", "44", "41"]) == 0.0  # all one off: none in place
    assert _grade(snap, []) == 0.0


@pytest.mark.parametrize(("raw", "expected"), [
    ("3,5", 1.0), ("3.5", 1.0), (" 3,5 ", 1.0), ("+3,45", 1.0),
    ("3,4", 1.0), ("3.6", 1.0),    # the tolerance bounds are in, as decimals
    ("3,39", 0.0), ("3", 0.5), ("3,0", 0.5), ("-3,5", 0.0), ("abc", 0.0), ("", 0.0),
])
def test_grade_numerical(raw, expected):
    assert _grade(numerical(), raw) == expected


def test_grade_numerical_with_thousands():
    snap = snapshot("numerical", [option(1, "1234.5", 1.0)])
    for typed in ("1.234,5", "1,234.5", "1 234,5", "1234,5"):
        assert _grade(snap, typed) == 1.0, typed
    assert _grade(snap, "1.234") == 0.0


def test_grade_numerical_first_option_wins():
    snap = snapshot("numerical", [option(1, "10", 0.5, tolerance=5), option(2, "10", 1.0)])
    assert _grade(snap, "10") == 0.5


def test_grade_numerical_negative_fraction_clamps():
    snap = snapshot("numerical", [option(1, "0", -1.0), option(2, "*", 0.2)])
    assert _grade(snap, "0") == 0.0
    assert _grade(snap, "7") == 0.2


@pytest.mark.parametrize(("typed", "expected"), [
    ("Hà Nội", 1.0),
    (unicodedata.normalize("NFD", "Hà Nội"), 1.0),  # typed with combining marks
    ("  hà   NỘI ", 1.0),                            # case and spaces do not matter
    ("Ha Noi", 0.5), ("ha noi", 0.5),
    ("Thăng Long", 0.5), ("thăng   long thành", 0.5),  # the wildcard takes any run
    ("Thăng", 0.0), ("Huế", 0.0), ("", 0.0),
])
def test_grade_short_answer(typed, expected):
    assert unicodedata.normalize("NFD", "Hà Nội") != "Hà Nội"
    assert _grade(short_answer(), typed) == expected


def test_grade_short_answer_accepted_answer_decomposed_too():
    snap = snapshot("short_answer", [option(1, unicodedata.normalize("NFD", "Hà Nội"), 1.0)])
    assert _grade(snap, "Hà Nội") == 1.0


def test_grade_short_answer_case_sensitive():
    snap = short_answer(case_sensitive=True)
    assert _grade(snap, "Hà Nội") == 1.0
    assert _grade(snap, "hà nội") == 0.0
    assert _grade(snap, "Ha Noi") == 0.5
    assert _grade(snap, "thăng long") == 0.0


@pytest.mark.parametrize(("accepted", "typed", "expected"), [
    ("C++", "C++", 1.0), ("C++", "CCC", 0.0), ("C++", "c++", 1.0),
    ("a.b", "a.b", 1.0), ("a.b", "axb", 0.0),
    ("(x)?", "(x)?", 1.0), ("(x)?", "x", 0.0),
    ("[a-z]", "q", 0.0), ("$5^", "$5^", 1.0), ("a\\d", "a\\d", 1.0), ("a\\d", "a1", 0.0),
    ("*.py", "grading.py", 1.0), ("*.py", "gradingxpy", 0.0),
    ("*", "anything at all", 1.0), ("Viet*Nam", "Việt Nam", 0.0), ("Vi*t Nam", "Việt Nam", 1.0),
])
def test_short_answer_takes_everything_but_the_wildcard_literally(accepted, typed, expected):
    assert _grade(snapshot("short_answer", [option(1, accepted, 1.0)]), typed) == expected


def test_grade_short_answer_first_match_wins():
    snap = snapshot("short_answer", [option(1, "*", 0.0), option(2, "Hà Nội", 1.0)])
    assert _grade(snap, "Hà Nội") == 0.0


def test_grade_empty_responses_are_zero_for_every_kind():
    for make in SAMPLES.values():
        snap = make()
        assert grade(snap, _layout(snap), None) == 0.0


def test_grade_ignores_forged_stored_responses():
    """A response stored by an older bug or by hand never scores what it should not."""
    assert grade(single_choice(), {}, ["1"]) == 0.0
    assert grade(multiple_response(), {}, ["11", "11", "12", "99"]) == 1.0
    assert grade(ordering(), {}, "41") == 0.0


@pytest.mark.parametrize(("fraction", "expected"), [
    (1.0, "correct"), (0.9999999, "correct"), (0.999, "partial"), (0.5, "partial"),
    (1e-9, "partial"), (0.0, "wrong"),
])
def test_outcome(fraction, expected):
    assert outcome(fraction) == expected


# ------------------------------------------------------------------ correct response


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_correct_response_is_canonical_and_earns_full_marks(kind):
    snap = SAMPLES[kind]()
    layout = _layout(snap)
    right = correct_response(snap, layout)
    assert response_clean(snap, layout, right) == right
    assert grade(snap, layout, right) == 1.0


def test_correct_response_values():
    layout = {"options": ["14", "12", "13", "11"], "matches": []}
    assert correct_response(single_choice(), {}) == "1"
    assert correct_response(multiple_response(), layout) == ["12", "11"]
    assert correct_response(true_false(), {}) == "21"
    assert correct_response(ordering(), _layout(ordering())) == ["41", "42", "43", "44"]
    assert correct_response(numerical(), {}) == "3.5"
    assert correct_response(short_answer(), {}) == "Hà Nội"
    match_layout = _layout(matching())
    assert correct_response(matching(), match_layout) == {
        stem: _m(match_layout, text) for stem, text in (
            ("31", "Thủ đô"), ("32", "Cố đô"), ("33", "Thành phố ngàn hoa"),
            ("35", "Thủ đô"))}


def test_correct_response_without_full_marks_takes_the_best():
    snap = snapshot("short_answer", [option(1, "gần", 0.3), option(2, "gần đúng", 0.8)])
    assert correct_response(snap, {}) == "gần đúng"
    snap = snapshot("single_choice", [option(1, "A", 0.2), option(2, "B", 0.7)])
    assert correct_response(snap, {}) == "2"


# --------------------------------------------------------------- feedback and score


def test_option_feedback():
    assert option_feedback(single_choice(), "2") == ["Huế từng là kinh đô."]
    assert option_feedback(single_choice(), "3") == []  # no feedback written
    assert option_feedback(multiple_response(), ["13", "11"]) == [
        "Lào Cai không giáp biển.", "Có bờ biển dài."]
    assert option_feedback(true_false(), "22") == ["Hãy xem lại bài 2."]
    assert option_feedback(numerical(), "3,5") == ["Chính xác."]
    assert option_feedback(numerical(), "42") == ["Hãy xem lại cách tính."]
    assert option_feedback(numerical(), "abc") == []
    assert option_feedback(short_answer(), "thăng long") == ["Đó là tên cũ."]
    assert option_feedback(matching(), {"31": "m0"}) == []
    assert option_feedback(ordering(), ["41", "42", "43", "44"]) == []
    assert option_feedback(single_choice(), None) == []


def test_score():
    assert score([(1.0, 2.0), (0.5, 1.0), (None, 1.0)]) == (2.5, 4.0, 0.625)
    assert score([(1.0, 1.0), (0.0, 1.0), (0.0, 1.0)]) == (1.0, 3.0, 0.3333)
    assert score(iter([(0.3333333, 3.0)])) == (0.9999999, 3.0, 0.3333)
    assert score([]) == (0.0, 0.0, 0.0)
    assert score([(1.0, 0.0)]) == (0.0, 0.0, 0.0)
