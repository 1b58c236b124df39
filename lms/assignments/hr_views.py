"""The HR pages of assignments (``/hr/assignments/``), always within the manager's agency
subtree: the rules with their counts, a rule's form, its people by status with exports. A
rule or an agency outside the subtree is a 404, like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.org.models import Agency
from lms.org.selectors import agency_within, manager_root_of
from lms.tables import Table, csv_lines, csv_response, xlsx_response

from .exports import STATUS_LABELS, people_table
from .forms import AssignmentForm
from .models import Assignment
from .selectors import (
    STATUSES,
    assignment_counts,
    assignment_editable,
    assignment_people,
    assignment_visible,
    assignments_counted,
    person_status,
)
from .services import assignment_archive, assignment_create, assignment_update

PER_PAGE = 50


def _root(request: HttpRequest) -> Agency | HttpResponse:
    root = manager_root_of(user=request.user)
    if root is None:
        return render(request, "assignments/no_scope.html", status=403)
    return root


def _rule(request: HttpRequest, pk: int, root: Agency, *, edit: bool = False) -> Assignment:
    rule = assignment_visible(pk=pk, root=root)
    if rule is None or (edit and not assignment_editable(assignment=rule, root=root)):
        raise Http404(_("No such assignment among the agencies you manage."))
    return rule


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    today = timezone.localdate()
    rows = [{"rule": rule, "counts": counts,
             "editable": assignment_editable(assignment=rule, root=root)}
            for rule, counts in assignments_counted(root=root, today=today)]
    return render(request, "assignments/hr_list.html", {
        "root": root, "rows": rows, "today": today,
        "active": [row for row in rows if row["rule"].active],
        "archived": [row for row in rows if not row["rule"].active],
    })


def _form_page(request: HttpRequest, root: Agency, rule: Assignment | None) -> HttpResponse:
    form = AssignmentForm(request.POST or None, root=root, instance=rule)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["positions"] = list(data["positions"])
        if rule is None:
            rule = assignment_create(by=request.user, **data)
            messages.success(request, _("Assignment created: its people are being enrolled."))
        else:
            rule = assignment_update(assignment=rule, **data)
            messages.success(request, _("Assignment saved."))
        return redirect("assignments:people", pk=rule.pk)
    return render(request, "assignments/hr_form.html", {"form": form, "rule": rule,
                                                         "root": root})


@login_required
def assignment_new(request: HttpRequest) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    return _form_page(request, root, None)


@login_required
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    return _form_page(request, root, _rule(request, pk, root, edit=True))


@login_required
@require_POST
def assignment_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    rule = _rule(request, pk, root, edit=True)
    restore = request.POST.get("restore") == "1"
    assignment_archive(assignment=rule, active=restore)
    messages.success(request, _("Assignment restored.") if restore
                     else _("Assignment archived: no more enrolments or reminders."))
    return redirect("assignments:list")


class _CountedPaginator(Paginator):
    """A paginator told its count (read with the other counts in one grouped query), so
    a page costs one bounded query, not a second count."""

    def __init__(self, object_list: object, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known


def _people_scope(request: HttpRequest, pk: int) -> dict[str, object] | HttpResponse:
    root = _root(request)
    if isinstance(root, HttpResponse):
        return root
    rule = _rule(request, pk, root)
    code = request.GET.get("agency", "")
    agency = agency_within(code=code, root=root)
    if agency is None:
        return render(request, "assignments/outside_scope.html", {"code": code, "root": root},
                      status=404)
    status = request.GET.get("status", "").strip()
    status = status if status in STATUSES else ""
    return {"root": root, "rule": rule, "agency": agency, "status": status,
            "today": timezone.localdate()}


@login_required
def assignment_people_view(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _people_scope(request, pk)
    if isinstance(scope, HttpResponse):
        return scope
    rule, agency, status, today = scope["rule"], scope["agency"], scope["status"], scope["today"]
    counts = assignment_counts(assignment=rule, root=agency, today=today)
    people = assignment_people(assignment=rule, root=agency, status=status, today=today)
    page = _CountedPaginator(people, PER_PAGE, count=counts.of(status)).get_page(
        request.GET.get("page", 1))
    rows = [(person, person_status(person, assignment=rule, today=today)) for person in page]
    tabs = [("", _("Everyone"), counts.assigned),
            *((key, STATUS_LABELS[key], counts.of(key)) for key in STATUSES)]
    return render(request, "assignments/hr_people.html", {
        **scope, "counts": counts, "page": page, "rows": rows, "tabs": tabs,
        "status_labels": STATUS_LABELS,
        "editable": assignment_editable(assignment=rule, root=scope["root"]),
        "children": list(agency.get_children()),
    })


def _filename(scope: dict[str, object], extension: str) -> str:
    parts = ["hocso-assignment", str(scope["rule"].pk), scope["agency"].code, scope["status"],
             f"{scope['today']:%Y%m%d}"]
    return "-".join(part for part in parts if part) + f".{extension}"


def _people_export(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    scope = _people_scope(request, pk)
    if isinstance(scope, HttpResponse):
        return scope
    people = assignment_people(assignment=scope["rule"], root=scope["agency"],
                               status=scope["status"], today=scope["today"])
    table: Table = people_table(assignment=scope["rule"], people=people, today=scope["today"])
    filename = _filename(scope, extension)
    if extension == "csv":
        return csv_response(csv_lines(table), filename=filename)
    return xlsx_response([table], filename=filename,
                         title=f"{scope['rule'].display_title} — {scope['agency'].name}")


@login_required
def assignment_people_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _people_export(request, pk, "csv")


@login_required
def assignment_people_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _people_export(request, pk, "xlsx")
