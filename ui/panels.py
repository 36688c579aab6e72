"""HTML for the other tabs (find, briefing, documents) and the status line, all text escaped."""

from __future__ import annotations

import time
from typing import Any

from rag.locate import where_label
from rag.store.snapshot import IndexSnapshot
from rag.types import Citation
from ui.render import cite_link, esc, link_markers
from ui.services import Health

CONTEXT_CHARS = 160


def notice_html(message: str, kind: str = "info") -> str:
    return f'<div class="rag-notice rag-notice-{esc(kind)}">{esc(message)}</div>'


def _context(snapshot: IndexSnapshot, match: dict[str, Any]) -> str:
    source, start, end = str(match.get("source", "")), int(match["start"]), int(match["end"])
    document = snapshot.document_by_source(source)
    if document is None:
        return esc(match.get("text") or match.get("quote") or "")
    text = document.text
    lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return (
        ("…" if lo else "")
        + esc(text[lo:start])
        + f'<mark class="rag-match">{esc(text[start:end])}</mark>'
        + esc(text[end:hi])
        + ("…" if hi < len(text) else "")
    )


def _where_html(match: dict[str, Any]) -> str:
    label = where_label(
        match.get("page"),
        match.get("page_end"),
        match.get("section"),
        match.get("locator"),
        match.get("ocr"),
    )
    return f'<span class="rag-where">{esc(label)}</span> ' if label else ""


def find_html(result: dict[str, Any], snapshot: IndexSnapshot) -> str:
    """Every location of a quote, with its kind, score and surrounding text."""
    matches = result.get("matches") or result.get("locations") or []
    if not matches:
        return notice_html("The documents contain nothing close to this text.", "empty")
    items = []
    for match in matches:
        kind = str(match.get("kind", "match"))
        score = match.get("score")
        # The LLM's second look (rag.find.judged): its score is P(yes), not the model's.
        judged = bool(match.get("judged_by_llm"))
        label = f"{'LLM says yes' if judged else 'score'} {float(score or 0):.2f}"
        score_html = f'<span class="rag-score">{label}</span>' if score is not None else ""
        source, start, end = str(match["source"]), int(match["start"]), int(match["end"])
        items.append(
            f'<li class="rag-find-item"><div class="rag-find-head">'
            f'<span class="rag-kind rag-kind-{esc(kind)}">{esc(kind)}</span> '
            f"{cite_link(source, source, start, end)} "
            f"{_where_html(match)}"
            f'<span class="rag-offsets">[{start}:{end}]</span> {score_html}</div>'
            f'<div class="rag-context">{_context(snapshot, match)}</div></li>'
        )
    count = f"{len(matches)} location{'s' if len(matches) != 1 else ''}"
    return f'<div class="rag-find-count">{count}</div><ol class="rag-find">{"".join(items)}</ol>'


def _citations(raw: list[dict[str, Any]]) -> dict[int, Citation]:
    return {
        int(c["n"]): Citation(
            int(c["n"]), str(c["source"]), int(c["start"]), int(c["end"]), str(c["quote"])
        )
        for c in raw
    }


def brief_html(result: dict[str, Any]) -> str:
    """Bullets whose ``[n]`` markers open the source viewer."""
    shared = _citations(result.get("citations", []))
    items = []
    for bullet in result.get("bullets", []):
        if isinstance(bullet, str):
            text, citations = bullet, shared
        else:
            text = str(bullet.get("text", ""))
            citations = {**shared, **_citations(bullet.get("citations", []))}
        items.append(f"<li>{link_markers(text, citations)}</li>")
    if not items:
        return notice_html("The documents gave nothing to brief on.", "empty")
    notes = "".join(f'<div class="rag-warning">{esc(w)}</div>' for w in result.get("warnings", []))
    if result.get("provisional"):
        label = "Quoted from the documents — the model is writing a fuller briefing…"
        return (
            f'<div class="rag-quoted-label" role="status">{esc(label)}</div>'
            f'<ul class="rag-brief rag-provisional">{"".join(items)}</ul>{notes}'
        )
    return f'<ul class="rag-brief">{"".join(items)}</ul>{notes}'


def _when(timestamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp)) if timestamp else ""


def _health_html(row: dict[str, Any]) -> str:
    """The ingestion health line of a document, and a warning when it looks badly read."""
    line = f'<div class="rag-doc-health">{esc(row["health"])}</div>' if row.get("health") else ""
    warnings = "".join(
        f'<div class="rag-warning">Looks badly read: {esc(w)}</div>'
        for w in row.get("warnings", [])
    )
    return line + warnings


def documents_html(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return notice_html("No documents are indexed yet: upload some files.", "empty")
    body = []
    for row in rows:
        if row["status"] == "error":
            body.append(
                f'<tr class="rag-doc-error"><td>{esc(row["source"])}</td>'
                f'<td colspan="4">not indexed: {esc(row["error"])}</td></tr>'
            )
            continue
        pending = int(row.get("pending_chunks", 0))
        # A long document answers from its committed chunks while the rest is embedded.
        status = f"searchable, {pending} chunks to go" if pending else "indexed"
        body.append(
            f"<tr><td>{cite_link(row['source'], row['source'], 0, 0, 'Open in the viewer')}"
            f'<div class="rag-doc-title">{esc(row["title"])}</div>'
            f"{_health_html(row)}</td>"
            f"<td>{esc(row['language'])}</td><td>{int(row['chunks'])}</td>"
            f"<td>{esc(_when(row['indexed_at']))}</td><td>{status}</td></tr>"
        )
    return (
        '<div class="rag-table-wrap"><table class="rag-docs"><thead><tr><th>Document</th>'
        "<th>Language</th><th>Chunks</th><th>Indexed</th><th>Status</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def status_html(health: Health, warning: str | None = None) -> str:
    parts = [f"Generator: <b>{esc(health.generator)}</b>"]
    if health.llm is not None:
        state = "ok" if health.llm == "answers" else "bad"
        parts.append(f'<span class="rag-{state}">LLM {esc(health.llm)}</span>')
    state = "bad" if "does not answer" in health.store else "ok"
    parts.append(f'<span class="rag-{state}">{esc(health.store)}</span>')
    parts.append(
        f"collection <b>{esc(health.collection)}</b>: "
        f"{health.documents} documents · {health.chunks} chunks"
    )
    html = " · ".join(parts)
    if warning:
        html += f' <span class="rag-bad">⚠ {esc(warning)}</span>'
    return f'<div class="rag-status" role="status">{html}</div>'
