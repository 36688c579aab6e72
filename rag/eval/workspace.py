"""Where an evaluation run keeps its files: the corpus written out as files, and its index."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from rag.eval.records import EvalDataset

CACHE_DIR_NAME = ".bench-cache"  # git-ignored; never the user's ``index/``


def default_cache_dir() -> Path:
    from rag.eval.datasets import REPO_ROOT

    return REPO_ROOT / CACHE_DIR_NAME


def readers_digest() -> str:
    """The source of ``rag/ingest``: what a reader attaches besides the text (page map,
    sections) is stored in the index too, so real files are re-indexed when it changes."""
    import rag.ingest

    digest = hashlib.sha256()
    for path in sorted(Path(rag.ingest.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def corpus_hash(dataset: EvalDataset) -> str:
    """Identifies the corpus by content, so a changed file gets a fresh index (for real
    files: the extracted text and the readers' code)."""
    digest = hashlib.sha256()
    if dataset.files_dir is not None:
        digest.update(readers_digest().encode())
    for doc in sorted(dataset.documents, key=lambda d: d.source):
        digest.update(f"{doc.source}\0{len(doc.text)}\0".encode())
        digest.update(doc.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


def settings_hash(settings: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()[
        :12
    ]


def write_corpus(dataset: EvalDataset, cache_dir: Path) -> Path:
    """The dataset's documents as UTF-8 files under ``cache_dir/corpora/<name>-<hash>/``, or
    copies of its real files (written once; the folder name changes whenever the content
    does: for real files, whenever the readers extract other text from them)."""
    folder = cache_dir / "corpora" / f"{dataset.name}-{corpus_hash(dataset)}"
    done = folder / ".complete"
    if done.exists():
        return folder
    for doc in dataset.documents:
        path = folder / doc.source
        path.parent.mkdir(parents=True, exist_ok=True)
        if dataset.files_dir is not None:  # real files go through the product's readers
            shutil.copyfile(dataset.files_dir / doc.source, path)
            continue
        # newline="" so the file holds exactly the text every offset refers to
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(doc.text)
    done.write_text("")
    return folder


def index_dir(dataset: EvalDataset, settings: dict[str, object], cache_dir: Path) -> Path:
    """A per-corpus, per-settings index folder inside the cache."""
    return (
        cache_dir / "indexes" / f"{dataset.name}-{corpus_hash(dataset)}-{settings_hash(settings)}"
    )
