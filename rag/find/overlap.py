"""Lexical evidence for a match: how many of the query's words the span has, typos or cognates."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from rag.retrieval.lexical import fold, tokenize

# A translated content word keeps its stem more often than not ("technology"/"technologie",
# "politicized"/"politisé", "ministry"/"ministère"); so does a paraphrase's derived word
# ("sanctionné"/"sanctions"). Shorter shared prefixes join unrelated words.
_SHARED_PREFIX = 5
_SIMILAR = 80  # rapidfuzz ratio for short words: "china"/"chine", "uganda"/"ouganda"
_TYPO = 60  # rapidfuzz ratio of a word with an edit or two ("sont"/"snt": 86, "core"/"part": 25)


def _related(word: str, other: str) -> bool:
    if word == other:
        return True
    if (
        word[:_SHARED_PREFIX] == other[:_SHARED_PREFIX]
        and min(len(word), len(other)) >= _SHARED_PREFIX
    ):
        return True
    return min(len(word), len(other)) >= 4 and fuzz.ratio(word, other) >= _SIMILAR


@lru_cache(maxsize=4096)
def content_words(text: str) -> tuple[str, ...]:
    """Folded, lightly stemmed words that carry meaning (no stopwords, no one-letter words)."""
    return tuple(dict.fromkeys(t for t in tokenize(text) if len(t) >= 2))


def coverage(query_words: tuple[str, ...], span: str) -> float:
    """Share of the query's content words that the span has, exactly or as a cognate; 0 for a
    query without any. A paraphrase or translation keeps most of its names, numbers and
    stems; an on-topic sentence that says something else shares only the topic's words."""
    if not query_words:
        return 0.0
    words = content_words(span)
    return sum(any(_related(q, w) for w in words) for q in query_words) / len(query_words)


def unmatched_words(query: str, span: str) -> int:
    """How many of the query's words of four letters or more have no counterpart in the span,
    even a mistyped one: a noisy quote keeps its words (at most one lost to a merge or a heavy
    typo on the public data), an edited one replaces some ("a railway bridge over the Hudson"
    for "a pedestrian bridge over the Charles"), however close the characters."""
    words = re.findall(r"\w+", fold(span))
    return sum(
        process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=_TYPO) is None
        for word in re.findall(r"\w+", fold(query))
        if len(word) >= 4
    )
