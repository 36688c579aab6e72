"""The ``rag`` argument parser and entry point: user errors become one line and exit status 2."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from rag import __version__
from rag.cli.chats import add_chat_option
from rag.cli.chats import add_parser as add_chats_parser
from rag.cli.collections import add_collection_option, open_collection
from rag.cli.collections import add_parser as add_collections_parser
from rag.cli.commands import (
    cmd_ask,
    cmd_brief,
    cmd_find,
    cmd_index,
    cmd_models,
    cmd_retrieve,
    cmd_serve,
    cmd_show,
)
from rag.cli.common import UserError, quiet_libraries
from rag.cli.scope import add_source_filter
from rag.settings import Settings


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
    add_source_filter(ask)
    add_chat_option(ask)
    ask.set_defaults(run=cmd_ask)

    retrieve = commands.add_parser("retrieve", help="show the passages retrieved for questions")
    retrieve.add_argument("questions", nargs="+", metavar="QUESTION")
    retrieve.add_argument(
        "--k", type=int, default=None, help="number of passages (default RAG_TOP_K)"
    )
    retrieve.add_argument("--json", action="store_true", help="one JSON object per question")
    add_source_filter(retrieve)
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

    add_chats_parser(commands)
    from rag.eval.cli import add_parser as add_eval_parser

    add_eval_parser(commands)
    add_collections_parser(commands)
    add_collection_option(commands)  # last: every command has it
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    quiet_libraries()
    args = build_parser().parse_args(argv)
    from rag.collections import CollectionError
    from rag.embedding import EmbeddingUnavailable
    from rag.generation.base import GenerationError
    from rag.generation.registry import UnknownGenerator
    from rag.question import QuestionError
    from rag.store.errors import IndexProblem

    if getattr(args, "run", None) is cmd_serve:
        # The server's log is where a failure's traceback belongs; the page shows one line.
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    else:
        # A command prints one line per failure; its traceback would bury the answer.
        logging.getLogger("rag").addHandler(logging.NullHandler())
    try:
        settings = open_collection(args, Settings())
        if getattr(args, "k", None) is not None and args.k < 1:
            raise UserError("--k must be at least 1")
        return int(args.run(args, settings))
    except ValidationError as error:
        first = error.errors()[0]
        field = "RAG_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        print(f"rag: invalid setting {field}: {first['msg']}", file=sys.stderr)
    except (
        UserError,
        CollectionError,
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
