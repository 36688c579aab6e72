"""PDF to text through PDFium: words with their spaces, a page map, the outline as sections."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Any

from rag.ingest.ocr import OCR_DPI, OcrPool, no_text_layer_reason, tesseract
from rag.ingest.pdf_kerning import restore_kerning
from rag.ingest.text import Extracted, TextBuilder, UnreadableFile, collapse

# PDFium marks a hyphen it found at a line end (LaTeX hyphenation) as U+FFFE; soft hyphens do
# the same job. The word continues on the next line: join the halves.
_HYPHENATED = re.compile(r"[\ufffe\u00ad]\s*\n\s*")
_STRAY_MARKS = re.compile(r"[\ufffe\u00ad\x02]")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of|sur)\s*\d+)?$", re.I
)
_DIGITS = re.compile(r"\d+")
# Running headers and footers sit in a page's first and last lines.
_EDGE_LINES = 2
_HEAD_WORDS = 2
# A line this much shorter than the page's usual line ends its paragraph (headings, the last
# line of a paragraph before the next one starts).
_SHORT_LINE = 0.6
_LEADER = re.compile(r"(?:\.\s*){4,}\d+$")
_CONTENTS_LEADERS = 5
_HAS_WORD = re.compile(r"\w")
# PDF has no <pre>: a listing (XML, C, a shell session) is told by its lines. Two or more in
# a row are kept as one verbatim block, so the sentence splitter never cuts "<?xml …?>" at "?".
_CODE_START = ("{", "}", "#include", "#define", "$ ", "// ", "/*")
_CODE_END = ("{", "}", "*/")
# A statement's ";" follows code ("x = f(y);"); French prose puts a space before its ";".
_STATEMENT = re.compile(r"[=(].*\S;$")
_MARKUP = re.compile(r"^<[^>]*>.*>$|^<[!?/\w][^>]*>?$")
_CODE_SYMBOLS = frozenset("<>{}[]()=;\\|&$#*")
_CODE_SYMBOL_SHARE = 0.15
_CODE_MIN_LINES = 2


def _page_lines(textpage: Any) -> list[str]:
    text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
    text = _STRAY_MARKS.sub("", _HYPHENATED.sub("", text))
    return [line.strip() for line in text.split("\n")]


def _edge_key(line: str) -> str:
    # Running headers repeat with a changing page number: compare them without digits.
    return _DIGITS.sub("#", collapse(line).lower())


def _head_key(line: str) -> str:
    """A running head's first words ("chapitre #."): LaTeX heads name the current section,
    so only their start repeats on every page."""
    return "\0" + " ".join(_edge_key(line).split()[:_HEAD_WORDS])


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of edge lines repeated on at least half of the pages (when there are 4 or more)."""
    if len(pages) < 4:
        return set()
    seen: Counter[str] = Counter()
    upper: set[str] = set()
    for lines in pages:
        content = [line for line in lines if line]
        edges = content[:_EDGE_LINES] + content[-_EDGE_LINES:]
        keys = {_edge_key(line) for line in edges}
        if content:
            keys |= {_head_key(content[0]), _head_key(content[-1])}
        seen.update(keys)
        upper.update(_edge_key(line) for line in edges if line.isupper())
    # An all-capitals edge line (LaTeX's running head style) needs to repeat only 3 times.
    return {
        key
        for key, count in seen.items()
        if count >= max(3, len(pages) // 2) or (key in upper and count >= 3)
    }


def _is_running(line: str, running: set[str], outermost: bool) -> bool:
    if _edge_key(line) in running or _PAGE_NUMBER.match(line):
        return True
    return outermost and _head_key(line) in running


def _strip_edges(lines: list[str], running: set[str]) -> list[str]:
    content = [line for line in lines if line]
    for depth in range(_EDGE_LINES + 1):
        if content and _is_running(content[0], running, depth == 0):
            content.pop(0)
    for depth in range(_EDGE_LINES + 1):
        if content and _is_running(content[-1], running, depth == 0):
            content.pop()
    return content


def _is_contents_page(lines: list[str]) -> bool:
    """A table of contents (or list of figures): many lines end in a dot leader and a page
    number. It only repeats the headings, and its leader lines read as nonsense sentences."""
    return sum(bool(_LEADER.search(line)) for line in lines) >= _CONTENTS_LEADERS


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines regrouped into paragraphs: PDFium gives lines only; a short line ends one."""
    if not lines:
        return []
    usual = statistics.median(len(line) for line in lines)
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        paragraphs[-1].append(line)
        if len(line) < _SHORT_LINE * usual:
            paragraphs.append([])
    return ["\n".join(p) for p in paragraphs if p]


def _code_line(line: str) -> bool:
    squeezed = "".join(line.split())
    if not squeezed:
        return False
    stripped = line.strip()
    if stripped.startswith(_CODE_START) or stripped.endswith(_CODE_END):
        return True
    if _MARKUP.match(stripped) or _STATEMENT.search(stripped):
        return True
    return sum(ch in _CODE_SYMBOLS for ch in squeezed) >= _CODE_SYMBOL_SHARE * len(squeezed)


def _blocks(lines: list[str]) -> list[tuple[str, bool]]:
    """The page's paragraphs, each with whether it is a code listing (kept verbatim)."""
    blocks: list[tuple[str, bool]] = []
    prose: list[str] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and _code_line(lines[end]):
            end += 1
        if end - index >= _CODE_MIN_LINES:
            blocks += [(paragraph, False) for paragraph in _paragraphs(prose)]
            blocks.append(("\n".join(lines[index:end]), True))
            prose = []
            index = end
        else:
            prose.append(lines[index])
            index += 1
    blocks += [(paragraph, False) for paragraph in _paragraphs(prose)]
    return blocks


def _outline(pdf: Any) -> list[tuple[int, str, int]]:
    """(level, title, 0-based page) of each bookmark; pypdfium2 4 and 5 spell them differently."""
    items = []
    try:
        for item in pdf.get_toc():
            title = item.get_title() if hasattr(item, "get_title") else getattr(item, "title", "")
            if hasattr(item, "get_dest"):
                dest = item.get_dest()
                index = dest.get_index() if dest is not None else None
            else:
                index = getattr(item, "page_index", None)
            if title and index is not None:
                items.append((int(item.level), str(title), int(index)))
    except Exception:  # a damaged outline costs the sections, not the text
        return []
    return items


def _heading_offset(text: str, page_start: int, page_end: int, title: str) -> int:
    """Where a bookmark's title is printed on its page (its first words), else the page start."""
    words = collapse(title).split()[:6]
    if words:
        # Outlines spell apostrophes straight where the page prints them curly.
        pattern = r"\s+".join(re.escape(w).replace("'", "['’]") for w in words)
        found = re.compile(pattern).search(text, page_start, page_end)
        if found:
            return found.start()
    return page_start


def read_pdf(data: bytes, mend_kerning: bool = True) -> Extracted:
    """``mend_kerning=False`` reads PDFium's text as is (the benchmark's "before")."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(restore_kerning(data) if mend_kerning else data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise UnreadableFile("encrypted PDF (needs a password)") from error
        raise UnreadableFile(f"malformed PDF ({error})") from error
    try:
        pages: list[list[str]] = []
        # Pages without a text layer (scans) are rendered and read by Tesseract; without it
        # they stay empty and are reported.
        pool = OcrPool() if tesseract() is not None else None
        unread: list[int] = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            lines = _page_lines(textpage)
            textpage.close()
            if not any(_HAS_WORD.search(line) for line in lines):
                if pool is None:
                    unread.append(index + 1)
                else:
                    pool.submit(index, page.render(scale=OCR_DPI / 72, grayscale=True).to_pil())
            pages.append(lines)
            page.close()
        ocr_pages: list[int] = []
        for index, scanned in sorted((pool.results() if pool else {}).items()):
            if scanned is None:
                unread.append(index + 1)
            else:
                pages[index] = scanned
                ocr_pages.append(index + 1)
        unread.sort()
        outline = _outline(pdf)
        try:
            title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        except Exception:
            title = None
    except pdfium.PdfiumError as error:
        raise UnreadableFile(f"malformed PDF ({error})") from error
    finally:
        pdf.close()
    running = _running_lines(pages)
    builder = TextBuilder()
    for lines in pages:
        builder.page()
        if _is_contents_page(lines):
            continue
        for paragraph, code in _blocks(_strip_edges(lines, running)):
            builder.paragraph(paragraph, verbatim=code)
    built = builder.build(None)
    if not built.text.strip() and unread:
        raise UnreadableFile(no_text_layer_reason(len(unread)))
    if not built.text.strip() and ocr_pages:
        raise UnreadableFile(f"no text found: OCR read nothing on {len(ocr_pages)} scanned pages")
    starts = [*built.pages, len(built.text)]
    for level, heading, index in outline:
        if 0 <= index < len(built.pages):
            at = _heading_offset(built.text, starts[index], starts[index + 1], heading)
            builder.heading(level, heading, at)
    sections = sorted(builder.sections, key=lambda s: s[0])
    first_line = next((line for line in built.text.splitlines() if line.strip()), None)
    return Extracted(
        built.text,
        title or first_line,
        built.pages,
        tuple(sections),
        built.verbatim,
        ocr_pages=tuple(ocr_pages),
        unread_pages=tuple(unread),
    )
