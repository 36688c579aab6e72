"""Event handlers behind the page and the named API endpoints (which return the CLI's JSON)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from rag.drafting import unexpected
from rag.generation.base import GenerationError
from rag.indexer import IndexProgress, IndexReport, Progress
from rag.question import QuestionError
from rag.store.errors import IndexProblem
from ui import panels
from ui.examples import example_updates
from ui.library import Library, UploadOutcome
from ui.scope import filter_update
from ui.services import Services
from ui.viewer import parse_request, source_html

ALL_DOCUMENTS = "All documents"
CONFIRM_DELETE = (
    "(source) => (source && window.confirm(`Delete ${source} from the corpus folder?`)) "
    "? source : ''"
)
_USER_ERRORS = (QuestionError, GenerationError, IndexProblem)


def _api_error(error: Exception, what: str) -> gr.Error:
    """One line for the API client: the user's error as it is, anything else named as a bug."""
    if isinstance(error, _USER_ERRORS):
        return gr.Error(str(error))
    return gr.Error(f"{unexpected(error, what)}; the server log has the details")


def _progress(progress: gr.Progress) -> Progress:
    # Gradio draws the bar and its time left from these counts (files read, characters embedded).
    def update(step: IndexProgress) -> None:
        progress((step.done, max(step.total, 1)), desc=step.stage.capitalize(), unit=step.unit)

    return update


def _report_html(report: IndexReport) -> str:
    return panels.notice_html(
        f"Index up to date: {report.documents} documents, {report.chunks} chunks "
        f"({report.added} added, {report.updated} updated, {report.removed} removed) "
        f"in {report.seconds:.1f} s.",
        "ok",
    )


def _outcome_html(outcome: UploadOutcome) -> str:
    parts = []
    if outcome.saved:
        parts.append(panels.notice_html(f"Indexed: {', '.join(outcome.saved)}.", "ok"))
    for name, reason in outcome.rejected.items():
        parts.append(panels.notice_html(f"{name}: not added, {reason}.", "error"))
    return "".join(parts)


class Handlers:
    def __init__(
        self,
        services: Services,
        library: Library,
        warning: str | None,
        notices: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.services = services
        self.library = library
        self.warning = warning
        self.notices = notices  # later problems for the status line, e.g. history off

    # -- API endpoints (typed: gr.api derives the client's schema from the hints) -------------

    def ask(self, question: str, sources: list[str] | None = None) -> dict[str, Any]:
        """Answer a question over the indexed documents (only ``sources``, document paths, when
        given); the JSON of `rag ask --json`."""
        try:
            return self.services.ask(question, sources or None)
        except Exception as error:
            raise _api_error(error, "answering") from error

    def find(self, text: str) -> dict[str, Any]:
        """Every location of a text in the documents (exact, fuzzy or semantic)."""
        try:
            return self.services.find(text)
        except Exception as error:
            raise _api_error(error, "finding the text") from error

    def brief(self, source: str = "", bullets: int = 5) -> dict[str, Any]:
        """Cited bullet points on one document (its source path) or, when empty, all of them."""
        try:
            return self.services.brief(source or None, bullets)
        except Exception as error:
            raise _api_error(error, "the briefing") from error

    def documents(self) -> dict[str, Any]:
        """The indexed documents, and files the last index run could not read."""
        return {"documents": self.library.documents()}

    def index(self) -> dict[str, Any]:
        """Bring the index in line with the corpus folder; the JSON of `rag index --json`."""
        try:
            return self.library.reindex().to_json()
        except IndexProblem as error:
            raise gr.Error(str(error)) from error

    def delete(self, source: str) -> dict[str, Any]:
        """Remove a document (its source path) from the corpus folder and the index."""
        try:
            return self.library.delete(source).to_json()
        except IndexProblem as error:
            raise gr.Error(str(error)) from error

    def upload(self, files: list[str] | None) -> dict[str, Any]:
        """Add files to the corpus folder and index them; per-file reasons for refused ones."""
        try:
            return self.library.upload([(Path(f), Path(f).name) for f in files or []]).to_json()
        except IndexProblem as error:
            raise gr.Error(str(error)) from error

    # -- page --------------------------------------------------------------------------------

    def show_source(self, data: list[Any]) -> str:
        source, start, end = parse_request(data)
        snapshot = self.services.assistant.snapshot()
        return source_html(snapshot, source, start, end, self.library.corpus)

    def find_intro(self) -> str:
        return panels.notice_html("Paste text to see every place the documents say it.")

    def brief_intro(self) -> str:
        return panels.notice_html("Choose a scope and a length, then write the briefing.")

    def find_page(self, text: str) -> str:
        if not (text or "").strip():
            return panels.notice_html("Paste some text to find first.")
        try:
            result = self.services.find(text)
        except _USER_ERRORS as error:
            return panels.notice_html(str(error), "error")
        return panels.find_html(result, self.services.assistant.snapshot())

    def brief_page(self, scope: str, bullets: float) -> Iterator[str]:
        """The quoted bullets first; with an LLM, the rewritten briefing replaces them."""
        source = "" if scope == ALL_DOCUMENTS else scope
        shown = ""
        try:
            for briefing in self.services.brief_stream(source or None, int(bullets)):
                shown = panels.brief_html(briefing)
                yield shown
        except _USER_ERRORS as error:
            yield panels.notice_html(str(error), "error")
        except Exception as error:
            yield panels.notice_html(unexpected(error, "the briefing"), "error") + shown

    def status_line(self) -> str:
        warnings = "; ".join(filter(None, (self.warning, self.notices())))
        return panels.status_html(self.services.health(), warnings or None)

    def library_views(self) -> tuple[Any, ...]:
        """Documents table, briefing scope, delete choices, status line, the chat's document
        filter and example questions, after any change."""
        rows = self.library.documents()
        sources = [r["source"] for r in rows if r["status"] == "indexed"]
        return (
            panels.documents_html(rows),
            gr.update(choices=[ALL_DOCUMENTS, *sources]),
            gr.update(choices=sources, value=None),
            self.status_line(),
            filter_update(sources),
            *example_updates(self.services.assistant),
        )

    def upload_page(self, files: list[str] | None, progress: gr.Progress = gr.Progress()):  # noqa: B008
        if not files:
            return ("", None, *self.library_views())
        try:
            outcome = self.library.upload(
                [(Path(f), Path(f).name) for f in files], progress=_progress(progress)
            )
            message = _outcome_html(outcome)
        except IndexProblem as error:
            message = panels.notice_html(str(error), "error")
        return (message, None, *self.library_views())

    def delete_page(self, source: str | None, progress: gr.Progress = gr.Progress()):  # noqa: B008
        if not source:
            return ("", *self.library_views())
        try:
            report = self.library.delete(source, progress=_progress(progress))
            message = panels.notice_html(f"Deleted {source}.", "ok") + _report_html(report)
        except IndexProblem as error:
            message = panels.notice_html(str(error), "error")
        return (message, *self.library_views())

    def reindex_page(self, progress: gr.Progress = gr.Progress()):  # noqa: B008
        try:
            message = _report_html(self.library.reindex(progress=_progress(progress)))
        except IndexProblem as error:
            message = panels.notice_html(str(error), "error")
        return (message, *self.library_views())
