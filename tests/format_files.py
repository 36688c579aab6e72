"""Real files of every format the readers take, written in the test with Python libraries."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf(contents: list[bytes]) -> bytes:
    """A PDF of one page per content stream, drawn in Helvetica (Windows-1252) as /F1."""
    count = len(contents)
    font = 3 + 2 * count
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count)), count),
    ]
    for i, content in enumerate(contents):
        stream = zlib.compress(content)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def text_pdf(pages: list[list[str]], size: int = 14) -> bytes:
    """A PDF with a text layer, one page per item (Helvetica, Windows-1252: French accents)."""
    contents = []
    for lines in pages:
        drawn = f" 0 -{size + 6} Td ".join(f"({_escaped(line)}) Tj" for line in lines)
        contents.append(f"BT /F1 {size} Tf 60 740 Td {drawn} ET".encode("cp1252"))
    return _pdf(contents)


def groff_pdf(pages: list[list[str]], size: int = 10, reposition: bool = False) -> bytes:
    """A PDF whose words are drawn as groff draws them: no space characters, each word its own
    TJ array ending in the gap to the next word and an empty string ("[(the) -278 ()] TJ").
    With ``reposition`` each word is then placed by a Td, as Apache FOP places its runs."""
    gap = 278  # Helvetica's space, in thousandths of the font size
    contents = []
    for lines in pages:
        drawn = []
        for line in lines:
            words = line.split()
            moved = 0.0
            for word in words[:-1]:
                drawn.append(f"[({_escaped(word)}) -{gap} ()] TJ")
                if reposition:  # 0.6 em a letter: wider than Helvetica's, so words never touch
                    advance = (len(word) * 600 + gap) * size / 1000
                    drawn.append(f"{advance:.2f} 0 Td")
                    moved += advance
            drawn.append(f"[({_escaped(words[-1])})] TJ {-moved:.2f} -{size + 4} Td")
        contents.append(f"BT /F1 {size} Tf 60 740 Td {' '.join(drawn)} ET".encode("cp1252"))
    return _pdf(contents)


def page_images(pdf: bytes, dpi: int = 200) -> list:
    """Each page of ``pdf`` rendered by PDFium as a PIL image (what a scanner gives)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images = [
        document[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(document))
    ]
    document.close()
    return images


def image_pdf(images: list, dpi: int = 200) -> bytes:
    """An image-only PDF (no text layer), as a scanner writes it."""
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def merged_pdf(parts: list[bytes]) -> bytes:
    """The pages of each PDF in turn, in one file (a text PDF with a scanned page inserted)."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for part in parts:
        source = pdfium.PdfDocument(part)
        merged.import_pages(source)
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


def png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(200, 200))
    return out.getvalue()


def write_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Guide des paquets"
    document.add_heading("Installation", level=1)
    document.add_paragraph("Le paquet se construit avec dpkg-buildpackage.")
    document.add_paragraph("Installer les dépendances", style="List Bullet")
    document.add_paragraph("Lancer la construction", style="List Number")
    document.add_heading("Versions", level=2)
    table = document.add_table(rows=3, cols=2)
    rows = [("Paquet", "Version"), ("hello", "2.10"), ("bash", "5.2")]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("La table ci-dessus liste les versions publiées.")
    document.save(str(path))


def write_pptx(path: Path) -> None:
    import pptx

    deck = pptx.Presentation()
    for title, body, notes in [
        ("Bienvenue", "Présentation du projet Debian.", "Saluer le public."),
        ("Calendrier", "Le gel des paquets commence en janvier.", "Insister sur la date du gel."),
    ]:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        slide.notes_slide.notes_text_frame.text = notes
    deck.save(str(path))


_XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
    "<head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"
)


def write_epub(path: Path, chapters: list[tuple[str, str]]) -> None:
    """An EPUB 3 package: mimetype first and stored, container, OPF with a spine, XHTML files."""
    items = "".join(
        f'<item id="c{i}" href="text/c{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(len(chapters))
    )
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Le livre</dc:title>'
        f"</metadata><manifest>{items}</manifest><spine>{spine}</spine></package>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        book.writestr("OEBPS/content.opf", opf)
        for i, (title, body) in enumerate(chapters):
            book.writestr(f"OEBPS/text/c{i}.xhtml", _XHTML.format(title=title, body=body))


def write_odt(path: Path) -> None:
    """An OpenDocument text as LibreOffice writes it: heading, paragraph with spans, list, table."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">'
        "<office:body><office:text>"
        '<text:h text:outline-level="1">Réseau</text:h>'
        "<text:p>La commande <text:span>ip addr</text:span> affiche<text:s/>les adresses.</text:p>"
        "<text:list><text:list-item><text:p>Vérifier le câble</text:p></text:list-item></text:list>"
        "<table:table><table:table-row><table:table-cell><text:p>Port</text:p></table:table-cell>"
        "<table:table-cell><text:p>22</text:p></table:table-cell></table:table-row></table:table>"
        "</office:text></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        package.writestr("content.xml", content)
        package.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/></manifest:manifest>',
        )


def write_xlsx(path: Path, rows: int = 3) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Ventes")
    sheet.append(["Région", "Mois", "Montant"])
    for i in range(rows):
        sheet.append([f"Région {i + 1}", "mars", 1000 + i])
    other = workbook.create_sheet("Notes")
    other.append(["Sujet", "Remarque"])
    other.append(["audit", "Le stock de Lyon est vérifié chaque trimestre."])
    workbook.save(str(path))
