"""Answers as chat HTML: every piece of document text escaped before it reaches the page."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from rag.decline import describe
from rag.locate import where_label
from rag.types import Answer, AnswerSentence, Citation, Passage

_MARKER = re.compile(r"\[(\d+)\]")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def cite_href(source: str, start: int, end: int) -> str:
    # Gradio's chat sanitizer drops data-* attributes but keeps href, so the viewer's target
    # travels in the fragment; viewer.js reads it and asks the server for that document's text.
    return f"#cite?source={quote(source, safe='')}&start={int(start)}&end={int(end)}"


def cite_link(label: str, source: str, start: int, end: int, title: str = "") -> str:
    tip = title or f"{source} [{start}:{end}]"
    return (
        f'<a class="rag-cite" href="{esc(cite_href(source, start, end))}" '
        f'title="{esc(tip)}">{esc(label)}</a>'
    )


CHANGED = "document changed since"


def changed_mark(label: str) -> str:
    """A citation whose document changed or was deleted since the answer: no link, which
    would open other text at the stored offsets."""
    return (
        f'<span class="rag-cite-changed" title="{esc(CHANGED)}; the stored quote is shown">'
        f"{esc(label)}</span>"
    )


def link_markers(
    text: str, citations: dict[int, Citation], changed: frozenset[str] = frozenset()
) -> str:
    """Escape ``text`` and turn each ``[n]`` naming a known citation into a viewer link."""
    parts: list[str] = []
    last = 0
    for match in _MARKER.finditer(text):
        citation = citations.get(int(match.group(1)))
        if citation is None:
            continue
        parts.append(esc(text[last : match.start()]))
        label = f"[{citation.n}]"
        if citation.source in changed:
            parts.append(changed_mark(label))
        else:
            parts.append(cite_link(label, citation.source, citation.start, citation.end))
        last = match.end()
    parts.append(esc(text[last:]))
    return "".join(parts)


def _sentence_html(
    sentence: AnswerSentence, citations: dict[int, Citation], changed: frozenset[str]
) -> str:
    text = sentence.text
    if sentence.citations and not _MARKER.search(text):
        text += " " + " ".join(f"[{n}]" for n in sentence.citations)
    body = link_markers(text, citations, changed)
    if sentence.verdict == "partly":
        return (
            '<span class="rag-sentence rag-partly" '
            'title="Partly supported: the cited passage states only part of this">'
            f"{body}</span>"
        )
    if sentence.supported:
        return f'<span class="rag-sentence">{body}</span>'
    return (
        '<span class="rag-sentence rag-unsupported" '
        'title="Not supported by the cited passages">'
        f"{body}</span>"
    )


def passage_score(citation: Citation, passages: tuple[Passage, ...]) -> float | None:
    """The retrieval score of the passage the citation was quoted from."""
    for passage in passages:
        chunk = passage.chunk
        if chunk.source == citation.source and chunk.start <= citation.start < chunk.end:
            return passage.score
    return None


def sources_html(answer: Answer, changed: frozenset[str] = frozenset()) -> str:
    items = []
    for citation in answer.citations:
        score = passage_score(citation, answer.passages)
        score_html = f'<span class="rag-score">score {score:.2f}</span>' if score else ""
        if citation.source in changed:
            link = changed_mark(f"[{citation.n}]")
            score_html = f'<span class="rag-changed">{esc(CHANGED)}</span>'
        else:
            link = cite_link(f"[{citation.n}]", citation.source, citation.start, citation.end)
        where = where_label(
            citation.page, citation.page_end, citation.section, citation.locator, citation.ocr
        )
        where_html = f'<span class="rag-where">{esc(where)}</span> ' if where else ""
        items.append(
            f'<li class="rag-source">{link} '
            f'<span class="rag-doc">{esc(citation.source)}</span> {where_html}{score_html}'
            f'<q class="rag-quote">{esc(citation.quote)}</q></li>'
        )
    return f'<ol class="rag-sources">{"".join(items)}</ol>' if items else ""


def _source_link(source: str, start: int, end: int, changed: frozenset[str]) -> str:
    """A link opening the viewer at the span; plain text when the document changed since."""
    if source in changed:
        return f"{esc(source)} {changed_mark(CHANGED)}"
    return cite_link(source, source, start, end)


def _why_html(answer: Answer, changed: frozenset[str]) -> str:
    """What a refusal looked for and the sentences that came closest, with their scores."""
    decline = answer.decline
    if decline is None:
        return _nearest_html(answer, changed)
    why = "".join(f"<li>{esc(line)}</li>" for line in describe(decline, answer.language))
    items = [
        f"<li>{_source_link(c.source, c.start, c.end, changed)} "
        f'<span class="rag-score">score {c.score:.2f}</span> '
        f'<span class="rag-snippet">{esc(c.text)}</span></li>'
        for c in decline.closest
    ]
    nearest = (
        "<details class='rag-nearest'><summary>Closest passages checked</summary>"
        f"<ul>{''.join(items)}</ul></details>"
        if items
        else ""
    )
    return f'<ul class="rag-decline-why">{why}</ul>{nearest}'


def _nearest_html(answer: Answer, changed: frozenset[str]) -> str:
    if not answer.passages:
        return ""
    items = []
    for passage in answer.passages[:3]:
        chunk = passage.chunk
        snippet = chunk.text if len(chunk.text) <= 220 else chunk.text[:220] + "…"
        items.append(
            f"<li>{_source_link(chunk.source, chunk.start, chunk.end, changed)} "
            f'<span class="rag-score">score {passage.score:.2f}</span> '
            f'<span class="rag-snippet">{esc(snippet)}</span></li>'
        )
    return (
        "<details class='rag-nearest'><summary>Closest passages checked</summary>"
        f"<ul>{''.join(items)}</ul></details>"
    )


def answer_html(answer: Answer, changed: frozenset[str] = frozenset()) -> str:
    """The answer with linked markers, then its sources; a decline looks different.

    ``changed``: sources changed or deleted since a saved answer was given (never linked)."""
    warnings = "".join(f'<div class="rag-warning">{esc(w)}</div>' for w in answer.warnings)
    if not answer.answerable:
        # A found passage that does not answer reads differently from nothing found at all.
        label = NOT_AN_ANSWER_LABEL if answer.not_an_answer else "Not in the documents."
        kind = " rag-not-an-answer" if answer.not_an_answer else ""
        return (
            f'<div class="rag-decline{kind}" role="note">'
            '<span class="rag-decline-icon" aria-hidden="true">∅</span>'
            f"<div><strong>{esc(label)}</strong> "
            f"<span>{esc(answer.text)}</span>{_why_html(answer, changed)}</div></div>{warnings}"
        )
    citations = {c.n: c for c in answer.citations}
    if answer.provisional:
        return quoted_html(answer)
    if answer.sentences:
        body = " ".join(_sentence_html(s, citations, changed) for s in answer.sentences)
    else:
        body = link_markers(answer.text, citations, changed)
    timing = answer.timings_ms.get("total")
    footer = esc(_made_by(answer.generator)) + (f" · {timing / 1000:.1f} s" if timing else "")
    return (
        f'<div class="rag-answer">{body}</div>{warnings}{sources_html(answer, changed)}'
        f'<div class="rag-meta">{footer}</div>'
    )


NOT_AN_ANSWER_LABEL = "Not an answer to the question."
QUOTED_FOOTER = "Quoted from the documents"


def _made_by(generator: str) -> str:
    """How the answer was made, in a user's words: a quote kept because the model's draft was
    dropped is a quote, not a failure."""
    return QUOTED_FOOTER if generator == "extractive" else f"Written by {generator}"


QUOTED_LABEL = "Quoted from the documents — the model is writing a fuller answer…"


def quoted_html(answer: Answer, draft: str = "", status: str = "") -> str:
    """The checked extractive answer shown while the LLM writes, and the LLM's draft so far;
    ``status``: what the answer waits for once the draft is written."""
    citations = {c.n: c for c in answer.citations}
    warnings = "".join(f'<div class="rag-warning">{esc(w)}</div>' for w in answer.warnings)
    writing = f'<div class="rag-answer rag-streaming">{esc(draft)}▍</div>' if draft else ""
    if status:
        writing += f'<div class="rag-quoted-label" role="status">{esc(status)}</div>'
    return (
        f'<div class="rag-quoted-label" role="status">{esc(QUOTED_LABEL)}</div>'
        f'<div class="rag-answer rag-provisional">{link_markers(answer.text, citations)}</div>'
        f"{warnings}{sources_html(answer)}{writing}"
    )


def pending_html(partial: str = "") -> str:
    """What the chat shows while an answer is being written: the text so far, escaped."""
    if partial:
        return f'<div class="rag-answer rag-streaming">{esc(partial)}▍</div>'
    return '<div class="rag-pending">Searching the documents…</div>'


def error_html(message: str) -> str:
    return f'<div class="rag-error" role="alert">{esc(message)}</div>'
