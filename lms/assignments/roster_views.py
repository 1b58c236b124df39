"""HR roster pages: upload a staff list, preview what it would change, apply or discard it,
see the result and the history. Only HR managers (and superusers); a manager sees the imports
made for their own subtree only. The work is done by ``lms.org.rosters``."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from lms.org.models import Agency, PositionCategory, RosterImport, RosterImportStatus
from lms.org.roster import FIELD_LABELS, TEMPLATE_HEADERS
from lms.org.rosters import RosterApplyError, roster_apply, roster_discard, roster_preview
from lms.org.selectors import agency_names, manager_root_of, roster_import_get, roster_imports_of
from lms.tables import XLSX_TYPE, Table, csv_lines, csv_response

from .forms_roster import RosterUploadForm
from .services import people_changed_enqueue

ERRORS_ON_PAGE = 1000
KIND_LABELS = {
    "created": gettext_lazy("New people"),
    "updated": gettext_lazy("Updated"),
    "moved": gettext_lazy("Moved to another agency"),
    "rejoined": gettext_lazy("Rejoined (had left)"),
    "marked_left": gettext_lazy("Marked as left"),
    "unchanged": gettext_lazy("Unchanged"),
}


def _root(request: HttpRequest) -> Agency | HttpResponse:
    root = manager_root_of(user=request.user)
    if root is None:
        return render(request, "assignments/roster_no_scope.html", status=403)
    return root


def _record(request: HttpRequest, pk: int) -> RosterImport | HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    record = roster_import_get(user=request.user, pk=pk)
    if record is None:  # unknown, or made for agencies outside the manager's subtree
        return render(request, "assignments/roster_not_found.html", status=404)
    return record


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    form = RosterUploadForm(request.POST or None, request.FILES or None, root=root)
    refused = ""
    if request.method == "POST" and form.is_valid():
        record = roster_preview(user=request.user, upload=form.cleaned_data["file"],
                                complete_for=form.cleaned_data["complete_for"])
        if record.status != RosterImportStatus.FAILED:
            return redirect("roster:detail", pk=record.pk)
        refused = record.message
    status = 400 if request.method == "POST" else 200
    return render(request, "assignments/roster_upload.html", {
        "form": form, "root": root, "refused": refused,
        "recent": roster_imports_of(user=request.user)[:5],
        "columns": [FIELD_LABELS[name] for name in FIELD_LABELS],
        "positions": PositionCategory.choices,
    }, status=status)


def _sample(record: RosterImport) -> list[dict]:
    """The changes of each kind (the first ones), agency codes with their names."""
    sample = record.sample or {}
    codes = {entry.get(key) for items in sample.values() for entry in items
             for key in ("agency", "from_agency") if entry.get(key)}
    names = agency_names(codes=codes)
    labels = {**FIELD_LABELS, "agency": pgettext("roster column", "agency")}
    groups = []
    for kind, label in KIND_LABELS.items():
        count = getattr(record, kind)
        if not count or kind == "unchanged":
            continue
        items = [{**entry, "agency_name": names.get(entry.get("agency"), ""),
                  "from_agency_name": names.get(entry.get("from_agency"), ""),
                  "field_labels": [str(labels.get(f, f)) for f in entry.get("fields", [])]}
                 for entry in sample.get(kind, [])]
        groups.append({"kind": kind, "label": label, "count": count, "items": items,
                       "more": count - len(items)})
    return groups


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of an import not applied yet, else its result."""
    record = _record(request, pk)
    if isinstance(record, HttpResponse):
        return record
    template = ("assignments/roster_preview.html"
                if record.status == RosterImportStatus.PREVIEWED
                else "assignments/roster_result.html")
    return render(request, template, {
        "record": record, "groups": _sample(record),
        "errors": record.row_errors[:ERRORS_ON_PAGE],
        "errors_hidden": max(0, len(record.row_errors) - ERRORS_ON_PAGE),
    })


@login_required
def errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if isinstance(record, HttpResponse):
        return record
    table = Table(title=_("Errors"), header=[_("Line"), _("Staff ID"), _("Reason")],
                  rows=([error["line"], error["staff_id"], error["reason"]]
                        for error in record.row_errors))
    return csv_response(csv_lines(table), filename=f"roster-{record.pk}-errors.csv")


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if isinstance(record, HttpResponse):
        return record
    try:
        result = roster_apply(roster_import=record, user=request.user)
    except RosterApplyError as error:
        messages.error(request, error.message)
        return redirect("roster:detail", pk=record.pk)
    if result.applied_now:
        # Newcomers, movers and rejoiners: enrolled on the rules that now bind them.
        people_changed_enqueue(person_ids=result.newcomer_ids)
        messages.success(request, _("The staff list was applied."))
    else:
        messages.info(request, _("This staff list had already been applied; nothing was "
                                 "changed again."))
    return redirect("roster:detail", pk=record.pk)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if isinstance(record, HttpResponse):
        return record
    record = roster_discard(roster_import=record, user=request.user)
    if record.status == RosterImportStatus.DISCARDED:
        messages.info(request, _("The import was discarded; nobody was changed."))
    return redirect("roster:upload")


@login_required
def history(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    page = Paginator(roster_imports_of(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "assignments/roster_history.html", {"page": page, "root": root})


@login_required
def template_file(request: HttpRequest, kind: str) -> HttpResponse:
    """An empty staff list with the column names (in the page's language) to fill in."""
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    language = "vi" if translation.get_language() == "vi" else "en"
    header = TEMPLATE_HEADERS[language]
    name = f"hocso-danh-sach-can-bo-{timezone.localdate():%Y%m%d}"
    if kind == "csv":  # one line: sent whole, not streamed
        text = "".join(csv_lines(Table(title=_("Staff"), header=header, rows=[])))
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Staff")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in "ABCDEF":  # text, so that codes keep their leading zeros
        sheet.column_dimensions[letter].width = 24
        for row in range(2, 1002):
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    choices = workbook.create_sheet(_("Positions")[:31])
    choices.append([_("Code"), _("Vietnamese"), _("English")])
    for value, label in PositionCategory.choices:
        with translation.override("vi"):
            vietnamese = str(label)
        with translation.override("en"):
            english = str(label)
        choices.append([value, vietnamese, english])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
