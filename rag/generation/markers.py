"""Pure parsing of an answer's ``[n]`` citation markers and its split into claim sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A citation group: [1], [1, 3], [1-2], [Passage 2], [source 1], 【1】, or (1) / (1, 2).
# Parenthesised numbers are limited to two digits so "(2019)" stays a year, not a citation.
_KEY_LIST = r"\d{1,3}(?:\s*(?:,|;|-|–|and|et)\s*\d{1,3})*"
_MARKER = re.compile(
    rf"\[\s*(?:passages?|sources?|documents?|doc|ref)?\s*#?\s*(?P<b>{_KEY_LIST})\s*\]"
    r"|【\s*(?P<j>\d{1,3})\s*】"
    r"|\(\s*(?:passages?|sources?)?\s*(?P<p>\d{1,2}(?:\s*,\s*\d{1,2})*)\s*\)",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)")
_NUMBER = re.compile(r"\d+")
# A trailing list of the passages ("Sources: [1] ...") repeats the prompt and makes no claim.
_SOURCES_TRAILER = re.compile(
    r"\n\s*(?:\*\*)?(?:sources?|references?|références?|citations?)\s*(?:\*\*)?\s*:.*\Z",
    re.IGNORECASE | re.DOTALL,
)
_ANSWER_PREFIX = re.compile(r"\A\s*(?:\*\*)?(?:answer|réponse)\s*(?:\*\*)?\s*:\s*", re.IGNORECASE)
# Words after which a period does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "m", "mme", "mlle", "vs", "etc", "e.g", "i.e",
    "no", "p", "inc", "ltd", "co", "jr", "sr", "u.s", "d.c", "cf", "av", "j.-c",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?…]+[\"»”)’']*")
_WORD_BEFORE = re.compile(r"([\w.\-]+)$")


@dataclass(frozen=True)
class Marker:
    """One citation group found in an answer: its span and the keys it lists, in order."""

    start: int
    end: int
    keys: tuple[int, ...]


@dataclass(frozen=True)
class DraftSentence:
    """One sentence of an answer, its markers stripped, with the keys it cites."""

    text: str
    keys: tuple[int, ...]


def _keys(group: str) -> list[int]:
    keys: list[int] = []
    rest = group
    for match in _RANGE.finditer(group):
        low, high = int(match.group(1)), int(match.group(2))
        if 0 < high - low < 20:  # "[1-3]" is a range; "[3-1]" or "[1-900]" are not trusted
            keys.extend(range(low, high + 1))
        rest = rest.replace(match.group(0), " ")
    keys.extend(int(n) for n in _NUMBER.findall(rest))
    return keys


def parse_markers(text: str) -> list[Marker]:
    """Every citation group in ``text``, in order, with duplicate keys inside a group removed."""
    markers = []
    for match in _MARKER.finditer(text):
        group = match.group("b") or match.group("j") or match.group("p") or ""
        keys = tuple(dict.fromkeys(_keys(group)))
        markers.append(Marker(match.start(), match.end(), keys))
    return markers


def strip_markers(text: str) -> str:
    """``text`` without its citation groups and the spaces before them."""
    stripped = re.sub(rf"[ \t]*(?:{_MARKER.pattern})", "", text, flags=_MARKER.flags)
    return re.sub(r"[ \t]{2,}", " ", stripped).strip()


def renumber(text: str, valid: int) -> tuple[str, dict[int, int]]:
    """Keep keys in ``1..valid``, number them by first appearance, and write them as ``[n]``.

    Returns the rewritten text and the mapping from the model's key to the new number.
    Markers whose keys are all invalid vanish with the space before them.
    """
    mapping: dict[int, int] = {}
    out: list[str] = []
    cursor = 0
    for marker in parse_markers(text):
        kept = [k for k in marker.keys if 1 <= k <= valid]
        for key in kept:
            mapping.setdefault(key, len(mapping) + 1)
        before = text[cursor : marker.start]
        if not kept:
            before = before.rstrip(" \t")
        out.append(before)
        out.append("".join(f"[{mapping[k]}]" for k in dict.fromkeys(kept)))
        cursor = marker.end
    out.append(text[cursor:])
    return "".join(out), mapping


def clean_answer(text: str) -> str:
    """The model's raw output minus an "Answer:" prefix and a trailing list of sources."""
    text = _ANSWER_PREFIX.sub("", text)
    text = _SOURCES_TRAILER.sub("", text)
    # An answer cut off by the token limit can end inside a marker: "… Huang [2".
    text = re.sub(r"[ \t]*[\[(【][\d\s,]*\Z", "", text)
    return text.replace("**", "").strip()


def _sentence_ends(text: str) -> list[int]:
    """Offsets just past each sentence, markers right after its final stop included."""
    ends: list[int] = []
    for match in _SENTENCE_END.finditer(text):
        word = _WORD_BEFORE.search(text, 0, match.start())
        if match.group().startswith(".") and word:
            token = word.group(1).lower()
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            if token[-1:].isdigit() and text[match.end() : match.end() + 1].isdigit():
                continue  # a decimal such as 3.5
        end = match.end()
        # "Claim. [1]" — a marker after the stop still belongs to this sentence.
        while True:
            marker = _MARKER.match(text, end + len(text[end:]) - len(text[end:].lstrip(" \t")))
            if not marker:
                break
            end = marker.end()
        if end < len(text) and not text[end].isspace():
            continue
        ends.append(end)
    return ends


def split_sentences(text: str) -> list[DraftSentence]:
    """The answer's sentences (also list items and lines), each with the keys it cites."""
    sentences: list[DraftSentence] = []
    for line in text.splitlines():
        start = 0
        bounds = [*_sentence_ends(line), len(line)]
        for end in bounds:
            if end <= start:
                continue
            piece = line[start:end]
            start = end
            body = strip_markers(piece)
            body = re.sub(r"\A\s*(?:[-*•]|\d+[.)])\s+", "", body)  # list bullets
            if not re.search(r"\w", body):
                # A stray marker on its own line cites for the sentence before it.
                keys = tuple(k for m in parse_markers(piece) for k in m.keys)
                if keys and sentences:
                    prev = sentences[-1]
                    sentences[-1] = DraftSentence(prev.text, tuple(dict.fromkeys(prev.keys + keys)))
                continue
            keys = tuple(dict.fromkeys(k for m in parse_markers(piece) for k in m.keys))
            sentences.append(DraftSentence(body, keys))
    return sentences
