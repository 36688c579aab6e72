"""The in-process LLM as a second check on its own answer (RAG_LLM_CHECK=verify).

The verifier passes a sentence whose cited sentence shares its names, numbers and most of its
meaning by embeddings; it cannot read "decrease in leadership" against "will backfire and hurt".
The model that wrote the answer is asked, sentence by sentence, "does the passage say what the
statement says?" over the sentence's quotes only; below the threshold the sentence is shown
"partly supported" (the reader checks the quote) instead of a plain supported. Runs after the
quoted answer is on screen, on the model already loaded: one forward pass of ~100 tokens a
sentence, no token generated (seconds in BENCHMARKS.md, Verification).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rag.generation.cite import VerifiedAnswer
from rag.generation.judge import Judge
from rag.types import AnswerSentence, Citation

# P(yes) below which a supported sentence is "partly", for the bundled 1.5B: the calibration
# half of the verify claims puts it at 0.76 (scripts/bench_llm_judge.py report), in a flat
# region where no faithful claim of either half scores below 0.845; the issue's Lin Jian claim
# scores 0.76, its faithful version 0.99. Another model needs its own (its P(yes) is squeezed:
# the 0.5B ranks as well in 0.21-0.57).
VERIFY_THRESHOLD = 0.8
# Measured for the bundled 0.5B on the same claims (AUROC 0.95, 29 claims; BENCHMARKS.md).
THRESHOLDS = {"qwen2.5-coder-0.5b-instruct-q4_k_m.gguf": 0.43}
_MARKER = re.compile(r"\s*\[\d+\]")
_JUDGES: dict[int, Judge] = {}


def judge_of(generator: Any) -> Judge | None:
    """A judge on ``generator``'s loaded model; None for a generator without logits here (an
    OpenAI-compatible server, the extractive one)."""
    model = getattr(generator, "model", None)
    if not callable(model):
        return None
    llm = model()
    if id(llm) not in _JUDGES:
        _JUDGES[id(llm)] = Judge(llm)
    return _JUDGES[id(llm)]


def threshold_of(judge: Judge) -> float:
    """The P(yes) threshold measured for the judge's model file; the 1.5B's for any other."""
    name = Path(str(getattr(judge.llm, "model_path", ""))).name
    return THRESHOLDS.get(name, VERIFY_THRESHOLD)


def doubt(
    judge: Judge,
    sentences: Sequence[AnswerSentence],
    citations: Sequence[Citation],
    threshold: float = VERIFY_THRESHOLD,
) -> tuple[tuple[AnswerSentence, ...], int]:
    """``sentences`` with the supported ones the judge doubts made "partly"; and how many."""
    quotes = {c.n: c.quote for c in citations}
    checked, doubted = [], 0
    for sentence in sentences:
        passage = " ".join(quotes[n] for n in sentence.citations if n in quotes)
        if sentence.supported and passage:
            claim = _MARKER.sub("", sentence.text)
            if judge.judge("states", claim, passage).p_yes < threshold:
                sentence = replace(sentence, supported=False, verdict="partly")
                doubted += 1
        checked.append(sentence)
    return tuple(checked), doubted


def second_check(generator: Any, verified: VerifiedAnswer, warnings: list[str]) -> VerifiedAnswer:
    """``verified`` after the judge (RAG_LLM_CHECK=verify); unchanged without one."""
    judge = judge_of(generator)
    if judge is None or verified.declined:
        return verified
    sentences, doubted = doubt(judge, verified.sentences, verified.citations, threshold_of(judge))
    if doubted:
        warnings.append(
            f"the model doubted that the quotes say {doubted} sentence(s) of its answer: "
            "shown as partly supported"
        )
    return replace(verified, sentences=sentences)
