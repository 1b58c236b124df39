"""Every piece of text a template shows is marked for translation.

Django's own template lexer splits each of our templates into tags, variables, comments
and text; text outside ``{% blocktranslate %}`` (and outside ``<script>``/``<style>``)
must hold no words, and neither may the attributes people read (``alt``, ``title``,
``placeholder``, ``aria-label``, ``label``). A new template with a bare English
sentence fails here, naming the file, the line and the words."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(
    path for path in ROOT.glob("*/**/templates/**/*")
    if path.suffix in {".html", ".txt"} and ".venv" not in path.parts
    and "node_modules" not in path.parts
)
# Shown as they are in every language: the brand, and each language's own name on the
# language switch.
ALLOWED = ("HọcSố", "English", "Tiếng Việt")
CODE = {"script", "style", "code", "kbd", "samp", "pre"}  # code is not translated
ACRONYM = re.compile(r"\b[A-Z0-9]{2,6}\b")  # JSON, XLSX, CSV, PDF: the same in both
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "label"}
WORD = re.compile(r"[^\W\d_]{2,}")
PLACEHOLDER = "\x00"  # stands for a tag or a variable inside a text run


class _Text(HTMLParser):
    """Collects the words of an HTML fragment outside scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in CODE:
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in CODE and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._check(data)

    def _check(self, text: str) -> None:
        self.found.extend(_wordy(text))


def _wordy(text: str) -> list[str]:
    """The runs of ``text`` (split at tags and variables) that hold words to translate."""
    found = []
    for piece in text.split(PLACEHOLDER):
        piece = " ".join(piece.split())
        bare = ACRONYM.sub(" ", piece)
        for name in ALLOWED:
            bare = bare.replace(name, " ")
        if WORD.search(bare):
            found.append(piece)
    return found


OPENERS = {"blocktranslate": "translate", "blocktrans": "translate", "comment": "comment",
           "verbatim": "verbatim"}
CLOSERS = {"endblocktranslate": "translate", "endblocktrans": "translate",
           "endcomment": "comment", "endverbatim": "verbatim"}


def unmarked_text(source: str, *, is_html: bool = True) -> list[tuple[int, str]]:
    """(line, text) of every run of words in ``source`` not inside a translation tag."""
    depth = dict.fromkeys(OPENERS.values(), 0)
    parts: list[str] = []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.strip() else ""
            if name in OPENERS:
                depth[OPENERS[name]] += 1
            elif name in CLOSERS:
                depth[CLOSERS[name]] = max(0, depth[CLOSERS[name]] - 1)
            parts.append(PLACEHOLDER)
        elif token.token_type != TokenType.TEXT or any(depth.values()):
            parts.append(PLACEHOLDER)
        else:
            parts.append(token.contents)
    text = "".join(parts)
    if is_html:
        parser = _Text()
        parser.feed(text)
        parser.close()
        pieces = parser.found
    else:
        pieces = _wordy(text)
    return [(_line_of(source, piece), piece) for piece in pieces]


def _line_of(source: str, piece: str) -> int:
    at = source.find(piece.split()[0])
    return source.count("\n", 0, at) + 1 if at >= 0 else 0


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_template_string_is_marked_for_translation(path: Path):
    found = unmarked_text(path.read_text(encoding="utf-8"), is_html=path.suffix == ".html")
    assert found == [], f"{path.relative_to(ROOT)}: text not marked for translation: {found}"


@pytest.mark.parametrize("source, expected", [
    ("<p>Hello there</p>", ["Hello there"]),
    ('<img src="x.png" alt="A chart">', ["A chart"]),
    ("{% load i18n %}<p>{% translate 'Hello' %}</p>", []),
    ("<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>", []),
    ("<p>{{ page.title }} · 42%</p>", []),
    ("<script>const x = 'words here';</script>", []),
    ("<p>{# a comment #}</p>{% comment %}not shown{% endcomment %}", []),
    ("<p>{{ n }} steps</p>", ["steps"]),
    ("<title>{% block title %}{% endblock %} · HọcSố</title><p>PDF · CSV</p>", []),
    ("<p><code>GET /api/v1/?agency=</code></p>", []),
    ("{% translate 'Hi' %} {{ name }}, see you", [", see you"]),
])
def test_the_check_finds_bare_words_and_passes_marked_ones(source, expected):
    assert [text for _, text in unmarked_text(source)] == expected
