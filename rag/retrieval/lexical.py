"""BM25 over chunk texts, with accent-folding and French/English stopwords."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

STOPWORDS = frozenset(
    """
        a an and are as at be been but by did do does for from had has have how i if in into
        is it its of on or that the their them they this those to was were what when where
        which who whom why will with would about according article mentioned say said says
        there these than then so le la les l un une des du de d au aux et ou est sont etait
        etaient qui que qu quoi quel quelle quels quelles quand ou pourquoi comment combien
        dans sur pour par avec sans ce cet cette ces il elle ils elles on se sa son ses leur
        leurs a ont ete etre avoir fait selon dit cite ne pas plus y en lui nous vous je tu
        me te mon ma mes ton ta tes notre votre nos vos meme aussi el los las del y o que en
        un una por con para es son se su sus lo al
        """.split()
)


def fold(text: str) -> str:
    """Lowercase and strip accents, so "exportations" matches "Exportations" and "exportation"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(token: str) -> str:
    # A light plural/feminine strip shared by French and English; aggressive stemmers
    # conflate unrelated words in short news text.
    if len(token) > 4 and token.endswith(("es", "s", "x")) and not token.endswith("ss"):
        return token[:-2] if token.endswith("es") and len(token) > 5 else token[:-1]
    return token


def tokenize(text: str) -> list[str]:
    return [_stem(t) for t in _WORD.findall(fold(text.replace("’", "'"))) if t not in STOPWORDS]


class BM25Index:
    """Scores every chunk against a query; empty corpora and queries score nothing."""

    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s

        self.size = len(texts)
        tokenized = [tokenize(t) for t in texts]
        self.vocabulary = {token for tokens in tokenized for token in tokens}
        self._bm25 = bm25s.BM25()
        if self.size:
            self._bm25.index(tokenized, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self.vocabulary]
        if not tokens or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def coverage(self, query: str) -> float:
        """Share of the query's content words that occur in the corpus at all."""
        tokens = tokenize(query)
        if not tokens:
            return 0.0
        return sum(t in self.vocabulary for t in tokens) / len(tokens)
