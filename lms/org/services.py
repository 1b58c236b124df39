"""Writes for agencies and people."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from .models import Agency, AgencyKind, ManagerScope, Person, PositionCategory, User

logger = logging.getLogger(__name__)

NATION_CODE = "VN"
CENTRAL_CODE = "TW"
LOCAL_CODE = "DP"
CENTRAL_AGENCIES_FILE = Path(settings.BASE_DIR) / "content" / "central_agencies.yaml"

_WARD_KINDS = {
    "Xã": AgencyKind.COMMUNE,
    "Phường": AgencyKind.WARD,
    "Đặc khu": AgencyKind.SPECIAL_ZONE,
}


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    kind: str
    parent_code: str | None
    short_name: str = ""
    name_en: str = ""


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


def _central_specs(path: Path) -> list[AgencySpec]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        AgencySpec(code=a["code"], name=a["name"], name_en=a.get("name_en", ""),
                   kind=a["kind"], parent_code=CENTRAL_CODE)
        for a in data["agencies"]
    ]


def _local_specs() -> list[AgencySpec]:
    """Provinces and communes with the official 2025 codes, from ``vietnamadminunits``."""
    from vietnamadminunits.database import query

    rows = query(
        "SELECT province, provinceShort, provinceCode, ward, wardShort, wardType, wardCode "
        "FROM admin_units ORDER BY provinceCode, wardCode"
    )
    specs: list[AgencySpec] = []
    seen_provinces: set[str] = set()
    for row in rows:
        if row["provinceCode"] not in seen_provinces:
            seen_provinces.add(row["provinceCode"])
            specs.append(AgencySpec(code=row["provinceCode"], name=row["province"],
                                    short_name=row["provinceShort"], kind=AgencyKind.PROVINCE,
                                    parent_code=LOCAL_CODE))
        specs.append(AgencySpec(code=row["wardCode"], name=row["ward"],
                                short_name=row["wardShort"], kind=_WARD_KINDS[row["wardType"]],
                                parent_code=row["provinceCode"]))
    return specs


def agency_tree_specs(*, central_file: Path = CENTRAL_AGENCIES_FILE) -> list[AgencySpec]:
    """The whole tree, parents before children."""
    return [
        AgencySpec(code=NATION_CODE, name="Việt Nam", name_en="Viet Nam", kind=AgencyKind.NATION,
                   parent_code=None),
        AgencySpec(code=CENTRAL_CODE, name="Trung ương", name_en="Central level",
                   kind=AgencyKind.CENTRAL, parent_code=NATION_CODE),
        *_central_specs(central_file),
        AgencySpec(code=LOCAL_CODE, name="Địa phương", name_en="Local level",
                   kind=AgencyKind.LOCAL, parent_code=NATION_CODE),
        *_local_specs(),
    ]


@transaction.atomic
def agencies_seed(*, specs: list[AgencySpec] | None = None) -> SeedResult:
    """Create or update the agency tree from ``specs`` (default: the real tree). Idempotent:
    a re-run changes nothing; renamed units are updated in place; nothing is deleted; a
    unit that moved to another parent is reported as a conflict and left where it is."""
    specs = agency_tree_specs() if specs is None else specs
    result = SeedResult()
    existing = {a.code: a for a in Agency.objects.all()}
    parent_paths = {a.path: a for a in existing.values()}
    next_step: dict[str, int] = {}
    to_create: list[Agency] = []
    to_update: dict[str, Agency] = {}
    steplen = Agency.steplen

    def take_step(parent: Agency | None) -> str:
        key = parent.code if parent else ""
        if key not in next_step:
            if parent is None:
                last = Agency.get_last_root_node()
            elif parent.pk:
                last = parent.get_last_child()
            else:
                last = None
            next_step[key] = Agency._str2int(last.path[-steplen:]) + 1 if last else 1
        step = next_step[key]
        next_step[key] += 1
        depth = parent.depth + 1 if parent else 1
        return Agency._get_path(parent.path if parent else None, depth, step)

    for spec in specs:
        node = existing.get(spec.code)
        if node is not None:
            parent = parent_paths.get(node.path[:-steplen]) if node.depth > 1 else None
            if (parent.code if parent else None) != spec.parent_code:
                result.conflicts.append(spec.code)
                continue
            changed = False
            for attr in ("name", "short_name", "name_en", "kind"):
                if getattr(node, attr) != getattr(spec, attr):
                    setattr(node, attr, getattr(spec, attr))
                    changed = True
            if changed and node.pk:
                to_update[node.code] = node
                result.updated += 1
            elif node.pk:
                result.unchanged += 1
            continue
        parent = existing[spec.parent_code] if spec.parent_code else None
        path = take_step(parent)
        node = Agency(path=path, depth=(parent.depth + 1) if parent else 1, numchild=0,
                      code=spec.code, name=spec.name, short_name=spec.short_name,
                      name_en=spec.name_en, kind=spec.kind)
        if parent is not None:
            parent.numchild += 1
            if parent.pk:
                to_update[parent.code] = parent
        existing[spec.code] = node
        parent_paths[path] = node
        to_create.append(node)
        result.created += 1

    Agency.objects.bulk_create(to_create, batch_size=1000)
    Agency.objects.bulk_update(list(to_update.values()),
                               ["name", "short_name", "name_en", "kind", "numchild"],
                               batch_size=1000)
    if result.conflicts:
        logger.warning("agencies that moved to another parent were left in place: %s",
                       ", ".join(result.conflicts))
    return result


@transaction.atomic
def person_create(*, username: str, full_name: str, agency: Agency, position: str,
                  password: str | None = None, email: str = "") -> Person:
    """Create a login and its learner profile."""
    if position not in PositionCategory.values:
        raise ValueError(f"unknown position category {position!r}")
    user = User(username=username, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return Person.objects.create(user=user, full_name=full_name, agency=agency,
                                 position=position)


def manager_scope_set(*, user: User, agency: Agency) -> ManagerScope:
    """Give ``user`` the HR view of ``agency``'s subtree (replacing any previous scope)."""
    scope, _created = ManagerScope.objects.update_or_create(user=user,
                                                            defaults={"agency": agency})
    return scope
