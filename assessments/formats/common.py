"""What the format readers produce and the text helpers they share.

A reader turns a file into ``QuestionData`` (one per question it understood) and
``Problem`` entries (one per question it could not take, with the line it starts on), so
that an import reports everything it left out instead of dropping it silently. These
classes know nothing of the database: ``assessments.banks`` turns them into questions."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field

import nh3
from django.utils.functional import Promise

# Tags kept in question texts; everything else is unwrapped (its text kept), and
# <script>/<style> go with their content. Images are not kept inline: a question has one
# image of its own, imported beside the text.
ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "code", "pre", "sub",
    "sup", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "span", "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class OptionData:
    """An option as ``QuestionOption`` stores it (see its docstring for each kind)."""

    text: str
    match: str = ""
    fraction: float = 0.0
    tolerance: float | None = None
    feedback: str = ""


@dataclass
class QuestionData:
    """A question read from a file, before it is validated and saved."""

    kind: str
    name: str
    prompt_html: str
    options: list[OptionData] = field(default_factory=list)
    competency: str = ""
    difficulty: int = 2
    default_mark: float = 1.0
    shuffle_options: bool = True
    case_sensitive: bool = False
    feedback_correct: str = ""
    feedback_partial: str = ""
    feedback_wrong: str = ""
    explanation: str = ""
    uid: str | None = None  # the Moodle idnumber when it is a UUID
    source_id: str = ""  # the Moodle idnumber as written, whatever it is
    image: tuple[str, bytes] | None = None  # (file name, content)
    category: str | None = None
    active: bool = True
    line: int = 0


@dataclass
class Problem:
    """Why a question (starting at ``line``) was not imported, or, when ``warning`` is
    set, something about an imported question that did not carry over."""

    line: int
    reason: str | Promise
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.line}: {self.reason}"


@dataclass
class ParseResult:
    questions: list[QuestionData] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # not questions (descriptions)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    # links to files of the source LMS (@@PLUGINFILE@@/...) lead nowhere here
    if attribute == "href" and "@@PLUGINFILE@@" in value:
        return None
    return value


EMPTY_PARAGRAPH = re.compile(r"<p>(\s|&nbsp;|<br>)*</p>")
BLOCK_START = re.compile(r"^<(p|ul|ol|pre|table|h3|h4)[\s>]")


def sanitize_html(text: str) -> str:
    """The HTML of a question text reduced to the tags a question may hold; text that
    does not start with a block (a paragraph, a list…) is wrapped in a paragraph."""
    cleaned = nh3.clean(
        text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel=None, strip_comments=True, attribute_filter=_keep_attribute,
        clean_content_tags={"script", "style"},
    )
    cleaned = EMPTY_PARAGRAPH.sub("", cleaned).strip()
    if cleaned and not BLOCK_START.match(cleaned):
        cleaned = f"<p>{cleaned}</p>"
    return cleaned


def plain_to_html(text: str) -> str:
    """Plain text as HTML: escaped, paragraphs at blank lines, other line breaks kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = re.split(r"\n\s*\n", text)
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=False) for line in part.split("\n")) + "</p>"
        for part in paragraphs
    )


def moodle_auto_to_html(text: str) -> str:
    """Moodle's own "auto-format": HTML allowed, line breaks kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = re.split(r"\n\s*\n", text)
    return sanitize_html("".join(
        "<p>" + "<br>".join(part.split("\n")) + "</p>" for part in paragraphs))


_MD_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), lambda m: f"<strong>{m[1] or m[2]}</strong>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)\*|(?<!\w)_(?!\s)(.+?)_(?!\w)"),
     lambda m: f"<em>{m[1] or m[2]}</em>"),
    (re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)"), r'<a href="\2">\1</a>'),
]
_MD_BULLET = re.compile(r"^\s*[-*+]\s+")
_MD_NUMBER = re.compile(r"^\s*\d+[.)]\s+")


def markdown_to_html(text: str) -> str:
    """The small part of Markdown question texts use: paragraphs, bullet and numbered
    lists, headings, bold, italics, code and links."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = []
    for part in re.split(r"\n\s*\n", text):
        lines = [html.escape(line, quote=False) for line in part.split("\n")]
        for pattern, repl in _MD_INLINE:
            lines = [pattern.sub(repl, line) for line in lines]
        if all(_MD_BULLET.match(line) for line in lines):
            items = "".join("<li>" + _MD_BULLET.sub("", line) + "</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif all(_MD_NUMBER.match(line) for line in lines):
            items = "".join("<li>" + _MD_NUMBER.sub("", line) + "</li>" for line in lines)
            blocks.append(f"<ol>{items}</ol>")
        elif len(lines) == 1 and (heading := re.match(r"(#{1,6})\s+(.*)", lines[0])):
            level = 3 if len(heading[1]) <= 3 else 4
            blocks.append(f"<h{level}>{heading[2]}</h{level}>")
        else:
            blocks.append("<p>" + "<br>".join(lines) + "</p>")
    return sanitize_html("".join(blocks))


def text_to_html(text: str, text_format: str) -> str:
    """A text in one of Moodle's formats (``html``, ``moodle_auto_format``,
    ``plain_text``, ``markdown``) as sanitized HTML."""
    if text_format == "plain_text":
        return plain_to_html(text)
    if text_format == "markdown":
        return markdown_to_html(text)
    if text_format == "moodle_auto_format":
        return moodle_auto_to_html(text)
    return sanitize_html(text)


_BLOCK_END = re.compile(r"<br\s*/?>|</(p|div|li|tr|h\d|pre|table)>", re.IGNORECASE)


def html_to_text(text: str, *, keep_lines: bool = False) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, white space collapsed;
    paragraphs and line breaks stay apart (as new lines when ``keep_lines``)."""
    text = _BLOCK_END.sub(lambda m: m[0] + ("\n" if keep_lines else " "), text or "")
    bare = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
    if keep_lines:
        lines = (" ".join(line.split()) for line in bare.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return " ".join(bare.split())


def text_from(text: str, text_format: str, *, keep_lines: bool = False) -> str:
    """A text in one of Moodle's formats as plain text (for options and feedback)."""
    if text_format in ("plain_text", "markdown"):
        if keep_lines:
            return "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))
        return " ".join(text.split())
    return html_to_text(text, keep_lines=keep_lines)


def feedback_to_html(text: str) -> str:
    """A plain-text feedback as HTML for an export."""
    return plain_to_html(text)


def number(text: str) -> float | None:
    """A number written in a question file ("3.14", "-2", "1e3"), or None."""
    try:
        value = float(text.strip())
    except (ValueError, AttributeError):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return value


DIFFICULTIES = {"easy": 1, "medium": 2, "hard": 3, "1": 1, "2": 2, "3": 3,
                "dễ": 1, "trung bình": 2, "khó": 3}
DIFFICULTY_NAMES = {1: "easy", 2: "medium", 3: "hard"}
CATEGORY_PREFIX = re.compile(r"^\$(course|system|module|cat\d*)\$/(top/)?|^top/")


def apply_tag(question: QuestionData, tag: str) -> None:
    """Read a tag of the source LMS: ``competency:1.2`` and ``difficulty:easy|medium|hard``
    set those fields; other tags are not kept."""
    key, _sep, value = tag.partition(":")
    key, value = key.strip().lower(), value.strip()
    if key == "competency" and value:
        question.competency = value[:64]
    elif key == "difficulty" and value.lower() in DIFFICULTIES:
        question.difficulty = DIFFICULTIES[value.lower()]


def category_name(path: str) -> str:
    """A Moodle category path without its context prefix ("$course$/top/")."""
    return CATEGORY_PREFIX.sub("", path.strip()).strip("/")


def uid_of(idnumber: str) -> str | None:
    """The idnumber as a question uid when it is a UUID."""
    try:
        return str(uuid.UUID(idnumber)) if idnumber else None
    except ValueError:
        return None


IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_EXTENSIONS)
