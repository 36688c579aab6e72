"""PNG, JPEG and TIFF images (photos and scans of pages) read by OCR; each TIFF frame a page."""

from __future__ import annotations

import io

from rag.ingest.ocr import OCR_DPI, ocr_lines, tesseract
from rag.ingest.text import Extracted, TextBuilder, UnreadableFile


def _paragraphs(lines: list[str]) -> list[str]:
    """Tesseract leaves a blank line between the blocks it finds: those are the paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return ["\n".join(p) for p in paragraphs if p]


def read_image(data: bytes) -> Extracted:
    from PIL import Image, ImageSequence

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as error:  # PIL raises OSError, ValueError, DecompressionBombError…
        raise UnreadableFile(f"unreadable image ({type(error).__name__})") from error
    if tesseract() is None:
        raise UnreadableFile("an image is read by OCR; install tesseract-ocr to read it")
    dpi = image.info.get("dpi", (OCR_DPI, OCR_DPI))[0]
    builder = TextBuilder()
    frames = 0
    for frame in ImageSequence.Iterator(image):
        frames += 1
        builder.page()
        for paragraph in _paragraphs(ocr_lines(frame, int(dpi) or OCR_DPI)):
            builder.paragraph(paragraph)
    built = builder.build(None)
    if not built.text.strip():
        raise UnreadableFile("no text found in the image (OCR read nothing)")
    first = next((line[:120] for line in built.text.splitlines() if line.strip()), None)
    pages = tuple(range(1, frames + 1))
    return Extracted(built.text, first, built.pages, (), (), ocr_pages=pages)
