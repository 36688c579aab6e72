"""Options that choose what a command reads: the documents a question is limited to."""

from __future__ import annotations

import argparse


def add_source_filter(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        action="append",
        default=None,
        metavar="PATH",
        help="answer from this document only (its path in the corpus folder, as `rag show` "
        "takes it); repeat for several",
    )
