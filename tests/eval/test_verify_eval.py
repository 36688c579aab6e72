"""The verification benchmark's data and arithmetic (the verifier itself: test_relevance.py)."""

from __future__ import annotations

import json

from rag.eval.verify_eval import DATA, Item, Verdict, evaluate, load_items


def test_the_halves_share_no_paragraph_and_every_kind_is_held_out() -> None:
    rows = [json.loads(line) for line in (DATA / "verify.jsonl").read_text("utf-8").splitlines()]
    groups = {
        split: {r["group"] for r in rows if r["split"] == split}
        for split in ("heldout", "calibration")
    }
    assert groups["heldout"] and groups["calibration"]
    assert not groups["heldout"] & groups["calibration"]
    kinds = {i.kind for i in load_items("heldout")}
    assert kinds >= {
        "faithful",
        "crosslingual",
        "entity",
        "number",
        "negation",
        "cause",
        "stitched",
        "irrelevant",
    }


def test_precision_recall_and_targets_count_flags_against_labels() -> None:
    def item(kind: str, supported: bool, answers: bool | None) -> Item:
        return Item(
            kind, kind, "x", "heldout", "q?", "claim", "passage", supported, answers, "en", "en"
        )

    items = [
        item("faithful", True, True),
        item("entity", False, None),
        item("irrelevant", True, False),
    ]
    verdicts = {"faithful": Verdict("supported", True), "entity": Verdict("partly", True),
                "irrelevant": Verdict("unsupported", False)}  # fmt: skip
    results = evaluate(items, lambda i: verdicts[i.kind])
    assert results["unsupported"] == {"precision": 0.5, "recall": 1.0}
    assert results["not_an_answer"] == {"precision": 1.0, "recall": 1.0}
    assert results["targets"]["distortions_caught"] == 1.0
    assert results["targets"]["faithful_flagged"] == 0.0
    assert results["per_kind"]["entity"]["partly"] == 1.0
