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
def test_vietnamese_by_default_english_on_request(client):
    vietnamese = client.get(reverse("login"))
    assert "Đăng nhập" in vietnamese.content.decode()
    assert '<html lang="vi">' in vietnamese.content.decode()
    english = client.get(reverse("login"), headers={"accept-language": "en"})
    assert "Log in" in english.content.decode()
    assert '<html lang="en">' in english.content.decode()
