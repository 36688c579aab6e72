"""The ``rag`` command line: index, ask, retrieve, find, brief, show, models, serve and eval."""

from rag.cli.main import main

__all__ = ["main"]
