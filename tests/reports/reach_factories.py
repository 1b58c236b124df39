"""Teams, visits and a small tree for the reach tests: nation → two provinces → two
communes each, with visits in three communes and a follow-up phone number."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from lms.community.models import FollowUpContact, Outcome, Team, Visit
from lms.org.models import Agency, AgencyKind
from tests.factories import UserFactory, agency

PHONE = "0912345678"
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 4, 30)


def team(commune: Agency, name: str = "Tổ 1", *, active: bool = True) -> Team:
    return Team.objects.create(commune=commune, name=name, active=active)


def visit(team: Team, day: datetime.date, services: list[str], citizens: int) -> Visit:
    return Visit.objects.create(
        team=team, member=UserFactory(), commune=team.commune, visited_on=day,
        place="Thôn Đông", services=services, citizens=citizens, outcome=Outcome.DONE,
        recorded_at=timezone.now())


def reach_tree_build() -> SimpleNamespace:
    """VN → P1 (C11, C12), P2 (C21, C22). Teams: C11 two (one disbanded), C12 one, C21
    one without a visit in the period, C22 none. Between START and END: 4 visits, 14
    citizens (one visit for two services, with a follow-up phone); one visit in December
    2025 in C21."""
    nation = agency("Việt Nam", kind=AgencyKind.NATION, code="RVN")
    p1 = agency("Tỉnh Một", parent=nation, kind=AgencyKind.PROVINCE, code="RP1")
    p2 = agency("Tỉnh Hai", parent=Agency.objects.get(pk=nation.pk),
                kind=AgencyKind.PROVINCE, code="RP2")
    for parent, codes in ((p1, ("RC11", "RC12")), (p2, ("RC21", "RC22"))):
        for code in codes:
            agency(f"Xã {code}", parent=Agency.objects.get(pk=parent.pk),
                   kind=AgencyKind.COMMUNE, code=code)
    tree = SimpleNamespace(**{code.lower(): Agency.objects.get(code=code.upper()) for code in
                              ("RVN", "RP1", "RP2", "RC11", "RC12", "RC21", "RC22")})
    t11, t11_old = team(tree.rc11), team(tree.rc11, "Tổ cũ", active=False)
    t12, t21 = team(tree.rc12), team(tree.rc21)
    first = visit(t11, datetime.date(2026, 1, 15), ["vneid", "payment"], 3)
    FollowUpContact.objects.create(visit=first, phone=PHONE, consent_at=timezone.now(),
                                   consent_text="Đồng ý")
    visit(t11, datetime.date(2026, 3, 2), ["vneid"], 2)
    visit(t11_old, datetime.date(2026, 3, 20), ["safety"], 5)
    visit(t12, datetime.date(2026, 3, 20), ["public_service"], 4)
    visit(t21, datetime.date(2025, 12, 31), ["vneid"], 7)
    return tree
