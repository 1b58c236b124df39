"""Thin views for quiz attempts: start, save as the learner goes, submit, result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks

from .models import QuizPage
from .responses import FormError, parse_post
from .selectors import attempt_for_user, attempt_review, course_of, review_allowed
from .services import AttemptClosed, AttemptError, attempt_save, attempt_start, attempt_submit


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _page_refused(request: HttpRequest, quiz: QuizPage) -> HttpResponse | None:
    """Starting an attempt follows the rules that guard the quiz page itself (Wagtail's
    ``before_serve_page`` hooks: view restrictions, the lessons-in-order lock of
    ``courses``): what the learner may not open, they may not start."""
    for hook in hooks.get_hooks("before_serve_page"):
        response = hook(quiz, request, (), {})
        if isinstance(response, HttpResponse):
            return response
    return None


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return render(request, "assessments/attempt_error.html", {"error": message}, status=status)


@login_required
@require_POST
def start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    refused = _page_refused(request, quiz)
    if refused is not None:
        return refused
    try:
        attempt_start(user=request.user, quiz=quiz)
    except AttemptError as exc:
        messages.error(request, str(exc))
    return redirect(quiz.url)


@login_required
@require_POST
def save(request: HttpRequest, attempt_id: str) -> HttpResponse:
    """Autosave (JSON for the page's script) or the form's "Save" button (redirect)."""
    try:
        result = attempt_save(user=request.user, attempt_id=attempt_id,
                              responses=parse_post(request.POST))
    except AttemptClosed as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc), "closed": True,
                                 "result": reverse("assessments:result", args=[attempt_id])},
                                status=409)
        messages.warning(request, str(exc))
        return redirect(reverse("assessments:result", args=[attempt_id]))
    except (AttemptError, FormError) as exc:
        message = str(exc) if isinstance(exc, AttemptError) else _(
            "The answers sent could not be read. Reload the quiz and try again.")
        return _refused(request, message, 400)
    if _wants_json(request):
        return JsonResponse({"saved": result.changed, "saved_at": result.saved_at.isoformat()})
    messages.success(request, _("Your answers are saved."))
    return redirect(result.attempt.quiz.url)


@login_required
@require_POST
def submit(request: HttpRequest, attempt_id: str) -> HttpResponse:
    try:
        attempt, newly = attempt_submit(user=request.user, attempt_id=attempt_id,
                                        responses=parse_post(request.POST))
    except FormError:
        return _refused(request, _("The answers sent could not be read. Reload the quiz and "
                                   "try again."), 400)
    except AttemptError as exc:
        return _refused(request, str(exc), 400)
    if not newly:
        messages.info(request, _("This attempt was already submitted; its result stands."))
    elif attempt.closed_by_deadline:
        messages.warning(request, _("Time was up when your answers arrived: the attempt was "
                                    "graded on the answers saved before the deadline."))
    return redirect(reverse("assessments:result", args=[attempt.pk]))


@login_required
def result(request: HttpRequest, attempt_id: str) -> HttpResponse:
    attempt = attempt_for_user(user=request.user, attempt_id=attempt_id)
    if attempt is None:
        raise Http404(_("This attempt does not exist."))
    allowed = review_allowed(attempt=attempt)
    return render(request, "assessments/result.html", {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "course": course_of(attempt.quiz),
        "review_allowed": allowed,
        "review": attempt_review(attempt=attempt, allowed=allowed),
    })
