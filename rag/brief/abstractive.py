"""Abstractive briefing through any ``Generator``: bullets kept only if their citations hold."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.brief.briefing import Bullet
from rag.citations import MARKER
from rag.generation.base import GenerationRequest, Generator
from rag.types import Chunk, Citation, Document, Passage

INSTRUCTION = {
    "en": (
        "Brief the reader on these documents in at most {count} bullet points, in English. "
        "One point per line, starting with '- ', each ending with the [n] of the passages it "
        "rests on. Say only what the passages say."
    ),
    "fr": (
        "Fais un point sur ces documents en {count} puces au plus, en français. Une idée par "
        "ligne, commençant par « - », terminée par les [n] des passages sur lesquels elle "
        "repose. N'affirme que ce que disent les passages."
    ),
}
_BULLET_PREFIX = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")

Supports = Callable[[str, Sequence[Citation]], bool]


def parse_bullets(draft: str, candidates: Sequence[Citation]) -> list[Bullet]:
    """Lines of the draft with their ``[n]`` markers mapped to the candidate sentences and
    taken out of the text; lines without a marker that exists are dropped: an uncited point
    cannot be checked."""
    bullets = []
    for line in draft.splitlines():
        numbers = [int(n) for group in MARKER.findall(line) for n in re.split(r"\s*,\s*", group)]
        cited = []
        for n in dict.fromkeys(numbers):
            if 1 <= n <= len(candidates):
                cited.append(candidates[n - 1])
        text = MARKER.sub("", _BULLET_PREFIX.sub("", line, count=1))
        text = re.sub(r"\s+([.,;:])", r"\1", text).strip()
        if text and cited:
            bullets.append(Bullet(text, tuple(cited)))
    return bullets


def abstractive_bullets(
    generator: Generator,
    documents: dict[str, Document],  # by source
    extractive: Sequence[Bullet],
    count: int,
    language: str,
    supports: Supports,
) -> list[Bullet]:
    """Rewrite the extractive candidates as bullets; keep those whose quotes are verbatim and
    that ``supports`` finds backed by their citations, then fill up with extractive bullets."""
    candidates = [c for bullet in extractive for c in bullet.citations]
    passages = tuple(
        Passage(
            Chunk(c.source, documents[c.source].doc_id, i, c.start, c.end, c.quote),
            1.0 - i / max(1, len(candidates)),
        )
        for i, c in enumerate(candidates)
    )
    request = GenerationRequest(
        INSTRUCTION.get(language, INSTRUCTION["en"]).format(count=count), language, passages, ()
    )
    kept: list[Bullet] = []
    for bullet in parse_bullets("".join(generator.generate(request)), candidates):
        verbatim = all(
            documents[c.source].text[c.start : c.end] == c.quote for c in bullet.citations
        )
        if verbatim and supports(bullet.text, bullet.citations) and len(kept) < count:
            kept.append(bullet)
    used = {(c.source, c.start) for bullet in kept for c in bullet.citations}
    for bullet in extractive:
        if len(kept) >= count:
            break
        if not any((c.source, c.start) in used for c in bullet.citations):
            kept.append(Bullet(MARKER.sub("", bullet.text).strip(), bullet.citations))
    order = {source: i for i, source in enumerate(documents)}
    kept.sort(key=lambda b: (order[b.citations[0].source], b.citations[0].start))
    return renumber(kept)


def renumber(bullets: Sequence[Bullet]) -> list[Bullet]:
    """Citation numbers in order of first appearance across the bullets, written as markers
    at the end of each bullet's (marker-free) text."""
    numbers: dict[tuple[str, int, int], int] = {}
    result = []
    for bullet in bullets:
        citations = []
        for c in bullet.citations:
            n = numbers.setdefault((c.source, c.start, c.end), len(numbers) + 1)
            citations.append(Citation(n, c.source, c.start, c.end, c.quote))
        result.append(Bullet.marked(bullet.text, tuple(citations)))
    return result
