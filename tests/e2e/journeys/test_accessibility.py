"""axe-core (tests/e2e/node_modules/axe-core, pinned in tests/e2e/package.json) on each
main page, WCAG 2.0 and 2.1 levels A and AA: zero violations. Every page is checked before
the assertion, whose message lists each page's violations (rule, impact, elements, help).
Screenshots of the pages checked: tests/e2e/artifacts/test_main_pages_have_no_axe_violations/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessments.models import Attempt, QuizPage
from lms.community.services import team_create
from lms.org.models import Agency, PositionCategory
from tests.factories import PersonFactory

from .conftest import PASSWORD, browser_needed, log_in
from .data import world_build

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    browser_needed,
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core missing at {AXE}: run "
                                                 "`npm ci --prefix tests/e2e`"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def axe_violations(page) -> list[dict]:
    """The violations axe-core finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " helpUrl: v.helpUrl, targets: v.nodes.map(n => n.target.join(' '))})))", TAGS)


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for name, violations in found.items():
        for v in violations:
            lines.append(f"{name}: {v['id']} ({v['impact']}) on {json.dumps(v['targets'])}: "
                         f"{v['help']} <{v['helpUrl']}>")
    return "\n".join(lines)


def test_main_pages_have_no_axe_violations(phone_page, shots):
    page, shot = phone_page, shots(phone_page)
    world = world_build()
    quiz = QuizPage.objects.child_of(world.course).get()
    found: dict[str, list[dict]] = {}
    world.course.public = True  # read by citizens without an account too
    world.course.save()
    ward = Agency.objects.get(code="00097")
    member = PersonFactory(agency=ward, position=PositionCategory.COMMUNITY_TEAM,
                           full_name="Hà Thị Mai")
    team = team_create(name="Tổ công nghệ số Hồng Hà", commune=ward, leader=member,
                       members=[member], by=None)

    def check(name: str, url: str | None = None) -> None:
        if url is not None:
            page.goto(url)
        page.wait_for_load_state()
        found[name] = axe_violations(page)
        shot(name)

    check("login", "/accounts/login/")
    check("home (catalogue)", "/")
    check("public catalogue", "/public/")
    check("course, anonymous", world.course.url)
    check("lesson, anonymous", world.lessons[0].url)

    log_in(page, username=world.learner.username, password=PASSWORD)
    check("my learning", "/my/")
    check("course", world.course.url)
    check("lesson", world.lessons[0].url)
    check("quiz", quiz.url)
    with page.expect_navigation():
        page.locator('main form[action$="/start/"] button').click()
    check("quiz attempt")
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator('input[type="radio"]').first.check()
    with page.expect_navigation():
        page.locator('main button[name="submit"]').click()
    attempt = Attempt.objects.get(user=world.learner)
    check("quiz result", f"/quiz/attempt/{attempt.pk}/")
    check("my certificates", "/my/certificates/")
    check("profile", "/my/profile/")

    page.context.clear_cookies()
    log_in(page, username=world.manager.username, password=PASSWORD)
    check("HR dashboard", "/hr/dashboard/")
    check("HR assignments", "/hr/assignments/")
    check("HR staff-list upload", "/hr/roster/")
    check("HR community teams", "/hr/teams/")
    check("HR community team", f"/hr/teams/{team.pk}/")

    page.context.clear_cookies()
    log_in(page, username=member.user.username, password=PASSWORD)
    check("community team home", "/community/")
    check("guidance visit form", "/community/visits/new/")
    page.locator("#visit-submit").click()  # empty: the form's own messages
    check("guidance visit form with errors")

    found = {name: violations for name, violations in found.items() if violations}
    assert not found, "axe-core violations:\n" + report(found)
