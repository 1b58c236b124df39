"""Thin views: parse the request, call a service, redirect."""

import mimetypes
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from wagtail.models import Page

from .caching import cache_headers
from .competencies import proven_competencies
from .launch import au_launch, token_fetch
from .locking import step_waiting_for
from .models import Cmi5Au, Cmi5Package, Cmi5UnitPage, CoursePage, LessonPage
from .packages import package_file_name, package_storage
from .selectors import my_learning, public_courses
from .services import course_enrol, lesson_complete


def locked_step_redirect(request: HttpRequest, page: Page) -> HttpResponse | None:
    """For a step of a sequential course the learner cannot open yet: back to the course
    page, with a message naming the step to finish first. None when the step is open."""
    waiting_for = step_waiting_for(page=page, user=request.user)
    if waiting_for is None:
        return None
    first = waiting_for.page
    messages.warning(request, _("This course goes in order: finish “%(title)s” first.") % {
        "title": getattr(first, "local_title", "") or first.title})
    course = first.get_parent()
    return redirect(course.url)


@login_required
@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    _registration, created = course_enrol(user=request.user, course=course)
    if created:
        messages.success(request, _("You are enrolled. Start with the first lesson."))
    else:
        messages.info(request, _("You were already enrolled on this course."))
    return redirect(course.url)


@login_required
@require_POST
def complete_lesson(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    refused = locked_step_redirect(request, lesson)
    if refused is not None:
        return refused
    if lesson_complete(user=request.user, lesson=lesson):
        messages.success(request, _("Lesson completed."))
    else:
        messages.info(request, _("You had already completed this lesson."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(next_url)
    return redirect(lesson.get_parent().url)


@require_safe
def public_catalog(request: HttpRequest) -> HttpResponse:
    """The citizen-facing courses, readable without an account; the same for every
    anonymous visitor, so cacheable (``caching``)."""
    return cache_headers(request, render(request, "courses/public_catalog.html",
                                         {"courses": public_courses()}))


@login_required
def my_learning_view(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/my_learning.html",
                  {"outlines": my_learning(user=request.user)})


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/profile.html",
                  {"proven": proven_competencies(user=request.user)})


@login_required
@require_POST
def cmi5_launch(request: HttpRequest, unit_id: int, au_id: int) -> HttpResponse:
    """Launch an AU: the learner is sent to the AU with the cmi5 launch parameters."""
    unit = get_object_or_404(Cmi5UnitPage.objects.live(), pk=unit_id)
    au = get_object_or_404(Cmi5Au.objects.filter(package_id=unit.package_id), pk=au_id)
    refused = locked_step_redirect(request, unit)
    if refused is not None:
        return refused
    launch = au_launch(user=request.user, unit=unit, au=au,
                       site_url=request.build_absolute_uri("/").rstrip("/"),
                       language=getattr(request, "LANGUAGE_CODE", "vi"))
    return redirect(launch.url)


_FETCH_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Cache-Control": "no-store",
}


@csrf_exempt
def cmi5_fetch(request: HttpRequest, code: str) -> HttpResponse:
    """The fetch URL of a launch (cmi5 8.2): POST only, answered once with the token."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=200)
    elif request.method != "POST":
        response = JsonResponse({"error-code": "3", "error-text": "Use POST on the fetch URL."},
                                status=405)
        response["Allow"] = "POST, OPTIONS"
    else:
        response = JsonResponse(token_fetch(code=code))
    for name, value in _FETCH_CORS.items():
        response[name] = value
    return response


@xframe_options_exempt
def cmi5_content(request: HttpRequest, package_id: uuid.UUID, path: str) -> HttpResponse:
    """A file of an imported package. Served in a sandbox: the content runs scripts, but
    in an origin of its own, so it can neither read nor act with the learner's session;
    it talks to the LRS with its launch token only. (Content that needs localStorage or
    cookies of its own does not work in the sandbox.)"""
    package = get_object_or_404(Cmi5Package, pk=package_id, is_zip=True)
    name = package_file_name(package=package, path=path)
    storage = package_storage()
    if name is None or not storage.exists(name):
        raise Http404
    content_type, encoding = mimetypes.guess_type(name)
    if encoding or not content_type:  # a .gz file is served as it is, not decoded
        content_type = "application/octet-stream"
    response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    response["Content-Security-Policy"] = (
        "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads "
        "allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation")
    response["X-Content-Type-Options"] = "nosniff"
    # The sandboxed page has an opaque origin: its module scripts, fonts and fetch() of its
    # own files are cross-origin requests. The files are public course material.
    response["Access-Control-Allow-Origin"] = "*"
    # A sandboxed document cannot be isolated by an opener policy (browsers would refuse
    # some navigations); the LMS's own pages keep theirs.
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    response["Cache-Control"] = "public, max-age=86400"
    return response
