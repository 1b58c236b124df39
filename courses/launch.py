"""Launching a cmi5 AU for a learner (cmi5 sections 8, 9 and 10) and the one-time fetch
of its authorization token.

``au_launch`` enrols the learner if need be, closes the previous session of the same AU
and registration (recording ``abandoned`` if it never terminated), opens a session, writes
the ``LMS.LaunchData`` state document and the ``cmi5LearnerPreferences`` agent profile,
records the ``launched`` statement, and returns the AU's URL with the launch parameters.
The AU's own statements then reach the LRS with the token from ``token_fetch``; the
progress projection counts them towards the course like our own lessons.
"""

from __future__ import annotations

import datetime
import hashlib
import posixpath
import secrets
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import orjson
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lms.org.models import User
from lms.records import services as records
from lms.records.documents import document_get, document_put
from lms.records.models import Document, Statement
from lms.records.tokens import access_token_expire, access_token_issue, basic_auth_token

from .cmi5_models import Cmi5Au, Cmi5Session, Cmi5UnitPage
from .models import CoursePage
from .services import course_enrol

LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
TERMINATED = "http://adlnet.gov/expapi/verbs/terminated"
ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned"
CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
_EXT = "https://w3id.org/xapi/cmi5/context/extensions/"
EXT_SESSION = _EXT + "sessionid"
EXT_LAUNCH_MODE = _EXT + "launchmode"
EXT_LAUNCH_URL = _EXT + "launchurl"
EXT_MOVE_ON = _EXT + "moveon"
EXT_MASTERY_SCORE = _EXT + "masteryscore"
EXT_LAUNCH_PARAMETERS = _EXT + "launchparameters"
LAUNCH_DATA = "LMS.LaunchData"
PREFERENCES = "cmi5LearnerPreferences"
LAUNCH_PARAMETERS = ("endpoint", "fetch", "actor", "registration", "activityId")
_DISPLAY = {
    LAUNCHED: {"en-US": "launched", "vi": "đã mở"},
    ABANDONED: {"en-US": "abandoned", "vi": "đã bỏ dở"},
}


def session_ttl() -> datetime.timedelta:
    """How long a session (and its token) lasts: ``CMI5_SESSION_HOURS``, 8 by default."""
    return datetime.timedelta(hours=getattr(settings, "CMI5_SESSION_HOURS", 8))


@dataclass(frozen=True)
class Launch:
    url: str
    session: Cmi5Session


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def au_location(*, au: Cmi5Au, site_url: str) -> str:
    """The AU's absolute URL without launch parameters (a relative URL is a file of the
    package, served by ``views.cmi5_content``)."""
    parts = urlsplit(au.url)
    if parts.scheme:
        return au.url
    path = reverse("courses:cmi5_content",
                   args=[au.package_id, posixpath.normpath(unquote(parts.path))])
    return urlunsplit(urlsplit(site_url + path)._replace(query=parts.query,
                                                          fragment=parts.fragment))


def _with_parameters(url: str, parameters: dict[str, str]) -> str:
    """``url`` with the cmi5 parameters merged into its own query (cmi5 13.1.4 url)."""
    parts = urlsplit(url)
    own = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
           if k not in LAUNCH_PARAMETERS]
    query = urlencode([*own, *parameters.items()], quote_via=quote)
    return urlunsplit(parts._replace(query=query))


def _au_object(unit: Cmi5UnitPage, au: Cmi5Au) -> dict[str, Any]:
    definition: dict[str, Any] = {}
    if au.title:
        definition["name"] = au.title
    if au.description:
        definition["description"] = au.description
    if au.activity_type:
        definition["type"] = au.activity_type
    obj: dict[str, Any] = {"objectType": "Activity", "id": unit.au_activity_id(au)}
    if definition:
        obj["definition"] = definition
    return obj


def context_template(*, au: Cmi5Au, course: CoursePage, session_id: uuid.UUID
                     ) -> dict[str, Any]:
    """The context every statement of the session carries (cmi5 10.2.1): the publisher's
    AU id in ``grouping``, the course in ``parent``, the session id."""
    return {
        "contextActivities": {
            "grouping": [{"objectType": "Activity", "id": au.publisher_id}],
            "parent": [{"objectType": "Activity", "id": course.activity_id}],
        },
        "extensions": {EXT_SESSION: str(session_id)},
    }


def _lms_statement(*, user: User, verb: str, unit: Cmi5UnitPage, au: Cmi5Au,
                   course: CoursePage, session_id: uuid.UUID, registration: uuid.UUID,
                   extensions: dict[str, Any] | None = None,
                   result: dict[str, Any] | None = None) -> dict[str, Any]:
    """A cmi5 defined statement the LMS makes about the AU for the learner."""
    context = context_template(au=au, course=course, session_id=session_id)
    context["registration"] = str(registration)
    context["contextActivities"]["category"] = [{"objectType": "Activity", "id": CATEGORY}]
    context["extensions"].update(extensions or {})
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": records.actor_for(user),
        "verb": {"id": verb, "display": _DISPLAY[verb]},
        "object": _au_object(unit, au),
        "context": context,
        "timestamp": timezone.now().isoformat(),
    }
    if result:
        statement["result"] = result
    return statement


def launch_data(*, au: Cmi5Au, course: CoursePage, session_id: uuid.UUID,
                return_url: str) -> dict[str, Any]:
    """The ``LMS.LaunchData`` state document (cmi5 10.2)."""
    data: dict[str, Any] = {
        "contextTemplate": context_template(au=au, course=course, session_id=session_id),
        "launchMode": "Normal",
        "moveOn": au.move_on,
        "returnURL": return_url,
    }
    if au.mastery_score is not None:
        data["masteryScore"] = float(au.mastery_score)
    if au.launch_parameters:
        data["launchParameters"] = au.launch_parameters
    if au.entitlement_key:
        data["entitlementKey"] = {"courseStructure": au.entitlement_key}
    return data


def _duration(seconds: float) -> str:
    return f"PT{max(seconds, 0):.2f}S"


def _close_previous(*, user: User, unit: Cmi5UnitPage, au: Cmi5Au, course: CoursePage,
                    activity_id: str, registration: uuid.UUID) -> None:
    """End the open sessions of this AU and registration: those the AU terminated are
    closed; the others are abandoned (cmi5 9.3.6), with the ``abandoned`` statement."""
    now = timezone.now()
    sessions = Cmi5Session.objects.select_for_update().filter(
        user=user, activity_id=activity_id, registration=registration, ended_at__isnull=True)
    for session in sessions:
        seen = list(
            Statement.objects.filter(
                user=user, registration=registration, stored__gte=session.launched_at,
                voided=False, **{f"payload__context__extensions__{EXT_SESSION}": str(session.id)})
            .exclude(verb_id__in=(LAUNCHED, ABANDONED)).values_list("verb_id", "timestamp"))
        if not any(verb == TERMINATED for verb, _ in seen):
            last = max((timestamp for _, timestamp in seen), default=session.launched_at)
            records.statement_record(statement=_lms_statement(
                user=user, verb=ABANDONED, unit=unit, au=au, course=course,
                session_id=session.id, registration=registration,
                result={"duration": _duration((last - session.launched_at).total_seconds())},
            ), user=user)
            session.abandoned = True
        session.ended_at = now
        session.save(update_fields=["ended_at", "abandoned"])
        if session.access_token is not None:
            access_token_expire(token=session.access_token)


def _preferences_ensure(*, user: User, language: str) -> None:
    """The learner's cmi5 preferences (cmi5 11), written once; an AU may change them."""
    actor = records.actor_for(user)
    if document_get(kind=Document.AGENT_PROFILE, doc_id=PREFERENCES, agent=actor) is None:
        languages = ["vi", "en"] if language != "en" else ["en", "vi"]
        document_put(kind=Document.AGENT_PROFILE, doc_id=PREFERENCES, agent=actor,
                     content=orjson.dumps({"languagePreference": ",".join(languages),
                                           "audioPreference": "on"}),
                     content_type="application/json")


@transaction.atomic
def au_launch(*, user: User, unit: Cmi5UnitPage, au: Cmi5Au, site_url: str,
              language: str = "vi") -> Launch:
    """Launch ``au`` of ``unit`` for ``user`` (enrolling them on the course if need be).
    ``site_url`` is the platform's address as the learner reaches it (no trailing slash).
    Returns the URL to send the learner to."""
    if au.package_id != unit.package_id:
        raise ValueError("the AU is not in the unit's current package")
    course = unit.get_parent().specific
    if not isinstance(course, CoursePage):
        raise ValueError("a cmi5 unit must be inside a course")
    registration, _created = course_enrol(user=user, course=course)
    reg = registration.registration
    activity_id = unit.au_activity_id(au)
    _close_previous(user=user, unit=unit, au=au, course=course, activity_id=activity_id,
                    registration=reg)

    code = secrets.token_urlsafe(32)
    now = timezone.now()
    session = Cmi5Session.objects.create(
        user=user, au=au, activity_id=activity_id, registration=reg, fetch_hash=_hash(code),
        launched_at=now, expires_at=now + session_ttl())
    location = au_location(au=au, site_url=site_url)
    unit_url = unit.get_url() or "/"
    return_url = unit_url if unit_url.startswith("http") else site_url + unit_url
    actor = records.actor_for(user)
    document_put(kind=Document.STATE, activity_id=activity_id, agent=actor,
                 registration=str(reg), doc_id=LAUNCH_DATA,
                 content=orjson.dumps(launch_data(au=au, course=course, session_id=session.id,
                                                  return_url=return_url)),
                 content_type="application/json")
    _preferences_ensure(user=user, language=language)

    extensions: dict[str, Any] = {EXT_LAUNCH_MODE: "Normal", EXT_LAUNCH_URL: location,
                                  EXT_MOVE_ON: au.move_on}
    if au.mastery_score is not None:
        extensions[EXT_MASTERY_SCORE] = float(au.mastery_score)
    if au.launch_parameters:
        extensions[EXT_LAUNCH_PARAMETERS] = au.launch_parameters
    records.statement_record(statement=_lms_statement(
        user=user, verb=LAUNCHED, unit=unit, au=au, course=course, session_id=session.id,
        registration=reg, extensions=extensions), user=user)

    url = _with_parameters(location, {
        "endpoint": site_url + "/xapi/",
        "fetch": site_url + reverse("courses:cmi5_fetch", args=[code]),
        "actor": orjson.dumps(actor).decode(),
        "registration": str(reg),
        "activityId": activity_id,
    })
    return Launch(url=url, session=session)


FETCH_ALREADY = "1"
FETCH_SECURITY = "2"


def token_fetch(*, code: str) -> dict[str, str]:
    """The answer to a POST on a session's fetch URL (cmi5 8.2): the ``auth-token`` the
    first time, an ``error-code`` / ``error-text`` after that or for an unknown URL."""
    now = timezone.now()
    with transaction.atomic():
        session = (Cmi5Session.objects.select_for_update().select_related("user")
                   .filter(fetch_hash=_hash(code)).first())
        if session is None:
            return {"error-code": FETCH_SECURITY, "error-text": "Unknown fetch URL."}
        if session.fetched_at is not None:
            return {"error-code": FETCH_ALREADY,
                    "error-text": "The authorization token has already been returned."}
        if session.ended_at is not None or session.expires_at <= now:
            return {"error-code": FETCH_ALREADY, "error-text": "The AU session has expired."}
        if not Cmi5Session.objects.filter(pk=session.pk, fetched_at__isnull=True).update(
                fetched_at=now):
            return {"error-code": FETCH_ALREADY,
                    "error-text": "The authorization token has already been returned."}
        token, secret = access_token_issue(
            user=session.user, activity_id=session.activity_id,
            registration=session.registration, ttl=session.expires_at - now)
        Cmi5Session.objects.filter(pk=session.pk).update(access_token=token)
    return {"auth-token": basic_auth_token(token.key, secret)}
