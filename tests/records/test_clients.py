"""xAPI client credentials: made by a service, the admin or a command; stored hashed;
checked by the xAPI request layer's ``authenticate``."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lms.records.clients import (
    client_create,
    client_key_new,
    client_rotate_secret,
    client_set_active,
)
from lms.records.credentials import authenticate
from lms.records.errors import NotAuthenticated
from lms.records.models import Client, Statement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def _refused(key: str, secret: str) -> NotAuthenticated:
    with pytest.raises(NotAuthenticated) as caught:
        authenticate(_basic(key, secret))
    return caught.value


# --- service -------------------------------------------------------------------------

def test_create_makes_a_readable_key_and_stores_only_the_hash(tree):
    client, secret = client_create(name="H5P xã Hồng Hà", agency=tree["hong_ha"],
                                   can_write=True)
    assert re.fullmatch(r"hs-[2-9a-hjkmnp-z]{10}", client.key)
    assert len(secret) >= 40
    stored = Client.objects.get(pk=client.pk)
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {getattr(stored, f.attname) for f in Client._meta.fields
                          if isinstance(getattr(stored, f.attname), str)}
    assert (stored.can_read, stored.can_write, stored.is_active) == (True, True, True)
    assert stored.agency == tree["hong_ha"]


def test_keys_and_secrets_differ_between_clients():
    first, first_secret = client_create(name="A")
    second, second_secret = client_create(name="B")
    assert first.key != second.key
    assert first_secret != second_secret
    assert len({client_key_new() for _ in range(200)}) == 200


def test_fixed_key_and_secret_for_tests_and_benchmarks():
    client, secret = client_create(name="bench", key="bench-key", secret="bench-secret",
                                   can_write=True)
    assert (client.key, secret) == ("bench-key", "bench-secret")
    assert authenticate(_basic("bench-key", "bench-secret")).client_id == client.pk


def test_authenticate_with_valid_credentials_carries_scopes_agency_and_authority(tree):
    client, secret = client_create(name="App Hồng Hà", agency=tree["hong_ha"],
                                   can_read=False, can_write=True)
    credential = authenticate(_basic(client.key, secret))
    assert credential.client_id == client.pk
    assert (credential.can_read, credential.can_write) == (False, True)
    assert credential.agency_path == tree["hong_ha"].path
    assert credential.authority["account"]["name"] == f"client:{client.key}"


def test_authenticate_refuses_a_wrong_secret_and_an_unknown_key():
    client, secret = client_create(name="A")
    assert _refused(client.key, secret + "x").args[0].startswith("Authorization:")
    assert _refused("hs-unknown00", secret).args[0].startswith("Authorization:")


def test_authenticate_refuses_an_inactive_client():
    client, secret = client_create(name="A")
    client_set_active(client=client, active=False)
    assert _refused(client.key, secret).args[0].startswith("Authorization:")


def test_rotated_secret_replaces_the_old_one():
    client, old = client_create(name="A")
    new = client_rotate_secret(client=client)
    assert new != old
    assert _refused(client.key, old).args[0].startswith("Authorization:")
    assert authenticate(_basic(client.key, new)).client_id == client.pk
    client.refresh_from_db()
    assert client.secret_hash == hashlib.sha256(new.encode()).hexdigest()


# --- admin ---------------------------------------------------------------------------

@pytest.fixture
def admin_client_logged_in(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_admin_creates_a_client_and_shows_its_secret_once(admin_client_logged_in, tree):
    web = admin_client_logged_in
    response = web.post(reverse("admin:records_client_add"), {
        "name": "Ứng dụng xã Hồng Hà", "agency": tree["hong_ha"].pk, "can_read": "on",
        "can_write": "on", "is_active": "on",
    }, follow=True)
    assert response.status_code == 200
    client = Client.objects.get(name="Ứng dụng xã Hồng Hà")
    assert client.agency == tree["hong_ha"] and client.can_write and client.can_read
    page = response.content.decode()
    secret = re.search(r"<code>([A-Za-z0-9_-]{40,})</code>", page).group(1)
    assert f"<code>{client.key}</code>" in page
    assert client.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert authenticate(_basic(client.key, secret)).client_id == client.pk
    # never again: not on the change page, not on the list, not in the next page's messages
    change = web.get(reverse("admin:records_client_change", args=[client.pk])).content.decode()
    listing = web.get(reverse("admin:records_client_changelist")).content.decode()
    assert secret not in change and secret not in listing
    assert client.secret_hash not in change
    assert client.key in listing


def test_admin_add_form_has_no_key_or_secret_field_and_agency_autocomplete(
        admin_client_logged_in, tree):
    page = admin_client_logged_in.get(reverse("admin:records_client_add")).content.decode()
    assert 'name="secret_hash"' not in page and 'name="key"' not in page
    assert "admin-autocomplete" in page
    search = admin_client_logged_in.get(reverse("admin:autocomplete"), {
        "app_label": "records", "model_name": "client", "field_name": "agency",
        "term": "Hồng"})
    assert [r["text"] for r in search.json()["results"]] == ["Phường Hồng Hà"]


def test_admin_rotate_action_shows_the_new_secret_once(admin_client_logged_in):
    client, old = client_create(name="App")
    response = admin_client_logged_in.post(reverse("admin:records_client_changelist"), {
        "action": "rotate_secret", "_selected_action": [client.pk]}, follow=True)
    page = response.content.decode()
    new = re.search(r"<code>([A-Za-z0-9_-]{40,})</code>", page).group(1)
    assert new != old
    assert _refused(client.key, old).args[0].startswith("Authorization:")
    assert authenticate(_basic(client.key, new)).client_id == client.pk
    again = admin_client_logged_in.get(reverse("admin:records_client_changelist"))
    assert new not in again.content.decode()


def test_admin_change_keeps_key_and_secret(admin_client_logged_in):
    client, secret = client_create(name="App")
    response = admin_client_logged_in.post(
        reverse("admin:records_client_change", args=[client.pk]),
        {"name": "App renamed", "can_read": "on", "is_active": "on",
         "key": "hs-hijacked", "secret_hash": "0" * 64})
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.name == "App renamed" and client.key != "hs-hijacked"
    assert authenticate(_basic(client.key, secret)).name == "App renamed"


# --- command -------------------------------------------------------------------------

def test_command_create_prints_key_and_secret(capsys, tree):
    call_command("xapi_client", "create", "--name", "Offline app", "--agency", "00097",
                 "--read", "--write")
    out = capsys.readouterr().out
    key = re.search(r"^key: (\S+)$", out, re.M).group(1)
    secret = re.search(r"^secret: (\S+)$", out, re.M).group(1)
    credential = authenticate(_basic(key, secret))
    assert (credential.can_read, credential.can_write) == (True, True)
    assert credential.agency_path == tree["hong_ha"].path
    assert "scopes: read,write; agency: 00097" in out


def test_command_create_with_fixed_key_and_secret(capsys):
    call_command("xapi_client", "create", "--name", "conformance", "--write", "--read",
                 "--key", "conformance", "--secret", "s3cret-for-the-suite")
    assert "key: conformance\nsecret: s3cret-for-the-suite" in capsys.readouterr().out
    assert authenticate(_basic("conformance", "s3cret-for-the-suite")).can_write
    with pytest.raises(CommandError, match="exists"):
        call_command("xapi_client", "create", "--name", "again", "--key", "conformance")
    call_command("xapi_client", "create", "--name", "again", "--read", "--key",
                 "conformance", "--secret", "other-secret", "--replace")
    credential = authenticate(_basic("conformance", "other-secret"))
    assert (credential.name, credential.can_write) == ("again", False)
    assert Client.objects.count() == 1


def test_command_without_scope_makes_a_reader(capsys):
    call_command("xapi_client", "create", "--name", "Reader")
    assert Client.objects.get(name="Reader").can_read is True
    assert Client.objects.get(name="Reader").can_write is False


def test_command_unknown_agency_is_an_error():
    with pytest.raises(CommandError, match="no agency"):
        call_command("xapi_client", "create", "--name", "x", "--agency", "NOPE")
    assert not Client.objects.exists()


def test_command_list_rotate_deactivate(capsys, tree):
    client, old = client_create(name="LMS tỉnh", agency=tree["laocai"], can_write=True)
    client_create(name="Đọc", key="reader", secret="r")
    call_command("xapi_client", "list")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{client.key}\tLMS tỉnh\tread,write\t15\tactive",
                     "reader\tĐọc\tread\t*\tactive"]

    call_command("xapi_client", "rotate", client.key)
    new = re.search(r"^secret: (\S+)$", capsys.readouterr().out, re.M).group(1)
    assert _refused(client.key, old).args[0].startswith("Authorization:")
    assert authenticate(_basic(client.key, new)).client_id == client.pk

    call_command("xapi_client", "deactivate", "reader")
    assert "reader: deactivated" in capsys.readouterr().out
    assert _refused("reader", "r").args[0].startswith("Authorization:")
    call_command("xapi_client", "list")
    assert "reader\tĐọc\tread\t*\tinactive" in capsys.readouterr().out

    with pytest.raises(CommandError, match="no xAPI client"):
        call_command("xapi_client", "rotate", "missing")


def test_changes_take_effect_at_once_in_this_process(admin_client_logged_in):
    """Verified credentials are remembered briefly per process; our own changes forget
    them here at once."""
    client, old = client_create(name="App", can_write=True)
    assert authenticate(_basic(client.key, old)).can_write  # now remembered
    new = client_rotate_secret(client=client)
    assert _refused(client.key, old).args[0].startswith("Authorization:")
    assert authenticate(_basic(client.key, new)).can_write
    admin_client_logged_in.post(reverse("admin:records_client_change", args=[client.pk]),
                                {"name": "App", "can_read": "on"})  # write off, inactive
    assert _refused(client.key, new).args[0].startswith("Authorization:")
    client_set_active(client=client, active=True)
    assert authenticate(_basic(client.key, new)).can_write is False


def test_writes_are_recorded_with_the_clients_authority(client, tree):
    from lms.records.services import actor_for
    from tests.factories import PersonFactory

    app, secret = client_create(name="App Hồng Hà", agency=tree["hong_ha"], can_write=True)
    inside = PersonFactory(agency=tree["hong_ha"]).user
    outside = PersonFactory(agency=tree["sa_pa"]).user
    headers = {"HTTP_AUTHORIZATION": _basic(app.key, secret),
               "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}

    def post(user):
        return client.post("/xapi/statements", content_type="application/json", data={
            "actor": actor_for(user), "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
            "object": {"id": "http://example.vn/h5p/1"}}, **headers)

    response = post(inside)
    assert response.status_code == 200
    stored = Statement.objects.get(pk=response.json()[0])
    assert stored.client_id == app.pk
    assert stored.payload["authority"]["account"]["name"] == f"client:{app.key}"
    assert post(outside).status_code == 403  # not one of this commune's people
