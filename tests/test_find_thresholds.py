"""The semantic decision's two operating points: spans in the query's language count from a
lower probability than cross-lingual ones (rag/find/find_model.json)."""

from __future__ import annotations

from rag.find.decision import SpanFeatures, shipped_model, shipped_same_language_threshold
from rag.find.finder import Candidates, SpanCandidate
from rag.find.match import Match
from rag.find.thresholds import Thresholds
from rag.logistic import Logistic


def _span(cross_lingual: bool) -> SpanCandidate:
    features = SpanFeatures(0.9, 0.05, 0.5, cross_lingual, 0, False, False)
    return SpanCandidate(Match("a.txt", 0, 10, "Une phrase", 0.9, "semantic"), features)


def test_the_shipped_file_sets_a_lower_threshold_for_the_query_s_language() -> None:
    assert shipped_same_language_threshold() < shipped_model().threshold


def test_a_probability_between_the_two_thresholds_counts_in_the_same_language_only() -> None:
    # A model whose probability is 0.5 for every span (no weights, no bias).
    thresholds = Thresholds(semantic=Logistic({}, 0.0, 0.7), semantic_same_language=0.4)
    same = Candidates([], [[_span(cross_lingual=False)]])
    cross = Candidates([], [[_span(cross_lingual=True)]])
    assert [m.score for m in same.accepted(thresholds)] == [0.5]
    assert cross.accepted(thresholds) == []
