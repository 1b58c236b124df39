"""The URLs the OpenAPI schema describes: the coverage API only (not Wagtail's admin API).
``python manage.py spectacular --urlconf lms.reports.api_schema_urls --validate``."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("lms.reports.api_urls"))]
