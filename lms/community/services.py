"""Teams (created and changed by the commune's HR manager) and guidance visits (recorded
by a member, often offline and sent later: exactly once, by the id made on the device)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lms.org.models import Agency, Person, PositionCategory, User
from lms.org.selectors import agency_in_subtree, manager_root_of
from lms.records.services import statement_record

from .models import COMMUNE_KINDS, FollowUpContact, Team, Visit
from .statements import visit_statement
from .validation import (
    CONSENT_TEXT,
    VisitInvalid,
    team_id_parse,
    visit_data_clean,
    visit_id_parse,
)

__all__ = ["VisitInvalid", "person_eligible", "team_create", "team_deactivate",
           "team_update", "visit_record"]


def person_eligible(*, person: Person, commune: Agency) -> bool:
    """May ``person`` be in a team of ``commune``: community-team position, working in the
    commune's subtree, not left."""
    return (person.position == PositionCategory.COMMUNITY_TEAM and person.left_on is None
            and agency_in_subtree(agency=person.agency, root=commune))


def _team_check(*, team: Team | None, name: str, commune: Agency, leader: Person | None,
                members: list[Person], by: User | None) -> None:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Enter the team's name.")]
    if commune.kind not in COMMUNE_KINDS:
        errors["commune"] = [_("A team belongs to a commune, a ward or a special zone.")]
    elif by is not None:
        root = manager_root_of(user=by)
        if root is None or not agency_in_subtree(agency=commune, root=root):
            errors["commune"] = [_("This commune is not among the agencies you manage.")]
    if name and "commune" not in errors:
        same = Team.objects.filter(commune=commune, name=name)
        if team is not None:
            same = same.exclude(pk=team.pk)
        if same.exists():
            errors["name"] = [_("This commune already has a team of this name.")]
    refused = [person.full_name for person in members
               if not person_eligible(person=person, commune=commune)]
    if refused:
        errors["members"] = [_("Not community-team members of this commune (or have left): "
                               "%(names)s") % {"names": ", ".join(refused)}]
    if leader is not None and leader.pk not in {person.pk for person in members}:
        errors["leader"] = [_("The leader must be one of the members.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def team_create(*, name: str, commune: Agency, leader: Person | None = None,
                members: Iterable[Person] = (), by: User | None) -> Team:
    """A new active team of ``commune``. ``by`` (the HR manager; None for seeding scripts)
    must manage the commune. Raises ``ValidationError`` keyed by field."""
    members = list(members)
    name = name.strip()
    _team_check(team=None, name=name, commune=commune, leader=leader, members=members, by=by)
    team = Team.objects.create(name=name, commune=commune, leader=leader)
    team.members.set(members)
    return team


@transaction.atomic
def team_update(*, team: Team, name: str, commune: Agency, leader: Person | None,
                members: Iterable[Person], active: bool = True, by: User | None) -> Team:
    """Change a team; its visits stay as they were (they keep their commune)."""
    members = list(members)
    name = name.strip()
    _team_check(team=team, name=name, commune=commune, leader=leader, members=members, by=by)
    team.name, team.commune, team.leader, team.active = name, commune, leader, active
    team.save()
    team.members.set(members)
    return team


def team_deactivate(*, team: Team, by: User | None) -> Team:
    """Disband a team: no more visits; its visits stay counted."""
    if by is not None:
        root = manager_root_of(user=by)
        if root is None or not agency_in_subtree(agency=team.commune, root=root):
            raise ValidationError({"commune": [
                _("This commune is not among the agencies you manage.")]})
    team.active = False
    team.save(update_fields=["active", "updated_at"])
    return team


def _not_member() -> VisitInvalid:
    return VisitInvalid({"team": [_("You are not a member of this team.")]}, status=403)


def _member_team(*, user: User, team_id: int) -> Team:
    """The active team ``team_id`` if ``user`` is one of its current members."""
    person = Person.objects.select_related("agency").filter(user_id=user.pk).first()
    team = Team.objects.select_related("commune").filter(pk=team_id, active=True).first()
    if (person is None or team is None
            or not team.members.filter(pk=person.pk).exists()
            or not person_eligible(person=person, commune=team.commune)):
        raise _not_member()
    return team


def _existing(*, visit_id: uuid.UUID, user: User) -> Visit | None:
    """The visit already stored under ``visit_id`` by ``user``; 409 if by someone else."""
    visit = Visit.objects.filter(pk=visit_id).first()
    if visit is not None and visit.member_id != user.pk:
        raise VisitInvalid({"__all__": [_("This record id is already used by another "
                                          "visit.")]}, status=409)
    return visit


def visit_record(*, user: User, data: dict[str, Any]) -> tuple[Visit, bool]:
    """Store a visit ``user`` recorded (the contract's JSON body, or the form's fields).
    Returns the visit and whether it is new: a resend of the same id by the same member is
    a no-op ``(existing, False)``. Raises ``VisitInvalid`` (400 bad data, 403 not a current
    member of an active team, 409 id of another member's visit); nothing is stored then."""
    visit_id = visit_id_parse(data.get("id"))
    existing = _existing(visit_id=visit_id, user=user)
    if existing is not None:
        return existing, False
    team = _member_team(user=user, team_id=team_id_parse(data.get("team")))
    clean = visit_data_clean(data)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                id=visit_id, team=team, member=user, commune=team.commune,
                visited_on=clean.visited_on, place=clean.place, services=clean.services,
                citizens=clean.citizens, outcome=clean.outcome, note=clean.note,
                recorded_at=clean.recorded_at)
            if clean.phone:
                FollowUpContact.objects.create(visit=visit, phone=clean.phone,
                                               consent_at=clean.recorded_at,
                                               consent_text=str(CONSENT_TEXT))
            stored = statement_record(statement=visit_statement(visit=visit), user=user)
            visit.statement_id = stored.pk
            visit.save(update_fields=["statement_id"])
    except IntegrityError:
        # the same record sent twice at once: the other request stored it first
        existing = _existing(visit_id=visit_id, user=user)
        if existing is None:
            raise
        return existing, False
    return visit, True
