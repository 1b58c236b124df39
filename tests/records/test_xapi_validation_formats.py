"""xAPI value formats (IRIs, RFC 5646 language tags, UUIDs, timestamps, durations) and the
validators the resources use for their parameters (agent, activity, IRI, UUID, timestamp,
language map)."""

from __future__ import annotations

from typing import Any

import pytest

from lms.records.errors import InvalidStatement
from lms.records.xapi.validation import (
    validate_activity,
    validate_agent,
    validate_iri,
    validate_language_map,
    validate_language_tag,
    validate_timestamp,
    validate_uuid,
)

V1, V2 = "1.0.3", "2.0.0"


def message(check: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(InvalidStatement) as caught:
        check(*args, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize("iri", [
    "http://example.com", "https://hocso.gov.vn/khoa-hoc/1?tab=2#bai-3",
    "urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee", "mailto:a@b.vn",
    "tag:example.org,2020:activity", "http://例子.测试/路径/bài-học", "http://[::1]:8080/a",
    "http://a.vn/%C3%A1", "http://example.com/xapi/verbs#sent-a-statement", "a:",
])
def test_valid_iris(iri: str) -> None:
    validate_iri(iri, "activityId")


@pytest.mark.parametrize("iri", [
    "", "example.com", "/relative/path", "should fail", "http://a.vn/with space",
    "1http://a.vn", "http://a.vn/%zz", "http://a.vn/a#b#c", "http://a.vn/<b>",
    "http://a.vn/{x}", "C:\\files\\a.txt", "http://a.vn/\u0085",
])
def test_invalid_iris(iri: str) -> None:
    assert message(validate_iri, iri, "activityId") == (
        "activityId: must be an absolute IRI (scheme:…)")


def test_iri_must_be_a_string() -> None:
    assert message(validate_iri, 12, "activityId") == (
        "activityId: must be an IRI string, not a number")


@pytest.mark.parametrize("tag", [
    "en", "en-US", "vi-VN", "zh-Hant", "zh-Hans-CN", "sr-Latn-RS", "es-419", "de-CH-1901",
    "sl-rozaj-biske", "x-private", "i-klingon", "en-GB-oed", "tlh", "cmn", "zh-yue-HK",
    "de-DE-u-co-phonebk", "en-a-bbb-x-a-ccc", "EN-us", "hy-Latn-IT-arevela",
])
def test_well_formed_language_tags(tag: str) -> None:
    validate_language_tag(tag, "context.language")


@pytest.mark.parametrize("tag", [
    "", "a12345678", "en_US", "en-", "-en", "en--US", "e", "en-a", "en-x", "1en",
    "zh-z-aaa-z-bbb", "de-1901-1901", "en-US-US-US", "zh-Hant-Hans-CN",
])
def test_malformed_language_tags(tag: str) -> None:
    assert message(validate_language_tag, tag, "context.language") == (
        f"context.language: {tag!r} is not an RFC 5646 language tag")


def test_language_map_values_must_be_strings() -> None:
    validate_language_map({"vi": "Bài 1", "en": ""}, "display")
    assert message(validate_language_map, {"vi": 1}, "display") == (
        "display.vi: must be a string, not a number")
    assert message(validate_language_map, ["vi"], "display").startswith(
        "display: must be a language map")


@pytest.mark.parametrize("value", [
    "6690e6c9-3ef0-4ed3-8b37-7f3964730bee", "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE",
    "00000000-0000-0000-0000-000000000000", "6690e6c9-3ef0-1ed3-c8b3-7f3964730bee",
])
def test_valid_uuids(value: str) -> None:
    validate_uuid(value, "registration")


@pytest.mark.parametrize("value", [
    "6690e6c9-3ef0-4ed3-8b37-7f3964730bee0", "6690e6c93ef04ed38b377f3964730bee",
    "{6690e6c9-3ef0-4ed3-8b37-7f3964730bee}", "urn:uuid:6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "6690e6c9-3ef0-4ed3-8b37-7f3964730beg", "",
])
def test_invalid_uuids(value: str) -> None:
    assert message(validate_uuid, value, "registration").startswith(
        "registration: must be a UUID in standard form")


@pytest.mark.parametrize("value", [
    "2013-05-18T05:32:34.804Z", "2013-05-18T05:32:34.804+00:00", "2013-05-18T05:32:34+07:00",
    "2013-05-18T05:32:34.123456789-05:30", "2013-05-18T05:32Z", "20130518T053234Z",
    "20130518T053234.5+0700", "2013-05-18T05:32:34+07", "2013-05-18t05:32:34z",
    "2024-02-29T00:00:00Z",
])
def test_timestamps_accepted_by_both_versions(value: str) -> None:
    validate_timestamp(value, "since", version=V1)
    validate_timestamp(value, "since", version=V2)


@pytest.mark.parametrize(("value", "rule"), [
    ("should fail", "must be an ISO 8601 date and time"),
    ("01/011/2015", "must be an ISO 8601 date and time"),
    ("2013-05-18", "must be an ISO 8601 date and time"),
    ("2013-05-18T05:32:34.Z", "must be an ISO 8601 date and time"),
    ("2013-5-18T05:32:34Z", "must be an ISO 8601 date and time"),
    ("2013-05-18T05:32:34+0:00", "must be an ISO 8601 date and time"),
    ("2013-05-18T05:32:34 +07:00", "must be an ISO 8601 date and time"),
    ("2023-02-29T00:00:00Z", "is not a real date and time"),
    ("2013-05-18T24:00:00Z", "is not a real date and time"),
    ("2013-05-18T05:60:00Z", "is not a real date and time"),
    ("2013-05-18T05:32:34+24:00", "has an impossible time zone offset"),
    ("2013-05-18T05:32:34-00:00", "must not use the offset -00:00"),
    ("2013-05-18T05:32:34-00", "must not use the offset -00:00"),
])
def test_timestamps_refused_by_both_versions(value: str, rule: str) -> None:
    for version in (V1, V2):
        assert rule in message(validate_timestamp, value, "since", version=version)


@pytest.mark.parametrize("agent", [
    {"mbox": "mailto:a@b.vn"},
    {"objectType": "Agent", "account": {"homePage": "https://hocso.gov.vn", "name": "1"}},
    {"objectType": "Group", "openid": "http://team.example.org/"},
    {"objectType": "Group", "mbox": "mailto:team@b.vn", "member": [{"mbox": "mailto:a@b.vn"}]},
])
def test_agent_parameter_accepts_agents_and_identified_groups(agent: dict[str, Any]) -> None:
    validate_agent(agent, version=V2)
    validate_agent(agent, version=V1)


@pytest.mark.parametrize(("agent", "text"), [
    ("mailto:a@b.vn", "agent: must be a JSON object, not a string"),
    ({}, "agent: must have exactly one inverse functional identifier"),
    ({"objectType": "Group", "member": [{"mbox": "mailto:a@b.vn"}]},
     "agent: must have exactly one inverse functional identifier"),
    ({"mbox": "mailto:a@b.vn", "openid": "http://a.vn/"},
     "agent: must have exactly one inverse functional identifier, not mbox and openid"),
    ({"mbox": "a@b.vn"}, "agent.mbox: must be a mailto: IRI"),
    ({"mbox": "mailto:a<b@c.vn"}, "agent.mbox: must be a mailto: IRI with only IRI characters"),
    ({"mbox": "mailto:a@b.vn,c@d.vn"}, "agent.mbox: must be a mailto: IRI with one email"),
    ({"mbox_sha1sum": "g" * 40}, "agent.mbox_sha1sum: must be a SHA-1 hash"),
    ({"openid": "http://người.vn/"}, "agent.openid: must be an absolute URI (ASCII only)"),
    ({"objectType": "Activity", "mbox": "mailto:a@b.vn"},
     "agent.objectType: must be Agent or Group"),
    ({"mbox": "mailto:a@b.vn", "age": 30}, "agent.age: is not a property allowed here"),
])
def test_agent_parameter_refusals(agent: Any, text: str) -> None:
    assert message(validate_agent, agent, version=V2).startswith(text)


def test_agent_parameter_uses_the_field_name() -> None:
    assert message(validate_agent, {"mbox": "x"}, version=V1, field="related_agent") == (
        "related_agent.mbox: must be a mailto: IRI with one email address (mailto:name@domain)")


def test_activity_object() -> None:
    validate_activity({"id": "https://hocso.gov.vn/a", "definition": {"name": {"vi": "A"}}},
                      version=V2)
    assert message(validate_activity, {"id": "a"}, version=V2) == (
        "activity.id: must be an absolute IRI (scheme:…)")
    assert message(validate_activity, {"objectType": "Agent", "id": "http://a.vn"},
                   version=V1) == "activity.objectType: must be Activity"
