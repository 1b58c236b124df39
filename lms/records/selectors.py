"""Reads of learning records and progress."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from lms.org.models import Person, User

from .models import ActivityRequirement, Progress, Registration, RequirementRule, Statement
from .xapi.agents import IFI_PROPERTIES, ifi_key

# How many recent statements the activities and agents resources look at.
_DEFINITIONS_READ = 100
_NAMES_READ = 50
_MERGED_MAPS = ("name", "description", "extensions")


def progress_map(*, user: User, activity_ids: Iterable[str]) -> dict[str, Progress]:
    """The learner's progress rows for these activities, keyed by activity IRI."""
    if not user.is_authenticated:
        return {}
    return {
        row.activity_id: row
        for row in Progress.objects.filter(user=user, activity_id__in=list(activity_ids))
    }


def registration_for(*, user: User, activity_id: str) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(user=user, activity_id=activity_id).first()


def registered_activity_ids(*, user: User) -> list[str]:
    """The activities (courses) the learner is registered on, most recent first."""
    return list(
        Registration.objects.filter(user=user).order_by("-created_at").values_list(
            "activity_id", flat=True
        )
    )


def started_exists(*, activity_id: str, user_ref: str = "user_id") -> Exists:
    """Whether the learner (the outer row's ``user_ref``) has started the activity (a
    course): any progress on one of its steps (the ``ActivityRequirement`` children), or
    the activity completed. Being registered is not starting: the ``registered`` statement
    of an enrolment, automatic or not, leaves a progress row on the course itself only."""
    steps = ActivityRequirement.objects.filter(parent_id=activity_id).values("child_id")
    return Exists(Progress.objects.filter(user_id=OuterRef(user_ref)).filter(
        Q(activity_id__in=steps) | Q(activity_id=activity_id, completed=True)))


def requirement_met(row: Progress | None, rule: str) -> bool:
    """Whether a progress row meets a requirement rule: completed, passed, or (cmi5
    moveOn) both, or either."""
    if row is None:
        return False
    if rule == RequirementRule.PASSED:
        return bool(row.success)
    if rule == RequirementRule.COMPLETED_AND_PASSED:
        return row.completed and bool(row.success)
    if rule == RequirementRule.COMPLETED_OR_PASSED:
        return row.completed or bool(row.success)
    return row.completed


def activity_object(*, activity_id: str) -> dict[str, Any]:
    """The Activity object as best known (xAPI activities resource): the definitions
    carried by the latest statements whose object it is, merged oldest first, so each
    property (each language of a language map, each extension) has its newest value.
    Just the id when no statement defined it."""
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    objects = list(
        Statement.objects.filter(activity_id=activity_id,
                                 payload__object__has_key="definition")
        .order_by("-stored").values_list("payload__object", flat=True)[:_DEFINITIONS_READ]
    )
    definition: dict[str, Any] = {}
    for obj in reversed(objects):
        if not isinstance(obj, dict) or obj.get("id") != activity_id:
            continue
        for name, value in (obj.get("definition") or {}).items():
            known = definition.get(name)
            if name in _MERGED_MAPS and isinstance(known, dict) and isinstance(value, dict):
                definition[name] = {**known, **value}
            else:
                definition[name] = value
    if definition:
        activity["definition"] = definition
    return activity


def person_object(*, agent: dict[str, Any]) -> dict[str, Any]:
    """The Person object of an agent (xAPI agents resource): its identifier, and the names
    it was given in the request and in its latest statements. No other identifier is
    joined: the platform's learners are known by an opaque account only."""
    names: list[str] = []
    if isinstance(agent.get("name"), str):
        names.append(agent["name"])
    seen = (Statement.objects.filter(actor_key=ifi_key(agent)).order_by("-stored")
            .values_list("payload__actor__name", flat=True)[:_NAMES_READ])
    for name in seen:
        if isinstance(name, str) and name not in names:
            names.append(name)
    person: dict[str, Any] = {"objectType": "Person"}
    if names:
        person["name"] = names
    for prop in IFI_PROPERTIES:
        if prop in agent:
            person[prop] = [agent[prop]]
    return person


# A learner's xapi_id never changes and a learner with statements cannot be deleted, so
# each process remembers the ids it has looked up (bounded; unknown names are not kept).
_LEARNER_CACHE: dict[str, int] = {}
_LEARNER_CACHE_SIZE = 200_000


def learner_cache_clear() -> None:
    _LEARNER_CACHE.clear()


def learner_ids(names: Iterable[str]) -> dict[str, int]:
    """Account name (``xapi_id``) → user id, for the names that are our learners."""
    names = set(names)
    known = {name: _LEARNER_CACHE[name] for name in names if name in _LEARNER_CACHE}
    valid = []
    for name in names - set(known):
        try:
            valid.append(uuid.UUID(name))
        except ValueError:
            continue
    if valid:
        found = {str(x): pk for x, pk in
                 User.objects.filter(xapi_id__in=valid).values_list("xapi_id", "pk")}
        if len(_LEARNER_CACHE) + len(found) > _LEARNER_CACHE_SIZE:
            _LEARNER_CACHE.clear()
        _LEARNER_CACHE.update(found)
        known.update(found)
    return known


def learners_in_scope(learners: dict[str, int], *, user_id: int | None,
                      agency_path: str | None) -> dict[str, int]:
    """Those of ``learners`` a restricted reader or writer may act for: one learner
    (``user_id``), or the people of an agency subtree (``agency_path``)."""
    if user_id is not None:
        return {name: pk for name, pk in learners.items() if pk == user_id}
    if agency_path is not None and learners:
        inside = set(Person.objects.filter(
            user_id__in=learners.values(), agency__path__startswith=agency_path,
        ).values_list("user_id", flat=True))
        return {name: pk for name, pk in learners.items() if pk in inside}
    return learners
