"""Questions as xAPI 1.0.3 cmi.interaction activities, checked against our LRS validator."""

from __future__ import annotations

import random
import unicodedata

import pytest

from assessments.grading import correct_response, layout_make
from assessments.interactions import (
    interaction_definition,
    interaction_response,
)
from lms.records.errors import InvalidStatement
from lms.records.vocab import INTERACTION as CMI_INTERACTION
from lms.records.xapi.validation import validate_statement

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


def _layout(snap: dict) -> dict:
    return layout_make(snap, random.Random(3))


def _statement(definition: dict, response: str) -> dict:
    return {
        "actor": {"objectType": "Agent",
                  "account": {"homePage": "https://hocso.example", "name": "x"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered",
                 "display": {"vi": "đã trả lời"}},
        "object": {"objectType": "Activity",
                   "id": "https://hocso.example/questions/5b0f8a34-3c52-4f7e-9d36-0c8f1d2a9e11",
                   "definition": definition},
        "result": {"response": response, "success": True},
    }


def _valid(definition: dict, response: str = "") -> None:
    validate_statement(_statement(definition, response), version="1.0.3")


def _choices(*pairs: tuple[str, str]) -> list[dict]:
    return [{"id": i, "description": {"vi": text}} for i, text in pairs]


# ------------------------------------------------------------- definitions per kind


def test_single_choice_definition():
    snap = single_choice()
    prompt = "Thủ đô của Việt Nam là thành phố nào?"
    assert interaction_definition(snap, _layout(snap)) == {
        "type": CMI_INTERACTION,
        "name": {"vi": prompt},
        "description": {"vi": prompt},
        "interactionType": "choice",
        "choices": _choices(("1", "Hà Nội"), ("2", "Huế"), ("3", "Đà Nẵng"), ("4", "Sài Gòn")),
        "correctResponsesPattern": ["1"],
    }


def test_single_choice_patterns_every_full_marks_option_or_the_best():
    two = snapshot("single_choice", [option(1, "A", 1.0), option(2, "B", 0.0),
                                     option(3, "C", 1.0)])
    assert interaction_definition(two, {})["correctResponsesPattern"] == ["1", "3"]
    best = snapshot("single_choice", [option(1, "A", 0.3), option(2, "B", 0.6)])
    assert interaction_definition(best, {})["correctResponsesPattern"] == ["2"]
    none = snapshot("single_choice", [option(1, "A", 0.0)])
    assert "correctResponsesPattern" not in interaction_definition(none, {})


def test_multiple_response_definition():
    definition = interaction_definition(multiple_response(), {}, language="en")
    assert definition["interactionType"] == "choice"
    assert definition["choices"] == [
        {"id": i, "description": {"en": text}} for i, text in (
            ("11", "Quảng Ninh"), ("12", "Đà Nẵng"), ("13", "Lào Cai"), ("14", "Cao Bằng"))]
    assert definition["correctResponsesPattern"] == ["11[,]12"]
    assert definition["name"] == {"en": "Những tỉnh, thành phố nào giáp biển?"}
    _valid(definition, "11[,]13")


def test_true_false_definition():
    definition = interaction_definition(true_false(), {})
    assert definition == {
        "type": CMI_INTERACTION,
        "name": {"vi": "Dữ liệu cá nhân phải được bảo vệ."},
        "description": {"vi": "Dữ liệu cá nhân phải được bảo vệ."},
        "interactionType": "true-false",
        "correctResponsesPattern": ["true"],
    }
    flipped = snapshot("true_false", [option(1, "true", 0.0), option(2, "false", 1.0)])
    assert interaction_definition(flipped, {})["correctResponsesPattern"] == ["false"]


def test_matching_definition():
    snap = matching()
    definition = interaction_definition(snap, _layout(snap))
    assert definition["interactionType"] == "matching"
    assert definition["source"] == _choices(
        ("31", "Hà Nội"), ("32", "Huế"), ("33", "Đà Lạt"), ("35", "Thăng Long"))
    assert definition["target"] == _choices(
        ("m0", "Thủ đô"), ("m1", "Cố đô"), ("m2", "Thành phố ngàn hoa"),
        ("m3", "Thành phố cảng"))
    assert definition["correctResponsesPattern"] == ["31[.]m0[,]32[.]m1[,]33[.]m2[,]35[.]m0"]
    assert "choices" not in definition


def test_ordering_definition():
    snap = ordering()
    definition = interaction_definition(snap, _layout(snap))
    assert definition["interactionType"] == "sequencing"
    assert definition["choices"] == _choices(
        ("41", "Đăng nhập"), ("42", "Mở bài thi"), ("43", "Trả lời"), ("44", "Nộp bài"))
    assert definition["correctResponsesPattern"] == ["41[,]42[,]43[,]44"]


def test_numerical_definition():
    definition = interaction_definition(numerical(), {})
    assert definition["interactionType"] == "numeric"
    assert definition["correctResponsesPattern"] == ["3.4[:]3.6"]
    assert set(definition) == {"type", "name", "description", "interactionType",
                               "correctResponsesPattern"}


@pytest.mark.parametrize(("options", "patterns"), [
    ([option(1, "3", 1.0)], ["3"]),
    ([option(1, "3", 1.0, tolerance=0)], ["3"]),
    ([option(1, "-2", 1.0, tolerance=0.5)], ["-2.5[:]-1.5"]),
    ([option(1, "1234,5", 1.0, tolerance=0.25)], ["1234.25[:]1234.75"]),
    ([option(1, "10", 1.0), option(2, "20", 1.0, tolerance=1)], ["10", "19[:]21"]),
    ([option(1, "10", 0.5), option(2, "11", 0.25)], ["10"]),
    ([option(1, "*", 1.0), option(2, "7", 1.0)], ["7"]),
])
def test_numeric_patterns(options, patterns):
    definition = interaction_definition(snapshot("numerical", options), {})
    assert definition["correctResponsesPattern"] == patterns
    _valid(definition, "3")


def test_numeric_wildcard_only_has_no_pattern():
    definition = interaction_definition(snapshot("numerical", [option(1, "*", 1.0)]), {})
    assert "correctResponsesPattern" not in definition
    _valid(definition, "42")


def test_short_answer_definition():
    definition = interaction_definition(short_answer(), {})
    assert definition["interactionType"] == "fill-in"
    assert definition["correctResponsesPattern"] == ["Hà Nội"]
    sensitive = interaction_definition(short_answer(case_sensitive=True), {})
    assert sensitive["correctResponsesPattern"] == ["{case_matters=true}Hà Nội"]


def test_fill_in_patterns_leave_out_what_a_pattern_cannot_say():
    snap = snapshot("short_answer", [
        option(1, "Thăng *", 1.0), option(2, unicodedata.normalize("NFD", "  Hà   Nội "), 1.0),
        option(3, "a[,]b", 1.0), option(4, "{lang=vi}", 1.0), option(5, "Hanoi", 0.5),
    ])
    assert interaction_definition(snap, {})["correctResponsesPattern"] == ["Hà Nội"]
    wildcards = snapshot("short_answer", [option(1, "*", 1.0), option(2, "Hà *", 1.0)])
    assert "correctResponsesPattern" not in interaction_definition(wildcards, {})


def test_every_kind_is_accepted_by_the_lrs_validator():
    for kind, make in SAMPLES.items():
        for fields in ({}, {"case_sensitive": True}, {"name": "", "prompt": ""}):
            snap = make(**fields)
            layout = _layout(snap)
            definition = interaction_definition(snap, layout)
            for response in (correct_response(snap, layout), None):
                _valid(definition, interaction_response(snap, layout, response))
            assert definition["type"] == CMI_INTERACTION, kind


def test_the_validator_would_refuse_a_broken_definition():
    """The check above has teeth: components the interactionType does not allow fail."""
    definition = interaction_definition(numerical(), {})
    definition["choices"] = _choices(("1", "A"))
    with pytest.raises(InvalidStatement, match="choices"):
        _valid(definition, "3.5")


# ------------------------------------------------------------------- names and ids


def test_name_prefers_the_question_name_and_strips_html():
    snap = single_choice(name="Câu 1 &amp; <i>thủ đô</i>",
                         prompt="<p>Nước H<sub>2</sub>O &amp; đất</p><p>Chọn một.</p>")
    definition = interaction_definition(snap, {})
    assert definition["name"] == {"vi": "Câu 1 & thủ đô"}
    assert definition["description"] == {"vi": "Nước H2O & đất Chọn một."}


def test_name_from_a_long_prompt_is_cut_to_200_characters():
    snap = single_choice(prompt="<p>" + "dữ liệu " * 60 + "</p>")
    definition = interaction_definition(snap, {})
    assert len(definition["name"]["vi"]) <= 200
    assert definition["name"]["vi"].endswith("…")
    assert definition["description"]["vi"] == ("dữ liệu " * 60).strip()


def test_empty_name_and_prompt_leave_the_language_maps_out():
    definition = interaction_definition(true_false(name="", prompt=""), {})
    assert "name" not in definition and "description" not in definition
    _valid(definition, "true")


@pytest.mark.parametrize("bad_id", ["a b", "1[,]2", "m[.]0", "0[:]1", ""])
def test_component_ids_that_would_break_a_pattern_are_refused(bad_id):
    snap = snapshot("single_choice", [option(bad_id, "A", 1.0)])
    with pytest.raises(ValueError, match="component id"):
        interaction_definition(snap, {})


# ------------------------------------------------------------------------ responses


def test_interaction_responses():
    match_snap = matching()
    layout = _layout(match_snap)
    assert interaction_response(single_choice(), {}, "2") == "2"
    assert interaction_response(multiple_response(), {}, ["12", "11"]) == "12[,]11"
    assert interaction_response(true_false(), {}, "21") == "true"
    assert interaction_response(true_false(), {}, "22") == "false"
    assert interaction_response(match_snap, layout, {"31": "m0", "32": "m3"}) == (
        "31[.]m0[,]32[.]m3")
    assert interaction_response(ordering(), {}, ["44", "41", "42", "43"]) == (
        "44[,]41[,]42[,]43")
    assert interaction_response(numerical(), {}, "3,5") == "3.5"
    assert interaction_response(numerical(), {}, "1.234,50") == "1234.5"
    assert interaction_response(numerical(), {}, " -2 ") == "-2"
    assert interaction_response(numerical(), {}, "abc") == "abc"
    assert interaction_response(short_answer(), {}, "Hà Nội") == "Hà Nội"


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_no_response_is_an_empty_string(kind):
    snap = SAMPLES[kind]()
    assert interaction_response(snap, _layout(snap), None) == ""
