"""My learning (``/my/``): the learner's required courses first (due date, overdue, done),
soonest due first, then the other courses they enrolled on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from courses.selectors import course_outline, my_learning

from .selectors import required_items


@login_required
def my_learning_view(request: HttpRequest) -> HttpResponse:
    required = required_items(user=request.user)
    for item in required:
        item.outline = course_outline(course=item.course, user=request.user)
    required_courses = {item.course.pk for item in required}
    others = [outline for outline in my_learning(user=request.user)
              if outline.course.pk not in required_courses]
    return render(request, "assignments/my_learning.html",
                  {"required": required, "outlines": others})
