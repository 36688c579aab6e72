"""Clause windows of long sentences (rag.find.clauses): where a short query's clause starts."""

from __future__ import annotations

import numpy as np

from rag.find.clauses import ClauseVectors, pieces, windows, windows_for

LONG = (
    "Lin Jian, porte-parole du ministère, a déclaré lors d’une conférence de presse régulière "
    "le 25 février que « les États-Unis ont politisé le commerce et la technologie, a surchargé "
    "le concept de sécurité et a utilisé ces problèmes comme outils »."
)


def test_a_long_sentence_is_cut_at_punctuation_quotes_and_subordinators() -> None:
    texts = [LONG[s:e] for s, e in pieces(LONG)]
    assert texts[0] == "Lin Jian, porte-parole du ministère,"  # "Lin Jian," alone is too short
    assert "que « les États-Unis ont politisé le commerce et la technologie," in texts
    assert "".join(texts).replace(" ", "") == LONG.replace(" ", "")  # nothing lost or added


def test_windows_are_prefixes_and_runs_never_the_whole_sentence() -> None:
    spans = windows(LONG)
    texts = [LONG[s:e] for s, e in spans]
    assert LONG not in texts
    assert all(LONG.startswith(t) for t in texts[:3])  # prefixes first: the subject
    assert "que « les États-Unis ont politisé le commerce et la technologie," in texts
    assert len(spans) <= 12


def test_a_short_sentence_is_not_cut() -> None:
    short = "Le ministère a critiqué, à plusieurs reprises, la répression américaine."
    assert pieces(short) == [(0, len(short))]
    assert windows(short) == []


def test_only_windows_of_about_the_query_s_length_are_compared() -> None:
    assert windows_for(LONG, len(LONG.split())) == []  # a query as long as the sentence
    kept = [LONG[s:e] for s, e in windows_for(LONG, 10)]
    assert kept and all(5 <= len(t.split()) <= 20 for t in kept)


def test_clause_vectors_embed_each_window_once_in_one_batch() -> None:
    batches: list[int] = []

    def embed(texts):
        batches.append(len(texts))
        return np.ones((len(texts), 3), dtype=np.float32)

    clauses = ClauseVectors(embed)
    count = len(windows_for(LONG, 10))
    first = clauses.vectors([LONG, "Court."], 10)
    assert [len(v) for v in first] == [count, 0]
    clauses.vectors([LONG], 10)
    assert batches == [count]
    assert clauses.embedded == count
