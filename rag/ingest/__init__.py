"""Turning files into ``Document`` objects: reading, decoding, language detection."""

from rag.ingest.loader import (
    LoadReport,
    SkippedFile,
    iter_corpus_files,
    load_document,
    load_documents,
)

__all__ = ["LoadReport", "SkippedFile", "iter_corpus_files", "load_document", "load_documents"]
