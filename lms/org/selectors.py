"""Reads for agencies, people and scopes."""

from __future__ import annotations

from django.db.models import Q

from .models import Agency, ManagerScope, User


def agency_subtree_q(agency: Agency, *, prefix: str = "") -> Q:
    """A filter for rows whose agency (reached through ``prefix``) is in ``agency``'s subtree."""
    return Q(**{f"{prefix}path__startswith": agency.path})


def agency_get(*, code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def agency_in_subtree(*, agency: Agency, root: Agency) -> bool:
    return agency.path.startswith(root.path)


def manager_scope_of(*, user: User) -> Agency | None:
    """The root of the subtree an HR manager may see, or None if the user is no manager."""
    scope = ManagerScope.objects.select_related("agency").filter(user_id=user.pk).first()
    return scope.agency if scope else None
