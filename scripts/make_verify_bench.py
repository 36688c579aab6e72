"""Build the adversarial verification benchmark: labelled claims over PIAF, XQuAD and the seed.

Usage: RAG_EVAL_DIR=/path/to/shared/eval python scripts/make_verify_bench.py [--per-set 40]
Writes rag/eval/data/verify.jsonl (the claims) and verify_passages.jsonl (the passages they cite).

Every item is a claim citing one passage (a paragraph, or a window of ~1,000 characters of it),
with two labels: ``supported`` (the passage's cited sentence states the claim) and ``answers``
(the claim gives what the question asks; null for distortions, where it is not measured).
Kinds, built by rules from the gold answer sentence (no model involved):
- faithful: the clause holding the gold answer, or "question : answer" (supported)
- crosslingual: the XQuAD sentence in the other language, English→Spanish and back (supported)
- entity / number / negation / cause: a name swapped for one from elsewhere in the data set
  (not in the passage), a changed number or date, an added or removed negation, the two sides
  of "because"/"so" swapped (unsupported)
- entity-context: a name swapped for one another sentence of the same passage states, in the
  claim's language (an LLM takes the names it swaps from its context), cross-lingual both ways
  and in one language (unsupported)
- stitched: a name or number taken from a neighbouring sentence, or the first half of the cited
  sentence glued to the second half of the next one (unsupported)
- irrelevant: another true sentence of the passage, which does not answer the question
Items are split half calibration / half held out by paragraph, so no paragraph is in both.
Seed items are hand-written in rag/eval/data/verify_seed.jsonl and appended as they are.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.chunking import split_sentences  # noqa: E402
from rag.eval.datasets import default_eval_dir  # noqa: E402
from rag.generation.verify import claim_facts, negation_count  # noqa: E402

EVAL = default_eval_dir() / "public"  # $RAG_EVAL_DIR, else <repo>/../shared/eval
DATA = ROOT / "rag" / "eval" / "data"
WINDOW_CHARS = 1000

_NEGATE = {
    "fr": [(r"\b(est|sont|était|étaient|a|ont|avait|avaient|fut|furent|peut|peuvent|doit)\b",
            lambda m: ("n'" if m.group(1)[0] in "aeéiou" else "ne ") + m.group(1) + " pas")],
    "en": [(r"\b(is|are|was|were|has|have|had|can|will|would|could)\b",
            lambda m: "cannot" if m.group(1) == "can" else m.group(1) + " not")],
    "es": [(r"\b(es|son|era|eran|fue|fueron|ha|han|había|puede|pueden|tiene|tienen)\b",
            lambda m: "no " + m.group(1))],
}  # fmt: skip
_UNNEGATE = {
    "fr": [(r"\bn['’](\w+) (?:pas|jamais|plus)\b", r"\1"), (r"\bne (\w+) (?:pas|jamais|plus)\b", r"\1")],
    "en": [(r"\b(is|are|was|were|has|have|had|do|does|did|will|would|could) not\b", r"\1"),
           (r"\bcannot\b", "can"), (r"\b(\w+)n't\b", r"\1")],
    "es": [(r"\bno (\w+)", r"\1")],
}  # fmt: skip
# "effect CONNECTOR cause" and "cause CONNECTOR effect": swapping the two sides reverses it.
_CAUSAL = re.compile(
    r"^(?P<a>.{15,}?),? (?P<c>because|since|as a result of|due to|so that|therefore|so|"
    r"parce qu['’]|parce que|car|à cause de|grâce à|donc|ce qui a entraîné|"
    r"porque|ya que|debido a|por lo que|así que|gracias a) (?P<b>.{15,})$",
    re.IGNORECASE,
)


def _id(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()[:10]


def _sentences(text: str, language: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language)]


def _sentence_of(sentences: list[str], answer: str) -> int | None:
    hits = [i for i, s in enumerate(sentences) if answer and answer in s]
    return hits[0] if len(hits) == 1 else None


def _window(sentences: list[str], i: int) -> str:
    """The paragraph, or the sentences around ``i`` up to ~WINDOW_CHARS (a retrieved chunk)."""
    lo = hi = i
    while True:
        grown = False
        for lo2, hi2 in ((lo - 1, hi), (lo, hi + 1)):
            fits = lo2 >= 0 and hi2 < len(sentences)
            if fits and len(" ".join(sentences[lo2 : hi2 + 1])) <= WINDOW_CHARS:
                lo, hi, grown = lo2, hi2, True
        if not grown:
            return " ".join(sentences[lo : hi + 1])


def _clause(sentence: str, answer: str) -> str:
    """The comma-separated segments around ``answer``, at least eight words of them."""
    parts = re.split(r"(?<=[,;:–])\s+", sentence.strip())
    at = next((k for k, p in enumerate(parts) if answer in p), None)
    if at is None:
        return sentence.strip()
    lo = hi = at
    while len(" ".join(parts[lo : hi + 1]).split()) < 8 and (lo > 0 or hi < len(parts) - 1):
        hi, lo = (hi + 1, lo) if hi < len(parts) - 1 else (hi, lo - 1)
    text = " ".join(parts[lo : hi + 1]).strip(" ,;:–")
    return text[:1].upper() + text[1:].rstrip(".") + "."


def _qa(question: str, answer: str) -> str:
    return f"{question.strip().rstrip('?？ ').strip()} : {answer.strip()}."


def _negated(claim: str, language: str) -> str | None:
    rules = _UNNEGATE[language] if negation_count(claim) else _NEGATE[language]
    for pattern, repl in rules:
        changed = re.sub(pattern, repl, claim, count=1)  # type: ignore[call-overload]
        if changed != claim:
            return str(changed)
    return None


def _numbered(claim: str, rng: random.Random) -> str | None:
    numbers = list(re.finditer(r"\b\d+(?:[.,]\d+)?\b", claim))
    if not numbers:
        return None
    m = rng.choice(numbers)
    value = m.group(0)
    digits = value.replace(",", "").replace(".", "")
    if len(value) == 4 and value.isdigit() and value[0] in "12":
        new = str(int(value) + rng.choice([-7, -3, -2, 2, 3, 11]))
    else:
        new = str(int(digits) * 2 + rng.randint(1, 5)) if digits.isdigit() else None
    return claim[: m.start()] + new + claim[m.end() :] if new else None


def _swapped(claim: str, passage: str, pool: list[str], rng: random.Random) -> str | None:
    """A name of the claim replaced by a name from elsewhere in the data set, not in the passage."""
    names = [
        f for f in claim_facts(claim) if not f[:1].isdigit() and len(f) > 2 and claim.find(f) > 0
    ]
    choices = [p for p in pool if p.lower() not in passage.lower()]
    if not names or not choices:
        return None
    return re.sub(rf"\b{re.escape(rng.choice(names))}\b", rng.choice(choices), claim, count=1)


def _swapped_in_context(claim: str, others: list[str]) -> str | None:
    """A name of the claim replaced by one that another sentence of the passage states.

    Its own generator, seeded by the claim, so adding this kind leaves the other items as
    they were."""
    ours = [
        f for f in claim_facts(claim) if not f[:1].isdigit() and len(f) > 2 and claim.find(f) > 0
    ]
    theirs = sorted({f for s in others for f in claim_facts(s) if not f[:1].isdigit() and len(f) > 3
                     and f.lower() not in claim.lower() and s.find(f) > 0})  # fmt: skip
    if not ours or not theirs:
        return None
    rng = random.Random(_id("entity-context", claim))
    return re.sub(rf"\b{re.escape(rng.choice(ours))}\b", rng.choice(theirs), claim, count=1)


def _from_neighbour(claim: str, cited: str, neighbour: str, rng: random.Random) -> str | None:
    """A name or number of the claim replaced by one only the neighbouring sentence states."""
    ours = [f for f in claim_facts(claim) if claim.find(f) > 0 and len(f) > 2]
    theirs = [f for f in claim_facts(neighbour) if f.lower() not in cited.lower() and len(f) > 2]
    if not ours or not theirs:
        return None
    target = rng.choice(ours)
    same = [t for t in theirs if t[:1].isdigit() == target[:1].isdigit()]
    if not same:
        return None
    return re.sub(rf"\b{re.escape(target)}\b", rng.choice(same), claim, count=1)


def _blend(cited: str, neighbour: str) -> str | None:
    a, b = cited.split(), neighbour.split()
    if len(a) < 8 or len(b) < 8:
        return None
    text = " ".join(a[: len(a) // 2] + b[len(b) // 2 :])
    return text.rstrip(".") + "."


def _reversed(sentence: str) -> str | None:
    match = _CAUSAL.match(sentence.strip().rstrip("."))
    if not match:
        return None
    a, c, b = match.group("a"), match.group("c"), match.group("b")
    return f"{b[:1].upper()}{b[1:]} {c} {a[:1].lower()}{a[1:]}."


def _load(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["data"])


def _items_for(
    origin: str, q: dict[str, Any], claim_sents: list[str], quote_sents: list[str],
    i: int, answer: str, claim_lang: str, quote_lang: str, pool: list[str], rng: random.Random,
) -> list[dict[str, Any]]:  # fmt: skip
    """Every kind of claim one gold answer sentence yields."""
    passage = _window(quote_sents, i)
    base = {"origin": origin, "question": q["question"], "question_lang": q["lang"],
            "claim_lang": claim_lang, "passage": passage, "passage_lang": quote_lang,
            "cited": quote_sents[i]}  # fmt: skip
    out: list[dict[str, Any]] = []

    def add(kind: str, claim: str | None, supported: bool, answers: bool | None) -> None:
        if claim and claim.strip() and len(claim.split()) >= 3:
            out.append(base | {"kind": kind, "claim": claim.strip(), "supported": supported,
                               "answers": answers})  # fmt: skip

    cross = claim_lang != quote_lang
    faithful = _clause(claim_sents[i], answer)
    add("crosslingual" if cross else "faithful", faithful, True, True)
    if not cross:
        add("faithful", _qa(q["question"], answer), True, True)
    add("entity", _swapped(faithful, passage, pool, rng), False, None)
    # Not the cited sentence nor its neighbours (those are "stitched"): the rest of the passage.
    far = [claim_sents[j] for j in range(len(claim_sents)) if abs(j - i) > 1
           and quote_sents[j] in passage]  # fmt: skip
    add("entity-context", _swapped_in_context(faithful, far), False, None)
    add("number", _numbered(faithful, rng), False, None)
    add("negation", _negated(faithful, claim_lang), False, None)
    # Causal sentences are rare: any sentence of the passage may give the reversed one.
    causal = [j for j in range(len(claim_sents)) if quote_sents[j] in passage]
    for j in sorted(causal, key=lambda j: j != i):
        reversed_claim = _reversed(claim_sents[j])
        if reversed_claim:
            out.append(base | {"kind": "cause", "claim": reversed_claim, "cited": quote_sents[j],
                               "supported": False, "answers": None})  # fmt: skip
            break
    neighbours = [
        j for j in (i + 1, i - 1) if 0 <= j < len(quote_sents) and quote_sents[j] in passage
    ]
    if neighbours:
        j = neighbours[0]
        add("stitched", _from_neighbour(faithful, quote_sents[i], quote_sents[j], rng), False, None)
        if not cross:
            add("stitched", _blend(claim_sents[i], claim_sents[j]), False, None)
    others = [j for j in range(len(claim_sents)) if j != i and quote_sents[j] in passage
              and len(claim_sents[j].split()) >= 6]  # fmt: skip
    if others:
        j = rng.choice(others)
        out.append(base | {"kind": "irrelevant", "claim": claim_sents[j].strip(),
                           "cited": quote_sents[j], "supported": True, "answers": False})  # fmt: skip
    return out


def piaf(n: int, rng: random.Random) -> list[dict[str, Any]]:
    data = _load(EVAL / "piaf" / "piaf-v1.0.json")
    paragraphs = [p for a in data for p in a["paragraphs"]]
    pool = sorted({f for p in paragraphs[:200] for f in claim_facts(p["context"][:300])
                   if len(f) > 3 and not f[:1].isdigit()})  # fmt: skip
    rng.shuffle(paragraphs)
    items: list[dict[str, Any]] = []
    for p in paragraphs[:n]:
        sents = _sentences(p["context"], "fr")
        qa = next((qa for qa in p["qas"] if qa["answers"]), None)
        i = _sentence_of(sents, qa["answers"][0]["text"]) if qa else None
        if qa is None or i is None:
            continue
        q = {"question": qa["question"], "lang": "fr"}
        for item in _items_for("piaf", q, sents, sents, i, qa["answers"][0]["text"],
                               "fr", "fr", pool, rng):  # fmt: skip
            items.append(item | {"group": _id("piaf", p["context"][:80])})
    return items


def xquad(n: int, rng: random.Random) -> list[dict[str, Any]]:
    en = _load(EVAL / "xquad" / "xquad.en.json")
    es = _load(EVAL / "xquad" / "xquad.es.json")
    pairs = [(pe, ps) for ae, as_ in zip(en, es, strict=True)
             for pe, ps in zip(ae["paragraphs"], as_["paragraphs"], strict=True)]  # fmt: skip
    pool = sorted({f for pe, _ in pairs[:100] for f in claim_facts(pe["context"][:300])
                   if len(f) > 3 and not f[:1].isdigit()})  # fmt: skip
    rng.shuffle(pairs)
    items: list[dict[str, Any]] = []
    for k, (pe, ps) in enumerate(pairs[:n]):
        sen, ses = _sentences(pe["context"], "en"), _sentences(ps["context"].lstrip("\ufeff"), "es")
        if len(sen) != len(ses):
            continue  # the translation splits differently: sentences would not align
        for qe, qs in zip(pe["qas"], ps["qas"], strict=True):
            ae, as_ = qe["answers"][0]["text"], qs["answers"][0]["text"]
            i = _sentence_of(sen, ae)
            if i is None or i != _sentence_of(ses, as_):
                continue
            group = _id("xquad", pe["context"][:80])
            # Alternate the direction: an English claim over Spanish text, or the reverse.
            if k % 2 == 0:
                q = {"question": qe["question"], "lang": "en"}
                made = _items_for("xquad", q, sen, ses, i, ae, "en", "es", pool, rng)
                made += [m for m in _items_for("xquad", q, sen, sen, i, ae, "en", "en", pool, rng)
                         if m["kind"] in ("faithful", "cause", "stitched", "entity-context")]  # fmt: skip
            else:
                q = {"question": qs["question"], "lang": "es"}
                made = _items_for("xquad", q, ses, sen, i, as_, "es", "en", pool, rng)
            items += [m | {"group": group} for m in made]
            break
    return items


def seed() -> list[dict[str, Any]]:
    path = DATA / "verify_seed.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r | {"origin": "seed", "group": _id("seed", r["question"])} for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-set", type=int, default=40, help="paragraphs per public set")
    parser.add_argument("--out", type=Path, default=DATA / "verify.jsonl")
    args = parser.parse_args()
    rng = random.Random(16)
    items = piaf(args.per_set, rng) + xquad(args.per_set * 2, rng) + seed()
    groups = sorted({it["group"] for it in items})
    random.Random(0).shuffle(groups)
    held = set(groups[: len(groups) // 2])
    # Passages are written once, in their own file; items name theirs by ``passage_id``.
    passages: dict[str, str] = {}
    with args.out.open("w", encoding="utf-8") as out:
        for it in items:
            it["split"] = "heldout" if it["group"] in held else "calibration"
            it["id"] = _id(it["group"], it["kind"], it["claim"])
            it["passage_id"] = _id(it["passage"])
            passages[it["passage_id"]] = it.pop("passage")
            out.write(json.dumps(it, ensure_ascii=False) + "\n")
    with args.out.with_name(args.out.stem + "_passages.jsonl").open("w", encoding="utf-8") as out:
        for key, text in passages.items():
            out.write(json.dumps({"passage_id": key, "text": text}, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for it in items:
        kinds[it["kind"]] = kinds.get(it["kind"], 0) + 1
    print(f"{len(items)} items, {len(groups)} paragraphs: {kinds}", file=sys.stderr)


if __name__ == "__main__":
    main()
