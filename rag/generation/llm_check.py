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
from typing import Any

from rag.generation.cite import VerifiedAnswer
from rag.generation.judge import Judge
from rag.types import AnswerSentence, Citation

# P(yes) below which a supported sentence is "partly": chosen on the calibration half of the
# verify claims for the bundled 1.5B (scripts/bench_llm_judge.py report).
VERIFY_THRESHOLD = 0.8
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
    sentences, doubted = doubt(judge, verified.sentences, verified.citations)
    if doubted:
        warnings.append(
            f"the model doubted that the quotes say {doubted} sentence(s) of its answer: "
            "shown as partly supported"
        )
    return replace(verified, sentences=sentences)
