"""Fuzzy lookup: the best-aligned window of normalised text, for quotes with typos or gaps."""

from __future__ import annotations

from bisect import bisect_left

from rapidfuzz import fuzz, process

from rag.find.match import Match
from rag.find.normalise import Normalised, snap_to_words
from rag.types import Document

# Shorter queries align somewhere in any long text by chance; they need exact or semantic lookup.
MIN_QUERY_CHARS = 12
# Windows whose partial score is below this are not worth an alignment.
_SHORTLIST_CUTOFF = 50.0
# Up to this query length rapidfuzz aligns with bit-parallel code, fast on any text.
_BIT_PARALLEL_CHARS = 64


def sentence_windows(document: Document, folded: Normalised, length: int) -> list[tuple[int, int]]:
    """Normalised spans starting at each sentence and long enough to hold ``length`` characters."""
    starts = [bisect_left(folded.origin, start) for start, _ in document.sentences] or [0]
    windows = []
    for i, start in enumerate(starts):
        end = start
        for later in starts[i + 1 :]:
            end = later
            if end - start >= length:
                break
        else:
            end = len(folded.text)
        windows.append((start, end))
    return windows


def find_fuzzy(
    document: Document, folded: Normalised, query: str, shortlist: int = 3
) -> Match | None:
    """The span of the document that best matches the normalised query, scored 0..1 by
    ``fuzz.ratio`` between the query and the whole span (so a partial overlap scores low)."""
    if len(query) < MIN_QUERY_CHARS or not folded.text:
        return None
    # Slack lets the alignment slide across sentence starts and absorb inserted words.
    windows = sentence_windows(document, folded, len(query) + max(40, len(query) // 2))
    texts = [folded.text[start:end] for start, end in windows]
    nearby = list(range(len(texts)))
    if len(query) > _BIT_PARALLEL_CHARS:
        # Past 64 characters partial_ratio slides the query over every window: seconds on a
        # long document. A plain ratio against windows barely longer than the query ranks
        # the right one among the first few; partial_ratio then picks among those.
        nearby = [i for _, _, i in process.extract(query, texts, scorer=fuzz.ratio, limit=20)]
    best: tuple[float, int, int] | None = None
    for _, _, position in process.extract(
        query,
        [texts[i] for i in nearby],
        scorer=fuzz.partial_ratio,
        limit=shortlist,
        score_cutoff=_SHORTLIST_CUTOFF,
    ):
        index = nearby[position]
        alignment = fuzz.partial_ratio_alignment(query, texts[index])
        if alignment is None:
            continue
        offset = windows[index][0]
        start, end = snap_to_words(
            folded.text, offset + alignment.dest_start, offset + alignment.dest_end
        )
        if start >= end:
            continue
        score = fuzz.ratio(query, folded.text[start:end]) / 100
        if best is None or score > best[0]:
            best = (score, start, end)
    if best is None:
        return None
    score, start, end = best
    original_start, original_end = folded.original_span(start, end)
    return Match(
        document.source,
        original_start,
        original_end,
        document.text[original_start:original_end],
        score,
        "fuzzy",
    )
