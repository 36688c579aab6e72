"""EPUB: the spine's XHTML chapters in reading order, each through the HTML reader; the
chapter is the locator ("chapter 3") and its headings the sections.

Read with zipfile and lxml: llama-index-readers-file's EpubReader needs ebooklib and
html2text, and returns one flat text per book, without chapters or headings."""

from __future__ import annotations

import posixpath
from typing import Any

from rag.ingest.html import read_html
from rag.ingest.office import open_package
from rag.ingest.text import Extracted, TextBuilder, UnreadableFile

_CONTAINER = "META-INF/container.xml"


def _xml(package: Any, name: str) -> Any:
    import lxml.etree

    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return lxml.etree.fromstring(package.read(name), parser)
    except (KeyError, lxml.etree.XMLSyntaxError) as error:
        raise UnreadableFile(f"malformed EPUB ({name} missing or unreadable)") from error


def _by_local_name(root: Any, name: str) -> list[Any]:
    return [e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == name]


def _spine(package: Any) -> tuple[list[str], str | None]:
    """The chapter files in reading order, and the book's title."""
    rootfiles = _by_local_name(_xml(package, _CONTAINER), "rootfile")
    if not rootfiles:
        raise UnreadableFile("malformed EPUB (no package document)")
    opf_name = rootfiles[0].get("full-path", "")
    opf = _xml(package, opf_name)
    folder = posixpath.dirname(opf_name)
    items = {
        item.get("id"): posixpath.normpath(posixpath.join(folder, item.get("href", "")))
        for item in _by_local_name(opf, "item")
    }
    chapters = [items[ref.get("idref")] for ref in _by_local_name(opf, "itemref")]
    titles = [t.text for t in _by_local_name(opf, "title") if t.text and t.text.strip()]
    return [c for c in chapters if c], (titles[0].strip() if titles else None)


def read_epub(data: bytes) -> Extracted:
    package = open_package(data, "EPUB")
    chapters, title = _spine(package)
    builder = TextBuilder()
    for name in chapters:
        try:
            chapter = read_html(package.read(name).decode("utf-8", "replace"))
        except KeyError:
            continue  # a spine entry the zip lacks: the other chapters still read
        if not chapter.text.strip():
            continue  # a cover image or an empty page is not a chapter
        builder.page()
        if not chapter.sections and chapter.title:
            builder.heading(1, chapter.title)
        builder.extend(chapter)
    built = builder.build(title)
    return Extracted(
        built.text, built.title, built.pages, built.sections, built.verbatim, "chapter"
    )
