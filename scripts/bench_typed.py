"""Calibrate and measure rag.retrieval.typed_choice on the answerability rows.

Usage:
  python scripts/bench_typed.py [--rows PATH] [--margins 0,0.01,0.02,...] [--split train|test]

Reads the rows of ``scripts/calibrate_answerability.py collect`` (the real pipeline's top
evidence sentences per question, with the gold answers) and reports, for questions that ask
for a date or a number, at each margin:
- choice: the quoted sentence holds a gold answer (folded substring), the best sentence alone
  vs the typed choice, on answerable questions the committed answerability answers;
- decline: false refusals and refusal recall of the committed answerability (score below its
  threshold) alone vs with the typed decline on top, per data set, over all questions.
The margins are chosen on the train split; the test split is reported with them, never fitted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.generation.base import Evidence  # noqa: E402
from rag.retrieval import answerability as ans  # noqa: E402
from rag.retrieval import typed_choice  # noqa: E402
from rag.retrieval.lexical import fold  # noqa: E402

ROWS = ROOT / ".bench-cache" / "answerability" / "rows.jsonl"


def _holds_gold(text: str, answers: list[str]) -> bool:
    folded = " ".join(fold(text).split())
    return any(" ".join(fold(a).split()) in folded for a in answers if a.strip())


def _load(path: Path, split: str) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["split"] != split and not (split == "test" and row["split"] == "dev"):
                continue
            evidence = [Evidence(*e) for e in row["evidence"]]
            f = (
                ans.features(
                    row["question"],
                    evidence,
                    row["language"],
                    row["context"],
                    row["keyword_agrees"],
                )
                if evidence
                else None
            )
            rows.append(
                {
                    "dataset": row["dataset"],
                    "question": row["question"],
                    "answerable": row["answerable"],
                    "answers": row.get("answers", []),
                    "evidence": evidence,
                    "declined": f is None or ans.confidence(f) < ans.threshold(),
                    "score": ans.confidence(f) if f is not None else 0.0,
                    "typed": typed_choice.asked_type(row["question"]) is not None,
                }
            )
    return rows


def _share(hits: int, n: int) -> str:
    return f"{hits / n:.3f} ({hits}/{n})" if n else "–"


def choice(rows: list[dict[str, Any]], margins: list[float]) -> None:
    asked = [
        r for r in rows if r["typed"] and r["answerable"] and not r["declined"] and r["answers"]
    ]
    best_hits = sum(_holds_gold(r["evidence"][0].text, r["answers"]) for r in asked)
    print(f"choice: {len(asked)} answered date/number questions with gold answers")
    print(f"  best sentence holds gold: {_share(best_hits, len(asked))}")
    for margin in margins:
        hits = changed = 0
        for r in asked:
            chosen = typed_choice.prefer_typed(
                r["question"], r["evidence"], r["evidence"][0], margin
            )
            changed += chosen is not r["evidence"][0]
            hits += _holds_gold(chosen.text, r["answers"])
        print(
            f"  margin {margin:.3f}: typed choice holds gold {_share(hits, len(asked))}, "
            f"changed {changed}"
        )


def _report(label: str, group: list[dict[str, Any]], declined: list[bool]) -> None:
    pairs = list(zip(declined, group, strict=True))
    yes = sum(r["answerable"] for r in group)
    false = sum(d for d, r in pairs if r["answerable"])
    right = sum(d for d, r in pairs if not r["answerable"])
    print(
        f"  {label}: false refusals {_share(false, yes)}, "
        f"refusal recall {_share(right, len(group) - yes)}"
    )


def decline(rows: list[dict[str, Any]], margins: list[float], gates: list[float]) -> None:
    by_data: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_data[r["dataset"]].append(r)
    for name, group in sorted(by_data.items()):
        yes = sum(r["answerable"] for r in group)
        typed = sum(r["typed"] for r in group)
        print(
            f"decline: {name} ({yes} answerable, {len(group) - yes} unanswerable, "
            f"{typed} ask a date/number)"
        )
        _report("answerability alone", group, [r["declined"] for r in group])
        for margin in margins:
            declined = [
                r["declined"]
                or (
                    bool(r["evidence"])
                    and typed_choice.missing_type(r["question"], r["evidence"], margin) is not None
                )
                for r in group
            ]
            _report(f"+ typed decline {margin:.3f}", group, declined)
        # The softer form: the score multiplied by ``gate`` when no close sentence has the type.
        for gate in gates:
            declined = [
                r["declined"]
                or (
                    bool(r["evidence"])
                    and typed_choice.missing_type(r["question"], r["evidence"]) is not None
                    and r["score"] * gate < ans.threshold()
                )
                for r in group
            ]
            _report(f"+ score x {gate:.2f} at {typed_choice.DECLINE_MARGIN}", group, declined)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=Path, default=ROWS)
    parser.add_argument("--split", choices=["train", "test"], default="train")
    parser.add_argument("--margins", default="0,0.01,0.02,0.03,0.05,0.08,0.12")
    parser.add_argument("--gates", default="0.3,0.5,0.7")
    args = parser.parse_args()
    margins = [float(m) for m in args.margins.split(",")]
    rows = _load(args.rows, args.split)
    print(f"split {args.split}: {len(rows)} questions; committed threshold {ans.threshold()}")
    choice(rows, margins)
    decline(rows, margins, [float(g) for g in args.gates.split(",")])


if __name__ == "__main__":
    main()
