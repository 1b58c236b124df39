"""Reads for agencies, people and scopes."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Agency, ManagerScope, RosterImport, User


def agency_subtree_q(agency: Agency, *, prefix: str = "") -> Q:
    """A filter for rows whose agency (reached through ``prefix``) is in ``agency``'s subtree."""
    return Q(**{f"{prefix}path__startswith": agency.path})


def agency_get(*, code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def agency_in_subtree(*, agency: Agency, root: Agency) -> bool:
    return agency.path.startswith(root.path)


def agency_within(*, code: str, root: Agency) -> Agency | None:
    """The agency of ``code`` (``root`` when empty), or None when unknown or outside the
    subtree: the two are answered alike, so the answer does not tell which agencies exist."""
    code = code.strip()
    if not code:
        return root
    agency = agency_get(code=code)
    return agency if agency is not None and agency_in_subtree(agency=agency, root=root) \
        else None


def manager_scope_of(*, user: User) -> Agency | None:
    """The root of the subtree an HR manager may see, or None if the user is no manager."""
    scope = ManagerScope.objects.select_related("agency").filter(user_id=user.pk).first()
    return scope.agency if scope else None


def manager_root_of(*, user: User) -> Agency | None:
    """The subtree ``user`` may manage people in: their ManagerScope's agency, the tree's
    root for a superuser, None for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return None
    root = manager_scope_of(user=user)
    if root is None and user.is_superuser:
        root = Agency.get_first_root_node()
    return root


def roster_imports_of(*, user: User) -> QuerySet[RosterImport]:
    """The staff-list imports ``user`` may see: those made for an agency of their subtree
    (by them or by another manager of it), newest first; none for a non-manager."""
    root = manager_root_of(user=user)
    if root is None:
        return RosterImport.objects.none()
    return (RosterImport.objects.filter(agency_subtree_q(root, prefix="scope__"))
            .select_related("scope", "uploaded_by", "applied_by", "complete_for"))


def roster_import_get(*, user: User, pk: int) -> RosterImport | None:
    return roster_imports_of(user=user).filter(pk=pk).first()


def agency_names(*, codes: set[str]) -> dict[str, str]:
    """The names of the agencies of ``codes`` (unknown codes left out)."""
    return dict(Agency.objects.filter(code__in=codes).values_list("code", "name"))


def agencies_for_roster(*, root: Agency, levels: int = 2) -> QuerySet[Agency]:
    """``root`` and the agencies down to ``levels`` below it, in tree order: the choices of
    the roster page's "complete list for" (deeper units can be given by their parent)."""
    return Agency.objects.filter(agency_subtree_q(root), depth__lte=root.depth + levels) \
        .order_by("path")
