"""Demo data: the real agency tree, one course, ~200 learners in two provinces with some
progress, and one login per role. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime
import logging
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from assessments.grading import correct_response
from assessments.models import QuizPage
from assessments.services import attempt_start, attempt_submit
from certificates.tasks import issue_due_certificates
from courses.models import CoursePage, LessonPage
from courses.services import course_enrol, lesson_complete
from lms.community.models import Outcome, Service, Team
from lms.community.services import team_create, visit_record
from lms.org.models import Agency, Person, PositionCategory, User
from lms.org.services import agencies_seed, manager_scope_set, person_create
from lms.records.clients import client_create
from lms.records.models import Client
from lms.reports.services import targets_load
from lms.reports.snapshots import snapshots_take

from .coursepack import course_pack_load
from .packs.importer import packs_import
from .packs.reader import pack_folders

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "hocso-demo"
DEMO_XAPI_KEY = "demo-lrs"
DEMO_COURSE = Path(settings.BASE_DIR) / "content" / "demo" / "ky-nang-so-co-ban.yaml"
COURSE_PACKS = Path(settings.BASE_DIR) / "content" / "courses"
DEMO_COURSE_CODE = "KNS-CB"
PROVINCES = ("01", "15")  # Thành phố Hà Nội, Tỉnh Lào Cai
LEARNERS_PER_PROVINCE = 100
COMMUNES_PER_PROVINCE = 8
COMMUNITY_LOGIN = "tocongnghe"  # the first learner of Hà Nội: a community team member
COMMUNITY_MEMBERS = (COMMUNITY_LOGIN, "hv0002")
COMMUNITY_TEAM_NAME = "Tổ công nghệ số cộng đồng số 1"
COMMUNITY_VISITS = 10

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
           "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Giàng", "Sùng", "Hà"]
_MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thu", "Quốc", "Thanh", "Hữu", "Phương"]
_GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Hưởng", "Khánh", "Lâm", "Mai",
          "Nga", "Oanh", "Phúc", "Quỳnh", "Sơn", "Thảo", "Tuyết", "Uyên", "Việt", "Yến",
          "Đạt", "Hằng", "Lộc", "Nhung", "Thắng", "Trọng", "Ánh", "Ước"]
_POSITIONS = [PositionCategory.CIVIL_SERVANT] * 6 + [
    PositionCategory.COMMUNE_OFFICIAL, PositionCategory.COMMUNE_OFFICIAL,
    PositionCategory.IT_OFFICIAL, PositionCategory.LEADER, PositionCategory.COMMUNITY_TEAM,
]


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    note: str


def _login_user(username: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_staff=superuser, is_superuser=superuser)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _take_course(user: User, course: CoursePage, stage: float) -> None:
    """Move one learner through the course as far as ``stage`` (0..1) says."""
    if stage < 0.35:
        return
    course_enrol(user=user, course=course)
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    done = len(lessons) if stage >= 0.55 else int((stage - 0.35) / 0.2 * len(lessons))
    for lesson in lessons[:done]:
        lesson_complete(user=user, lesson=lesson)
    if stage < 0.55:
        return
    quiz = QuizPage.objects.child_of(course).live().get()
    attempt = attempt_start(user=user, quiz=quiz)
    passing = stage >= 0.65
    answers = {}
    for index, slot in enumerate(attempt.slots.all()):
        right = correct_response(slot.snapshot, slot.layout)
        if isinstance(right, list):  # multiple response: an option that is not right
            wrong = [o for o in slot.layout["options"] if o not in right][:1] or right
        else:
            wrong = next((o for o in slot.layout["options"] if o != right), right)
        answers[slot.position] = right if passing or index % 2 else wrong
    attempt_submit(user=user, attempt_id=attempt.pk, responses=answers)


@transaction.atomic
def _people(course: CoursePage) -> None:
    rng = random.Random(2025)
    serial = 0
    for province_code in PROVINCES:
        province = Agency.objects.get(code=province_code)
        communes = list(province.get_children().order_by("code")[:COMMUNES_PER_PROVINCE])
        for _ in range(LEARNERS_PER_PROVINCE):
            serial += 1
            name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
            agency, position = rng.choice(communes), rng.choice(_POSITIONS)
            username, password = f"hv{serial:04d}", None
            if serial <= len(COMMUNITY_MEMBERS):  # the demo's community digital team
                agency, position = communes[0], PositionCategory.COMMUNITY_TEAM
                username = COMMUNITY_MEMBERS[serial - 1]
                password = DEMO_PASSWORD if username == COMMUNITY_LOGIN else None
            person = person_create(username=username, full_name=name, agency=agency,
                                   position=position, password=password)
            _take_course(person.user, course, rng.random())


def _community_team(commune: Agency) -> None:
    """A community digital team of ``commune`` (its members made by ``_people``) and about
    ten guidance visits over the last three months, recorded like the app records them
    (ids fixed here: a second run stores nothing new)."""
    members = list(Person.objects.filter(agency=commune, user__username__in=COMMUNITY_MEMBERS,
                                         position=PositionCategory.COMMUNITY_TEAM)
                   .order_by("user__username"))
    if not members:
        return
    team = Team.objects.filter(commune=commune, name=COMMUNITY_TEAM_NAME).first()
    if team is None:
        team = team_create(name=COMMUNITY_TEAM_NAME, commune=commune, leader=members[-1],
                           members=members, by=None)
    rng = random.Random(2026)
    services, outcomes = list(Service.values), list(Outcome.values)
    today = timezone.localdate()
    for index in range(COMMUNITY_VISITS):
        person = members[index % len(members)]
        visited_on = today - datetime.timedelta(days=index * 9 + rng.randint(0, 4))
        recorded_at = timezone.make_aware(datetime.datetime.combine(
            visited_on, datetime.time(8 + rng.randint(0, 9), rng.randint(0, 59))))
        visit_record(user=person.user, data={
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"hocso-demo-visit-{index}")),
            "recorded_at": min(recorded_at, timezone.now()).isoformat(), "team": team.pk,
            "visited_on": visited_on.isoformat(), "place": f"Tổ dân phố {rng.randint(1, 12)}",
            "services": rng.sample(services, rng.randint(1, 2)),
            "citizens": rng.randint(1, 12), "outcome": rng.choice(outcomes), "note": "",
        })


def _demo_course() -> CoursePage:
    """The course packs of content/courses/ (format v2) when there are any, the demo's
    learners taking the basic digital-skills course; else the short v1 demo pack."""
    folders = pack_folders(COURSE_PACKS)
    if folders:
        _reports, refused = packs_import(folders=folders)
        for folder, problems in refused.items():
            logger.warning("course pack %s refused: %s", folder, "; ".join(problems))
        course = CoursePage.objects.filter(code=DEMO_COURSE_CODE).first()
        if course is not None and QuizPage.objects.child_of(course).live().count() == 1:
            return course
    return course_pack_load(path=DEMO_COURSE)


def demo_seed() -> list[Login]:
    agencies_seed()
    course = _demo_course()
    hanoi, laocai = (Agency.objects.get(code=code) for code in PROVINCES)
    if not User.objects.filter(username="hocvien").exists():
        first_commune = hanoi.get_children().order_by("code").first()
        learner = person_create(username="hocvien", full_name="Nguyễn Thị Ánh Tuyết",
                                agency=first_commune, position=PositionCategory.CIVIL_SERVANT,
                                password=DEMO_PASSWORD)
        course_enrol(user=learner.user, course=course)
        _people(course)
    community_commune = hanoi.get_children().order_by("code").first()
    _community_team(community_commune)
    manager_scope_set(user=_login_user("hr.hanoi"), agency=hanoi)
    manager_scope_set(user=_login_user("hr.laocai"), agency=laocai)
    editor = _login_user("bientap")
    if not editor.is_staff:
        editor.is_staff = True
        editor.save(update_fields=["is_staff"])
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editor.groups.add(editors)
    _login_user("admin", superuser=True)
    if not Client.objects.filter(key=DEMO_XAPI_KEY).exists():
        client_create(name="Demo xAPI client", key=DEMO_XAPI_KEY, secret=DEMO_PASSWORD,
                      can_read=True, can_write=True)
    issue_due_certificates.delay()
    targets_load()
    snapshots_take()
    return [
        Login("learner", "hocvien", DEMO_PASSWORD,
              "Nguyễn Thị Ánh Tuyết, enrolled on the demo course"),
        Login("community team member", COMMUNITY_LOGIN, DEMO_PASSWORD,
              f"records guidance visits at /community/ ({community_commune.name})"),
        Login("HR manager", "hr.hanoi", DEMO_PASSWORD,
              f"sees {hanoi.name} only; its community teams at /hr/teams/"),
        Login("HR manager", "hr.laocai", DEMO_PASSWORD, f"sees {laocai.name} only"),
        Login("editor", "bientap", DEMO_PASSWORD, "Wagtail CMS at /admin/"),
        Login("admin", "admin", DEMO_PASSWORD, "everything; schedules at /django-admin/"),
        Login("xAPI client", DEMO_XAPI_KEY, DEMO_PASSWORD,
              "HTTP Basic credentials of the LRS at /xapi/"),
    ]
