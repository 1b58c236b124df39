"""The cmi5 course structure (cmi5.xml; cmi5 specification section 13 and its XSD): read
with defusedxml and checked to the specification's rules, with messages that name the
problem and where it is (``AU 2 (https://…): moveOn Finished is not one of …``)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError
from zipfile import ZipInfo

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from lms.records.errors import InvalidStatement
from lms.records.xapi.validation_formats import check_iri, check_language_tag

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")
MAX_AUS = 10_000
MAX_DEPTH = 20

_AU_ATTRIBUTES = {"id", "moveOn", "masteryScore", "launchMethod", "activityType"}
_AU_ELEMENTS = {"title", "description", "objectives", "url", "launchParameters",
                "entitlementKey"}
_BLOCK_ELEMENTS = {"title", "description", "objectives", "au", "block"}


class PackageError(ValueError):
    """A package that cannot be used: ``code`` says which rule, the message says where."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Au:
    """An assignable unit as the course structure declares it (whitespace trimmed)."""

    publisher_id: str
    title: dict[str, str]
    description: dict[str, str]
    url: str
    launch_method: str = "AnyWindow"
    move_on: str = "NotApplicable"
    mastery_score: Decimal | None = None
    launch_parameters: str = ""
    entitlement_key: str = ""
    activity_type: str = ""
    block_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    publisher_id: str
    title: dict[str, str]
    description: dict[str, str]
    parent_id: str = ""


@dataclass
class Package:
    """A checked package. ``members`` are the ZIP's files (empty for a bare cmi5.xml)."""

    course_id: str
    title: dict[str, str]
    description: dict[str, str]
    aus: list[Au] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    members: dict[str, ZipInfo] = field(default_factory=dict)
    is_zip: bool = False

    @property
    def size(self) -> int:
        return sum(info.file_size for info in self.members.values())


# --- the course structure --------------------------------------------------------------

def _q(local: str) -> str:
    return f"{{{NS}}}{local}"


def _local(element: Element) -> str | None:
    """The element's name when it is in the cmi5 namespace (else None: an extension)."""
    tag = element.tag
    if isinstance(tag, str) and tag.startswith(f"{{{NS}}}"):
        return tag[len(NS) + 2:]
    return None


def _text(element: Element) -> str:
    """Simple content (the XSD gives these elements no children), trimmed (cmi5 13.1)."""
    return (element.text or "").strip()


class _Reader:
    """Walks one course structure, collecting AUs and blocks and checking ids."""

    def __init__(self, members: set[str] | None) -> None:
        self.members = members
        self.ids: dict[str, str] = {}
        self.aus: list[Au] = []
        self.blocks: list[Block] = []

    def fail(self, code: str, message: str) -> PackageError:
        return PackageError(code, message)

    def iri(self, value: str | None, where: str, what: str = "id") -> str:
        value = (value or "").strip()
        if not value:
            raise self.fail("missing_id", _("%(where)s: the %(what)s attribute is required.")
                            % {"where": where, "what": what})
        try:
            check_iri(value, what)
        except InvalidStatement:
            raise self.fail("bad_id", _("%(where)s: %(what)s %(value)s is not an absolute "
                                        "IRI (such as https://example.com/course/1).")
                            % {"where": where, "what": what, "value": value[:200]}) from None
        return value

    def unique(self, value: str, where: str) -> None:
        if value in self.ids:
            raise self.fail("duplicate_id", _("%(where)s: id %(id)s is already used by "
                                              "%(other)s; ids must be unique in the course "
                                              "structure.")
                            % {"where": where, "id": value, "other": self.ids[value]})
        self.ids[value] = where

    def children(self, element: Element, allowed: set[str], where: str
                 ) -> Iterator[tuple[str, Element]]:
        for child in element:
            name = _local(child)
            if name is None:
                continue  # vendor extension in another namespace: ignored (13.1.5)
            if name not in allowed:
                raise self.fail("unexpected_element", _("%(where)s: unexpected element "
                                                        "<%(name)s>.")
                                % {"where": where, "name": name})
            yield name, child

    def langstrings(self, element: Element | None, where: str, what: str,
                    *, required: bool = True) -> dict[str, str]:
        if element is None:
            if not required:
                return {}
            raise self.fail("missing_element", _("%(where)s: <%(what)s> is required.")
                            % {"where": where, "what": what})
        texts: dict[str, str] = {}
        for child in element:
            if _local(child) != "langstring":
                continue
            lang = (child.get("lang") or "und").strip()
            try:
                check_language_tag(lang, "lang")
            except InvalidStatement:
                raise self.fail("bad_language", _("%(where)s: <%(what)s> has the language "
                                                  "%(lang)s, which is not a language tag "
                                                  "(such as vi or en-US).")
                                % {"where": where, "what": what, "lang": lang[:50]}) from None
            text = _text(child)
            if text:
                texts.setdefault(lang, text)
        if required and what == "title" and not texts:
            raise self.fail("missing_element", _("%(where)s: <title> needs a langstring "
                                                 "with text.") % {"where": where})
        return texts

    def single(self, found: dict[str, list[Element]], name: str, where: str,
               *, required: bool) -> Element | None:
        elements = found.get(name, [])
        if len(elements) > 1:
            raise self.fail("duplicate_element", _("%(where)s: <%(name)s> appears more than "
                                                   "once.") % {"where": where, "name": name})
        if not elements and required:
            raise self.fail("missing_element", _("%(where)s: <%(name)s> is required.")
                            % {"where": where, "name": name})
        return elements[0] if elements else None

    def items(self, element: Element, allowed: set[str], where: str,
              block_ids: tuple[str, ...]) -> dict[str, list[Element]]:
        """The non-AU, non-block children by name; AUs and blocks are read in order."""
        if len(block_ids) > MAX_DEPTH:
            raise self.fail("too_deep", _("%(where)s: blocks are nested more than %(n)d deep.")
                            % {"where": where, "n": MAX_DEPTH})
        found: dict[str, list[Element]] = {}
        count = 0
        for name, child in self.children(element, allowed, where):
            if name == "au":
                self.au(child, block_ids)
                count += 1
            elif name == "block":
                self.block(child, block_ids)
                count += 1
            else:
                found.setdefault(name, []).append(child)
        if count == 0:
            raise self.fail("no_au", _("%(where)s: there is no <au> or <block>; a course "
                                       "structure needs at least one AU.") % {"where": where})
        return found

    def block(self, element: Element, block_ids: tuple[str, ...]) -> None:
        where = _("block %(n)d") % {"n": len(self.blocks) + 1}
        block_id = self.iri(element.get("id"), where)
        where = _("block %(n)d (%(id)s)") % {"n": len(self.blocks) + 1, "id": block_id}
        self.unique(block_id, where)
        index = len(self.blocks)
        self.blocks.append(Block(publisher_id=block_id, title={}, description={},
                                 parent_id=block_ids[-1] if block_ids else ""))
        found = self.items(element, _BLOCK_ELEMENTS, where, (*block_ids, block_id))
        for name in ("title", "description", "objectives"):
            self.single(found, name, where, required=name != "objectives")
        self.blocks[index] = Block(
            publisher_id=block_id,
            title=self.langstrings(found["title"][0], where, "title"),
            description=self.langstrings(found["description"][0], where, "description"),
            parent_id=block_ids[-1] if block_ids else "",
        )

    def au(self, element: Element, block_ids: tuple[str, ...]) -> None:
        number = len(self.aus) + 1
        if number > MAX_AUS:
            raise self.fail("too_many_aus", _("The course structure has more than %(n)d AUs.")
                            % {"n": MAX_AUS})
        where = _("AU %(n)d") % {"n": number}
        au_id = self.iri(element.get("id"), where)
        where = _("AU %(n)d (%(id)s)") % {"n": number, "id": au_id}
        self.unique(au_id, where)
        for name in element.attrib:
            if not name.startswith("{") and name not in _AU_ATTRIBUTES:
                raise self.fail("unexpected_attribute", _(
                    "%(where)s: unknown attribute %(name)s (allowed: id, moveOn, "
                    "masteryScore, launchMethod, activityType).")
                    % {"where": where, "name": name})
        move_on = (element.get("moveOn") or "NotApplicable").strip()
        if move_on not in MOVE_ON:
            raise self.fail("bad_move_on", _("%(where)s: moveOn %(value)s is not one of "
                                             "%(allowed)s.")
                            % {"where": where, "value": move_on[:50],
                               "allowed": ", ".join(MOVE_ON)})
        launch_method = (element.get("launchMethod") or "AnyWindow").strip()
        if launch_method not in LAUNCH_METHODS:
            raise self.fail("bad_launch_method", _("%(where)s: launchMethod %(value)s is not "
                                                   "AnyWindow or OwnWindow.")
                            % {"where": where, "value": launch_method[:50]})
        activity_type = (element.get("activityType") or "").strip()
        if activity_type:
            self.iri(activity_type, where, "activityType")
        found: dict[str, list[Element]] = {}
        for name, child in self.children(element, _AU_ELEMENTS, where):
            found.setdefault(name, []).append(child)
        title = self.single(found, "title", where, required=True)
        description = self.single(found, "description", where, required=True)
        self.single(found, "objectives", where, required=False)
        url = self.single(found, "url", where, required=True)
        launch_parameters = self.single(found, "launchParameters", where, required=False)
        entitlement_key = self.single(found, "entitlementKey", where, required=False)
        self.aus.append(Au(
            publisher_id=au_id,
            title=self.langstrings(title, where, "title"),
            description=self.langstrings(description, where, "description"),
            url=self.url(_text(url) if url is not None else "", where),
            launch_method=launch_method,
            move_on=move_on,
            mastery_score=self.mastery_score(element.get("masteryScore"), where),
            launch_parameters=_text(launch_parameters) if launch_parameters is not None else "",
            entitlement_key=_text(entitlement_key) if entitlement_key is not None else "",
            activity_type=activity_type,
            block_ids=block_ids,
        ))

    def mastery_score(self, value: str | None, where: str) -> Decimal | None:
        if value is None or not value.strip():
            return None
        try:
            score = Decimal(value.strip())
        except InvalidOperation:
            score = None
        if (score is None or not score.is_finite() or not Decimal(0) <= score <= Decimal(1)
                or score.as_tuple().exponent < -4):  # type: ignore[operator]
            raise self.fail("bad_mastery_score", _(
                "%(where)s: masteryScore %(value)s must be a decimal between 0 and 1 with at "
                "most 4 decimal places.") % {"where": where, "value": value.strip()[:50]})
        return score

    def url(self, value: str, where: str) -> str:
        if not value:
            raise self.fail("missing_url", _("%(where)s: <url> is empty.") % {"where": where})
        if any(c.isspace() for c in value) or len(value) > 2000:
            raise self.fail("bad_url", _("%(where)s: url %(url)s is not a valid URL.")
                            % {"where": where, "url": value[:200]})
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
                raise self.fail("bad_url", _("%(where)s: url %(url)s must be an http or https "
                                             "address.") % {"where": where, "url": value[:200]})
            return value
        if self.members is None:
            raise self.fail("relative_url", _(
                "%(where)s: url %(url)s is relative, but a cmi5.xml uploaded without its "
                "ZIP package needs full addresses (https://…).")
                % {"where": where, "url": value[:200]})
        path = unquote(parts.path)
        normal = posixpath.normpath(path) if path else ""
        if not path or path.startswith("/") or normal.startswith("../") or normal == "..":
            raise self.fail("bad_url", _("%(where)s: url %(url)s must point to a file inside "
                                         "the package.") % {"where": where, "url": value[:200]})
        if normal not in self.members:
            raise self.fail("missing_file", _("%(where)s: url %(url)s names %(path)s, which is "
                                              "not in the package.")
                            % {"where": where, "url": value[:200], "path": normal})
        return value


def structure_parse(data: bytes, *, members: set[str] | None) -> Package:
    """Check a course structure document. ``members`` are the files of its ZIP package
    (relative AU URLs must name one of them); None for a bare cmi5.xml."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise PackageError("bad_xml", _("cmi5.xml declares a DTD or entities, which are "
                                        "not allowed.")) from None
    except ParseError as exc:
        raise PackageError("bad_xml", _("cmi5.xml is not well-formed XML: %(error)s")
                           % {"error": exc}) from None
    if root.tag != _q("courseStructure"):
        raise PackageError("not_cmi5", _(
            "cmi5.xml must have a <courseStructure> root element in the namespace %(ns)s; "
            "found %(tag)s.") % {"ns": NS, "tag": str(root.tag)[:200]})
    reader = _Reader(members)
    where = _("course structure")
    found = reader.items(root, {"course", "objectives", "au", "block"}, where, ())
    course = reader.single(found, "course", where, required=True)
    assert course is not None
    course_where = _("course")
    course_id = reader.iri(course.get("id"), course_where)
    reader.unique(course_id, course_where)
    course_found: dict[str, list[Element]] = {}
    for name, child in reader.children(course, {"title", "description"}, course_where):
        course_found.setdefault(name, []).append(child)
    title = reader.single(course_found, "title", course_where, required=True)
    description = reader.single(course_found, "description", course_where, required=True)
    objectives = reader.single(found, "objectives", where, required=False)
    if objectives is not None:
        for index, objective in enumerate(objectives.iter(_q("objective")), start=1):
            objective_where = _("objective %(n)d") % {"n": index}
            reader.unique(reader.iri(objective.get("id"), objective_where), objective_where)
    return Package(
        course_id=course_id,
        title=reader.langstrings(title, course_where, "title"),
        description=reader.langstrings(description, course_where, "description"),
        aus=reader.aus,
        blocks=reader.blocks,
    )

def langstring_pick(texts: dict[str, str], language: str) -> str:
    """The text of a langstring map best fitting ``language`` (then vi, en, any)."""
    if not texts:
        return ""
    lowered = {lang.lower(): text for lang, text in texts.items()}
    for wanted in (language.lower(), "vi", "en"):
        if wanted in lowered:
            return lowered[wanted]
        for lang, text in lowered.items():
            if lang.split("-")[0] == wanted.split("-")[0]:
                return text
    return next(iter(texts.values()))
