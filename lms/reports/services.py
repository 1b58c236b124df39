"""Writes of the reports app: the national targets loaded from ``content/targets.yaml``."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings

from certificates.models import CertificateType
from lms.org.models import PositionCategory

from .models import Target

TARGETS_FILE = Path(settings.BASE_DIR) / "content" / "targets.yaml"


def targets_load(*, path: Path = TARGETS_FILE) -> list[Target]:
    """Create or update (by code) the targets of ``path`` whose certificate type exists."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    types = {t.code: t for t in CertificateType.objects.all()}
    known = {choice.value for choice in PositionCategory}
    loaded = []
    for item in data["targets"]:
        certificate_type = types.get(item["certificate"])
        if certificate_type is None:
            continue
        unknown = set(item.get("positions", [])) - known
        if unknown:
            raise ValueError(f"{path.name}: unknown position categories {sorted(unknown)}")
        target, _ = Target.objects.update_or_create(code=item["code"], defaults={
            "name": item["name"], "name_en": item.get("name_en", ""),
            "certificate_type": certificate_type, "measure": item["measure"],
            "rate": item["rate"], "deadline": item["deadline"],
            "positions": list(item.get("positions", [])), "source": item.get("source", ""),
        })
        loaded.append(target)
    return loaded
