"""``/api/v1/``: the coverage and reach API, its OpenAPI schema and a page pointing to it."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import api, reach_api

app_name = "api"
urlpatterns = [
    path("coverage/", api.CoverageView.as_view(), name="coverage"),
    path("targets/", api.TargetsView.as_view(), name="targets"),
    path("people/", api.PeopleView.as_view(), name="people"),
    path("reach/", reach_api.ReachView.as_view(), name="reach"),
    path("schema/", SpectacularAPIView.as_view(urlconf="lms.reports.api_schema_urls"),
         name="schema"),
    path("docs/", api.api_docs, name="docs"),
]
