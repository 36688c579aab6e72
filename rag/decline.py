"""An explained refusal: what the assistant looked for, what it missed, and what came closest."""

from __future__ import annotations

from rag.generation.base import Evidence
from rag.retrieval.answerability import Features
from rag.types import Closest, Decline

CLOSEST_SHOWN = 3

_KIND = {
    "en": {
        "date": "a date",
        "number": "a number",
        "person": "a person's name",
        "place": "a place",
        "yes_no": "a yes or no",
        "definition": "a definition",
        "reason": "a reason",
    },
    "fr": {
        "date": "une date",
        "number": "un nombre",
        "person": "le nom d'une personne",
        "place": "un lieu",
        "yes_no": "un oui ou un non",
        "definition": "une définition",
        "reason": "une raison",
    },
}
_TEXT = {
    "en": {
        "missing": "Not mentioned in any document: {names}.",
        "type_missing": "Looked for {kind}; the closest passages give none.",
        "looked_for": "Looked for {kind}.",
        "weak": "The closest passages are not close enough to answer "
        "(confidence {confidence:.2f}, {threshold:.2f} needed).",
        "nothing": "No passage of the documents is close to the question.",
        "read": "Read the {count} closest sentences, rows and entries: none answers the question.",
        "off_documents": "The question asks for an answer that is not from the documents; "
        "this assistant answers only from them, citing their passages.",
    },
    "fr": {
        "missing": "Absent de tous les documents : {names}.",
        "type_missing": "J'ai cherché {kind} ; les passages les plus proches n'en donnent pas.",
        "looked_for": "J'ai cherché {kind}.",
        "weak": "Les passages les plus proches ne suffisent pas pour répondre "
        "(confiance {confidence:.2f}, il faut {threshold:.2f}).",
        "nothing": "Aucun passage des documents n'est proche de la question.",
        "read": "Lu les {count} phrases, lignes et entrées les plus proches : aucune ne répond "
        "à la question.",
        "off_documents": "La question demande une réponse qui ne vient pas des documents ; "
        "cet assistant ne répond qu'à partir d'eux, en citant leurs passages.",
    },
}


def explain(
    features: Features | None,
    evidence: list[Evidence],
    confidence: float,
    threshold: float,
    off_documents: bool = False,
    read: int = 0,
) -> Decline:
    """The record of a refusal (``features`` None: retrieval found no evidence at all;
    ``off_documents``: the question asked for an answer not from the documents; ``read``: the
    reader read that many units and none answers)."""
    closest = tuple(
        Closest(e.source, e.start, e.end, e.text, e.score) for e in evidence[:CLOSEST_SHOWN]
    )
    if features is None:
        return Decline("other", False, (), confidence, threshold, closest, off_documents, read)
    return Decline(
        features.expected.value,
        features.type_found,
        features.missing_anchors,
        confidence,
        threshold,
        closest,
        off_documents,
        read,
    )


def describe(decline: Decline, language: str) -> list[str]:
    """One line per reason, in the question's language (English when not French)."""
    text = _TEXT["fr" if language == "fr" else "en"]
    kinds = _KIND["fr" if language == "fr" else "en"]
    if decline.off_documents:
        return [text["off_documents"]]
    if not decline.closest:
        return [text["nothing"]]
    if decline.read:
        return [text["read"].format(count=decline.read)]
    lines = []
    if decline.missing:
        names = ", ".join(f"« {m} »" if language == "fr" else f"“{m}”" for m in decline.missing)
        lines.append(text["missing"].format(names=names))
    kind = kinds.get(decline.expected)
    if kind and not decline.type_found:
        lines.append(text["type_missing"].format(kind=kind))
    elif kind:
        lines.append(text["looked_for"].format(kind=kind))
    if not decline.missing and (decline.type_found or not kind):
        lines.append(
            text["weak"].format(confidence=decline.confidence, threshold=decline.threshold)
        )
    return lines


def decline_text(decline: Decline, language: str) -> str:
    """The refusal's reasons and closest sentences as indented plain-text lines (CLI)."""
    lines = [f"  {line}" for line in describe(decline, language)]
    for c in decline.closest:
        text = c.text if len(c.text) <= 160 else c.text[:160] + "…"
        lines.append(f"  ~ {c.score:.2f} {c.source} [{c.start}:{c.end}] {text}")
    return "\n".join(lines)
