"""Asking every question and scoring answers, citations and refusals against the gold data."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rag.eval.metrics import (
    auroc,
    best_token_f1,
    keywords_present,
    mean,
    percentile,
    refusal_precision_recall,
)
from rag.eval.records import EvalQuestion
from rag.eval.text import find_normalised
from rag.types import Answer, Citation, Span

AskFn = Callable[[str], Answer]


@dataclass(frozen=True)
class AnswerOutcome:
    """One question's answer, reduced to what the metrics need."""

    question_id: str
    answer: Answer
    wall_ms: float


def run_answers(ask: AskFn, questions: Sequence[EvalQuestion]) -> list[AnswerOutcome]:
    outcomes = []
    for question in questions:
        started = time.perf_counter()
        answer = ask(question.question)
        outcomes.append(AnswerOutcome(question.id, answer, (time.perf_counter() - started) * 1000))
    return outcomes


def citation_is_verbatim(citation: Citation, texts: Mapping[str, str]) -> bool:
    """The quote is exactly the cited span of the original document text."""
    text = texts.get(citation.source)
    return text is not None and text[citation.start : citation.end] == citation.quote


def _covered_share(span: Span, cited: Sequence[Span]) -> float:
    start, end = span
    covered: set[int] = set()
    for c_start, c_end in cited:
        covered.update(range(max(start, c_start), min(end, c_end)))
    return len(covered) / (end - start) if end > start else 0.0


def gold_coverage(
    citations: Sequence[Citation], question: EvalQuestion, texts: Mapping[str, str]
) -> float | None:
    """The largest share of one gold quote's characters that the citations cover (None when
    the question has no gold quote to cover)."""
    best: float | None = None
    for source in question.gold_sources:
        text = texts.get(source, "")
        cited = [(c.start, c.end) for c in citations if c.source == source]
        for quote in question.gold_quotes:
            span = find_normalised(text, quote)
            if span is None:
                continue
            share = _covered_share(span, cited)
            best = share if best is None else max(best, share)
    return best


def answer_text(answer: Answer) -> str:
    """What the answer says, for overlap with gold strings: its quotes when it has citations
    (the extractive lead-in names the file, which no gold answer contains)."""
    return " ".join(c.quote for c in answer.citations) or answer.text


def answer_metrics(
    outcomes: Sequence[AnswerOutcome], questions: Sequence[EvalQuestion], texts: Mapping[str, str]
) -> dict[str, float]:
    by_id = {q.id: q for q in questions}
    pairs = [(by_id[o.question_id], o.answer) for o in outcomes if o.question_id in by_id]
    answerable = [(q, a) for q, a in pairs if q.answerable]
    citations = [c for _, a in pairs for c in a.citations]
    metrics: dict[str, float] = {
        "answered": mean([float(a.answerable) for _, a in pairs]),
        "citations": float(len(citations)),
        "citation_validity": mean([float(citation_is_verbatim(c, texts)) for c in citations]),
    }
    coverages = [gold_coverage(a.citations, q, texts) for q, a in answerable]
    metrics["gold_coverage"] = mean([c for c in coverages if c is not None])
    with_answers = [(q, a) for q, a in answerable if q.answers]
    if with_answers:
        metrics["answer_f1"] = mean(
            [best_token_f1(answer_text(a), q.answers) for q, a in with_answers]
        )
    with_keywords = [(q, a) for q, a in answerable if q.keyword_groups]
    if with_keywords:
        metrics["keyword_accuracy"] = mean(
            [
                float(a.answerable and keywords_present(a.text, q.keyword_groups))
                for q, a in with_keywords
            ]
        )
    labels = [q.answerable for q, _ in pairs]
    if any(labels) and not all(labels):
        precision, recall = refusal_precision_recall([not a.answerable for _, a in pairs], labels)
        metrics["refusal_precision"] = precision
        metrics["refusal_recall"] = recall
        metrics["answerability_auroc"] = auroc([a.confidence for _, a in pairs], labels)
    for stage in sorted({s for _, a in pairs for s in a.timings_ms}):
        values = [a.timings_ms[stage] for _, a in pairs if stage in a.timings_ms]
        metrics[f"{stage}_ms_p50"] = percentile(values, 50)
        metrics[f"{stage}_ms_p95"] = percentile(values, 95)
    return metrics
