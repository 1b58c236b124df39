import base64

import pytest
from django.core.management import call_command

from certificates.models import Certificate
from lms.org.models import ManagerScope, Person, User
from lms.records.models import Statement
from lms.setup import demo

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(monkeypatch, capsys):
    monkeypatch.setattr(demo, "LEARNERS_PER_PROVINCE", 6)
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ("hocvien", "hr.hanoi", "hr.laocai", "bientap", "admin"):
        assert username in out
    counts = (Person.objects.count(), User.objects.count(), Statement.objects.count(),
              Certificate.objects.count(), ManagerScope.objects.count())
    assert counts[0] == 13  # the named learner and 2 × 6
    assert Certificate.objects.exists()
    call_command("seed_demo")
    assert (Person.objects.count(), User.objects.count(), Statement.objects.count(),
            Certificate.objects.count(), ManagerScope.objects.count()) == counts
    assert ManagerScope.objects.get(user__username="hr.hanoi").agency.code == "01"
    assert User.objects.get(username="hr.laocai").check_password(demo.DEMO_PASSWORD)


def test_demo_roles_reach_their_pages(monkeypatch, client):
    monkeypatch.setattr(demo, "LEARNERS_PER_PROVINCE", 2)
    call_command("seed_demo")
    assert client.login(username="bientap", password=demo.DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200  # the editor reaches the CMS
    client.logout()
    assert client.login(username="hocvien", password=demo.DEMO_PASSWORD)
    assert client.get("/my/").status_code == 200
    assert client.get("/admin/").status_code == 302  # a learner does not
    assert client.get("/hr/coverage/").status_code == 403
    client.logout()
    assert client.login(username="hr.laocai", password=demo.DEMO_PASSWORD)
    coverage = client.get("/hr/coverage/")
    assert coverage.status_code == 200
    assert coverage.context["scope"].root.code == "15"


def test_demo_xapi_client_reads_the_demo_learners_records(monkeypatch, client):
    monkeypatch.setattr(demo, "LEARNERS_PER_PROVINCE", 2)
    call_command("seed_demo")
    call_command("seed_demo")
    token = base64.b64encode(f"{demo.DEMO_XAPI_KEY}:{demo.DEMO_PASSWORD}".encode()).decode()
    response = client.get("/xapi/statements", {"limit": 5}, HTTP_AUTHORIZATION=f"Basic {token}",
                          HTTP_X_EXPERIENCE_API_VERSION="1.0.3")
    assert response.status_code == 200
    assert len(response.json()["statements"]) == 5
