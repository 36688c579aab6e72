"""The ``rag`` command line: index, ask, retrieve, show and serve, each with ``--json``."""

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


def _progress_bar(enabled: bool) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar: list[Any] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit="chunk", desc="Embedding", file=sys.stderr))
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
            f"{report.passages_embedded} passages embedded; {len(report.skipped)} files skipped."
        )
        for skipped in report.skipped:
            print(f"  skipped {skipped}")
    if report.documents == 0:
        raise UserError(f"no readable documents in {settings.corpus_dir}")
    return 0


def _print_answer(answer: Any) -> None:
    print(answer.text)
    for citation in answer.citations:
        print(
            f"  [{citation.n}] {citation.source} [{citation.start}:{citation.end}] {citation.quote}"
        )
    print()


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _assistant(settings)
    for question in args.questions:
        answer = assistant.ask(question)
        if args.json:
            _emit(answer.to_json())
        else:
            _print_answer(answer)
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
    ask.set_defaults(run=cmd_ask)

    retrieve = commands.add_parser("retrieve", help="show the passages retrieved for questions")
    retrieve.add_argument("questions", nargs="+", metavar="QUESTION")
    retrieve.add_argument(
        "--k", type=int, default=None, help="number of passages (default RAG_TOP_K)"
    )
    retrieve.add_argument("--json", action="store_true", help="one JSON object per question")
    retrieve.set_defaults(run=cmd_retrieve)

    show = commands.add_parser(
        "show", help="print a document's extracted text (what offsets index)"
    )
    show.add_argument("source", metavar="SOURCE", help="path relative to the corpus folder")
    show.add_argument("--json", action="store_true", help="print text and metadata as JSON")
    show.set_defaults(run=cmd_show)

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
