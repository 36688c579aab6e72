"""The ``rag`` command line: index, ask, retrieve, find, brief, show and serve, with ``--json``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from rag import __version__
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.indexer import IndexReport
    from rag.pipeline import Assistant

Command = Callable[[argparse.Namespace, Settings], int]


class UserError(Exception):
    """An error the user caused and can fix: printed as one line, exit status 2."""


def _quiet_libraries() -> None:
    # Offline machine: telemetry calls would only time out.
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _emit(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False), flush=True)


def _progress_bar(
    enabled: bool, unit: str = "chunk", desc: str = "Embedding"
) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit=unit, desc=desc, file=sys.stderr))
        bar[0].update(done - bar[0].n)

    return update, lambda: bar[0].close() if bar else None


def _assistant(settings: Settings, build_if_missing: bool = True) -> Assistant:
    from rag.pipeline import Assistant

    assistant = Assistant(settings)
    if build_if_missing and not assistant.store.exists():
        print(
            f"No index at {settings.index_dir}; building it from {settings.corpus_dir} first.",
            file=sys.stderr,
        )
        report = _run_index(assistant, progress=sys.stderr.isatty())
        if report.documents == 0:
            raise UserError(f"no readable documents in {settings.corpus_dir}")
    return assistant


def _run_index(assistant: Assistant, rebuild: bool = False, progress: bool = True) -> IndexReport:
    update, close = _progress_bar(progress)
    try:
        return assistant.index(rebuild=rebuild, progress=update)
    finally:
        close()


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _assistant(settings, build_if_missing=False)
    report = _run_index(
        assistant, rebuild=args.rebuild, progress=not args.json and sys.stderr.isatty()
    )
    if args.json:
        _emit(report.to_json())
    else:
        print(
            f"Indexed {report.documents} documents ({report.chunks} chunks) from {settings.corpus_dir} "
            f"in {report.seconds:.1f} s: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged; "
            f"{report.passages_embedded} passages and {report.sentences_embedded} sentences "
            f"embedded; {len(report.skipped)} files skipped."
        )
        for skipped in report.skipped:
            print(f"  skipped {skipped}")
    if report.documents == 0:
        raise UserError(f"no readable documents in {settings.corpus_dir}")
    return 0


def _print_answer(answer: Any, drafted: bool = False) -> None:
    if drafted:
        # The draft was streamed above; what follows is what verification made of it.
        print(f"\n--- verified ({answer.generator}) ---")
    if answer.standalone_question:
        print(f"(read as: {answer.standalone_question})")
    unsupported = {s.text for s in answer.sentences if not s.supported}
    print(answer.text)
    for text in unsupported:
        print(f"  ! not supported by its citation: {text}")
    for citation in answer.citations:
        print(
            f"  [{citation.n}] {citation.source} [{citation.start}:{citation.end}] {citation.quote}"
        )
    for warning in answer.warnings:
        print(f"rag: warning: {warning}", file=sys.stderr)
    print()


def _stream_to_stdout(piece: str) -> None:
    sys.stdout.write(piece)
    sys.stdout.flush()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from rag.generation.base import Turn

    assistant = _assistant(settings)
    history: tuple[Turn, ...] = ()
    for question in args.questions:
        streamed: list[str] = []

        def on_token(piece: str, streamed: list[str] = streamed) -> None:
            streamed.append(piece)
            _stream_to_stdout(piece)

        answer = assistant.ask(question, history, on_token=None if args.json else on_token)
        if args.json:
            _emit(answer.to_json())
        else:
            _print_answer(answer, drafted=bool(streamed))
        if args.conversation:
            history = (*history, Turn(question, answer.text))
    return 0


def cmd_models(args: argparse.Namespace, settings: Settings) -> int:
    from rag.generation.bundled import default_model_dir, format_models, list_models
    from rag.generation.registry import resolve_name

    directory = settings.model_dir or default_model_dir()
    rows = list_models(directory, verify=args.verify)
    if args.json:
        _emit({"model_dir": str(directory), "generator": resolve_name(settings), "models": rows})
    else:
        print(
            f"Bundled models (cache {directory}); RAG_GENERATOR=auto picks "
            f"{resolve_name(settings)} here."
        )
        print(format_models(rows))
    return 0


def cmd_retrieve(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _assistant(settings)
    for question in args.questions:
        passages = assistant.retrieve(question, k=args.k)
        if args.json:
            _emit({"question": question, "passages": [p.to_json() for p in passages]})
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
    assistant = _assistant(settings)
    for query in _queries(args.queries):
        result = assistant.find(query, limit=args.limit)
        if args.json:
            _emit(result.to_json())
            continue
        print(query)
        if not result.found:
            print("  not found in the documents")
        for match in result.matches:
            print(
                f"  {match.kind} {match.score:.2f} {match.source} [{match.start}:{match.end}] "
                f"{match.quote}"
            )
        print()
    return 0


def cmd_brief(args: argparse.Namespace, settings: Settings) -> int:
    if args.bullets < 1:
        raise UserError("--bullets must be at least 1")
    assistant = _assistant(settings)
    show_progress = not args.json and sys.stderr.isatty()
    update, close = _progress_bar(show_progress, unit="document", desc="Briefing")
    try:
        briefing = assistant.brief(
            bullets=args.bullets, source=args.source, language=args.lang, progress=update
        )
    finally:
        close()
    if args.json:
        _emit(briefing.to_json())
        return 0
    for bullet in briefing.bullets:
        print(f"- {bullet.text}")
    print()
    for citation in dict.fromkeys(c for b in briefing.bullets for c in b.citations):
        print(f"  [{citation.n}] {citation.source} [{citation.start}:{citation.end}]")
    for warning in briefing.warnings:
        print(f"rag: note: {warning}", file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _assistant(settings)
    snapshot = assistant.snapshot()
    document = snapshot.document_by_source(args.source)
    if document is None:
        known = ", ".join(sorted(snapshot.records)[:10])
        raise UserError(f"no indexed document '{args.source}' (indexed: {known})")
    record = snapshot.records[args.source]
    if args.json:
        _emit(
            {
                "source": document.source,
                "title": document.title,
                "language": document.language,
                "content_hash": document.content_hash,
                "chunks": record.chunks,
                "characters": len(document.text),
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
    assistant = _assistant(settings)
    from ui.app import launch

    launch(assistant, settings)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rag",
        description="Ask questions over a folder of documents; answers cite exact passages.",
        epilog="Settings come from RAG_* environment variables (see README).",
    )
    parser.add_argument("--version", action="version", version=f"rag {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    index = commands.add_parser("index", help="build or update the index from the corpus folder")
    index.add_argument("--rebuild", action="store_true", help="discard the index and build it anew")
    index.add_argument("--json", action="store_true", help="print the report as JSON")
    index.set_defaults(run=cmd_index)

    ask = commands.add_parser("ask", help="answer questions with cited passages")
    ask.add_argument("questions", nargs="+", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument(
        "--conversation",
        action="store_true",
        help="treat the questions as one conversation: later ones may be follow-ups",
    )
    ask.set_defaults(run=cmd_ask)

    retrieve = commands.add_parser("retrieve", help="show the passages retrieved for questions")
    retrieve.add_argument("questions", nargs="+", metavar="QUESTION")
    retrieve.add_argument(
        "--k", type=int, default=None, help="number of passages (default RAG_TOP_K)"
    )
    retrieve.add_argument("--json", action="store_true", help="one JSON object per question")
    retrieve.set_defaults(run=cmd_retrieve)

    find = commands.add_parser(
        "find", help="locate quotes, paraphrases or translations in the documents"
    )
    find.add_argument(
        "queries", nargs="+", metavar="TEXT", help="text to locate; '-' reads one per line"
    )
    find.add_argument("--limit", type=int, default=5, help="most matches per query (default 5)")
    find.add_argument("--json", action="store_true", help="one JSON object per query")
    find.set_defaults(run=cmd_find)

    brief = commands.add_parser(
        "brief", help="a short briefing whose bullets cite the documents verbatim"
    )
    brief.add_argument("--bullets", type=int, default=7, help="number of bullets (default 7)")
    brief.add_argument("--source", default=None, help="brief on this document only")
    brief.add_argument(
        "--lang", choices=["en", "fr"], default=None, help="briefing language (default: documents')"
    )
    brief.add_argument("--json", action="store_true", help="print the briefing as JSON")
    brief.set_defaults(run=cmd_brief)

    show = commands.add_parser(
        "show", help="print a document's extracted text (what offsets index)"
    )
    show.add_argument("source", metavar="SOURCE", help="path relative to the corpus folder")
    show.add_argument("--json", action="store_true", help="print text and metadata as JSON")
    show.set_defaults(run=cmd_show)

    models = commands.add_parser("models", help="list the bundled LLMs and their checksum status")
    models.add_argument("--json", action="store_true", help="print the list as JSON")
    models.add_argument("--verify", action="store_true", help="re-hash assembled model files")
    models.set_defaults(run=cmd_models)

    serve = commands.add_parser("serve", help="start the web app")
    serve.add_argument("--port", type=int, default=None, help="port (default RAG_PORT, 7860)")
    serve.add_argument("--host", default=None, help="address (default RAG_HOST, 127.0.0.1)")
    serve.set_defaults(run=cmd_serve)

    from rag.eval.cli import add_parser as add_eval_parser

    add_eval_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _quiet_libraries()
    args = build_parser().parse_args(argv)
    from rag.embedding import EmbeddingUnavailable
    from rag.generation.base import GenerationError
    from rag.generation.registry import UnknownGenerator
    from rag.pipeline import QuestionError
    from rag.store.errors import IndexProblem

    try:
        settings = Settings()
        if getattr(args, "k", None) is not None and args.k < 1:
            raise UserError("--k must be at least 1")
        return int(args.run(args, settings))
    except ValidationError as error:
        first = error.errors()[0]
        field = "RAG_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        print(f"rag: invalid setting {field}: {first['msg']}", file=sys.stderr)
    except (
        UserError,
        QuestionError,
        IndexProblem,
        UnknownGenerator,
        GenerationError,
        EmbeddingUnavailable,
    ) as error:
        print(f"rag: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        print("rag: interrupted; the index keeps what was committed", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
