"""cmi5 packages: reading and checking the course structure, importing, the editor's page."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from courses import cmi5
from courses.cmi5 import PackageError, package_read
from courses.models import Cmi5Au, Cmi5Package, Cmi5UnitPage
from courses.packages import package_import
from lms.records.models import ActivityRequirement
from tests.factories import UserFactory

from .cmi5_helpers import (
    AU_PAGE,
    COURSE_ID,
    au_id,
    au_xml,
    bare_course,
    block_xml,
    simple_package,
    structure,
    unit_in,
    upload,
    zip_bytes,
)

# A bare cmi5.xml (no ZIP): every AU URL is absolute (cmi5 14.2).
BARE = structure(au_xml(au_id(1), "https://cdn.example.vn/au1/index.html?x=1",
                        move_on="Completed"))


def read(data: bytes) -> cmi5.Package:
    return package_read(io.BytesIO(data))


def error_of(data: bytes) -> PackageError:
    with pytest.raises(PackageError) as caught:
        read(data)
    return caught.value


# --- reading -----------------------------------------------------------------------------

def test_a_full_package_is_read_with_every_au_property():
    data = zip_bytes({
        "cmi5.xml": structure(
            au_xml(au_id(1), "index.html?lang=vi", move_on="CompletedAndPassed",
                   mastery="0.8", launch_parameters=" level=2 ", entitlement_key="KEY-1",
                   launch_method="OwnWindow"),
            block_xml(f"{COURSE_ID}/blocks/1",
                      au_xml(au_id(2), "part%202/start.html", move_on="Passed"),
                      block_xml(f"{COURSE_ID}/blocks/2",
                                au_xml(au_id(3), "https://cdn.example.vn/au3.html"))),
        ),
        "index.html": AU_PAGE,
        "part 2/start.html": AU_PAGE,
        "assets/": b"",
    })
    package = read(data)
    assert package.is_zip
    assert package.course_id == COURSE_ID
    assert package.title == {"vi": "An toàn mạng"}
    assert set(package.members) == {"cmi5.xml", "index.html", "part 2/start.html"}
    first, second, third = package.aus
    assert first.publisher_id == au_id(1)
    assert first.title == {"vi": "Bài học ngoài", "en-US": "External lesson"}  # trimmed
    assert first.url == "index.html?lang=vi"
    assert (first.move_on, first.mastery_score, first.launch_method) == (
        "CompletedAndPassed", Decimal("0.8"), "OwnWindow")
    assert (first.launch_parameters, first.entitlement_key) == ("level=2", "KEY-1")
    assert first.block_ids == ()
    assert (second.move_on, second.mastery_score, second.launch_method) == (
        "Passed", None, "AnyWindow")
    assert second.block_ids == (f"{COURSE_ID}/blocks/1",)
    assert third.move_on == "NotApplicable"  # the default
    assert third.block_ids == (f"{COURSE_ID}/blocks/1", f"{COURSE_ID}/blocks/2")
    assert [b.parent_id for b in package.blocks] == ["", f"{COURSE_ID}/blocks/1"]


def test_a_bare_structure_with_absolute_urls_is_valid():
    package = read(BARE)
    assert not package.is_zip
    assert package.members == {}
    assert [au.url for au in package.aus] == ["https://cdn.example.vn/au1/index.html?x=1"]


@pytest.mark.parametrize(("data", "code", "words"), [
    (zip_bytes({"cmi5.xml": b"<courseStructure><course>", "index.html": AU_PAGE}),
     "bad_xml", "line 1"),
    (zip_bytes({"index.html": AU_PAGE}), "no_structure", "cmi5.xml"),
    (zip_bytes({"pkg/cmi5.xml": structure(au_xml(au_id(1), "index.html")),
                "pkg/index.html": AU_PAGE}), "no_structure", "pkg/cmi5.xml"),
    (zip_bytes({"cmi5.xml": simple_package(), "../evil.html": AU_PAGE}),
     "unsafe_path", "../evil.html"),
    (zip_bytes({"cmi5.xml": b"", "/etc/cron.d/x": AU_PAGE}), "unsafe_path", "/etc/cron.d/x"),
    (zip_bytes({"cmi5.xml": b"", "a/../../b.html": AU_PAGE}), "unsafe_path", "a/../../b.html"),
    (zip_bytes({"cmi5.xml": b"", "C:/Windows/x.dll": AU_PAGE}), "unsafe_path", "C:/"),
    (zip_bytes({"cmi5.xml": b"", "..\\..\\evil.html": AU_PAGE}), "unsafe_path", "evil.html"),
    (simple_package(au_xml(au_id(1), "index.html", move_on="Finished")),
     "bad_move_on", "moveOn Finished"),
    (simple_package(au_xml(au_id(1), "index.html", mastery="1.5")),
     "bad_mastery_score", "1.5"),
    (simple_package(au_xml(au_id(1), "index.html", mastery="0.12345")),
     "bad_mastery_score", "0.12345"),
    (simple_package(au_xml(au_id(1), "index.html", launch_method="Popup")),
     "bad_launch_method", "Popup"),
    (simple_package(au_xml(au_id(1), "missing.html")), "missing_file", "missing.html"),
    (simple_package(au_xml(au_id(1), "../outside.html")), "bad_url", "../outside.html"),
    (simple_package(au_xml(au_id(1), "javascript:alert(1)")), "bad_url", "javascript"),
    (simple_package(au_xml("not an iri", "index.html")), "bad_id", "not an iri"),
    (simple_package(au_xml(au_id(1), "index.html"), au_xml(au_id(1), "index.html")),
     "duplicate_id", au_id(1)),
    (simple_package(au_xml(au_id(1), "index.html").replace('moveOn="', 'moveon="')
                    .replace("<au ", '<au moveon="Passed" ')),
     "unexpected_attribute", "moveon"),
    (simple_package(au_xml(au_id(1), "index.html", extra="<grade>5</grade>")),
     "unexpected_element", "grade"),
    (simple_package(au_xml(au_id(1), "index.html").replace("<url>  index.html  </url>", "")),
     "missing_element", "url"),
    (simple_package(au_xml(au_id(1), "index.html").replace('lang="vi"', 'lang="not a tag"')),
     "bad_language", "not a tag"),
    (zip_bytes({"cmi5.xml": structure(), "index.html": AU_PAGE}), "no_au", "AU"),
    (zip_bytes({"cmi5.xml": structure(au_xml(au_id(1), "index.html"), namespace="urn:x"),
                "index.html": AU_PAGE}), "not_cmi5", "courseStructure"),
    (structure(au_xml(au_id(1), "index.html")), "relative_url", "index.html"),
    (b"", "empty", ""),
])
def test_a_package_that_breaks_a_rule_gets_an_error_naming_it(data, code, words):
    error = error_of(data)
    assert error.code == code, error.message
    assert words in error.message


def test_xml_entities_and_dtds_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><courseStructure>&lol2;</courseStructure>')
    assert error_of(zip_bytes({"cmi5.xml": bomb})).code == "bad_xml"
    external = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                b"<courseStructure>&e;</courseStructure>")
    assert error_of(external).code == "bad_xml"


def test_absurd_sizes_are_refused_before_anything_is_extracted(monkeypatch):
    data = zip_bytes({"cmi5.xml": structure(au_xml(au_id(1), "index.html")),
                      "index.html": AU_PAGE, "video.bin": b"\0" * 50_000})
    monkeypatch.setattr(cmi5, "MAX_MEMBER_BYTES", 40_000)
    assert error_of(data).code == "too_large"
    monkeypatch.setattr(cmi5, "MAX_MEMBER_BYTES", 10**9)
    monkeypatch.setattr(cmi5, "MAX_TOTAL_BYTES", 45_000)
    assert error_of(data).code == "too_large"
    monkeypatch.setattr(cmi5, "MAX_TOTAL_BYTES", 10**9)
    monkeypatch.setattr(cmi5, "MAX_MEMBERS", 2)
    assert error_of(data).code == "too_many_files"


def test_links_in_the_zip_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cmi5.xml", structure(au_xml(au_id(1), "index.html")))
        link = zipfile.ZipInfo("index.html")
        link.external_attr = (0o120777 << 16)
        archive.writestr(link, "/etc/passwd")
    assert error_of(buffer.getvalue()).code == "unsafe_path"


# --- importing ---------------------------------------------------------------------------

def _stored_files() -> list[str]:
    root = Path(default_storage.location) / "cmi5"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) \
        if root.exists() else []


@pytest.mark.django_db
def test_import_extracts_the_files_and_stores_the_aus_once():
    data = zip_bytes({"cmi5.xml": structure(
        au_xml(au_id(1), "index.html", move_on="Passed", mastery="0.75"),
        au_xml(au_id(2), "part%202/start.html")), "index.html": AU_PAGE,
        "part 2/start.html": AU_PAGE})
    package = package_import(upload=upload(data, "an-toan.zip"))
    assert package.source_name == "an-toan.zip"
    assert (package.file_count, package.is_zip) == (3, True)
    assert _stored_files() == sorted(f"{package.id}/{n}"
                                     for n in ("cmi5.xml", "index.html", "part 2/start.html"))
    assert default_storage.open(f"cmi5/{package.id}/index.html").read() == AU_PAGE
    aus = list(package.aus.all())
    assert [(a.position, a.publisher_id, a.move_on, a.mastery_score) for a in aus] == [
        (0, au_id(1), "Passed", Decimal("0.7500")), (1, au_id(2), "NotApplicable", None)]
    # The same file again (a re-submitted form, an autosave) is the same package.
    assert package_import(upload=upload(data)).pk == package.pk
    assert Cmi5Package.objects.count() == 1


@pytest.mark.django_db
def test_a_package_that_fails_while_extracting_leaves_nothing_behind():
    data = bytearray(zip_bytes({"cmi5.xml": structure(au_xml(au_id(1), "a.html")),
                                "a.html": AU_PAGE, "b.html": b"B" * 200},
                               compression=zipfile.ZIP_STORED))
    data[data.rindex(b"B" * 200) + 10] = ord("X")  # b.html no longer matches its CRC
    with pytest.raises(PackageError) as caught:
        package_import(upload=upload(bytes(data)))
    assert caught.value.code == "bad_zip"
    assert _stored_files() == []
    assert not Cmi5Package.objects.exists() and not Cmi5Au.objects.exists()


@pytest.mark.django_db
def test_a_bare_structure_is_imported_without_files():
    package = package_import(upload=upload(BARE, "cmi5.xml"))
    assert (package.is_zip, package.file_count) == (False, 0)
    assert package.aus.get().url == "https://cdn.example.vn/au1/index.html?x=1"
    assert _stored_files() == []


# --- the editor's page -------------------------------------------------------------------

def _add_form(client, course, data: bytes, name: str = "package.zip"):
    return client.post(f"/admin/pages/add/courses/cmi5unitpage/{course.pk}/", {
        "title": "Nội dung ngoài", "slug": "noi-dung-ngoai", "summary": "",
        "estimated_minutes": "20", "package_file": upload(data, name),
        "action-publish": "action-publish",
    })


@pytest.mark.django_db
def test_an_editor_uploads_a_package_and_the_course_needs_its_aus(client):
    course = bare_course()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/admin/pages/add/courses/cmi5unitpage/{course.pk}/").status_code == 200
    response = _add_form(client, course, simple_package(
        au_xml(au_id(1), "index.html", move_on="CompletedOrPassed"),
        au_xml(au_id(2), "index.html", move_on="NotApplicable")))
    assert response.status_code == 302, response.content.decode()[-3000:]
    unit = Cmi5UnitPage.objects.get()
    assert unit.live and unit.package is not None
    assert [au.publisher_id for au in unit.aus()] == [au_id(1), au_id(2)]
    rules = set(ActivityRequirement.objects.filter(parent_id=course.activity_id)
                .values_list("child_id", "rule"))
    assert rules == {(unit.au_activity_id(unit.aus()[0]), "completed_or_passed")}
    assert client.get(f"/admin/pages/{unit.pk}/edit/").status_code == 200


@pytest.mark.django_db
def test_a_bad_package_gives_the_editor_the_error_and_saves_nothing(client):
    course = bare_course()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = _add_form(client, course, simple_package(
        au_xml(au_id(1), "index.html", move_on="Finished")))
    assert response.status_code == 200
    assert "moveOn Finished" in response.content.decode()
    assert not Cmi5UnitPage.objects.exists()
    assert not Cmi5Package.objects.exists()
    assert _stored_files() == []
    response = _add_form(client, course, b"not a package at all", "cmi5.xml")
    assert "line 1" in response.content.decode()  # the XML parser says where
    assert not Cmi5UnitPage.objects.exists()


@pytest.mark.django_db
def test_course_rule_has_lessons_quiz_and_each_required_au(course, lessons, quiz):
    unit = unit_in(course, simple_package(
        au_xml(au_id(1), "index.html", move_on="Passed"),
        au_xml(au_id(2), "index.html", move_on="Completed"),
        au_xml(au_id(3), "index.html", move_on="CompletedAndPassed"),
        au_xml(au_id(4), "index.html", move_on="CompletedOrPassed"),
        au_xml(au_id(5), "index.html", move_on="NotApplicable")))
    aus = unit.aus()
    rules = set(ActivityRequirement.objects.filter(parent_id=course.activity_id)
                .values_list("child_id", "rule"))
    assert rules == {
        (lessons[0].activity_id, "completed"), (lessons[1].activity_id, "completed"),
        (quiz.activity_id, "passed"),
        (unit.au_activity_id(aus[0]), "passed"), (unit.au_activity_id(aus[1]), "completed"),
        (unit.au_activity_id(aus[2]), "completed_and_passed"),
        (unit.au_activity_id(aus[3]), "completed_or_passed"),
    }
    # The generated activity ids are ours, never the publisher's (cmi5 8.1.5).
    assert all(unit.au_activity_id(au) != au.publisher_id for au in aus)
    assert len({unit.au_activity_id(au) for au in aus}) == 5


def test_the_demo_package_in_content_is_valid():
    folder = Path(__file__).resolve().parents[2] / "content" / "demo" / "cmi5"
    data = zip_bytes({path.name: path.read_bytes() for path in folder.iterdir()})
    package = read(data)
    (au,) = package.aus
    assert (au.url, au.move_on, au.mastery_score) == ("index.html", "CompletedAndPassed",
                                                      Decimal("0.8"))
    assert {"index.html", "au.js"} <= set(package.members)


@pytest.mark.django_db
def test_the_course_outline_lists_cmi5_units_and_marks_optional_ones(client, learner):
    from courses.selectors import course_outline

    course = bare_course()
    required = unit_in(course, simple_package(au_xml(au_id(1), "index.html",
                                                     move_on="Passed")))
    optional = unit_in(course, simple_package(au_xml(au_id(2), "index.html")),
                       slug="doc-them")
    outline = course_outline(course=course, user=learner)
    assert [(i.page.pk, i.is_cmi5, i.optional, i.is_quiz) for i in outline.items] == [
        (required.pk, True, False, False), (optional.pk, True, True, False)]
    assert [i.page.pk for i in outline.required_items] == [required.pk]
    assert outline.next_item.page.pk == required.pk
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert required.url in page and optional.url in page


@pytest.mark.django_db
def test_more_than_a_thousand_aus_are_supported():
    aus = [au_xml(au_id(n), f"https://cdn.example.vn/au/{n}.html", move_on="Completed")
           for n in range(1, 1202)]
    package = package_import(upload=upload(structure(block_xml(f"{COURSE_ID}/b", *aus)),
                                           "cmi5.xml"))
    assert package.aus.count() == 1201
    unit = unit_in(bare_course(), package)
    assert len(unit.course_requirements()) == 1201
