"""Plain typed records for evaluation: a corpus of documents and questions about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rag.ingest.loader import text_hash
from rag.types import Document


@dataclass(frozen=True)
class EvalDocument:
    """One document of an evaluation corpus; ``source`` is its name, as a file path would be."""

    source: str
    text: str
    title: str = ""
    language: str = "unknown"

    def as_document(self) -> Document:
        """The pipeline's ``Document`` for this text, as loading its file would give."""
        return Document(self.source, self.text, text_hash(self.text), self.title, self.language)


@dataclass(frozen=True)
class GoldPassage:
    """A passage that answers a question: a citation of ``source`` whose quote contains
    ``phrase`` (ignoring whitespace) backs the answer; ``page`` is 1-based, for paged files."""

    source: str
    phrase: str
    page: int | None = None


@dataclass(frozen=True)
class FindProbe:
    """A ``rag find`` query and where it must be found (``source``/``phrase`` empty when
    ``found`` is false: the corpus does not say it)."""

    id: str
    text: str
    found: bool
    source: str = ""
    phrase: str = ""


@dataclass(frozen=True)
class EvalQuestion:
    """A question with what a correct answer and its citations must contain."""

    id: str
    question: str
    language: str
    gold_sources: tuple[str, ...]  # documents that hold the answer (or, if unanswerable, the topic)
    answers: tuple[str, ...] = ()  # gold answer strings, compared by token F1
    keyword_groups: tuple[tuple[str, ...], ...] = ()  # dev: one string of every group must appear
    gold_quotes: tuple[str, ...] = ()  # substrings of a gold document a citation should cover
    answerable: bool = True
    gold_passages: tuple[GoldPassage, ...] = ()  # real: any one of them cited backs the answer


@dataclass(frozen=True)
class EvalDataset:
    """A named corpus and the questions asked about it."""

    name: str
    documents: tuple[EvalDocument, ...]
    questions: tuple[EvalQuestion, ...]
    probes: tuple[FindProbe, ...] = ()
    # Set when the documents are real files (HTML, PDF) under this folder: the index is built
    # from copies of those files through the product's readers, and ``documents`` hold what
    # the readers extracted. None: the texts themselves are written out as files.
    files_dir: Path | None = None

    def document(self, source: str) -> EvalDocument:
        for doc in self.documents:
            if doc.source == source:
                return doc
        raise KeyError(source)
