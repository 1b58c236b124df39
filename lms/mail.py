"""E-mails in both languages: each template is written once, in English, with its text
marked for translation, and rendered twice, in Vietnamese (from the catalogue) then in
English. The message is framed here, the same for every e-mail: the subject
"HọcSố: <Vietnamese> / <English>", the body Vietnamese, a ``---`` line, English, and the
brand as the signature. (Outside the app layers, like ``lms.tables``: any app may use it.)

A template that shows a name stored in both languages picks it with
``{% get_current_language as language %}`` (``name_en`` in English when there is one)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from django.template.loader import render_to_string
from django.utils import translation

from lms.org.models import ManagerScope

BRAND = "HọcSố"
SEPARATOR = "---"
LANGUAGES = ("vi", "en")  # the order in the message: Vietnamese first


def render_bilingual(template: str, context: Mapping[str, Any], *,
                     subject_template: str) -> tuple[str, str]:
    """(subject, body) of the e-mail ``template`` (and its ``subject_template``) rendered
    with ``context`` in Vietnamese then English. The subject is one line whatever the
    template's line breaks; each body is stripped of its leading and trailing blank
    lines."""
    subjects, bodies = [], []
    for language in LANGUAGES:
        with translation.override(language):
            # a copy each time: tags that set variables ({% firstof ... as %}) never
            # reach the caller's dict or the other language's rendering
            subjects.append(" ".join(render_to_string(subject_template,
                                                      dict(context)).split()))
            bodies.append(render_to_string(template, dict(context)).strip())
    subject = f"{BRAND}: {' / '.join(subjects)}"
    body = f"\n\n{SEPARATOR}\n\n".join(bodies) + f"\n\n{BRAND}\n"
    return subject, body


def iso_week(day: datetime.date) -> str:
    """The ISO week of ``day`` (``2026-W49``): the key of a weekly mailing."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


class ManagerMailing(Protocol):
    """The counters a weekly mailing to HR managers keeps (its summary)."""

    managers: int
    already_sent: int
    no_address: int


def managers_to_mail(*, already_sent: set[int], summary: ManagerMailing
                     ) -> Iterator[ManagerScope]:
    """The HR scopes of active managers, in a stable order, who have an e-mail address and
    were not sent this mailing yet (their user ids in ``already_sent``); every manager is
    counted in ``summary``, the skipped ones by why."""
    scopes = (ManagerScope.objects.filter(user__is_active=True)
              .select_related("user", "agency").order_by("pk"))
    for scope in scopes:
        summary.managers += 1
        if scope.user_id in already_sent:
            summary.already_sent += 1
        elif not scope.user.email:
            summary.no_address += 1
        else:
            yield scope
