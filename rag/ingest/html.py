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
# Texinfo marks its definitions' "¶" anchors copiable-anchor (copiable-link since 7.0), its
# menus section-toc / mini-toc / menu, and its index pages' tables index-cp, index-fn…
_SKIP_CLASSES = {
    "navheader", "navfooter", "breadcrumbs", "skip-link", "toc", "list-of-tables", "headerlink",
    "copiable-anchor", "copiable-link", "section-toc", "mini-toc", "menu", "genindextable",
    "index-cp", "index-fn", "index-vr", "index-ky", "index-pg", "index-tp",
}  # fmt: skip
# A bar of links whose own words only label them ("Next: … Up: … [Index]" of Texinfo's
# pages, "Précédent | Suivant") moves between pages, whatever the class of its block.
_NAV_WORDS = {
    "next", "previous", "prev", "up", "home", "index", "contents", "top", "back", "forward",
    "suivant", "précédent", "precedent", "haut", "sommaire", "accueil", "retour",
    "siguiente", "anterior", "inicio", "arriba", "weiter", "zurück", "nach", "oben",
}  # fmt: skip
# Blocks that are mostly the text of links to the site's own pages are navigation whatever
# their class: Texinfo's "Next: … Up: … [Index]" bar and menus, an index page's entries.
_LINK_BLOCKS = {"p", "div", "ul", "ol", "dl", "table", "tr", "menu"}
_LINK_SHARE = 0.9
_MIN_LINKS = 2
_LETTERS = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
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
    classes = set((element.get("class") or "").lower().split())  # old DocBook: CLASS="TOC"
    return bool(classes & _SKIP_CLASSES) or (name in _LINK_BLOCKS and _mostly_links(element))


def _letters(element: Any) -> int:
    return len(_LETTERS.findall("".join(element.itertext())))


def _unlinked_text(element: Any) -> str:
    """The block's text outside its links."""
    parts = [element.text or ""] if _local(element.tag) != "a" else []
    for child in element:
        if _local(child.tag) != "a":
            parts.append(_unlinked_text(child))
        parts.append(child.tail or "")
    return " ".join(parts)


def _within_site(href: str | None) -> bool:
    # Navigation moves between the site's own pages; a list of references or footnotes that
    # are mostly link text points elsewhere, and is content.
    return href is not None and href != "" and ":" not in href.split("/", 1)[0]


def _mostly_links(element: Any) -> bool:
    """Whether most of the block's letters are link text (counted in letters, so the
    "Next:" and "|" around the links weigh little), and it holds no heading."""
    names = [(_local(e.tag), e) for e in element.iter()]
    links = [e for name, e in names if name == "a" and _within_site(e.get("href"))]
    # A section that is only its heading and a menu still has its heading to keep.
    if len(links) < _MIN_LINKS or any(name in _HEADINGS for name, _ in names):
        return False
    if set(_WORDS.findall(_unlinked_text(element).lower())) <= _NAV_WORDS:
        return True
    total = _letters(element)
    return total > 0 and sum(_letters(a) for a in links) >= _LINK_SHARE * total


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
