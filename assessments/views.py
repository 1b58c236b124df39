"""Thin views for quiz attempts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import QuizPage
from .selectors import attempt_for_user, attempt_review
from .services import AttemptError, attempt_start, attempt_submit


@login_required
@require_POST
def start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    try:
        attempt_start(user=request.user, quiz=quiz)
    except AttemptError as exc:
        messages.error(request, str(exc))
    return redirect(quiz.url)


@login_required
@require_POST
def submit(request: HttpRequest, attempt_id: str) -> HttpResponse:
    answers = {key[2:]: value for key, value in request.POST.items() if key.startswith("q-")}
    try:
        attempt, newly = attempt_submit(user=request.user, attempt_id=attempt_id,
                                        answers=answers)
    except AttemptError as exc:
        return render(request, "assessments/attempt_error.html", {"error": str(exc)},
                      status=400)
    if not newly:
        messages.info(request, _("This attempt was already submitted; its result stands."))
    return redirect(reverse("assessments:result", args=[attempt.pk]))


@login_required
def result(request: HttpRequest, attempt_id: str) -> HttpResponse:
    attempt = attempt_for_user(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404(_("This attempt does not exist."))
    return render(request, "assessments/result.html", {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "course": attempt.quiz.get_parent(),
        "review": attempt_review(attempt=attempt),
    })
