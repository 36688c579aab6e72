"""Example questions from the indexed documents themselves, for the chat's example buttons.

The briefing's key sentences (the extractive pick, cached per document) each give a question by
a fixed rule, in that document's language: the longest run of capitalised words inside the
sentence (a name: "Jensen Huang", "Ascend AI") becomes "What does the document say about …?".
Documents with no such name give one question on their title. The result is kept on disk per
index version, so a page load costs a file read; any index commit makes new ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from rag.brief.cache import BriefCache
from rag.brief.summarise import extractive_bullets
from rag.retrieval.lexical import STOPWORDS, fold
from rag.store.sentence_vectors import DocumentSentenceVectors
from rag.store.snapshot import IndexSnapshot
from rag.types import Document

# Bump when the rule changes, so cached questions of the old rule are not shown.
RULE = 3
COUNT = 4
_WORD = re.compile(r"[^\W\d_][\w’'-]*", re.UNICODE)
_TEMPLATES = {
    "fr": ("Que dit le document sur {topic} ?", "Que disent les documents sur {topic} ?"),
    "en": ("What does the document say about {topic}?", "What do the documents say about {topic}?"),
}
_TITLE = {"fr": "De quoi parle « {title} » ?", "en": "What is “{title}” about?"}
_MAX_TOPIC_WORDS = 4
# " de l'industrie", " du Commerce", " of Commerce": a particle, an optional article, a word.
_COMPLEMENT = re.compile(
    r"\s+((?:de|du|des|d[’']|of)\s*(?:(?:la|le|les|l[’']|the)\s*)?[^\W\d_][\w-]*)",
    re.IGNORECASE,
)
_TERM = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:[_/.][a-z0-9]+)+(?![\w/-])")


def _with_complement(sentence: str, end: int, word: str) -> str:
    """A lone capitalised word with the complement that names it: "Bureau de l'industrie",
    "Ministry of Commerce" (a common noun written as a title reads oddly alone)."""
    follows = _COMPLEMENT.match(sentence, end)
    return f"{word} {follows.group(1)}" if follows else word


def topic(sentence: str) -> str | None:
    """The longest run of capitalised words after the sentence's first word; else the longest
    command- or file-like term ("dh_make"); else None."""
    words = list(_WORD.finditer(sentence))
    best: list[str] = []
    best_end = 0
    run: list[str] = []
    previous_end = -1
    for i, match in enumerate(words):
        word = match.group().rstrip("’'")
        gap = sentence[previous_end : match.start()] if previous_end >= 0 else ""
        proper = (
            i > 0
            and word[0].isupper()
            and len(word) > 1
            and not (word.isupper() and len(word) > 3)  # a shouted headline, not a name
            and fold(word) not in STOPWORDS
        )
        if proper and run and gap.strip() == "":
            run.append(word)
        elif proper:
            run = [word]
        else:
            run = []
        if len(run) > len(best):
            best, best_end = list(run), match.end()
        previous_end = match.end()
    if len(best) == 1:
        return _with_complement(sentence, best_end, best[0])
    if best:
        return " ".join(best[:_MAX_TOPIC_WORDS])
    # Technical prose names its subjects in lower case: a command, file or package name
    # ("dh_make", "debian/rules") is as specific as a proper name.
    terms = sorted(_TERM.findall(sentence), key=len, reverse=True)
    return terms[0] if terms else None


def _language(document: Document) -> str:
    return document.language if document.language in _TEMPLATES else "en"


def questions_for(
    documents: Sequence[Document], store: DocumentSentenceVectors, cache: BriefCache
) -> list[str]:
    """Up to ``COUNT`` questions, each on a different name, from the documents' key sentences."""
    by_source = {d.source: d for d in documents}
    several = int(len(documents) > 1)
    found: list[tuple[str, Document]] = []  # (name, its document), in the bullets' order
    seen: set[str] = set()
    for bullet in extractive_bullets(documents, store, cache, 3 * COUNT):
        name = topic(bullet.citations[0].quote)
        if name is not None and fold(name) not in seen:
            seen.add(fold(name))
            found.append((name, by_source[bullet.citations[0].source]))
    # Every document's best name first, then names of several words ("Jensen Huang" says
    # more than "Bureau"); shown in the bullets' order.
    first_of: dict[str, tuple[str, Document]] = {}
    for name, document in found:
        first_of.setdefault(document.source, (name, document))
    firsts = list(first_of.values())
    rest = sorted((f for f in found if f not in firsts), key=lambda f: " " not in f[0])
    ranked = [*firsts, *rest][:COUNT]
    chosen = [
        _TEMPLATES[_language(document)][several].format(topic=name)
        for name, document in found
        if (name, document) in ranked
    ]
    named = {document.source for _, document in found}
    for document in documents:  # a document without names is asked about by its title
        if len(chosen) < COUNT and document.source not in named and document.title.strip():
            chosen.append(_TITLE[_language(document)].format(title=document.title.strip()[:80]))
    return chosen


class ExampleQuestions:
    """``folder/examples.json``: the questions of one index version (and rule)."""

    def __init__(self, folder: Path, store: DocumentSentenceVectors) -> None:
        self.path = folder / "examples.json"
        self.store = store
        self.cache = BriefCache(folder / "briefs")

    def get(self, snapshot: IndexSnapshot) -> list[str]:
        key = f"{snapshot.version}-r{RULE}"
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            if saved.get("key") == key:
                return [str(q) for q in saved["questions"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # none yet, or torn: make them again
        documents = sorted(snapshot.documents.values(), key=lambda d: d.source)
        questions = questions_for(documents, self.store, self.cache) if documents else []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".tmp")
            partial.write_text(json.dumps({"key": key, "questions": questions}), encoding="utf-8")
            partial.replace(self.path)
        except OSError:
            pass  # a read-only index folder: the questions are made again next time
        return questions
