"""The benchmark's learning records: learners, activities and statements, as text.

A ``Corpus`` holds ~100k learners (account actors on our home page), ~100 courses of 20
activities each (the course, 15 lessons, 4 assessments), and each learner's 3 course
registrations. It writes statements two ways, both as pre-formatted text so that millions
can be produced quickly:

- ``copy_rows``: rows for ``COPY records_statement`` / ``records_statementrelation``,
  shaped like what ``lms.records.storage`` stores (payload with ``stored``, ``authority``
  and ``version``; ``actor_key`` / ``activity_id`` / ``registration`` columns; one
  ``contextActivities.parent`` relation for each statement about a lesson or assessment);
- ``post_statement``: a fresh statement as a client sends it (new UUID, no ``stored``).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

ADL = "http://adlnet.gov/expapi/verbs/"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"
VERBS = {
    "registered": {"en-US": "registered", "vi": "đã ghi danh"},
    "attempted": {"en-US": "attempted", "vi": "đã bắt đầu"},
    "experienced": {"en-US": "experienced", "vi": "đã xem"},
    "completed": {"en-US": "completed", "vi": "đã hoàn thành"},
    "passed": {"en-US": "passed", "vi": "đã đạt"},
    "failed": {"en-US": "failed", "vi": "chưa đạt"},
}
LESSONS_PER_COURSE = 15
ASSESSMENTS_PER_COURSE = 4
ENROLMENTS_PER_LEARNER = 3


def _dumps(value: object) -> str:
    return orjson.dumps(value).decode()


def fast_uuid(bits: int) -> str:
    """A version-4 UUID string from 128 random bits (cheaper than ``uuid.uuid4()``)."""
    bits = (bits & ~(0xF << 76)) | (4 << 76)
    bits = (bits & ~(0x3 << 62)) | (0x2 << 62)
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class Activity:
    iri: str
    kind: str  # "course", "lesson" or "assessment"
    course: int  # index of its course
    json: str  # the statement object, as JSON text


class Corpus:
    """Learners, activities and registrations; ``learner_ids`` are (user id, xapi id)."""

    def __init__(self, *, home_page: str, activity_base: str, courses: int,
                 learner_ids: list[tuple[int, str]], client_key: str, seed: int = 1) -> None:
        self.home_page = home_page
        self.learners = learner_ids
        rng = random.Random(seed)
        self.actor_json = [_dumps({"objectType": "Agent",
                                   "account": {"homePage": home_page, "name": name}})
                           for _, name in learner_ids]
        self.actor_key = [f"account:{home_page}|{name}" for _, name in learner_ids]
        self.verb_json = {v: _dumps({"id": ADL + v, "display": d}) for v, d in VERBS.items()}
        self.authority_json = _dumps({"objectType": "Agent", "account": {
            "homePage": home_page, "name": f"client:{client_key}"}})
        self.courses: list[Activity] = []
        self.children: list[list[Activity]] = []
        for c in range(courses):
            code = f"B{c:03d}"
            course_iri = f"{activity_base}/xapi/activities/course/{code}"
            self.courses.append(self._activity(course_iri, "course", c,
                                               f"Khóa học {code}", COURSE_TYPE))
            kids = [self._activity(f"{activity_base}/xapi/activities/lesson/{code}-{n:02d}",
                                   "lesson", c, f"Bài {n} – {code}", LESSON_TYPE)
                    for n in range(1, LESSONS_PER_COURSE + 1)]
            kids += [self._activity(f"{activity_base}/xapi/activities/quiz/{code}-{n}",
                                    "assessment", c, f"Kiểm tra {n} – {code}", ASSESSMENT_TYPE)
                     for n in range(1, ASSESSMENTS_PER_COURSE + 1)]
            self.children.append(kids)
        self.parent_json = [_dumps([{"objectType": "Activity", "id": a.iri}])
                            for a in self.courses]
        # Each learner's courses and registration ids; popular courses are likelier.
        weights = [1.0 / (1 + c) ** 0.6 for c in range(courses)]
        self.enrolments: list[list[int]] = []
        self.registrations: list[list[str]] = []
        for _ in learner_ids:
            picked: list[int] = []
            while len(picked) < min(ENROLMENTS_PER_LEARNER, courses):
                c = rng.choices(range(courses), weights)[0]
                if c not in picked:
                    picked.append(c)
            self.enrolments.append(picked)
            self.registrations.append([fast_uuid(rng.getrandbits(128)) for _ in picked])

    @staticmethod
    def _activity(iri: str, kind: str, course: int, name: str, type_: str) -> Activity:
        return Activity(iri, kind, course, _dumps({
            "objectType": "Activity", "id": iri,
            "definition": {"name": {"vi": name}, "type": type_}}))

    @property
    def activities(self) -> list[Activity]:
        return [a for c, course in enumerate(self.courses) for a in [course, *self.children[c]]]

    def requirements(self) -> list[tuple[str, str, str]]:
        """(course, lesson or assessment, rule): a course is completed once its lessons
        are completed and its assessments passed."""
        return [(self.courses[c].iri, a.iri, "completed" if a.kind == "lesson" else "passed")
                for c in range(len(self.courses)) for a in self.children[c]]

    def _pick(self, rng: random.Random) -> tuple[int, int, Activity, str, str]:
        """(learner, course, activity, verb, result JSON fragment) of one statement."""
        r = rng.random
        li = int(r() * len(self.learners))
        k = int(r() * len(self.enrolments[li]))
        c = self.enrolments[li][k]
        x = r()
        if x < 0.05:
            activity = self.courses[c]
            verb = "registered" if r() < 0.6 else "completed"
            result = ',"result":{"completion":true}' if verb == "completed" else ""
            return li, k, activity, verb, result
        kids = self.children[c]
        activity = kids[int(r() * len(kids))]
        y = r()
        if activity.kind == "lesson":
            verb = "attempted" if y < 0.3 else "experienced" if y < 0.65 else "completed"
            result = ',"result":{"completion":true}' if verb == "completed" else ""
            return li, k, activity, verb, result
        if y < 0.4:
            return li, k, activity, "attempted", ""
        raw = int(r() * 101)
        ok = raw >= 50
        verb = "passed" if ok else "failed"
        result = (f',"result":{{"score":{{"scaled":{raw / 100},"raw":{raw},"min":0,'
                  f'"max":100}},"success":{"true" if ok else "false"},"completion":true,'
                  f'"duration":"PT{int(r() * 1800) + 60}S"}}')
        return li, k, activity, verb, result

    def _body(self, rng: random.Random, *, statement_id: str, timestamp: str
              ) -> tuple[int, int, Activity, str, str]:
        li, k, activity, verb, result = self._pick(rng)
        reg = self.registrations[li][k]
        parent = ("" if activity.kind == "course" else
                  f',"contextActivities":{{"parent":{self.parent_json[activity.course]}}}')
        text = (f'{{"id":"{statement_id}","actor":{self.actor_json[li]},'
                f'"verb":{self.verb_json[verb]},"object":{activity.json},'
                f'"context":{{"registration":"{reg}"{parent},"platform":"HọcSố",'
                f'"language":"vi"}}{result},"timestamp":"{timestamp}"')
        return li, k, activity, verb, text

    def copy_rows(self, *, count: int, client_id: int, start: datetime.datetime,
                  end: datetime.datetime, seed: int = 2
                  ) -> Iterator[tuple[str, str | None]]:
        """``count`` stored statements spread evenly from ``start`` to ``end``, as
        (statement row, relation row or None) lines of COPY text format."""
        rng = random.Random(seed)
        bits = rng.getrandbits
        step = (end - start) / max(count, 1)
        stored = start
        for _ in range(count):
            stored += step
            when = stored - datetime.timedelta(seconds=int(rng.random() * 120))
            ts = when.isoformat()
            st = stored.isoformat()
            sid = fast_uuid(bits(128))
            li, k, activity, verb, text = self._body(
                rng, statement_id=sid, timestamp=ts.replace("+00:00", "Z"))
            payload = (f'{text},"stored":"{st.replace("+00:00", "Z")}",'
                       f'"authority":{self.authority_json},"version":"1.0.3"}}')
            row = (f"{sid}\t{self.learners[li][0]}\t{client_id}\t{ADL}{verb}\t{activity.iri}\t"
                   f"{self.actor_key[li]}\t\t\\N\t{self.registrations[li][k]}\t{ts}\t{st}\t"
                   f"f\t{payload}\n")
            relation = (None if activity.kind == "course" else
                        f"{sid}\tc\t{self.courses[activity.course].iri}\n")
            yield row, relation

    def post_statement(self, rng: random.Random) -> str:
        """A new statement as a client posts it: fresh id, timestamp now."""
        now = datetime.datetime.now(datetime.UTC).isoformat().replace("+00:00", "Z")
        return self._body(rng, statement_id=fast_uuid(rng.getrandbits(128)),
                          timestamp=now)[4] + "}"


STATEMENT_COLUMNS = ("id", "user_id", "client_id", "verb_id", "activity_id", "actor_key",
                     "object_key", "ref_id", "registration", "timestamp", "stored", "voided",
                     "payload")
RELATION_COLUMNS = ("statement_id", "kind", "key")
