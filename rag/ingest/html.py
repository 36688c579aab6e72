"""HTML and XHTML to text as it reads: inline markup stays in its sentence, blocks end paragraphs."""

from __future__ import annotations

import re
from typing import Any

from rag.ingest.text import Extracted, TextBuilder, collapse

# Code and chrome, never content. DocBook wraps its previous/next links in navheader/navfooter.
_SKIP_TAGS = {
    "script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer",
    "button", "select", "iframe", "object", "map", "form",
}  # fmt: skip
# A table of contents repeats the headings as links: navigation, and one-line fragments.
# Sphinx and MkDocs end every heading with a "¶" permalink (class headerlink).
_SKIP_CLASSES = {
    "navheader", "navfooter", "breadcrumbs", "skip-link", "toc", "list-of-tables", "headerlink",
}  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "thead", "tbody",
    "tfoot", "caption", "blockquote", "section", "article", "main", "aside", "figure",
    "figcaption", "address", "details", "summary", "hr", "center", "fieldset", "legend",
    "body", "html", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
}  # fmt: skip
_CELLS = {"td", "th"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_XHTML = re.compile(r"^\s*(?:<\?xml|<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _parse(text: str) -> Any:
    """An lxml tree: XHTML through the XML parser (self-closing tags mean what they say),
    anything else, or XHTML that is not well-formed, through the forgiving HTML parser."""
    import lxml.etree
    import lxml.html

    if _XHTML.match(text):
        parser = lxml.etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
        )
        try:
            return lxml.etree.fromstring(text.encode("utf-8"), parser)
        except (lxml.etree.XMLSyntaxError, ValueError):
            pass
    # lxml refuses a str that declares its own encoding; the text is already decoded.
    text = _XML_DECLARATION.sub("", text, count=1)
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        return None


def _local(tag: Any) -> str:
    # Comments and processing instructions have a function as tag; XML tags carry a namespace.
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _skipped(element: Any, name: str) -> bool:
    if (
        name in _SKIP_TAGS
        or element.get("role") == "navigation"
        or element.get("hidden") is not None
    ):
        return True
    classes = set((element.get("class") or "").split())
    return bool(classes & _SKIP_CLASSES)


def _visible_text(element: Any) -> str:
    """The element's text without its skipped children (a heading's "¶" permalink)."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name and not _skipped(child, name):
            parts.append(_visible_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Walker:
    def __init__(self) -> None:
        self.out = TextBuilder()
        self.inline: list[str] = []

    def flush(self) -> None:
        self.out.paragraph(collapse("".join(self.inline)))
        self.inline = []

    def walk(self, element: Any) -> None:
        name = _local(element.tag)
        if not name:  # a comment: only its tail is text
            self.inline.append(element.tail or "")
            return
        if _skipped(element, name):
            self.inline.append(element.tail or "")
            return
        if name == "pre":
            self.flush()
            self.out.paragraph("".join(element.itertext()), verbatim=True)
        elif name in _HEADINGS:
            self.flush()
            heading = collapse(_visible_text(element))
            self.out.heading(_HEADINGS[name], heading)
            self.out.paragraph(heading)
        elif name == "br":
            self.inline.append(" ")
        elif name in _CELLS and _local(getattr(element.getprevious(), "tag", None)) in _CELLS:
            # A table row reads as one line, its cells apart: "Paquet | Architecture".
            self.inline.append(" | ")
            self._inline_children(element)
        elif name == "img":
            pass  # alt text of an image in running text is not a sentence of it
        else:
            block = name in _BLOCK_TAGS
            if block:
                self.flush()
            self._inline_children(element)
            if block:
                self.flush()
        self.inline.append(element.tail or "")

    def _inline_children(self, element: Any) -> None:
        self.inline.append(element.text or "")
        for child in element:
            self.walk(child)


def _title(root: Any) -> str | None:
    for element in root.iter():
        if _local(element.tag) == "title":
            return collapse("".join(element.itertext())) or None
    return None


def read_html(text: str) -> Extracted:
    root = _parse(text)
    if root is None:
        return Extracted("", None)
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    extracted = walker.out.build(_title(root))
    return extracted
