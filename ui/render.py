"""Answers as chat HTML: every piece of document text escaped before it reaches the page."""

from __future__ import annotations

import html

from rag.types import Answer


def answer_html(answer: Answer) -> str:
    """The answer, then its citations with quote and source; declines look different."""
    if not answer.answerable:
        return f'<div class="rag-decline">⚠️ {html.escape(answer.text)}</div>'
    parts = [
        f'<div class="rag-answer">{html.escape(answer.text)}</div>',
        '<ol class="rag-citations">',
    ]
    for citation in answer.citations:
        parts.append(
            f'<li value="{citation.n}"><q>{html.escape(citation.quote)}</q> '
            f"<small>{html.escape(citation.source)} [{citation.start}:{citation.end}]</small></li>"
        )
    parts.append("</ol>")
    return "".join(parts)
