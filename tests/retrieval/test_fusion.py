"""Rank fusion and the keyword-side weight."""

from __future__ import annotations

import numpy as np
import pytest

from rag.retrieval.fusion import convex_fusion, minmax, term_coverage


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
