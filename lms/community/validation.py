"""The rules a guidance visit's data must follow (the server is the authority; the offline
app shows these messages in its error holders). Field keys are the form's field names."""

from __future__ import annotations

import datetime
import re
import uuid
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Outcome, Service

LOCAL_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)
OLDEST_DAYS = 366
PLACE_MAX, NOTE_MAX = 255, 2000
CITIZENS_MIN, CITIZENS_MAX = 1, 1000
CONSENT_TEXT = gettext_lazy("The citizen agrees that we keep their phone number to follow up")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"(?:\+84|0)?\d{9,11}")
_TRUE = {"1", "true", "on", "yes"}


class VisitInvalid(Exception):  # noqa: N818 (the name the contract gives)
    """A visit refused: ``errors`` by field name (``__all__`` for the whole record) and the
    HTTP status the API answers with (400 bad data, 403 not a member, 409 id taken)."""

    def __init__(self, errors: dict[str, list[str]], status: int = 400) -> None:
        super().__init__(errors)
        self.errors = errors
        self.status = status


@dataclass(frozen=True)
class VisitData:
    """A visit's data once checked (the team is checked apart: it needs the member)."""

    visited_on: datetime.date
    place: str
    services: list[str]
    citizens: int
    outcome: str
    note: str
    recorded_at: datetime.datetime
    phone: str  # empty unless given with consent


def local_today() -> datetime.date:
    return timezone.now().astimezone(LOCAL_ZONE).date()


def visit_id_parse(value: Any) -> uuid.UUID:
    """The record id generated on the device, or ``VisitInvalid`` (400)."""
    try:
        return uuid.UUID(str(value or "").strip())
    except ValueError:
        raise VisitInvalid({"id": [_("The record has no valid id (a UUID).")]}) from None


def team_id_parse(value: Any) -> int:
    if isinstance(value, bool):
        value = None
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise VisitInvalid({"team": [_("Choose your team.")]}) from None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _recorded_at(value: Any, errors: dict[str, list[str]]) -> datetime.datetime | None:
    now = timezone.now()
    if value in (None, ""):
        return now  # the plain form (no script) has no device time: the server's
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        errors["recorded_at"] = [_("Enter the time of the record in ISO 8601.")]
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, LOCAL_ZONE)
    if moment > now + FUTURE_TOLERANCE:
        errors["recorded_at"] = [_("The time of the record is in the future: check the "
                                   "device's clock.")]
        return None
    return moment


def _visited_on(value: Any, errors: dict[str, list[str]]) -> datetime.date | None:
    try:
        day = parse_date(value) if isinstance(value, str) and value else None
    except ValueError:
        day = None
    if day is None:
        errors["visited_on"] = [_("Enter the date of the visit.")]
        return None
    today = local_today()
    if day > today:
        errors["visited_on"] = [_("The date of the visit cannot be in the future.")]
    elif day < today - datetime.timedelta(days=OLDEST_DAYS):
        errors["visited_on"] = [_("The date of the visit is more than a year ago.")]
    else:
        return day
    return None


def _services(value: Any, errors: dict[str, list[str]]) -> list[str]:
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list | tuple) or not value:
        errors["services"] = [_("Tick at least one service.")]
        return []
    codes: list[str] = []
    problems = []
    for code in value:
        if not isinstance(code, str) or code not in Service.values:
            problems.append(_("Unknown service: %(code)s") % {"code": str(code)[:50]})
        elif code not in codes:
            codes.append(code)
    if problems:
        errors["services"] = problems
    return codes


def _citizens(value: Any, errors: dict[str, list[str]]) -> int | None:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif ((isinstance(value, float) and value.is_integer())
          or (isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d{1,9}\s*", value))):
        number = int(value)
    if number is None:
        errors["citizens"] = [_("Enter how many citizens, a whole number.")]
    elif number < CITIZENS_MIN:
        errors["citizens"] = [_("Enter at least 1 citizen.")]
    elif number > CITIZENS_MAX:
        errors["citizens"] = [_("Enter at most %(max)d citizens.") % {"max": CITIZENS_MAX}]
    else:
        return number
    return None


def _consent(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str | int) and str(value).strip().lower() in _TRUE


def visit_data_clean(data: dict[str, Any]) -> VisitData:
    """Check every field of a visit at once; ``VisitInvalid`` (400) lists all the errors."""
    errors: dict[str, list[str]] = {}
    recorded_at = _recorded_at(data.get("recorded_at"), errors)
    visited_on = _visited_on(data.get("visited_on"), errors)
    place = _text(data.get("place"))
    if not place:
        errors["place"] = [_("Enter the place (village, hamlet).")]
    elif len(place) > PLACE_MAX:
        errors["place"] = [_("Keep the place under %(max)d characters.") % {"max": PLACE_MAX}]
    services = _services(data.get("services"), errors)
    citizens = _citizens(data.get("citizens"), errors)
    outcome = data.get("outcome")
    if not outcome:
        errors["outcome"] = [_("Choose an outcome.")]
    elif not isinstance(outcome, str) or outcome not in Outcome.values:
        errors["outcome"] = [_("Unknown outcome: %(code)s") % {"code": str(outcome)[:50]}]
    note = _text(data.get("note"))
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX}]
    phone = _PHONE_SEPARATORS.sub("", _text(data.get("phone")))
    if phone and not _consent(data.get("consent")):
        errors["consent"] = [_("Ask the citizen's consent before keeping a phone number.")]
    elif phone and not _PHONE.fullmatch(phone):
        errors["phone"] = [_("Enter a Vietnamese phone number (digits, may start with +84 "
                             "or 0).")]
    if errors:
        raise VisitInvalid(errors)
    return VisitData(visited_on=visited_on, place=place, services=services,
                     citizens=citizens, outcome=outcome, note=note,
                     recorded_at=recorded_at, phone=phone)
