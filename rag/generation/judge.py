"""The local LLM as a yes/no judge, scored from the first reply token's logits.

"Does this passage answer the question?" (answerability) and "Does the passage state that …?"
(verification): one forward pass over a short prompt, no token generated. The score is
P(yes) / (P(yes) + P(no)) over the first token of the reply. The fixed instructions come
first so llama.cpp keeps them in its KV cache from one judgement to the next: a judgement
reads only the passage and the question or claim.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from rag.generation.llamacpp import _LOCK, _render
from rag.generation.prompt import Message

SYSTEM = "You answer yes or no."
# The instruction in the question's language for a French question over French text: with the
# English one, the 1.5B reads French passages as not answering (PIAF false refusals, see
# BENCHMARKS.md "The bundled 1.5B as a second stage").
SYSTEMS = {"answers_fr": "Tu réponds par oui ou par non."}
# One line each: every prompt token costs ~1/35 s on the 1.5B on 2 cores.
ASKS = {
    "answers": "Passage: {passage}\nQuestion: {text}\n"
    "Does the passage give the answer to the question? Answer yes or no.",
    "states": "Passage: {passage}\nStatement: {text}\n"
    "Does the passage say what the statement says? Answer yes or no.",
    "answers_fr": "Passage : {passage}\nQuestion : {text}\n"
    "Le passage donne-t-il la réponse à la question ? Réponds par oui ou par non.",
    # The reader judges several candidates for one question: the question and the ask come
    # first, so the KV cache keeps them and each candidate costs only its own tokens.
    "reads": "Question: {text}\nDoes the passage below give the answer to the question? "
    "Answer yes or no.\nPassage: {passage}",
}
YES = ("yes", "Yes", "YES", " yes", " Yes")
NO = ("no", "No", "NO", " no", " No")
# Qwen's tokenizer splits "Oui" into "O" + "ui": its first token stands for it (no other
# reply to a yes/no question starts with a bare "O").
OUI = ("oui", " oui", "O")
NON = ("non", "Non", "NON", " non", " Non")
WORDS = {"answers_fr": (YES + OUI, NO + NON)}


@dataclass(frozen=True)
class Judgement:
    p_yes: float  # P(yes) / (P(yes) + P(no)) over the reply's first token
    seconds: float
    fresh_tokens: int  # prompt tokens read (the rest came from the KV cache)


def messages(ask: str, text: str, passage: str) -> list[Message]:
    return [
        {"role": "system", "content": SYSTEMS.get(ask, SYSTEM)},
        {"role": "user", "content": ASKS[ask].format(passage=passage.strip(), text=text.strip())},
    ]


def _token_ids(llm: Any, words: tuple[str, ...]) -> list[int]:
    ids = set()
    for word in words:
        tokens = llm.tokenize(word.encode(), add_bos=False, special=False)
        if len(tokens) == 1:  # a word the tokenizer splits is not a first-token answer
            ids.add(tokens[0])
    return sorted(ids)


class Judge:
    """Judgements on one loaded llama.cpp model (the generator's, shared under its lock)."""

    def __init__(self, llm: Any) -> None:
        self.llm = llm
        self.yes = _token_ids(llm, YES)
        self.no = _token_ids(llm, NO)
        self._words = {
            ask: (_token_ids(llm, yes), _token_ids(llm, no)) for ask, (yes, no) in WORDS.items()
        }

    def prompt_tokens(self, ask: str, text: str, passage: str) -> list[int]:
        rendered = _render(self.llm, messages(ask, text, passage), generation_prompt=True)
        if rendered is None:
            raise ValueError("the model has no chat template to ask it yes/no")
        return list(self.llm.tokenize(rendered.encode(), add_bos=False, special=True))

    def judge(self, ask: str, text: str, passage: str) -> Judgement:
        """P(yes) that ``passage`` answers ``text`` (ask="answers") or states it ("states")."""
        started = time.perf_counter()
        tokens = self.prompt_tokens(ask, text, passage)
        with _LOCK:
            fresh = self._eval(tokens)
            logits = self._last_logits()
        yes, no = self._words.get(ask, (self.yes, self.no))
        return Judgement(self._p_yes(logits, yes, no), time.perf_counter() - started, fresh)

    def _eval(self, tokens: list[int]) -> int:
        """Evaluate ``tokens``, reusing the longest prefix already in the KV cache."""
        llm = self.llm
        held = llm.input_ids[: llm.n_tokens].tolist()
        shared = 0
        for a, b in zip(held, tokens, strict=False):
            if a != b:
                break
            shared += 1
        shared = min(shared, len(tokens) - 1)  # the last token must be read to get its logits
        llm.n_tokens = shared
        llm.eval(tokens[shared:])
        return len(tokens) - shared

    def _last_logits(self) -> list[float]:
        # llama-cpp-python 0.3 keeps no logits in `scores` unless logits_all=True (the earlier
        # judge read a row of zeros: P(yes) 0.5 for every claim); read the context's own.
        import numpy as np

        pointer = self.llm._ctx.get_logits_ith(-1)
        return list(np.ctypeslib.as_array(pointer, shape=(self.llm.n_vocab(),)))

    def _p_yes(
        self, logits: list[float], yes_ids: list[int] | None = None, no_ids: list[int] | None = None
    ) -> float:
        yes_ids = self.yes if yes_ids is None else yes_ids
        no_ids = self.no if no_ids is None else no_ids
        top = max(logits[i] for i in yes_ids + no_ids)
        yes = sum(math.exp(logits[i] - top) for i in yes_ids)
        no = sum(math.exp(logits[i] - top) for i in no_ids)
        return yes / (yes + no)
