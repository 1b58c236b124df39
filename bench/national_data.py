"""The national data set of ``bench/national.py``: people, progress, registrations and
certificates, streamed into PostgreSQL with ``COPY``.

Every person's facts (agency, position, name, how far they got, when) are drawn once into a
few compact numpy arrays (some bytes per person); each table is then written in its own pass
over those arrays, a block of text rows at a time, so memory stays bounded whatever the size
and each table's time can be printed on its own.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
FAMILY_WEIGHTS = [38, 11, 9.5, 7, 5.1, 4, 4.5, 3.9, 3.9, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu",
          "Hoài", "Bảo", "Gia", "Kim", "Công", "Đình", "Mạnh", "Phương", "Thùy", "Anh"]
GIVEN = ["An", "Anh", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dung", "Duy", "Giang", "Hà",
         "Hải", "Hạnh", "Hiếu", "Hòa", "Hoa", "Hùng", "Hương", "Huy", "Khánh", "Lan", "Linh",
         "Long", "Mai", "Minh", "My", "Nam", "Nga", "Ngân", "Nhung", "Phúc", "Phương",
         "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Trung", "Tú",
         "Tuấn", "Uyên", "Vân", "Việt", "Vy", "Yến"]

POSITIONS = ["civil_servant", "it_official", "leader", "commune_official", "community_team"]
# Shares of each position category: in a commune, and elsewhere (departments, ministries).
POSITION_SHARES_COMMUNE = [0.71, 0.03, 0.05, 0.13, 0.08]
POSITION_SHARES_OTHER = [0.89, 0.03, 0.08, 0.0, 0.0]
IT_OFFICIAL = 1

NOT_ENROLLED, IN_PROGRESS, COMPLETED = 0, 1, 2
BLOCK = 20_000  # people per block of COPY text


@dataclass(frozen=True)
class Course:
    activity_id: str
    lessons: list[str]  # lesson activity ids, in order
    quiz: str
    title: str
    certificate_type_id: int
    validity_days: int | None


@dataclass
class People:
    """What was drawn for each person; index i is the user with id ``first_id + i``."""

    first_id: int
    agency: np.ndarray      # int32 index into the agency list
    position: np.ndarray    # uint8 index into POSITIONS
    name: np.ndarray        # uint8 (3, n): family, middle, given
    basic: np.ndarray       # uint8 status on the basic course
    basic_done: np.ndarray  # uint8 lessons done while in progress
    basic_day: np.ndarray   # int16 days ago the course was completed (or last touched)
    basic_cert: np.ndarray  # uint8 0 none, 1 valid, 2 revoked
    data: np.ndarray        # uint8 status on the data-management course
    data_day: np.ndarray    # int16 days ago
    data_cert: np.ndarray   # uint8 0 none, 1 issued

    def __len__(self) -> int:
        return len(self.agency)


def people_draw(*, count: int, weights: np.ndarray, commune: np.ndarray, first_id: int,
                basic_lessons: int, seed: int = 2025) -> People:
    """Draw everyone's facts. ``weights``: relative size of each agency; ``commune``: whether
    it is a commune-level agency (its people include commune officials and team members)."""
    rng = np.random.default_rng(seed)
    share = weights / weights.sum() * count
    per_agency = np.floor(share).astype(np.int64)
    short = count - per_agency.sum()  # the largest remainders get one more
    per_agency[np.argsort(share - per_agency)[::-1][:short]] += 1
    agency = np.repeat(np.arange(len(weights), dtype=np.int32), per_agency)
    in_commune = commune[agency]
    position = np.empty(count, dtype=np.uint8)
    for flag, shares in ((True, POSITION_SHARES_COMMUNE), (False, POSITION_SHARES_OTHER)):
        where = np.flatnonzero(in_commune == flag)
        position[where] = rng.choice(len(POSITIONS), size=len(where), p=shares)
    fam_p = np.array(FAMILY_WEIGHTS) / sum(FAMILY_WEIGHTS)
    name = np.vstack([rng.choice(len(FAMILY), size=count, p=fam_p),
                      rng.integers(0, len(MIDDLE), count),
                      rng.integers(0, len(GIVEN), count)]).astype(np.uint8)
    u = rng.random(count)
    basic = np.where(u < 0.55, COMPLETED, np.where(u < 0.70, IN_PROGRESS, NOT_ENROLLED))
    basic = basic.astype(np.uint8)
    basic_done = rng.integers(0, basic_lessons, count).astype(np.uint8)
    # completions ramp up towards today: more of them recently than a year ago
    basic_day = rng.triangular(0, 0, 420, count).astype(np.int16)
    u = rng.random(count)
    basic_cert = np.where(basic == COMPLETED, np.where(u < 0.005, 2, np.where(u < 0.91, 1, 0)),
                          0).astype(np.uint8)
    it = position == IT_OFFICIAL
    u = rng.random(count)
    data = np.where(it & (u < 0.20), COMPLETED, np.where(it & (u < 0.35), IN_PROGRESS,
                                                         NOT_ENROLLED)).astype(np.uint8)
    # some data-management certificates older than their 36 months of validity
    old = rng.random(count) < 0.12
    data_day = np.where(old, rng.integers(1100, 1460, count),
                        rng.triangular(0, 0, 420, count)).astype(np.int16)
    data_cert = (data == COMPLETED).astype(np.uint8)
    return People(first_id=first_id, agency=agency, position=position, name=name, basic=basic,
                  basic_done=basic_done, basic_day=basic_day, basic_cert=basic_cert,
                  data=data, data_day=data_day, data_cert=data_cert)


class Stamps:
    """Timestamps as COPY text, by days ago (the same hour every day)."""

    def __init__(self, now: datetime.datetime, days: int = 1500) -> None:
        self.now = now
        self.text = [(now - datetime.timedelta(days=d)).isoformat() for d in range(days)]

    def __getitem__(self, days_ago: int) -> str:
        return self.text[days_ago]


def _full_name(name: np.ndarray, i: int) -> str:
    return f"{FAMILY[name[0, i]]} {MIDDLE[name[1, i]]} {GIVEN[name[2, i]]}"


def _blocks(people: People, rows: Callable[[int, int], Iterator[str]]) -> Iterator[str]:
    for start in range(0, len(people), BLOCK):
        yield "".join(rows(start, min(start + BLOCK, len(people))))


def users_text(people: People, stamps: Stamps) -> Iterator[str]:
    """auth user rows: (id, password, is_superuser, username, first_name, last_name, email,
    is_staff, is_active, date_joined, xapi_id)."""
    joined = stamps[500]
    tail = f"\t\t\t\tf\tt\t{joined}\t"

    def rows(a: int, b: int) -> Iterator[str]:
        first = people.first_id
        for i in range(a, b):
            uid = first + i
            # a valid, unique UUID per person without calling uuid4 two million times
            yield f"{uid}\t!\tf\tcb{uid:08d}{tail}00000000-0000-4000-8000-{uid:012x}\n"
    return _blocks(people, rows)


def persons_text(people: People, agency_ids: list[int]) -> Iterator[str]:
    """(id, user_id, full_name, agency_id, position)."""
    def rows(a: int, b: int) -> Iterator[str]:
        first, name, agency, position = people.first_id, people.name, people.agency, \
            people.position
        for i in range(a, b):
            uid = first + i
            yield (f"{uid}\t{uid}\t{_full_name(name, i)}\t{agency_ids[agency[i]]}\t"
                   f"{POSITIONS[position[i]]}\n")
    return _blocks(people, rows)


def _course_rows(uid: int, course: Course, status: int, done: int, stamp: str) -> str:
    """One person's progress rows on a course: its lessons, quiz and the course itself
    when completed; the lessons done so far and the one started when in progress.
    Columns: user_id, activity_id, completed, success, score_scaled, completed_at,
    updated_at."""
    prefix = f"{uid}\t"
    finished = f"\tt\t\\N\t\\N\t{stamp}\t{stamp}\n"
    if status == COMPLETED:
        return (prefix + (finished + prefix).join(course.lessons) + finished
                + f"{prefix}{course.quiz}\tt\tt\t0.9\t{stamp}\t{stamp}\n"
                + f"{prefix}{course.activity_id}{finished}")
    lessons = course.lessons[:done]
    text = prefix + (finished + prefix).join(lessons) + finished if lessons else ""
    return text + f"{prefix}{course.lessons[done]}\tf\t\\N\t\\N\t\\N\t{stamp}\n"


def progress_text(people: People, basic: Course, data: Course,
                  stamps: Stamps) -> Iterator[str]:
    def rows(a: int, b: int) -> Iterator[str]:
        uid = people.first_id + a
        for status, done, day, d_status, d_day in zip(
                people.basic[a:b].tolist(), people.basic_done[a:b].tolist(),
                people.basic_day[a:b].tolist(), people.data[a:b].tolist(),
                people.data_day[a:b].tolist(), strict=True):
            if status:
                yield _course_rows(uid, basic, status, done, stamps[day])
            if d_status:
                yield _course_rows(uid, data, d_status, 1, stamps[d_day])
            uid += 1
    return _blocks(people, rows)


def registrations_text(people: People, basic: Course, data: Course,
                       stamps: Stamps) -> Iterator[str]:
    """(user_id, activity_id, registration, created_at): enrolled some weeks before."""
    def rows(a: int, b: int) -> Iterator[str]:
        first = people.first_id
        for i in range(a, b):
            uid = first + i
            if people.basic[i]:
                yield (f"{uid}\t{basic.activity_id}\t00000000-0000-4000-8000-{uid:012x}\t"
                       f"{stamps[min(people.basic_day[i] + 21, 1499)]}\n")
            if people.data[i]:
                yield (f"{uid}\t{data.activity_id}\t00000000-0000-4000-9000-{uid:012x}\t"
                       f"{stamps[min(people.data_day[i] + 21, 1499)]}\n")
    return _blocks(people, rows)


def certificates_text(people: People, basic: Course, data: Course, stamps: Stamps,
                      agency_names: list[str]) -> Iterator[str]:
    """(serial, user_id, certificate_type_id, cycle, holder_name, agency_name, course_title,
    issued_at, expires_at, pdf, sha256, status, revoked_at, revoked_reason)."""
    def one(i: int, course: Course, kind: str, day: int, revoked: bool) -> str:
        uid = people.first_id + i
        issued = stamps[day]
        expires = "\\N"
        if course.validity_days:
            expires = (stamps.now - datetime.timedelta(days=day - course.validity_days)
                       ).isoformat()
        status = f"revoked\t{stamps[max(day - 30, 0)]}\tCấp nhầm" if revoked else \
            "valid\t\\N\t"
        return (f"{kind}-{uid:08d}\t{uid}\t{course.certificate_type_id}\t1\t"
                f"{_full_name(people.name, i)}\t{agency_names[people.agency[i]]}\t"
                f"{course.title}\t{issued}\t{expires}\t\t\t{status}\n")

    def rows(a: int, b: int) -> Iterator[str]:
        for i in range(a, b):
            if people.basic_cert[i]:
                yield one(i, basic, "KNS", int(people.basic_day[i]), people.basic_cert[i] == 2)
            if people.data_cert[i]:
                yield one(i, data, "QTDL", int(people.data_day[i]), False)
    return _blocks(people, rows)


def copy_into(cursor, table: str, columns: list[str], blocks: Iterator[str]) -> float:
    """COPY text blocks into ``table``; a writer thread sends while Python formats."""
    from psycopg.copy import QueuedLibpqWriter

    began = time.perf_counter()
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
        for block in blocks:
            copy.write(block)
    return time.perf_counter() - began
