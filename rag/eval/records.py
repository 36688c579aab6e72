"""Plain typed records for evaluation: a corpus of documents and questions about it."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class EvalDataset:
    """A named corpus and the questions asked about it."""

    name: str
    documents: tuple[EvalDocument, ...]
    questions: tuple[EvalQuestion, ...]

    def document(self, source: str) -> EvalDocument:
        for doc in self.documents:
            if doc.source == source:
                return doc
        raise KeyError(source)
