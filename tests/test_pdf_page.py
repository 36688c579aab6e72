"""The viewer shows a cited PDF page rendered, the quote's characters highlighted on it."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from PIL import Image

from tests.format_files import text_pdf
from ui.pdf_page import quote_char_indices
from ui.viewer import source_html

HEAD = "Manuel de l'administrateur"
PAGES = [
    [HEAD, "Introduction au manuel de l'administrateur.", "1"],
    [
        HEAD,
        "Le fichier /etc/hosts associe des noms aux adresses IP, avant",
        "toute requête DNS.",
        "2",
    ],
    [HEAD, "Les sauvegardes se font chaque nuit.", "3"],
    [HEAD, "Fin du manuel.", "4"],
]


def _yellow_pixels(html: str) -> int:
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert data, "no rendered page in the viewer"
    image = Image.open(io.BytesIO(base64.b64decode(data.group(1)))).convert("RGB")
    return sum(1 for r, g, b in image.getdata() if r > 200 and g > 150 and b < 150)


def test_the_cited_page_is_rendered_with_the_quote_highlighted(tmp_path: Path, embedder):
    from rag.pipeline import Assistant
    from rag.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manuel.pdf").write_bytes(text_pdf(PAGES))
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder
    )
    assistant.index()
    snapshot = assistant.snapshot()
    document = snapshot.document_by_source("manuel.pdf")
    assert document is not None and HEAD not in document.text  # the running head is dropped
    quote = "Le fichier /etc/hosts associe des noms aux adresses IP, avant\ntoute requête DNS."
    start = document.text.index(quote)
    html = source_html(snapshot, "manuel.pdf", start, start + len(quote), corpus)
    assert 'alt="page 2 of the PDF"' in html and _yellow_pixels(html) > 500
    # Another quote on the same page highlights nothing it does not contain; without the
    # corpus folder (or once the file changed) no page is shown.
    assert source_html(snapshot, "manuel.pdf", start, start + len(quote)).count("<img") == 0
    (corpus / "manuel.pdf").write_bytes(text_pdf(PAGES[:2]))
    assert "<img" not in source_html(snapshot, "manuel.pdf", start, start + len(quote), corpus)


def test_quote_offsets_map_to_pdfium_characters_across_joined_lines():
    page_text = "Manuel\r\nLe fichier /etc/hosts associe des noms aux adresses IP, avant\r\ntoute"
    indices = quote_char_indices(
        page_text, "fichier /etc/hosts associe des noms aux adresses IP, avant toute"
    )
    picked = "".join(page_text[i] for i in indices)
    assert picked == "fichier /etc/hosts associe des noms aux adresses IP, avanttoute"
    assert quote_char_indices(page_text, "absent de la page") == []
