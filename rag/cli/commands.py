"""The ``rag`` subcommands: each takes the parsed arguments and the settings, returns a status."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from rag.cli.common import UserError, emit, open_assistant, progress_bar, run_index
from rag.decline import decline_text
from rag.ingest.health import DocumentHealth, document_health
from rag.locate import where_label
from rag.settings import Settings


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    assistant = open_assistant(settings, build_if_missing=False)
    started = time.time()
    report = run_index(assistant, rebuild=args.rebuild)
    health = _indexed_health(assistant, started) if report.added + report.updated else []
    if args.json:
        emit({**report.to_json(), "health": [h.to_json() for h in health]})
    else:
        print(
            f"Indexed {report.documents} documents ({report.chunks} chunks) from {settings.corpus_dir} "
            f"in {report.seconds:.1f} s: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged; "
            f"{report.passages_embedded} passages and {report.sentences_embedded} sentences "
            f"given vectors ({report.texts_embedded} texts read by the embedding model); "
            f"{len(report.skipped)} files skipped."
        )
        for skipped in report.skipped:
            print(f"  skipped {skipped}")
    for document in health:
        for warning in document.warnings:
            print(f"rag: warning: {document.source} looks badly read: {warning}", file=sys.stderr)
    if report.documents == 0:
        raise UserError(f"no readable documents in {settings.corpus_dir}")
    return 0


def _indexed_health(assistant: Any, since: float) -> list[DocumentHealth]:
    """The extraction health of the documents this run added or updated (committed since)."""
    snapshot = assistant.snapshot()
    fresh = [r for r in snapshot.records.values() if r.indexed_at >= since]
    documents = [snapshot.documents.get(r.doc_id) for r in sorted(fresh, key=lambda r: r.source)]
    return [document_health(d) for d in documents if d is not None]


def _print_answer(answer: Any, drafted: bool = False) -> None:
    if answer.provisional:
        print(f"--- quoted from the documents ({answer.generator}); the model is writing ---")
    elif drafted:
        # The draft was streamed above; what follows is what verification made of it.
        print(f"\n--- verified ({answer.generator}) ---")
    if answer.standalone_question:
        print(f"(read as: {answer.standalone_question})")
    flagged = {s.text: s.verdict for s in answer.sentences if not s.supported}
    if answer.not_an_answer:
        print("(not an answer to the question)")
    print(answer.text)
    if answer.decline is not None:
        print(decline_text(answer.decline, answer.language))
    for text, verdict in flagged.items():
        if verdict == "partly":
            print(f"  ~ partly supported by its citation: {text}")
        else:
            print(f"  ! not supported by its citation: {text}")
    for citation in answer.citations:
        print(f"  [{citation.n}] {_where(citation)} {citation.quote}")
    if not answer.provisional:
        for warning in answer.warnings:
            print(f"rag: warning: {warning}", file=sys.stderr)
    print(flush=True)


def _where(cited: Any) -> str:
    """ "debian-faq.fr.pdf p. 10 · 1 › 1.2 [2310:2391]": a citation's or match's place."""
    label = where_label(cited.page, cited.page_end, cited.section, cited.locator, cited.ocr)
    return f"{cited.source}{' ' + label if label else ''} [{cited.start}:{cited.end}]"


def _stream_to_stdout(piece: str) -> None:
    sys.stdout.write(piece)
    sys.stdout.flush()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from rag.cli.chats import SavedChat
    from rag.generation.base import Turn
    from rag.types import Status

    chat = SavedChat(settings, args.chat) if args.chat else None
    assistant = open_assistant(settings)
    history = tuple(Turn(q, a) for q, a in chat.turns) if chat else ()
    for question in args.questions:
        streamed: list[str] = []

        def on_token(piece: str, streamed: list[str] = streamed) -> None:
            if isinstance(piece, Status):  # not the answer's text: on its own line, stderr
                print(f"\n({piece})", file=sys.stderr, flush=True)
                return
            streamed.append(piece)
            _stream_to_stdout(piece)

        # The quoted answer is printed as soon as it is checked; with --json, the final
        # answer carries it as "extractive".
        answer = assistant.ask(
            question,
            history,
            on_token=None if args.json else on_token,
            on_quoted=None if args.json else _print_answer,
            sources=args.source,
        )
        if args.json:
            emit(answer.to_json())
        else:
            _print_answer(answer, drafted=bool(streamed))
        if chat is not None:
            chat.save(question, answer, assistant.snapshot())
        # A saved chat's history holds answered questions only, as the web chat's does.
        if args.conversation or (chat is not None and answer.answerable):
            history = (*history, Turn(question, answer.text))
    return 0


def cmd_models(args: argparse.Namespace, settings: Settings) -> int:
    from rag.generation.bundled import default_model_dir, format_models, list_models
    from rag.generation.registry import resolve_name

    directory = settings.model_dir or default_model_dir()
    rows = list_models(directory, verify=args.verify)
    if args.json:
        emit({"model_dir": str(directory), "generator": resolve_name(settings), "models": rows})
    else:
        print(
            f"Bundled models (cache {directory}); RAG_GENERATOR=auto picks "
            f"{resolve_name(settings)} here."
        )
        print(format_models(rows))
    return 0


def cmd_retrieve(args: argparse.Namespace, settings: Settings) -> int:
    assistant = open_assistant(settings)
    for question in args.questions:
        passages = assistant.retrieve(question, k=args.k, sources=args.source)
        if args.json:
            emit({"question": question, "passages": [p.to_json() for p in passages]})
        else:
            print(question)
            for rank, passage in enumerate(passages, start=1):
                chunk = passage.chunk
                print(
                    f"  {rank}. {chunk.source} [{chunk.start}:{chunk.end}] score={passage.score:.4f}"
                )
                print(f"     {chunk.text[:200]}")
    return 0


def _queries(given: list[str]) -> list[str]:
    # "-" reads one query a line from stdin, so a file of quotes costs one model load.
    queries: list[str] = []
    for query in given:
        if query == "-":
            queries.extend(line for line in sys.stdin.read().splitlines() if line.strip())
        else:
            queries.append(query)
    return queries


def cmd_find(args: argparse.Namespace, settings: Settings) -> int:
    if args.limit < 1:
        raise UserError("--limit must be at least 1")
    assistant = open_assistant(settings)
    for query in _queries(args.queries):
        result = assistant.find(query, limit=args.limit)
        if args.json:
            emit(result.to_json())
            continue
        print(query)
        if not result.found:
            print("  not found in the documents")
        for match in result.matches:
            kind = f"{match.kind} (LLM says yes)" if match.judged else match.kind
            print(f"  {kind} {match.score:.2f} {_where(match)} {match.quote}")
        print()
    return 0


def cmd_brief(args: argparse.Namespace, settings: Settings) -> int:
    if args.bullets < 1:
        raise UserError("--bullets must be at least 1")
    assistant = open_assistant(settings)
    show_progress = not args.json and sys.stderr.isatty()
    update, close = progress_bar(show_progress, unit="document", desc="Briefing")
    try:
        for briefing in assistant.brief_stream(
            bullets=args.bullets, source=args.source, language=args.lang, progress=update
        ):
            close()
            if not args.json:
                _print_briefing(briefing)
    finally:
        close()
    if args.json:
        emit(briefing.to_json())
    return 0


def _print_briefing(briefing: Any) -> None:
    if briefing.provisional:
        print("--- quoted from the documents; the model is writing a briefing ---")
    elif briefing.extractive is not None:
        print(f"--- written by {briefing.generator} ---")
    for bullet in briefing.bullets:
        print(f"- {bullet.text}")
    print()
    for citation in dict.fromkeys(c for b in briefing.bullets for c in b.citations):
        print(f"  [{citation.n}] {_where(citation)}")
    if not briefing.provisional:
        for warning in briefing.warnings:
            print(f"rag: note: {warning}", file=sys.stderr)
    sys.stdout.flush()


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    assistant = open_assistant(settings)
    snapshot = assistant.snapshot()
    document = snapshot.document_by_source(args.source)
    if document is None:
        known = ", ".join(sorted(snapshot.records)[:10])
        raise UserError(f"no indexed document '{args.source}' (indexed: {known})")
    record = snapshot.records[args.source]
    if args.json:
        emit(
            {
                "source": document.source,
                "title": document.title,
                "language": document.language,
                "content_hash": document.content_hash,
                "chunks": record.chunks,
                "characters": len(document.text),
                "pages": list(document.pages),
                "sections": [{"start": at, "path": path} for at, path in document.sections],
                "health": document_health(document).to_json(),
                "text": document.text,
            }
        )
    else:
        print(f"# {document.source} ({document.language}, {len(document.text)} characters)")
        print(document.text)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    if args.port is not None:
        settings = settings.model_copy(update={"port": args.port})
    if args.host is not None:
        settings = settings.model_copy(update={"host": args.host})
    assistant = open_assistant(settings)
    # The model loads while the page opens; questions asked before get the quoted answer.
    assistant.drafter.load_in_background()
    from ui.app import launch

    launch(assistant, settings)
    return 0
