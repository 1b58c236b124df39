"""Roster imports: an HR manager's staff list creates or updates the people of their subtree.

``roster_preview`` reads the file, checks every row against the database and stores the file
with what applying it would do (changes nobody); ``roster_apply`` reads the stored file again
(its SHA-256 checked), checks it against the database as it is then and writes everything in
one transaction. People are matched by staff ID; nobody is ever deleted: with a "complete
list" for an agency, the people of its subtree absent from the file are marked as left
(``Person.left_on``), and come back (rejoined) when a later file names them again. A person
moved to another agency keeps their user, hence their learning records and progress.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .bulk import bulk_insert, bulk_set
from .models import Agency, Person, RosterImport, RosterImportStatus, User
from .roster import RosterFileError, RosterRow, RowError, roster_parse, setting, too_big_message
from .selectors import agency_in_subtree, manager_root_of

CHUNK = 2000  # values per IN (...) query, rows per bulk statement
SAMPLE = 100  # changes of each kind kept for the preview page
KINDS = ("created", "updated", "moved", "unchanged", "marked_left", "rejoined")


class RosterApplyError(Exception):
    """The import cannot be applied (discarded, failed, or its file changed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class _Existing:
    pk: int
    staff_id: str | None
    full_name: str
    agency_id: int
    agency_path: str
    agency_code: str
    position: str
    phone: str
    left_on: Any
    user_id: int
    email: str


_EXISTING_VALUES = ("pk", "staff_id", "full_name", "agency_id", "agency__path", "agency__code",
                    "position", "phone", "left_on", "user_id", "user__email")


@dataclass(slots=True)
class _Change:
    kind: str
    row: RosterRow
    agency_id: int
    agency_code: str
    person: _Existing | None = None
    fields: list[str] = field(default_factory=list)


@dataclass
class Plan:
    changes: list[_Change] = field(default_factory=list)
    left: list[_Existing] = field(default_factory=list)  # to be marked left
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    def count(self, kind: str) -> int:
        if kind == "marked_left":
            return len(self.left)
        return sum(1 for change in self.changes if change.kind == kind)

    def sample(self) -> dict[str, list[dict[str, Any]]]:
        sample: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
        for change in self.changes:
            items = sample[change.kind]
            if len(items) < SAMPLE:
                entry = {"line": change.row.line, "staff_id": change.row.staff_id,
                         "full_name": change.row.full_name, "agency": change.agency_code,
                         "fields": change.fields}
                if change.person is not None and change.person.agency_id != change.agency_id:
                    entry["from_agency"] = change.person.agency_code
                items.append(entry)
        sample["marked_left"] = [{"staff_id": p.staff_id or "", "full_name": p.full_name,
                                  "agency": p.agency_code} for p in self.left[:SAMPLE]]
        return sample


@dataclass
class RosterApplyResult:
    roster_import: RosterImport
    applied_now: bool  # False when it had been applied before (nothing written this time)
    created_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    moved_ids: list[int] = field(default_factory=list)
    rejoined_ids: list[int] = field(default_factory=list)
    marked_left_ids: list[int] = field(default_factory=list)

    @property
    def newcomer_ids(self) -> list[int]:
        """The people an assignment rule may now match anew: created, moved or rejoined."""
        return [*self.created_ids, *self.moved_ids, *self.rejoined_ids]


def _chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _existing(**lookup: Any) -> Iterator[_Existing]:
    ((key, values),) = lookup.items()
    for chunk in _chunks(values):
        for row in Person.objects.filter(**{key: chunk}).values_list(*_EXISTING_VALUES):
            yield _Existing(*row)


def roster_plan(*, parsed_rows: list[RosterRow], errors: list[RowError], staff_ids: set[str],
                scope: Agency, complete_for: Agency | None) -> Plan:
    """What applying the rows would do to the people of ``scope``'s subtree, as the database
    is now. Rows that cannot be applied become errors."""
    plan = Plan(errors=list(errors), rows=len(parsed_rows) + len(errors))
    agencies: dict[str, tuple[int, str]] = {}
    for chunk in _chunks({row.agency_code for row in parsed_rows}):
        agencies.update((code, (pk, path)) for code, pk, path in
                        Agency.objects.filter(code__in=chunk).values_list("code", "pk", "path"))
    by_staff_id = {p.staff_id: p for p in _existing(staff_id__in=staff_ids)}
    rows: list[tuple[RosterRow, int]] = []
    for row in parsed_rows:
        agency = agencies.get(row.agency_code)
        if agency is None:
            plan.errors.append(RowError(row.line, row.staff_id, _(
                "unknown agency code %(code)s") % {"code": row.agency_code}))
        elif not agency[1].startswith(scope.path):
            plan.errors.append(RowError(row.line, row.staff_id, _(
                "agency %(code)s is outside the agencies you manage") % {
                "code": row.agency_code}))
        else:
            person = by_staff_id.get(row.staff_id)
            if person is not None and not person.agency_path.startswith(scope.path):
                plan.errors.append(RowError(row.line, row.staff_id, _(
                    "staff ID %(staff_id)s belongs to a person of an agency you do not "
                    "manage") % {"staff_id": row.staff_id}))
            else:
                rows.append((row, agency[0]))
    # people never imported before, whose login already is their staff ID, are adopted
    new_ids = [row.staff_id for row, _ in rows if row.staff_id not in by_staff_id]
    logins: dict[str, int | None] = {}
    for chunk in _chunks(new_ids):
        logins.update(User.objects.filter(username__in=chunk)
                      .values_list("username", "person__pk"))
    adoptable = {p.pk: p for p in _existing(pk__in=[pk for pk in logins.values() if pk])}
    codes = {pk: code for code, (pk, _path) in agencies.items()}
    for row, agency_id in rows:
        person = by_staff_id.get(row.staff_id)
        if person is None and row.staff_id in logins:
            person = adoptable.get(logins[row.staff_id])
            if person is None or person.staff_id is not None \
                    or not person.agency_path.startswith(scope.path):
                plan.errors.append(RowError(row.line, row.staff_id, _(
                    "the login name %(staff_id)s is already taken by another account") % {
                    "staff_id": row.staff_id}))
                continue
        plan.changes.append(_compare(row, agency_id, codes[agency_id], person))
    if complete_for is not None:
        in_file = {c.person.pk for c in plan.changes if c.person is not None}
        absent = Person.objects.filter(agency__path__startswith=complete_for.path,
                                       left_on__isnull=True)
        plan.left = [p for p in (_Existing(*values) for values in
                                 absent.values_list(*_EXISTING_VALUES).order_by("pk"))
                     if p.pk not in in_file and (p.staff_id is None
                                                 or p.staff_id not in staff_ids)]
    plan.errors.sort(key=lambda error: error.line)
    return plan


def _compare(row: RosterRow, agency_id: int, agency_code: str,
             person: _Existing | None) -> _Change:
    if person is None:
        return _Change("created", row, agency_id, agency_code)
    fields = [name for name, now, new in (
        ("full_name", person.full_name, row.full_name),
        ("position", person.position, row.position),
        ("email", person.email, row.email or person.email),
        ("phone", person.phone, row.phone or person.phone),
        ("staff_id", person.staff_id, row.staff_id),
        ("agency", person.agency_id, agency_id),
    ) if now != new]
    if person.left_on is not None:
        kind = "rejoined"
    elif "agency" in fields:
        kind = "moved"
    else:
        kind = "updated" if fields else "unchanged"
    return _Change(kind, row, agency_id, agency_code, person, fields)


def _counts(plan: Plan) -> dict[str, Any]:
    return {**{kind: plan.count(kind) for kind in KINDS}, "errors": len(plan.errors),
            "rows": plan.rows, "row_errors": [e.as_dict() for e in plan.errors],
            "sample": plan.sample()}


def _scope_check(*, user: User, agency: Agency | None) -> Agency:
    root = manager_root_of(user=user)
    if root is None:
        raise PermissionDenied(_("Only HR managers can import staff lists."))
    if agency is not None and not agency_in_subtree(agency=agency, root=root):
        raise PermissionDenied(_("This agency is outside the agencies you manage."))
    return root


def roster_preview(*, user: User, upload: IO[bytes], complete_for: Agency | None = None
                   ) -> RosterImport:
    """Read ``upload``, check it and store it with its plan (status previewed), or with the
    reason the file was refused (status failed). Changes nobody."""
    scope = _scope_check(user=user, agency=complete_for)
    name = str(getattr(upload, "name", "") or "roster").replace("\\", "/").rsplit("/", 1)[-1]
    size = getattr(upload, "size", None)
    record = RosterImport(uploaded_by=user, scope=scope, file_name=name[:255],
                          complete_for=complete_for)
    if size is not None and size > setting("HOCSO_ROSTER_MAX_BYTES", 20 * 1024 * 1024):
        # refused before its content is read
        record.size, record.status, record.message = size, RosterImportStatus.FAILED, \
            too_big_message(size)
        record.save()
        return record
    upload.seek(0)
    data = upload.read()
    record.size, record.sha256 = len(data), hashlib.sha256(data).hexdigest()
    try:
        parsed = roster_parse(data=data)
    except RosterFileError as error:
        record.status, record.message = RosterImportStatus.FAILED, error.message
        record.save()
        return record
    plan = roster_plan(parsed_rows=parsed.rows, errors=parsed.errors,
                       staff_ids=parsed.staff_ids, scope=scope, complete_for=complete_for)
    for key, value in _counts(plan).items():
        setattr(record, key, value)
    if parsed.ignored_columns:
        record.message = _("Columns ignored: %(columns)s.") % {
            "columns": ", ".join(f"“{c}”" for c in parsed.ignored_columns)}
    extension = "xlsx" if data.startswith(b"PK\x03\x04") else "csv"
    record.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(data), save=False)
    record.save()
    return record


def roster_discard(*, roster_import: RosterImport, user: User) -> RosterImport:
    """Give up a previewed import: its stored file is deleted, its record kept."""
    _scope_check(user=user, agency=roster_import.scope)
    with transaction.atomic():
        record = RosterImport.objects.select_for_update().get(pk=roster_import.pk)
        if record.status != RosterImportStatus.PREVIEWED:
            return record
        record.status = RosterImportStatus.DISCARDED
        record.save(update_fields=["status"])
        if record.file:
            name = record.file.name
            transaction.on_commit(lambda: record.file.storage.delete(name))
    return record


def roster_apply(*, roster_import: RosterImport, user: User) -> RosterApplyResult:
    """Apply a previewed import, once: a second call (a double click, a re-sent form) writes
    nothing and answers with ``applied_now`` False. Raises ``RosterApplyError`` when the
    import was discarded or refused, or when its stored file no longer matches its SHA-256."""
    _scope_check(user=user, agency=roster_import.scope)
    with transaction.atomic():
        record = (RosterImport.objects.select_for_update(of=("self",))
                  .select_related("scope", "complete_for").get(pk=roster_import.pk))
        if record.status == RosterImportStatus.APPLIED:
            return RosterApplyResult(roster_import=record, applied_now=False)
        if record.status != RosterImportStatus.PREVIEWED:
            raise RosterApplyError(_("This import was not applied: it was %(status)s.") % {
                "status": record.get_status_display().lower()})
        with record.file.open("rb") as stored:
            data = stored.read()
        problem = None
        if hashlib.sha256(data).hexdigest() != record.sha256:
            problem = _("The stored file changed since its preview; upload it again.")
        else:
            try:
                parsed = roster_parse(data=data)
            except RosterFileError as error:
                problem = error.message
        if problem is not None:
            RosterImport.objects.filter(pk=record.pk).update(
                status=RosterImportStatus.FAILED, message=problem)
        else:
            plan = roster_plan(parsed_rows=parsed.rows, errors=parsed.errors,
                               staff_ids=parsed.staff_ids, scope=record.scope,
                               complete_for=record.complete_for)
            try:
                result = _write(plan)
            except IntegrityError:  # another import wrote the same staff ID or login just now
                raise RosterApplyError(_(
                    "Another change to the same people was saved at the same moment; nothing "
                    "was changed. Apply the import again.")) from None
            for key, value in _counts(plan).items():
                setattr(record, key, value)
            record.status = RosterImportStatus.APPLIED
            record.applied_at, record.applied_by = timezone.now(), user
            record.save()
    if problem is not None:  # recorded, then told
        raise RosterApplyError(problem)
    result.roster_import = record
    return result


def _write(plan: Plan) -> RosterApplyResult:
    now = timezone.now()
    result = RosterApplyResult(roster_import=None, applied_now=True)  # type: ignore[arg-type]
    created = [c for c in plan.changes if c.kind == "created"]
    users = bulk_insert(User, [
        {"username": c.row.staff_id, "email": c.row.email,
         "password": UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)} for c in created],
        key="username")
    people = bulk_insert(Person, [
        {"user_id": users[c.row.staff_id], "full_name": c.row.full_name,
         "agency_id": c.agency_id, "position": c.row.position, "phone": c.row.phone,
         "staff_id": c.row.staff_id} for c in created], key="staff_id")
    result.created_ids = [people[c.row.staff_id] for c in created]
    changed = [c for c in plan.changes if c.kind in ("updated", "moved", "rejoined")]
    bulk_set(Person, [
        {"pk": c.person.pk, "full_name": c.row.full_name, "agency_id": c.agency_id,
         "position": c.row.position, "phone": c.row.phone or c.person.phone, "left_on": None,
         "staff_id": c.row.staff_id, "updated_at": now} for c in changed])
    bulk_set(User, [{"pk": c.person.user_id, "email": c.row.email}
                    for c in changed if "email" in c.fields])
    for change in changed:
        getattr(result, f"{change.kind}_ids").append(change.person.pk)
    result.marked_left_ids = [p.pk for p in plan.left]
    today = timezone.localdate()
    for chunk in _chunks(result.marked_left_ids):
        Person.objects.filter(pk__in=chunk).update(left_on=today, updated_at=now)
    return result
