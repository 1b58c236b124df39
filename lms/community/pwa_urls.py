"""The offline web app's URLs: the service worker at the site root (its scope is the whole
site) and the manifest."""

from django.urls import path

from . import pwa

app_name = "pwa"
urlpatterns = [
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("community/manifest.webmanifest", pwa.manifest, name="manifest"),
]
