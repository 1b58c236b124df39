"""Importing cmi5 packages: checked by ``cmi5.package_read``, files extracted to storage,
AUs stored. An import either completes or leaves nothing behind (no row, no file)."""

from __future__ import annotations

import hashlib
import logging
import posixpath
import uuid
import zipfile
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage, storages
from django.db import transaction
from django.utils.translation import gettext as _

from lms.org.models import User

from .cmi5 import Package, PackageError, member_name, package_read
from .cmi5_models import Cmi5Au, Cmi5Package

logger = logging.getLogger(__name__)


def package_storage() -> Storage:
    """Where package files are kept: the ``cmi5`` storage when one is configured in
    ``STORAGES``, else the default (media) storage. They are served by
    ``views.cmi5_content`` whatever the backend."""
    return storages["cmi5"] if "cmi5" in settings.STORAGES else default_storage


def _sha256(upload: IO[bytes]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def package_import(*, upload: IO[bytes], user: User | None = None) -> Cmi5Package:
    """Import an uploaded cmi5 package (ZIP or bare cmi5.xml). The same file uploaded
    again (a re-submitted form, an autosave) gives back the package already imported.
    Raises ``PackageError`` with a message for the editor."""
    digest = _sha256(upload)
    existing = Cmi5Package.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    parsed = package_read(upload)
    package = Cmi5Package(
        id=uuid.uuid4(), sha256=digest, course_id=parsed.course_id, title=parsed.title,
        description=parsed.description, is_zip=parsed.is_zip,
        blocks=[{"id": b.publisher_id, "title": b.title, "description": b.description,
                 "parent_id": b.parent_id} for b in parsed.blocks],
        source_name=str(getattr(upload, "name", "") or "")[:255],
        file_count=len(parsed.members), size_bytes=parsed.size,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    storage = package_storage()
    written: list[str] = []
    try:
        if parsed.is_zip:
            _extract(upload, parsed, prefix=package.storage_prefix, storage=storage,
                     written=written)
        with transaction.atomic():
            package.save()
            Cmi5Au.objects.bulk_create([
                Cmi5Au(package=package, position=index, publisher_id=au.publisher_id,
                       title=au.title, description=au.description, url=au.url,
                       launch_method=au.launch_method, move_on=au.move_on,
                       mastery_score=au.mastery_score, launch_parameters=au.launch_parameters,
                       entitlement_key=au.entitlement_key, activity_type=au.activity_type,
                       block_ids=list(au.block_ids))
                for index, au in enumerate(parsed.aus)
            ], batch_size=500)
    except BaseException:
        _delete(storage, written)
        raise
    return package


def _extract(upload: IO[bytes], parsed: Package, *, prefix: str, storage: Storage,
             written: list[str]) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            for name, info in parsed.members.items():
                target = f"{prefix}/{name}"
                written.append(target)  # deleted on failure, even if half written
                with archive.open(info) as source:
                    content = File(source, name=posixpath.basename(name))
                    content.size = info.file_size  # never looked up on disk by its name
                    saved = storage.save(target, content)
                if saved != target:
                    written.append(saved)
                    raise PackageError("duplicate_file", _(
                        "%(name)s cannot be stored under its own name (two files whose names "
                        "differ only in case?).") % {"name": name})
    except (zipfile.BadZipFile, EOFError, NotImplementedError, zipfile.LargeZipFile) as exc:
        raise PackageError("bad_zip", _("The ZIP file cannot be extracted: %(error)s")
                           % {"error": exc}) from None


def _delete(storage: Storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - best effort
            logger.warning("cmi5: could not delete %s after a failed import", name)


def package_file_name(*, package: Cmi5Package, path: str) -> str | None:
    """The storage name of a file of the package, or None when ``path`` would leave it."""
    try:
        name = member_name(path)
    except PackageError:
        return None
    if name.endswith("/"):
        return None
    return f"{package.storage_prefix}/{name}"
