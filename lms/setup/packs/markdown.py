"""A lesson's Markdown as the lesson StreamField's blocks: text (rich text HTML), callouts
(``> [!TIP] Title``), tables and images standing alone in their paragraph. Rendered with
markdown-it-py (CommonMark plus tables; raw HTML in the source is escaped, not passed)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.html import strip_tags
from markdown_it import MarkdownIt
from markdown_it.token import Token

CALLOUT_KINDS = {"TIP": "tip", "NOTE": "info", "WARNING": "warning", "EXAMPLE": "example",
                 "STEPS": "steps"}
_md = MarkdownIt("commonmark", {"html": False}).enable("table")
_CALLOUT = re.compile(r"^\s*>\s?\[!(\w+)\][ \t]*(.*)$")
_QUOTE = re.compile(r"^\s*>\s?")
_HEADING = re.compile(r"<(/?)h([1-6])>")


@dataclass(frozen=True)
class ImageRef:
    """An image of the pack, turned into a Wagtail image when the pack is written."""

    path: Path
    alt: str


def _headings(markup: str) -> str:
    """Headings at levels 2 and 3 only (the page title is the h1)."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(max(int(m.group(2)), 2), 3)}>", markup)


def render(source: str) -> str:
    return _headings(_md.render(source)).strip()


def _inline_text(source: str) -> str:
    return html.unescape(strip_tags(_md.renderInline(source))).strip()


def inline_html(source: str) -> str:
    """One paragraph of Markdown (a question's prompt) as HTML."""
    return f"<p>{_md.renderInline(source).strip()}</p>"


def _top_blocks(tokens: list[Token]) -> list[tuple[Token, list[Token]]]:
    """Top-level blocks: each opening (or self-contained) token with its inner tokens."""
    blocks: list[tuple[Token, list[Token]]] = []
    depth = 0
    for token in tokens:
        if depth == 0:
            blocks.append((token, []))
        else:
            blocks[-1][1].append(token)
        depth += token.nesting
    return blocks


def _lone_image(inner: list[Token]) -> Token | None:
    inline = next((t for t in inner if t.type == "inline"), None)
    if inline is None or not inline.children:
        return None
    parts = [c for c in inline.children if c.type not in ("softbreak",)
             and not (c.type == "text" and not c.content.strip())]
    return parts[0] if len(parts) == 1 and parts[0].type == "image" else None


def _table(inner: list[Token]) -> dict[str, Any]:
    rows: list[list[str]] = []
    for token in inner:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            rows[-1].append(_inline_text(token.content))
    return {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False,
            "table_caption": ""}


def markdown_blocks(source: str, *, file: Path,
                    first_line: int = 0) -> tuple[list[tuple[str, Any]], list[str]]:
    """The blocks of a lesson body and the problems found ("line N: ...", N counted in the
    file, whose body starts after ``first_line`` lines of front matter). Image paths are
    relative to ``file``."""
    lines = source.splitlines()
    tokens = _md.parse(source)
    blocks: list[tuple[str, Any]] = []
    problems: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        text = "\n".join(pending).strip()
        if text:
            blocks.append(("text", render(text)))
        pending.clear()

    for opening, inner in _top_blocks(tokens):
        start, end = opening.map or (0, 0)
        chunk = lines[start:end]
        if opening.type == "blockquote_open" and chunk and _CALLOUT.match(chunk[0]):
            match = _CALLOUT.match(chunk[0])
            assert match is not None
            kind = CALLOUT_KINDS.get(match.group(1).upper())
            if kind is None:
                problems.append(f"line {start + 1 + first_line}: unknown callout "
                                f"[!{match.group(1)}] (use {', '.join(CALLOUT_KINDS)})")
                continue
            body = "\n".join(_QUOTE.sub("", line, count=1) for line in chunk[1:])
            flush()
            blocks.append(("callout", {"kind": kind, "title": _inline_text(match.group(2)),
                                       "body": render(body)}))
        elif opening.type == "paragraph_open" and (image := _lone_image(inner)) is not None:
            src, alt = image.attrGet("src") or "", image.content.strip()
            path = (file.parent / str(src)).resolve()
            if not alt:
                problems.append(f"line {start + 1 + first_line}: the image {src} needs alt text")
            elif not path.is_file():
                problems.append(f"line {start + 1 + first_line}: image file {src} not found")
            else:
                flush()
                blocks.append(("image", ImageRef(path=path, alt=alt)))
        elif opening.type == "table_open":
            flush()
            blocks.append(("table", _table(inner)))
        else:
            if any(t.type == "image" for i in inner if i.children for t in i.children):
                problems.append(f"line {start + 1 + first_line}: an image must stand alone in "
                                "its paragraph")
            pending.extend([*chunk, ""])
    flush()
    return blocks, problems
