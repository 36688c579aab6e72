"""The default generator: quotes the sentences that answer, with ``[n]`` markers; needs no LLM."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rag.chunking import leads_on
from rag.citations import MARKER
from rag.generation.base import Evidence, GenerationRequest
from rag.reading.units import is_pointer
from rag.retrieval.typed_choice import prefer_typed

# Questions asking to explain rather than name something get the sentence after the best one
# too when it is nearly as relevant: news text often states a point, then its reason.
_OPEN_QUESTION = re.compile(
    r"^\s*(what|why|how(?! many| much)|describe|explain|que |qu['’]|pourquoi|comment|expliqu)",
    re.IGNORECASE,
)
_FOLLOW_UP_MARGIN = 0.1
# A next sentence that opens on a demonstrative ("Cette configuration sera sauvegardée dans
# /etc/papersize.") continues the best one's subject: quoted alone, the best one names the
# topic and the answer is left out.
_CONTINUES = re.compile(
    r"^\s*(ce|cet|cette|ces|cela|ceci|this|these|that|those|such|este|esta|estos|estas)\b",
    re.IGNORECASE,
)
_SHORT_SENTENCE = 50

DECLINE = {
    "en": "The documents don't say. None of the indexed passages answers this question.",
    "fr": "Les documents ne le disent pas. Aucun des passages indexés ne répond à cette question.",
}
_LEAD = {"en": "According to {source}:", "fr": "D'après {source} :"}
_OPEN_QUOTE = {"en": "“", "fr": "« "}
_CLOSE_QUOTE = {"en": "”", "fr": " »"}


def select_sentences(request: GenerationRequest) -> list[Evidence]:
    """The best sentence, plus the one right after it when it completes the answer.

    Headings and pointers ("See Installation.") are never quoted as the answer, and a code
    block only after the sentence that introduces it, unless the passages hold nothing else."""
    if not request.evidence:
        return []
    quotable = [e for e in request.evidence if e.kind == "text" and not is_pointer(e.text)] or [
        e for e in request.evidence if e.kind != "heading"
    ]
    best = max(quotable or request.evidence, key=lambda e: e.score)
    best = prefer_typed(request.question, quotable or request.evidence, best)
    later = [e for e in request.evidence if e.source == best.source and e.start >= best.end]
    following = min(later, key=lambda e: e.start, default=None)
    # Evidence holds every sentence of the retrieved passages, so the nearest later one in the
    # same passage is the next sentence of the document.
    if following is not None and following.passage_number == best.passage_number:
        if following.kind == "heading":
            return [best]
        if leads_on(best.text):
            return [best, following]
        close = following.score >= best.score - _FOLLOW_UP_MARGIN
        short = len(following.text) <= _SHORT_SENTENCE
        continues = bool(_CONTINUES.match(following.text))
        if close and (short or continues or _OPEN_QUESTION.search(request.question)):
            return [best, following]
    return [best]


class ExtractiveGenerator:
    """Composes the answer from the document's own sentences, quoted verbatim."""

    name = "extractive"

    def generate(self, request: GenerationRequest) -> Iterator[str]:
        language = request.language if request.language in DECLINE else "en"
        if not request.evidence:
            yield DECLINE[language]
            return
        chosen = list(request.chosen) or select_sentences(request)
        source = chosen[0].source
        yield _LEAD[language].format(source=source)
        for evidence in chosen:
            # A document's own "[19]" (a footnote reference) would read as a citation marker:
            # the shown quote leaves it out; the citation keeps the verbatim text.
            text = re.sub(r"\s*" + MARKER.pattern, "", evidence.text)
            quote = f"{_OPEN_QUOTE[language]}{text}{_CLOSE_QUOTE[language]}"
            yield f" {quote} [{evidence.passage_number}]"
