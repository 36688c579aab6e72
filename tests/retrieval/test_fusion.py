"""Rank fusion and the keyword-side weight."""

from __future__ import annotations

import numpy as np
import pytest

from rag.retrieval.fusion import convex_fusion, fuse, minmax, term_coverage


def test_rrf_rewards_items_both_lists_agree_on() -> None:
    fused = fuse(["a", "b", "c"], ["b", "d"], keyword_weight=1.0)
    assert [item for item, _ in fused] == ["b", "a", "d", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_rrf_weight_zero_silences_the_keyword_list() -> None:
    fused = fuse(["a", "b"], ["b", "a"], keyword_weight=0.0)
    assert [item for item, _ in fused] == ["a", "b"]


@pytest.mark.parametrize(
    ("terms", "weight"),
    [(["huawei", "puce"], 1.0), (["huawei", "chip"], 0.5), (["chip"], 0.0), ([], 0.0)],
)
def test_term_coverage_is_the_share_of_known_terms(terms: list[str], weight: float) -> None:
    assert term_coverage(terms, {"huawei", "puce", "export"}) == weight


def test_minmax_and_convex_fusion() -> None:
    assert minmax(np.array([2.0, 4.0, 3.0])).tolist() == [0.0, 1.0, 0.5]
    assert minmax(np.array([1.0, 1.0])).tolist() == [0.0, 0.0]
    dense, keyword = np.array([0.9, 0.8, 0.1]), np.array([0.0, 10.0, 0.0])
    assert int(np.argmax(convex_fusion(dense, keyword, 0.0))) == 0
    assert int(np.argmax(convex_fusion(dense, keyword, 0.5))) == 1
