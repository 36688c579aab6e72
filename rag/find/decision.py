"""Whether a semantic match is where the documents say the query: a logistic score on its signals.

The weights and the threshold are data (find_model.json next to this module), fitted by
scripts/calibrate_find.py on the calibration half of scripts/bench_find.py's queries; the
file says which.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.logistic import Logistic

MODEL_FILE = Path(__file__).with_name("find_model.json")

# Cosines of a query's closest sentences often differ by less than 0.02; a tenth of the
# word coverage decides between them, and never outweighs a clear cosine gap.
CLOSENESS_COVERAGE = 0.1


@dataclass(frozen=True)
class SpanFeatures:
    """What the decision on one semantic span (a sentence or two adjacent ones) is taken on."""

    cosine: float  # the span's similarity to the query (a pair: of its sentences' mean vector)
    lead: float  # cosine minus the mean of the runner-up sentences (ranks 2-6)
    coverage: float  # share of the query's content words in the span (cognates count)
    cross_lingual: bool  # the query and the span's document are in different languages
    facts_missing: int  # the query's names, numbers and dates absent from the span (≤ 2)
    negation_changed: bool  # the query negates what the span states, or the reverse
    complete: bool  # every content word of the query (three or more) is in the span
    fuzzy: float = 0.0  # the query's best fuzzy alignment anywhere (rag.find.fuzzy), else 0

    @property
    def closeness(self) -> float:
        """What orders a query's spans: the cosine, with shared words breaking near-ties (a
        query that quotes one of two similar sentences has its words)."""
        return self.cosine + CLOSENESS_COVERAGE * self.coverage

    def vector(self) -> dict[str, float]:
        """The model's inputs, by name (the names of find_model.json's weights). Coverage
        counts apart across languages, where only names, numbers and cognates can match."""
        cross = float(self.cross_lingual)
        return {
            "cosine": self.cosine,
            "lead": self.lead,
            "cross_lingual": cross,
            "coverage_same_language": self.coverage * (1.0 - cross),
            "coverage_cross_lingual": self.coverage * cross,
            # a name may be translated (China/Chine): the verifier's match allows for it, but
            # missing facts weigh differently across languages
            "facts_missing_same_language": self.facts_missing * (1.0 - cross),
            "facts_missing_cross_lingual": self.facts_missing * cross,
            "negation_changed": float(self.negation_changed),
            "complete": float(self.complete),
            # A near-copy that the fuzzy stage rejected (a word changed: "not part of" -> "the
            # core of") is as close in meaning as a paraphrase, but says something else.
            "fuzzy_same_language": self.fuzzy * (1.0 - cross),
        }


FindModel = Logistic  # over SpanFeatures.vector()


@lru_cache(maxsize=1)
def shipped_model() -> FindModel:
    return FindModel.load(MODEL_FILE)


@lru_cache(maxsize=1)
def shipped_same_language_threshold() -> float:
    """The probability at which a span in the query's own language counts (find_model.json's
    ``threshold_same_language``; the model's threshold where the file has none)."""
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return float(data.get("threshold_same_language", data["threshold"]))
