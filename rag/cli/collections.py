"""``rag collections`` and ``--collection NAME``: which collection a command opens."""

from __future__ import annotations

import argparse
from typing import Any

from rag.cli.common import UserError, emit
from rag.collections import Collections
from rag.settings import Settings


def add_collection_option(commands: Any) -> None:
    """``--collection NAME`` on every command (but ``collections``, which names its own)."""
    for name, parser in commands.choices.items():
        if name != "collections":
            parser.add_argument(
                "--collection",
                default=None,
                metavar="NAME",
                help="the collection to use (default RAG_COLLECTION, 'default': RAG_CORPUS_DIR)",
            )


def open_collection(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings of the collection the command names, or of RAG_COLLECTION; it must exist
    (but for ``rag collections``, which may be what creates it)."""
    if getattr(args, "run", None) is cmd_collections:
        return settings
    name = getattr(args, "collection", None) or settings.collection
    return Collections(settings).settings_for(name)


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "collections", help="list, create, rename or delete document collections"
    )
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    def action(name: str, help: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=help, parents=[as_json])

    action("list", "the collections and their folders (the default action)")
    create = action("create", "a new, empty collection: add files, then index")
    create.add_argument("name", metavar="NAME")
    rename = action("rename", "rename a collection (not 'default')")
    rename.add_argument("old", metavar="NAME")
    rename.add_argument("new", metavar="NEW_NAME")
    delete = action("delete", "delete a collection's documents and index")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="really delete it (required)")
    parser.set_defaults(run=cmd_collections)


def cmd_collections(args: argparse.Namespace, settings: Settings) -> int:
    collections = Collections(settings)
    action = args.action or "list"
    if action == "create":
        info = collections.create(args.name)
        result: dict[str, Any] = {"created": info.to_json()}
        message = f"Created collection '{info.name}': put documents in {info.corpus}, then run "
        message += f"`rag index --collection {info.name}`."
    elif action == "rename":
        info = collections.rename(args.old, args.new)
        result = {"renamed": {"from": args.old, **info.to_json()}}
        message = f"Renamed collection '{args.old}' to '{info.name}'."
    elif action == "delete":
        info = collections.info(args.name)
        if not args.yes:
            raise UserError(
                f"deleting collection '{info.name}' removes {info.corpus.parent} "
                f"({info.files} files) and its index; add --yes to do it"
            )
        collections.delete(args.name)
        result = {"deleted": info.to_json()}
        message = f"Deleted collection '{info.name}' ({info.files} files)."
    else:
        rows = [collections.info(name) for name in collections.names()]
        result = {"collections": [r.to_json() for r in rows], "open": settings.collection}
        message = "\n".join(
            f"{'*' if r.name == settings.collection else ' '} {r.name}: {r.files} files in "
            f"{r.corpus}"
            for r in rows
        )
    if args.json:
        emit(result)
    else:
        print(message)
    return 0
