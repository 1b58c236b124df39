"""Thin views: parse the request, call a service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import CoursePage, LessonPage
from .selectors import my_learning
from .services import course_enrol, lesson_complete


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
    if lesson_complete(user=request.user, lesson=lesson):
        messages.success(request, _("Lesson completed."))
    else:
        messages.info(request, _("You had already completed this lesson."))
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(next_url)
    return redirect(lesson.get_parent().url)


@login_required
def my_learning_view(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/my_learning.html",
                  {"outlines": my_learning(user=request.user)})
