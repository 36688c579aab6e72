"""Measure the bundled LLM as a verification judge on a sample of the held-out claims.

Usage: python scripts/judge_verify_llm.py [--per-kind 4] [--model 1.5b] [--threads 2]

"Does the passage state that …? yes/no", scored from the first answer token's logits
(P(yes) / (P(yes) + P(no))); a claim is flagged below 0.5. Prints, per kind, the share the
judge flags next to the shipped verifier's, and the seconds a judgement takes. Not wired into
the product: this measures whether it would be worth its cost.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.eval.verify_eval import cached_embed, load_items, product_verdict  # noqa: E402
from rag.generation.llamacpp import _load  # noqa: E402

MODELS = Path.home() / ".local/share/rag-assistant/models"
PROMPT = (
    "Passage: {passage}\n\nStatement: {claim}\n\n"
    "Does the passage state exactly what the statement says? Answer yes or no."
)


def p_yes(llm: object, claim: str, passage: str) -> float:
    messages = [
        {"role": "system", "content": "You check statements against a passage."},
        {"role": "user", "content": PROMPT.format(passage=passage, claim=claim)},
    ]
    prompt = (
        "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        + "<|im_start|>assistant\n"
    )
    tokens = llm.tokenize(prompt.encode(), add_bos=False, special=True)  # type: ignore[attr-defined]
    llm.reset()  # type: ignore[attr-defined]
    llm.eval(tokens)  # type: ignore[attr-defined]
    logits = np.asarray(llm.scores[llm.n_tokens - 1])  # type: ignore[attr-defined]
    yes = [llm.tokenize(w.encode(), add_bos=False)[0] for w in ("yes", "Yes")]  # type: ignore[attr-defined]
    no = [llm.tokenize(w.encode(), add_bos=False)[0] for w in ("no", "No")]  # type: ignore[attr-defined]
    top = logits.max()
    py = float(np.exp(logits[yes] - top).sum())
    pn = float(np.exp(logits[no] - top).sum())
    return py / (py + pn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-kind", type=int, default=4)
    parser.add_argument("--model", default="1.5b", choices=("0.5b", "1.5b"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path, default=ROOT / ".bench-cache")
    args = parser.parse_args()
    path = MODELS / f"qwen2.5-coder-{args.model}-instruct-q4_k_m.gguf"
    llm = _load(str(path), 2048, args.threads)
    embed = cached_embed(args.cache_dir)
    items = load_items("heldout")
    by_kind: dict[str, list] = {}
    for item in items:
        if item.kind != "irrelevant":
            by_kind.setdefault(item.kind, [])
            if len(by_kind[item.kind]) < args.per_kind:
                by_kind[item.kind].append(item)
    seconds = []
    for kind, chosen in sorted(by_kind.items()):
        judged, shipped = [], []
        for item in chosen:
            started = time.perf_counter()
            judged.append(p_yes(llm, item.claim, item.passage) < 0.5)
            seconds.append(time.perf_counter() - started)
            shipped.append(product_verdict(item, embed).verdict != "supported")
        print(
            f"{kind}: {len(chosen)} claims, LLM flags {np.mean(judged):.2f}, "
            f"verifier flags {np.mean(shipped):.2f}"
        )
    print(f"{np.median(seconds):.1f} s a judgement (median), {np.max(seconds):.1f} s max")
    # The claim: "decrease in the US's leadership" for "se retourneront et blesseront".
    for item in load_items("all"):
        if item.origin == "seed" and "Lin" in item.claim:
            print(
                f"seed {item.kind}: P(yes) {p_yes(llm, item.claim, item.passage):.2f} {item.claim}"
            )


if __name__ == "__main__":
    main()
