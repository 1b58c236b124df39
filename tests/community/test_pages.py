"""The member's pages: home, the visit form (with and without its script)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lms.community.models import FollowUpContact, Visit
from lms.records.models import Statement
from tests.factories import PersonFactory

from .conftest import PHONE, payload, post_visit

pytestmark = pytest.mark.django_db

FIELDS = ("id", "recorded_at", "team", "visited_on", "place", "services", "citizens",
          "outcome", "note", "consent", "phone")


def form_data(team, **changes) -> dict:
    data = payload(team, id="", recorded_at="", **changes)
    data["consent"] = "1" if data["consent"] else ""
    return data


def test_pages_need_a_login(client):
    for url in ("/community/", "/community/visits/new/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"] or "login" in response["Location"]


def test_the_form_follows_the_contract(an_client, team_a):
    html = an_client.get("/community/visits/new/").content.decode()
    assert '<form id="visit-form" method="post" novalidate' in html
    assert 'data-api="/community/api/visits/"' in html
    assert 'data-session="/community/api/session/"' in html
    assert 'data-home="/community/"' in html
    for name in FIELDS:
        assert f'name="{name}"' in html
        assert (f'<p class="field-error" id="error-{name}" data-error-for="{name}"></p>'
                in html)
        assert f'aria-describedby="error-{name}"' in html
    assert ('<div class="form-errors" id="error-__all__" data-error-for="__all__"></div>'
            in html)
    assert '<button type="submit" id="visit-submit"' in html
    assert re.search(r'<input type="hidden" name="id" value=""', html)
    assert 'type="checkbox" name="consent" value="1"' in html
    assert 'type="tel" name="phone"' in html
    assert '<link rel="manifest" href="/community/manifest.webmanifest">' in html
    assert "community/offline.js" in html
    for code in ("vneid", "public_service", "payment", "safety", "other"):
        assert f'name="services" value="{code}"' in html


def test_a_plain_post_records_the_visit_and_goes_home(an_client, team_a, people):
    response = an_client.post("/community/visits/new/", form_data(team_a), follow=True)
    assert response.redirect_chain[-1][0] == "/community/"
    visit = Visit.objects.get()
    assert visit.member == people["an"].user
    assert visit.services == ["vneid", "payment"]
    assert Statement.objects.filter(pk=visit.pk).exists()
    assert "4" in response.content.decode()  # the success message names the citizens


def test_a_plain_post_with_errors_renders_them(an_client, team_a):
    response = an_client.post("/community/visits/new/",
                              form_data(team_a, citizens="-2", services=[]),
                              HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert ('<p class="field-error" id="error-citizens" data-error-for="citizens">'
            'Enter at least 1 citizen. </p>') in html
    assert "Tick at least one service." in html
    assert 'value="Thôn 2"' in html  # what was typed stays
    assert not Visit.objects.exists()


def test_a_plain_post_for_another_team_is_refused(an_client, team_b):
    response = an_client.post("/community/visits/new/", form_data(team_b))
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_the_form_post_needs_csrf(people, team_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["an"].user)
    assert client.post("/community/visits/new/", form_data(team_a)).status_code == 403
    assert not Visit.objects.exists()


def test_home_shows_the_teams_reach_and_own_visits_without_phones(client, team_a, people):
    client.force_login(people["binh"].user)
    assert post_visit(client, payload(team_a, citizens=7, place="Thôn Đông",
                                      phone=PHONE, consent=True)).status_code == 201
    client.force_login(people["an"].user)
    assert post_visit(client, payload(team_a, citizens=3, place="Thôn Tây")).status_code == 201
    assert FollowUpContact.objects.count() == 1
    response = client.get("/community/")
    html = response.content.decode()
    assert team_a.name in html and team_a.commune.name in html
    assert response.context["teams"][0]["figures"] == {"visits": 2, "citizens": 10}
    assert "Thôn Tây" in html and "Thôn Đông" not in html  # only their own visits
    assert "912345678" not in html
    assert '<section id="outbox" aria-live="polite" hidden></section>' in html
    assert 'href="/community/visits/new/"' in html
    client.force_login(people["binh"].user)
    assert "912345678" not in client.get("/community/").content.decode()


def test_someone_in_no_team_sees_what_to_do(client, tree):
    client.force_login(PersonFactory(agency=tree["hong_ha"]).user)
    response = client.get("/community/", HTTP_ACCEPT_LANGUAGE="en")
    assert "You are not in a community digital team yet" in response.content.decode()
    form = client.get("/community/visits/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert "You are not in a community digital team yet" in form.content.decode()
