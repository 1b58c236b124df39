from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[1] / "lms" / "locale"


def test_every_message_has_a_vietnamese_translation():
    po = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    assert untranslated == []
    assert (LOCALE / "vi" / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.django_db
def test_vietnamese_by_default_english_when_chosen(client):
    # an English-language phone still gets Vietnamese until its owner switches
    vietnamese = client.get(reverse("login"), headers={"accept-language": "en-US,en"})
    assert "Đăng nhập" in vietnamese.content.decode()
    assert '<html lang="vi">' in vietnamese.content.decode()
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    english = client.get(reverse("login"))
    assert "Log in" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đăng nhập" in client.get(reverse("login")).content.decode()
