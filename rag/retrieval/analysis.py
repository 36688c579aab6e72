"""Keyword analysis for BM25: accent-folded word tokens, stopwords dropped, light stemming."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # apostrophes split "l'état" into "l", "etat"


def _words(text: str) -> list[str]:
    return text.split()


STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        _words(
            """
            a about above after again against all am an and any are as at be because been
            before being below between both but by can could did do does doing down during
            each few for from further had has have having he her here hers herself him
            himself his how i if in into is it its itself just me more most my myself no nor
            not now of off on once only or other our ours out over own same she should so
            some such than that the their theirs them then there these they this those
            through to too under until up very was we were what when where which while who
            whom why will with would you your yours s t don
            """
        )
    ),
    "fr": frozenset(
        _words(
            """
            a afin ai aie aient ainsi alors au aucun aussi autre aux avait avant avec avez
            avoir avons c ca car ce ceci cela celle celles celui ces cet cette ceux chaque
            comme comment d dans de des donc dont du elle elles en encore entre est et
            etaient etait etant ete etre eu eux fait faire fut ici il ils j je l la laquelle
            le lequel les lesquels leur leurs lors lui m ma mais me meme mes moi mon n ne ni
            nos notre nous on ont ou par pas peu peut plus pour pourquoi qu quand que quel
            quelle quelles quels qui quoi s sa sans se selon ses si sien son sont sous sur t
            ta te tes toi ton tous tout toute toutes tres tu un une vos votre vous y combien
            lequel laquelle quelle
            """
        )
    ),
    "es": frozenset(
        _words(
            """
            a al algo algunas algunos ante antes como con contra cual cuales cuando de del
            desde donde durante e el ella ellas ellos en entre era eran es esa esas ese eso
            esos esta estaba estas este esto estos fue fueron ha han hasta hay la las le les
            lo los mas me mi muy nos o para pero por porque que quien quienes se ser si sin
            sobre son su sus tambien te tiene tienen todo todos tu un una unas uno unos y ya
            cuantos cuantas
            """
        )
    ),
}
ALL_STOPWORDS = frozenset().union(*STOPWORDS.values())


def fold(text: str) -> str:
    """Casefolded with accents removed: "Élève" and "eleve" become the same key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip(word: str, suffix: str, min_stem: int) -> str | None:
    if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
        return word[: -len(suffix)]
    return None


def _light_stem_fr(word: str) -> str:
    # Plural and feminine endings only (Savoy's light stemmer): aggressive stemming merges
    # unrelated French words and hurts precision more than it helps recall.
    if len(word) > 5 and word.endswith("aux"):
        word = word[:-3] + "al"
    for suffix in ("s", "x"):
        word = _strip(word, suffix, 4) or word
    if len(word) > 5 and word.endswith("er"):  # infinitive "publier" meets "publié"
        word = word[:-1]
    for suffix in ("e", "e"):  # "publiée" -> "publie" -> "publi"
        word = _strip(word, suffix, 4) or word
    return word


def _light_stem_en(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("sses", "ches", "shes", "xes"):
        if word.endswith(suffix):
            return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        stem = _strip(word, suffix, 4)
        if stem:
            return stem
    return _strip(word, "e", 4) or word


def _light_stem_es(word: str) -> str:
    word = _strip(word, "es", 4) or _strip(word, "s", 4) or word  # plural, then gender
    return _strip(word, "a", 4) or _strip(word, "o", 4) or word


_LIGHT = {"fr": _light_stem_fr, "en": _light_stem_en, "es": _light_stem_es}
_SNOWBALL = {"fr": "french", "en": "english", "es": "spanish"}


@lru_cache(maxsize=8)
def _snowball(language: str) -> Callable[[str], str]:
    from nltk.stem.snowball import SnowballStemmer  # nltk comes with llama-index-core

    return SnowballStemmer(_SNOWBALL[language]).stem


def stemmer(language: str, kind: str = "light") -> Callable[[str], str]:
    """The ``kind`` ("light", "snowball" or "none") stemmer of a language; identity if unknown."""
    if kind == "none" or language not in _LIGHT:
        return lambda word: word
    if kind == "snowball":
        return _snowball(language)
    return _LIGHT[language]


def analyze(text: str, language: str = "unknown", stem: str = "light") -> list[str]:
    """BM25 terms of ``text``: folded word tokens minus stopwords, stemmed for ``language``.

    Stopwords of every supported language are dropped whatever ``language`` is, because
    a question in one language often meets documents in another."""
    stem_word = stemmer(language, stem)
    return [stem_word(t) for t in _TOKEN.findall(fold(text)) if t not in ALL_STOPWORDS]
