"""E-mails in both languages: each template is written once, in English, with its text
marked for translation, and rendered twice, in Vietnamese (from the catalogue) then in
English. The message is framed here, the same for every e-mail: the subject
"HọcSố: <Vietnamese> / <English>", the body Vietnamese, a ``---`` line, English, and the
brand as the signature. (Outside the app layers, like ``lms.tables``: any app may use it.)

A template that shows a name stored in both languages picks it with
``{% get_current_language as language %}`` (``name_en`` in English when there is one)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

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
