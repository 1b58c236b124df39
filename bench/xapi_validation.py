"""xAPI statement validation speed on one core.

    PYTHONPATH=. python bench/xapi_validation.py [STATEMENTS]

Builds STATEMENTS (default 20,000) distinct typical statements (account actor, verb with
display, activity object with name and type, result with score, context with registration
and a parent activity, timestamp) over 300 activities and 5 verbs, as a course's learners
would send them, and times ``validate_statement`` over them for xAPI 1.0.3 and 2.0
requests (best of 3 rounds). Then the same with every IRI distinct (no statement shares an
activity, verb or home page, so nothing is remembered between statements), one large
statement (SubStatement, interaction definition, every context property, attachments,
extensions), and, for scale, ralph's pydantic model on the typical statements when the
``ralph-malph`` package is installed. Needs no database.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lms.records.xapi.validation import validate_statement  # noqa: E402

VERBS = ["completed", "passed", "failed", "attempted", "experienced"]


def typical(i: int, *, distinct_iris: bool = False) -> dict[str, Any]:
    site = f"https://lms{i}.example.vn" if distinct_iris else "https://hocso.gov.vn"
    course = f"{site}/courses/{i % 7 if not distinct_iris else i}"
    activity = f"{course}/lessons/{i % 300}"
    verb = VERBS[i % len(VERBS)]
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": f"Người học {i}",
                  "account": {"homePage": site, "name": f"{100000 + i}"}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}" if not distinct_iris
                 else f"{site}/verbs/{verb}", "display": {"en-US": verb, "vi": verb}},
        "object": {"objectType": "Activity", "id": activity,
                   "definition": {"name": {"vi": f"Bài {i % 300}", "en": f"Lesson {i % 300}"},
                                  "type": "http://adlnet.gov/expapi/activities/lesson"}},
        "result": {"score": {"scaled": 0.85, "raw": 85, "min": 0, "max": 100},
                   "success": True, "completion": True, "duration": "PT12M30.5S"},
        "context": {"registration": str(uuid.uuid4()),
                    "contextActivities": {"parent": [{"id": course,
                                                      "objectType": "Activity"}]},
                    "language": "vi-VN"},
        "timestamp": f"2026-05-{1 + i % 28:02d}T0{i % 10}:1{i % 10}:22.{i % 1000:03d}+07:00",
    }


def large(*, v2: bool) -> dict[str, Any]:
    agent = {"objectType": "Agent", "mbox": "mailto:hoc.vien@example.vn", "name": "Học viên"}
    choices = [{"id": f"c{n}", "description": {"vi": f"Lựa chọn {n}", "en-US": f"Choice {n}"}}
               for n in range(8)]
    context: dict[str, Any] = {
        "registration": str(uuid.uuid4()),
        "instructor": {"objectType": "Agent", "openid": "https://openid.example.vn/gv1"},
        "team": {"objectType": "Group", "name": "Tổ 1",
                 "member": [{"mbox_sha1sum": "a" * 40}, agent]},
        "contextActivities": {
            kind: [{"id": f"https://hocso.gov.vn/{kind}/{n}",
                    "definition": {"type": "http://adlnet.gov/expapi/activities/course"}}
                   for n in range(3)]
            for kind in ("parent", "grouping", "category", "other")},
        "revision": "3", "platform": "HọcSố", "language": "vi",
        "statement": {"objectType": "StatementRef", "id": str(uuid.uuid4())},
        "extensions": {f"https://hocso.gov.vn/ext/{n}": {"nested": [1, 2, None]}
                       for n in range(5)},
    }
    if v2:
        context["contextAgents"] = [{"objectType": "contextAgent", "agent": agent,
                                     "relevantTypes": ["https://hocso.gov.vn/types/mentor"]}]
        context["contextGroups"] = [{"objectType": "contextGroup", "group": context["team"]}]
    sub = {
        "objectType": "SubStatement", "actor": agent,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"vi": "trả lời"}},
        "object": {"id": "https://hocso.gov.vn/q/1", "definition": {
            "name": {"vi": "Câu 1"}, "description": {"vi": "Chọn đáp án đúng"},
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": "choice", "correctResponsesPattern": ["c1[,]c3"],
            "choices": choices, "moreInfo": "https://hocso.gov.vn/q/1/info",
            "extensions": {"https://hocso.gov.vn/ext/weight": 2}}},
        "result": {"response": "c1[,]c3", "success": True, "score": {"scaled": 1}},
        "context": context, "timestamp": "2026-05-01T10:20:30.123Z",
    }
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Group", "account": {"homePage": "https://hocso.gov.vn",
                                                     "name": "to-1"},
                  "member": [agent, {"account": {"homePage": "https://hocso.gov.vn",
                                                 "name": "hv2"}}]},
        "verb": {"id": "https://hocso.gov.vn/verbs/reviewed", "display": {"vi": "đã xem xét"}},
        "object": sub,
        "result": {"score": {"raw": 9, "min": 0, "max": 10}, "completion": True,
                   "duration": "P1DT2H", "extensions": {"https://hocso.gov.vn/ext/x": "y"}},
        "context": {"registration": str(uuid.uuid4()), "language": "vi-VN"},
        "timestamp": "2026-05-01T10:20:30.123+07:00",
        "attachments": [{"usageType": "http://adlnet.gov/expapi/attachments/signature",
                         "display": {"vi": "Chữ ký"}, "contentType": "application/octet-stream",
                         "length": 4235, "sha2": "b" * 64}],
        "version": "2.0.0" if v2 else "1.0.3",
    }


def rate(check: Callable[[dict[str, Any]], Any], statements: list[dict[str, Any]]) -> float:
    """Statements per second, best of 3 rounds."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for statement in statements:
            check(statement)
        best = min(best, time.perf_counter() - start)
    return len(statements) / best


def main(count: int) -> None:
    statements = [typical(i) for i in range(count)]
    cold = [typical(i, distinct_iris=True) for i in range(count)]
    print(f"statements: {count} typical (300 activities, 5 verbs); one core, best of 3")
    for version in ("1.0.3", "2.0.0"):
        def check(s: dict[str, Any], v: str = version) -> None:
            validate_statement(s, version=v)
        print(f"xAPI {version} typical: {rate(check, statements):,.0f} statements/s")
        print(f"xAPI {version} typical, every IRI distinct: {rate(check, cold):,.0f} "
              f"statements/s")
        big = [large(v2=version == "2.0.0")] * 2000
        print(f"xAPI {version} large statement: {rate(check, big):,.0f} statements/s")
    try:
        from ralph.models.xapi.base.statements import BaseXapiStatement
    except ImportError:
        print("ralph-malph not installed: no comparison")
        return
    sample = statements[: min(count, 5000)]
    print(f"ralph 5.1 BaseXapiStatement (pydantic), typical: "
          f"{rate(lambda s: BaseXapiStatement(**s), sample):,.0f} statements/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
