"""Light pages without a browser: HTML is gzip-compressed, and in production mode
(collectstatic with WhiteNoise's compressed manifest storage) static files have hashed
names, are cached for ten years as immutable and come gzip-compressed."""

from __future__ import annotations

import gzip

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_html_is_gzipped(client):
    plain = client.get(reverse("login"))
    assert "Content-Encoding" not in plain
    packed = client.get(reverse("login"), headers={"accept-encoding": "gzip, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert html.startswith("<!doctype html>") and 'id="id_username"' in html
    assert len(packed.content) < len(plain.content)


def test_static_files_hashed_cached_long_and_compressed(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    # the project's own static files only (the admin's thousands are not needed here)
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", "--noinput", verbosity=0)

    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")  # a hashed name
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(response.streaming_content))
    assert body == (settings.STATIC_ROOT / url.removeprefix("/static/")).read_bytes()
