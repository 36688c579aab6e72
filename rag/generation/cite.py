"""Turns a generated answer into verified sentences with verbatim sentence-level citations."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from rag.chunking import split_sentences as split_passage_sentences
from rag.citations import CitationTable, Quote, Quotes, best_quote, window
from rag.generation.base import Evidence
from rag.generation.markers import DraftSentence, clean_answer, renumber, split_sentences
from rag.generation.verify import (
    ATTACH_SIMILARITY,
    Embed,
    Support,
    claim_facts,
    judge,
)
from rag.ingest.language import detect_question_language
from rag.types import AnswerSentence, Citation, Passage

# How a model says the documents do not answer; such a sentence makes no claim to verify.
_DECLINE = re.compile(
    r"(?:do(?:es)?n['’]?t|do(?:es)? not|cannot|can['’]t|unable to)\s+(?:\w+\s+){0,3}"
    r"(?:answer|contain|mention|say|provide|specify|state|include|indicate|find)"
    r"|\bno (?:information|mention|answer|data)\b|\bnot (?:mentioned|provided|specified|stated)\b"
    r"|ne (?:\w+\s+){0,2}(?:répond|contien|mentionn|précis|indiqu|dit|permet|fourni)\w*"
    r"|\baucune (?:information|mention|réponse|donnée|indication)"
    r"|\bpas (?:d['’]information|mentionn|précis|indiqu)",
    re.IGNORECASE,
)


def is_decline(sentence: str) -> bool:
    """True for "the documents don't say"-type sentences, in English or French."""
    return bool(_DECLINE.search(sentence))


@dataclass(frozen=True)
class VerifiedAnswer:
    text: str  # sentences joined, each followed by its ``[n]`` markers
    citations: tuple[Citation, ...]
    sentences: tuple[AnswerSentence, ...]
    declined: bool
    moved: int = 0  # citations moved to the passage that supports the sentence

    @property
    def supported_share(self) -> float:
        claims = [s for s in self.sentences if s.citations or not s.supported]
        return sum(s.supported for s in claims) / len(claims) if claims else 0.0


def evidence_quotes(evidence: tuple[Evidence, ...]) -> Quotes:
    """The retrieval stage's sentences (document offsets already checked), by passage."""
    by_passage: dict[int, list[Evidence]] = {}
    for item in evidence:
        by_passage.setdefault(item.passage_number, []).append(item)
    return {
        number: [
            Quote(number, e.source, e.start, e.end, e.text, i)
            for i, e in enumerate(sorted(items, key=lambda e: e.start))
        ]
        for number, items in by_passage.items()
    }


def passage_quotes(passages: tuple[Passage, ...]) -> Quotes:
    """Sentences of each numbered passage with document offsets: ``text == doc[start:end]``."""
    quotes: Quotes = {}
    for number, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        language = detect_question_language(chunk.text[:500])
        spans = split_passage_sentences(chunk.text, language) or [(0, len(chunk.text))]
        quotes[number] = [
            Quote(number, chunk.source, chunk.start + s, chunk.start + e, chunk.text[s:e], i)
            for i, (s, e) in enumerate(spans)
        ]
    return quotes


def verify_answer(
    raw: str, passages: tuple[Passage, ...], embed: Embed, evidence: tuple[Evidence, ...] = ()
) -> VerifiedAnswer:
    """Parse, renumber and verify ``raw``; every citation returned is verbatim in its passage.

    Quotes are the sentences in ``evidence`` when given, else the passages split here.
    """
    # renumber() puts the model's keys in order of appearance; passage_of maps them back.
    text, mapping = renumber(clean_answer(raw), len(passages))
    passage_of = {new: old for old, new in mapping.items()}
    drafts = split_sentences(text)
    quotes = evidence_quotes(evidence) if evidence else passage_quotes(passages)
    quotes = {n: q for n, q in quotes.items() if q}
    flat = [q for number in sorted(quotes) for q in quotes[number]]
    if not drafts or not flat:
        return VerifiedAnswer("", (), (), declined=not drafts)

    vectors = embed([d.text for d in drafts] + [q.text for q in flat])
    claims, sentence_vecs = vectors[: len(drafts)], vectors[len(drafts) :]
    similarity = claims @ sentence_vecs.T
    position = {id(q): i for i, q in enumerate(flat)}
    # All the retrieved text: a name missing from the quote but found there is a swap.
    context = " ".join(q.text for q in flat)

    def similar(text: str, quote: Quote) -> float:
        return float(embed([text])[0] @ sentence_vecs[position[id(quote)]])

    table = CitationTable()
    sentences: list[AnswerSentence] = []
    pieces: list[str] = []
    declines = moved = 0
    for row, draft in enumerate(drafts):
        if is_decline(draft.text):
            declines += 1
            sentences.append(AnswerSentence(draft.text, (), True))
            pieces.append(draft.text)
            continue
        chosen, support = _choose(
            draft, quotes, flat, _row(similarity[row], position), passage_of, (context, similar)
        )
        moved += bool(support.moved_from)
        numbers = [table.number(quote) for quote in chosen]
        sentences.append(
            AnswerSentence(draft.text, tuple(numbers), support.supported, support.verdict)
        )
        pieces.append(_with_markers(draft.text, numbers))
    declined = declines > 0 and declines >= len(drafts) - declines
    return VerifiedAnswer(
        " ".join(pieces), tuple(table.citations), tuple(sentences), declined, moved
    )


_RANK = {"unsupported": 0, "partly": 1, "supported": 2}


def _row(similarities: np.ndarray, position: dict[int, int]) -> Callable[[Quote], float]:
    """One claim's similarity to any quote."""
    return lambda q: float(similarities[position[id(q)]])


def _with_markers(text: str, numbers: list[int]) -> str:
    """``text`` with ``[n]`` markers placed before its final punctuation."""
    markers = "".join(f"[{n}]" for n in numbers)
    if not markers:
        return text
    body = text.rstrip(".!?…")
    return f"{body} {markers}{text[len(body) :]}"


def _choose(
    draft: DraftSentence,
    quotes: Quotes,
    flat: list[Quote],
    similarity: Callable[[Quote], float],
    passage_of: dict[int, int],
    evidence: tuple[str, Callable[[str, Quote], float]],
) -> tuple[list[Quote], Support]:
    """The best quote inside each cited passage, or for an unmarked claim the best overall.

    ``evidence``: all the retrieved text, and a text's similarity to a quote (``judge``'s).
    """
    context, similar = evidence

    def verdict(q: Quote) -> Support:
        return judge(
            draft.text, q.text, window(quotes, q), similarity(q), context, lambda t: similar(t, q)
        )

    cited = [passage_of[k] for k in draft.keys if passage_of.get(k) in quotes]
    if cited:
        chosen = [best_quote(draft.text, quotes[p], quotes, similarity) for p in cited]
        # Each quote must back the claim alone: facts pooled from two places are how a
        # model pins Nvidia's CEO on Huawei.
        verdicts = [verdict(q) for q in chosen]
        best = max(verdicts, key=lambda v: (_RANK[v.verdict], -len(v.missing), v.similarity))
        if best.supported:
            return chosen, best
        # Small models miscount passages ("[2]" for the first): when another passage's
        # sentence fully supports the claim, cite that one instead of flagging a true claim.
        elsewhere = best_quote(draft.text, flat, quotes, similarity)
        moved = verdict(elsewhere)
        if moved.supported:
            return [elsewhere], replace(moved, moved_from=tuple(cited))
        return chosen, best
    best_overall = best_quote(draft.text, flat, quotes, similarity)
    support = verdict(best_overall)
    # Attach only what clearly supports the claim: very close in meaning, or backing names
    # and numbers the claim states (a claim without any could match almost anything).
    if support.supported and (support.similarity >= ATTACH_SIMILARITY or claim_facts(draft.text)):
        return [best_overall], support
    return [], replace(support, supported=False, verdict="unsupported")
