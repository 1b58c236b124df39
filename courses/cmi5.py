"""Reading cmi5 course packages (cmi5 specification, section 14): a ZIP file with
``cmi5.xml`` at its root, or a bare ``cmi5.xml`` whose AU URLs are all absolute.

``package_read`` checks everything before anything is stored: the ZIP's member names (no
path leaves the package), its sizes, and the course structure (``cmi5_structure``: course
id, AUs with id, url, launchMethod, moveOn, masteryScore, launchParameters, entitlementKey;
blocks). It raises a ``PackageError`` whose message names the problem and where it is.
Nothing here touches the database or the storage; ``packages.package_import`` does.
"""

from __future__ import annotations

import posixpath
import stat
import zipfile
from typing import IO

from django.utils.translation import gettext as _

from .cmi5_structure import (
    MOVE_ON,
    NS,
    Au,
    Block,
    Package,
    PackageError,
    langstring_pick,
    structure_parse,
)

__all__ = ["MOVE_ON", "NS", "Au", "Block", "Package", "PackageError", "langstring_pick",
           "member_name", "package_read", "structure_parse"]

STRUCTURE_NAME = "cmi5.xml"

# Limits: a package past any of them is refused before a byte is extracted. A member's
# uncompressed size is what its header says: zipfile never returns more than that.
MAX_PACKAGE_BYTES = 1024 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MEMBER_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_STRUCTURE_BYTES = 10 * 1024 * 1024
MAX_NAME_LENGTH = 400


def package_read(upload: IO[bytes]) -> Package:
    """Check a cmi5 package (a ZIP or a bare cmi5.xml, told apart by content, not name)."""
    upload.seek(0, 2)
    length = upload.tell()
    upload.seek(0)
    if length == 0:
        raise PackageError("empty", _("The file is empty."))
    if length > MAX_PACKAGE_BYTES:
        raise PackageError("too_large", _("The package is larger than %(mb)d MB.")
                           % {"mb": MAX_PACKAGE_BYTES // 2**20})
    if zipfile.is_zipfile(upload):
        upload.seek(0)
        return _read_zip(upload)
    upload.seek(0)
    if length > MAX_STRUCTURE_BYTES:
        raise PackageError("too_large", _("cmi5.xml is larger than %(mb)d MB.")
                           % {"mb": MAX_STRUCTURE_BYTES // 2**20})
    return structure_parse(upload.read(), members=None)


# --- the ZIP ---------------------------------------------------------------------------

def member_name(raw: str) -> str:
    """The safe path of a ZIP member inside the package, or ``PackageError`` when it would
    leave the package (zip-slip: ``..``, absolute paths, drive letters) or is malformed."""
    name = raw.replace("\\", "/")
    unsafe = (
        not name or name.startswith("/") or (len(name) > 1 and name[1] == ":")
        or any(ord(c) < 32 for c in name) or len(name) > MAX_NAME_LENGTH
    )
    parts = name.rstrip("/").split("/")
    if unsafe or any(part in ("", ".", "..") for part in parts):
        raise PackageError("unsafe_path", _("The package holds a file with an unsafe path: "
                                            "%(name)s") % {"name": raw[:200]})
    return name


def _read_zip(upload: IO[bytes]) -> Package:
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise PackageError("bad_zip", _("The ZIP file cannot be read: %(error)s")
                           % {"error": exc}) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise PackageError("too_many_files", _("The package holds more than %(n)d files.")
                               % {"n": MAX_MEMBERS})
        members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = member_name(info.filename)
            if name.endswith("/"):
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise PackageError("unsafe_path", _("The package holds a link, which is not "
                                                    "allowed: %(name)s") % {"name": name})
            if info.flag_bits & 0x1:
                raise PackageError("encrypted", _("The package holds an encrypted file: "
                                                  "%(name)s") % {"name": name})
            if name in members:
                raise PackageError("duplicate_file", _("The package holds %(name)s twice.")
                                   % {"name": name})
            if info.file_size > MAX_MEMBER_BYTES:
                raise PackageError("too_large", _("%(name)s is larger than %(mb)d MB "
                                                  "uncompressed.")
                                   % {"name": name, "mb": MAX_MEMBER_BYTES // 2**20})
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise PackageError("too_large", _("The package is larger than %(mb)d MB "
                                                  "uncompressed.")
                                   % {"mb": MAX_TOTAL_BYTES // 2**20})
            members[name] = info
        structure = members.get(STRUCTURE_NAME)
        if structure is None:
            elsewhere = sorted(n for n in members
                               if posixpath.basename(n).lower() == STRUCTURE_NAME)
            if elsewhere:
                raise PackageError("no_structure", _(
                    "cmi5.xml must be at the root of the ZIP file; it is at %(path)s. "
                    "Zip the contents of that folder, not the folder.")
                    % {"path": elsewhere[0]})
            raise PackageError("no_structure", _("The ZIP file has no cmi5.xml at its root: "
                                                 "it is not a cmi5 package."))
        if structure.file_size > MAX_STRUCTURE_BYTES:
            raise PackageError("too_large", _("cmi5.xml is larger than %(mb)d MB.")
                               % {"mb": MAX_STRUCTURE_BYTES // 2**20})
        try:
            data = archive.read(structure)
        except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as exc:
            raise PackageError("bad_zip", _("cmi5.xml cannot be read from the ZIP file: "
                                            "%(error)s") % {"error": exc}) from None
    package = structure_parse(data, members=set(members))
    package.members = members
    package.is_zip = True
    return package
