"""For a question that asks for a date or a number: which sentence to quote, and whether any can.

The most similar sentence often echoes the question ("Au bout de combien de jours un paquet…")
while the one that gives the figure scores a few thousandths lower; and over documents that
never give the figure, the echo is quoted as if it answered. Only dates and numbers are
handled: ``mentions`` is reliable for them, and permissive for names and places (any
capitalised word), which would make every sentence "typed".
"""

from __future__ import annotations

from collections.abc import Sequence

from rag.answer_type import AnswerType, expected_type, mentions
from rag.answer_units import has_unit, named_unit
from rag.generation.base import Evidence
from rag.retrieval.answerability import question_anchors, without_anchors

TYPED = frozenset({AnswerType.DATE, AnswerType.NUMBER})
# How far below the best sentence a sentence that gives the date or number may score and still
# be quoted instead of it; and how far the search for one reaches before the question is
# declined. Chosen on the training splits of the public sets by scripts/bench_typed.py (held-out
# figures in docs/bench-answerability.md), not on any one question: a wider choice quotes more
# sentences that hold some other date; a narrower decline refuses answerable questions whose
# answer is worded without a figure ("quelques mois avant sa mort"), where 0.08 refuses none.
CHOICE_MARGIN = 0.02
DECLINE_MARGIN = 0.08


def asked_type(question: str) -> AnswerType | None:
    """The question's expected type when it is a date or a number, else None."""
    kind = expected_type(question)
    return kind if kind in TYPED else None


def gives(question: str, text: str, kind: AnswerType) -> bool:
    """Whether ``text`` holds a ``kind`` other than the question's own ("Debian 12" in the
    question does not date anything), in the unit the question names if it names one."""
    if not mentions(without_anchors(text, question_anchors(question)), kind):
        return False
    unit = named_unit(question) if kind is AnswerType.NUMBER else None
    return unit is None or has_unit(text, unit)


def near(evidence: Sequence[Evidence], best: Evidence, margin: float) -> list[Evidence]:
    """Quotable sentences scoring within ``margin`` of ``best``, best first."""
    close = [e for e in evidence if e.kind != "heading" and e.score >= best.score - margin]
    return sorted(close, key=lambda e: e.score, reverse=True)


def prefer_typed(
    question: str, quotable: Sequence[Evidence], best: Evidence, margin: float = CHOICE_MARGIN
) -> Evidence:
    """``best``, or the best-scoring sentence close to it that gives the date or number the
    question asks for when ``best`` gives none."""
    kind = asked_type(question)
    if kind is None or gives(question, best.text, kind):
        return best
    typed = (e for e in near(quotable, best, margin) if gives(question, e.text, kind))
    return next(typed, best)


def missing_type(
    question: str, evidence: Sequence[Evidence], margin: float = DECLINE_MARGIN
) -> AnswerType | None:
    """The date or number the question asks for when no sentence near the best gives one:
    then any quote would be a non-answer. None when the question asks for neither, or when
    one is there."""
    kind = asked_type(question)
    quotable = [e for e in evidence if e.kind != "heading"]
    if kind is None or not quotable:
        return None
    best = max(quotable, key=lambda e: e.score)
    if any(gives(question, e.text, kind) for e in near(quotable, best, margin)):
        return None
    return kind
