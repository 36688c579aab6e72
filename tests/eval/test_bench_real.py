"""scripts/bench.py's Real documents section: spliced into BENCHMARKS.md in place, and a saved
"before" run rendered next to the current one."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rag.eval.datasets import REPO_ROOT


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(REPO_ROOT / "scripts"))  # bench.py imports bench_extraction
    try:
        import bench as module
    finally:
        sys.path.remove(str(REPO_ROOT / "scripts"))
    return module


DOCUMENT = "# Benchmarks\n\nintro\n\n## Scale\n\nscale table\n\n## Answerability: x\n\nkept\n"


def test_section_goes_before_answerability_then_is_replaced_in_place(bench: ModuleType) -> None:
    first = "## Real documents (x)\n\nfirst run\n"
    once = bench.splice_section(DOCUMENT, first, "## Answerability")
    assert once.index("first run") < once.index("## Answerability") < once.index("kept")
    assert once.startswith("# Benchmarks\n\nintro\n\n## Scale\n\nscale table\n\n## Real")
    twice = bench.splice_section(once, "## Real documents (x)\n\nsecond run\n", "## Answerability")
    assert "first run" not in twice and twice.count("## Real documents") == 1
    assert twice.replace("second run", "first run") == once  # nothing else moved


def _run(code: str, created: str, right: float, page: float | None) -> dict[str, Any]:
    summary = {"answerable": 18, "unanswerable": 6, "probes": 8, "pdf_gold_citations": 4,
               "answered_right": right, "pdf_page_share": page, "declined": 0.5}  # fmt: skip
    build = {"seconds": 100.0, "characters": 350_000, "characters_per_second": 3500, "chunks": 9}
    run = {"code_version": code, "real": {"summary": summary}, "index": {"build": build}}
    row = {"documents": 1, "characters": 10, "sentences_per_document": 2.0, "garbled_share": 0.2,
           "one_word_sentence_share": 0.4, "gold_phrases_found": 1, "gold_phrases": 2}  # fmt: skip
    extraction = {"PDF: pypdf (old)": row, "PDF: rag.ingest now": row}
    return {"code_version": code, "created": created, "generator": "extractive", "eval": run,
            "extraction": extraction}  # fmt: skip


def test_a_saved_before_run_gets_its_own_column(bench: ModuleType) -> None:
    before = _run("aaa", "t1", 3 / 18, None)
    after = _run("bbb", "t2", 12 / 18, 0.75)
    section = bench.render_real(after, before)
    assert "| | before, at aaa | at bbb |" in section
    assert "| answered right (keywords and gold citation) | 17% (3/18) | 67% (12/18) |" in section
    assert "| PDF gold citations with the gold page | – | 75% (3/4) |" in section
    assert "| PDF: rag.ingest at aaa |" in section and "| PDF: rag.ingest now |" in section
    alone = bench.render_real(after, after)  # the run saved as "before" is this very run
    assert "before, at" not in alone and "| | at bbb |" in alone


def test_the_real_section_is_among_the_included_sections(bench: ModuleType) -> None:
    assert bench.REAL_SECTION.relative_to(REPO_ROOT).as_posix() in bench.MEASURED_ELSEWHERE
    assert Path(REPO_ROOT / bench.MEASURED_ELSEWHERE[0]).name == "bench-real.md"


def test_a_previous_run_gets_a_column_between_before_and_now(bench: ModuleType) -> None:
    before = _run("aaa", "t1", 3 / 18, None)
    start = _run("ccc", "t2", 9 / 18, 1.0)
    after = _run("bbb", "t3", 12 / 18, 1.0)
    section = bench.render_real(after, before, [start])
    assert "| | before, at aaa | at ccc | at bbb |" in section
    assert "| 17% (3/18) | 50% (9/18) | 67% (12/18) |" in section
