"""Measure how much lower the best-evidence similarity is when question and text differ in language.

Usage: python scripts/measure_crosslingual_shift.py [--limit N]
XQuAD has the same questions in English and Spanish over the same Spanish paragraphs: the median
gap between Spanish→Spanish and English→Spanish best-sentence scores is the shift the
answerability score applies to cross-lingual questions (rag/retrieval/answerability.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.pipeline import Assistant  # noqa: E402
from rag.settings import Settings  # noqa: E402

XQUAD = ROOT.parent / "shared" / "eval" / "public" / "xquad"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    english = json.loads((XQUAD / "xquad.en.json").read_text())["data"]
    spanish = json.loads((XQUAD / "xquad.es.json").read_text())["data"]
    pairs = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for a, (article_en, article_es) in enumerate(zip(english, spanish, strict=True)):
            for p, (par_en, par_es) in enumerate(
                zip(article_en["paragraphs"], article_es["paragraphs"], strict=True)
            ):
                (corpus / f"{a:02d}_{p:02d}.txt").write_text(par_es["context"], encoding="utf-8")
                for qa_en, qa_es in zip(par_en["qas"], par_es["qas"], strict=True):
                    pairs.append((qa_en["question"], qa_es["question"]))
        random.Random(0).shuffle(pairs)
        assistant = Assistant(Settings(corpus_dir=corpus, index_dir=Path(tmp) / "index"))
        assistant.index()
        gaps = []
        for en, es in pairs[: args.limit]:
            _, evidence_es, _ = assistant.evidence(es)
            _, evidence_en, _ = assistant.evidence(en)
            if evidence_es and evidence_en:
                gaps.append(evidence_es[0].score - evidence_en[0].score)
    print(
        f"n={len(gaps)} median gap={np.median(gaps):.4f} mean={np.mean(gaps):.4f} p25={np.percentile(gaps, 25):.4f} p75={np.percentile(gaps, 75):.4f}"
    )


if __name__ == "__main__":
    main()
