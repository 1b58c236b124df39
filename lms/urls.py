import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.lowdata import low_data_set


def _not_served(request: HttpRequest, path: str = "") -> HttpResponse:
    raise Http404


def media_private(media_url: str, prefix: str) -> URLPattern:
    """A pattern that answers 404 for the media files under ``prefix``."""
    return re_path(rf"^{re.escape(media_url.lstrip('/') + prefix)}(?P<path>.*)$", _not_served)


urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # choosing a language (like low-data mode) is a harmless preference: no CSRF token, so
    # the pages citizens read stay the same HTML for every visitor (cacheable)
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("low-data/", low_data_set, name="low_data_set"),
    path("api/v1/", include("lms.reports.api_urls")),  # coverage API, schema/ and docs/
    path("hr/roster/", include("lms.assignments.roster_urls")),
    # uploaded staff lists are personal data: never served, whatever serves the media
    media_private(settings.MEDIA_URL, "rosters/"),
    path("", include("lms.records.urls")),
    # before courses: /my/ (required courses first) is served by assignments
    path("", include("lms.assignments.urls")),
    path("", include("lms.community.urls")),  # /community/…, /sw.js
    path("", include("lms.community.pwa_urls")),
    path("", include("courses.urls")),
    path("", include("assessments.urls")),
    path("", include("certificates.urls")),
    path("", include("lms.reports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))
