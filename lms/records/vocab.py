"""The xAPI vocabulary HọcSố uses: ADL verbs and activity types, and its activity IRIs."""

from django.conf import settings

VERSION = "1.0.3"

REGISTERED = "http://adlnet.gov/expapi/verbs/registered"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"

VERB_DISPLAY: dict[str, dict[str, str]] = {
    REGISTERED: {"en-US": "registered", "vi": "đã ghi danh"},
    COMPLETED: {"en-US": "completed", "vi": "đã hoàn thành"},
    PASSED: {"en-US": "passed", "vi": "đã đạt"},
    FAILED: {"en-US": "failed", "vi": "chưa đạt"},
    ATTEMPTED: {"en-US": "attempted", "vi": "đã bắt đầu"},
    ANSWERED: {"en-US": "answered", "vi": "đã trả lời"},
}

COURSE = "http://adlnet.gov/expapi/activities/course"
LESSON = "http://adlnet.gov/expapi/activities/lesson"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"


def activity_iri(kind: str, key: object) -> str:
    """The stable IRI of one of our own activities, e.g. ``…/xapi/activities/course/KNS01``."""
    return f"{settings.XAPI_ACTIVITY_BASE}/xapi/activities/{kind}/{key}"


def account_home_page() -> str:
    """The home page of every learner's xAPI account (the account name is opaque)."""
    return settings.XAPI_ACCOUNT_HOMEPAGE


def guided() -> str:
    """The verb of a community digital team's guidance visit (an IRI of ours, built from
    the settings when called, like ``activity_iri``)."""
    return f"{settings.XAPI_ACTIVITY_BASE}/xapi/verbs/guided"


GUIDED_DISPLAY: dict[str, str] = {"en-US": "guided citizens", "vi": "đã hướng dẫn người dân"}


def extension_iri(name: str) -> str:
    """The IRI of one of our own context or result extensions."""
    return f"{settings.XAPI_ACTIVITY_BASE}/xapi/extensions/{name}"
