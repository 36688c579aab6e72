"""Map-reduce over documents: a cached brief per document, then the bullets for the whole set."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.brief.briefing import Bullet
from rag.brief.cache import BriefCache
from rag.brief.extractive import Pick, brief_document, combine
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.types import Citation, Document

# Each document offers at least this many sentences to the reduce step, so one cache entry
# serves any briefing of up to this many bullets.
MIN_KEEP = 12
_LINE_BREAKS = re.compile(r"\s*\n\s*")


def extractive_bullets(
    documents: Sequence[Document],
    store: DocumentSentenceVectors,
    cache: BriefCache,
    count: int,
    progress: Callable[[int, int], None] | None = None,
) -> list[Bullet]:
    """``count`` bullets quoting one sentence each, in the order the documents tell them."""
    keep = max(MIN_KEEP, count)
    picks: list[Pick] = []
    for done, document in enumerate(documents, start=1):
        key = BriefCache.key(document.content_hash, keep)
        document_picks = cache.get(key, document.doc_id)
        if document_picks is None:
            document_picks = brief_document(document, store, keep)
            cache.put(key, document_picks)
        picks.extend(document_picks)
        if progress:
            progress(done, len(documents))
    order = {document.doc_id: i for i, document in enumerate(documents)}
    by_id = {document.doc_id: document for document in documents}
    chosen = sorted(combine(picks, count), key=lambda p: (order[p.doc_id], p.start))
    bullets: list[Bullet] = []
    cited: set[tuple[str, int]] = set()
    for pick in chosen:
        document = by_id[pick.doc_id]
        spans = [span for span in pick.spans if (pick.doc_id, span[0]) not in cited]
        if not spans:
            continue  # the sentence already came along with the short one before it
        citations = []
        for start, end in spans:
            cited.add((pick.doc_id, start))
            number = len(cited)
            citations.append(
                Citation(number, document.source, start, end, document.text[start:end])
            )
        text = " ".join(_LINE_BREAKS.sub(" ", c.quote) for c in citations)
        bullets.append(Bullet.marked(text, tuple(citations)))
    return bullets
