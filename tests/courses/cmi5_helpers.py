"""cmi5 packages built in code (course structure XML, ZIP files) and courses holding them."""

from __future__ import annotations

import io
import uuid
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale, Page

from courses.launch import CATEGORY, EXT_SESSION
from courses.models import Cmi5Package, Cmi5UnitPage, CoursePage
from courses.packages import package_import
from courses.services import course_requirements_sync
from lms.records.builder import actor_for
from lms.setup.coursepack import catalog_ensure

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
COURSE_ID = "https://publisher.example.vn/courses/an-toan-mang"
AU_PAGE = b"<!doctype html><title>AU</title><p>Hello</p>"


def au_xml(au_id: str, url: str, *, move_on: str | None = None, mastery: str | None = None,
           launch_parameters: str | None = None, entitlement_key: str | None = None,
           launch_method: str | None = None, title: str = "Bài học ngoài",
           extra: str = "") -> str:
    attrs = f'id="{au_id}"'
    for name, value in (("moveOn", move_on), ("masteryScore", mastery),
                        ("launchMethod", launch_method)):
        if value is not None:
            attrs += f' {name}="{value}"'
    body = (f'<title><langstring lang="vi">  {title}  </langstring>'
            f'<langstring lang="en-US">External lesson</langstring></title>'
            f'<description><langstring lang="vi">Mô tả</langstring></description>'
            f"<url>  {url}  </url>")
    if launch_parameters is not None:
        body += f"<launchParameters>{launch_parameters}</launchParameters>"
    if entitlement_key is not None:
        body += f"<entitlementKey>{entitlement_key}</entitlementKey>"
    return f"<au {attrs}>{body}{extra}</au>"


def structure(*items: str, course_id: str = COURSE_ID, namespace: str = NS) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<courseStructure xmlns="{namespace}">'
        f'<course id="{course_id}"><title><langstring lang="vi">An toàn mạng</langstring>'
        f'</title><description><langstring lang="vi">Khóa học của nhà xuất bản</langstring>'
        f"</description></course>{''.join(items)}</courseStructure>"
    ).encode()


def block_xml(block_id: str, *items: str) -> str:
    return (f'<block id="{block_id}"><title><langstring lang="vi">Phần</langstring></title>'
            f'<description><langstring lang="vi">Mô tả phần</langstring></description>'
            f"{''.join(items)}</block>")


def zip_bytes(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "package.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def au_id(n: int) -> str:
    return f"{COURSE_ID}/aus/{n}"


def simple_package(*aus: str) -> bytes:
    """A ZIP package with index.html and the given AUs (one Completed AU by default)."""
    aus = aus or (au_xml(au_id(1), "index.html", move_on="Completed"),)
    return zip_bytes({"cmi5.xml": structure(*aus), "index.html": AU_PAGE})


def bare_course(code: str = "CMI5-T") -> CoursePage:
    """A published course with no page yet."""
    if Page.get_first_root_node() is None:
        Locale.objects.get_or_create(language_code="vi")
        Page.add_root(instance=Page(title="Root", slug="root"))
    course = CoursePage(title="Khóa học có nội dung ngoài", code=code, slug=code.lower(),
                        summary="Tóm tắt", estimated_minutes=30)
    catalog_ensure().add_child(instance=course)
    course.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def unit_in(course: CoursePage, package: Cmi5Package | bytes, *, slug: str = "noi-dung-ngoai"
            ) -> Cmi5UnitPage:
    """A published cmi5 unit page in ``course`` (the course rule synced)."""
    if isinstance(package, bytes):
        package = package_import(upload=upload(package))
    unit = Cmi5UnitPage(title="Nội dung ngoài", slug=slug, package=package)
    course.add_child(instance=unit)
    unit.save_revision().publish()
    course_requirements_sync(course=CoursePage.objects.get(pk=course.pk))
    return Cmi5UnitPage.objects.get(pk=unit.pk)


def au_statement(user: Any, unit: Cmi5UnitPage, verb: str, *, registration: uuid.UUID,
                 session_id: uuid.UUID | str, au_index: int = 0,
                 result: dict[str, Any] | None = None) -> dict[str, Any]:
    """A cmi5 defined statement as an AU sends it (verb: the last part of the ADL IRI)."""
    au = unit.aus()[au_index]
    context: dict[str, Any] = {
        "registration": str(registration),
        "contextActivities": {
            "category": [{"id": CATEGORY}],
            "grouping": [{"id": au.publisher_id}],
        },
        "extensions": {EXT_SESSION: str(session_id)},
    }
    if result and ("success" in result or "completion" in result):
        context["contextActivities"]["category"].append(
            {"id": "https://w3id.org/xapi/cmi5/context/categories/moveon"})
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": actor_for(user),
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"objectType": "Activity", "id": unit.au_activity_id(au)},
        "context": context,
    }
    if result:
        statement["result"] = result
    return statement
