"""Figures of scripts/bench_llm_judge.py's rows: thresholds on the calibration half, held out after.

Verification: "flagged" is the verifier's verdict "partly" or "unsupported"; with the judge, a
claim is also flagged when P(yes) < t (the judge can only add a flag), or, the other way, a flag
stands only when the judge agrees (the judge clears false flags). Answerability: the judge runs
on the questions the first stage answers and declines those with P(yes) < t.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

DISTORTIONS = ("entity", "entity-context", "number", "negation", "cause", "stitched")
FAITHFUL = ("faithful", "crosslingual")


def _rows(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    # Runs before the sample was deduplicated judged a seed claim twice: keep its first row.
    return list({r["key"]: r for r in reversed(rows)}.values())[::-1]


def _auroc(scores: list[float], labels: list[bool]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores)) if 0 < sum(labels) < len(labels) else float("nan")


def _seconds(values: list[float], loads: list[float]) -> str:
    if not values:
        return "no judgement"
    return (
        f"{np.median(values):.1f} s median, {np.max(values):.1f} s max over {len(values)} "
        f"judgements (load average {np.median(loads):.1f} median, {np.max(loads):.1f} max)"
    )


def _best(candidates: list[float], gain: Any) -> float:
    return max(candidates, key=gain)


def verify_report(rows: list[dict[str, Any]], name: str) -> None:
    if not rows:
        return
    cal = [r for r in rows if r["split"] == "calibration"]
    held = [r for r in rows if r["split"] == "heldout"]
    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]

    def flagged(r: dict[str, Any], rule: str, t: float) -> bool:
        before = r["verdict"] != "supported"
        judged = r["p_states"] < t
        return {
            "before": before,
            "judge": judged,
            "or": before or judged,
            "and": before and judged,
        }[rule]

    def rates(rs: list[dict[str, Any]], rule: str, t: float) -> tuple[float, float]:
        bad = [r for r in rs if r["kind"] in DISTORTIONS]
        good = [r for r in rs if r["kind"] in FAITHFUL]
        caught = np.mean([flagged(r, rule, t) for r in bad]) if bad else float("nan")
        wrong = np.mean([flagged(r, rule, t) for r in good]) if good else float("nan")
        return float(caught), float(wrong)

    print(f"\n### verification, {name}: {len(cal)} calibration, {len(held)} held-out claims")
    chosen = {}
    for rule in ("judge", "or", "and"):
        chosen[rule] = _best(grid, lambda t, rule=rule: (lambda c, w: c - w)(*rates(cal, rule, t)))
    labels = [not r["supported"] for r in held if r["kind"] in DISTORTIONS + FAITHFUL]
    p = [1 - r["p_states"] for r in held if r["kind"] in DISTORTIONS + FAITHFUL]
    print(f"judge alone AUROC (distortion vs faithful, held out): {_auroc(p, labels):.3f}")
    print("| rule | t (calibration) | distortions caught | faithful + cross-lingual flagged |")
    print("|---|---:|---:|---:|")
    for rule, t in [("before", 0.0), *chosen.items()]:
        c, w = rates(held, rule, t)
        print(f"| {rule} | {t:.2f} | {c:.3f} | {w:.3f} |")
    t_or, t_and = chosen["or"], chosen["and"]
    print("| kind | n | flagged before | with judge (or) | with judge (and) | mean P(yes) |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind in sorted({r["kind"] for r in held}):
        rs = [r for r in held if r["kind"] == kind]
        print(
            f"| {kind} | {len(rs)} | {np.mean([flagged(r, 'before', 0) for r in rs]):.2f} | "
            f"{np.mean([flagged(r, 'or', t_or) for r in rs]):.2f} | "
            f"{np.mean([flagged(r, 'and', t_and) for r in rs]):.2f} | "
            f"{np.mean([r['p_states'] for r in rs]):.2f} |"
        )
    # Relevance: "not an answer" on the labelled kinds.
    rel_cal = [r for r in cal if "p_answers" in r]
    rel = [r for r in held if "p_answers" in r]

    def not_answer(r: dict[str, Any], t: float | None) -> bool:
        return (not r["addresses"]) or (t is not None and r["p_answers"] < t)

    def rel_gain(rs: list[dict[str, Any]], t: float | None) -> tuple[float, float]:
        irr = [not_answer(r, t) for r in rs if not r["answers"]]
        ok = [not_answer(r, t) for r in rs if r["answers"]]
        return float(np.mean(irr)) if irr else float("nan"), float(np.mean(ok)) if ok else float(
            "nan"
        )

    if rel:
        t_rel = _best(grid, lambda t: (lambda c, w: c - w)(*rel_gain(rel_cal, t)))
        for label, t in (("before", None), (f"with judge, t {t_rel:.2f}", t_rel)):
            c, w = rel_gain(rel, t)
            print(f"not an answer {label}: irrelevant caught {c:.3f}, answers judged not {w:.3f}")
        irr = [r["p_answers"] for r in rel]
        print(f"P(answers) AUROC held out: {_auroc(irr, [bool(r['answers']) for r in rel]):.3f}")
    seconds = [r["s_states"] for r in rows] + [r["s_answers"] for r in rows if "s_answers" in r]
    print("seconds a judgement:", _seconds(seconds, [r["load"] for r in rows]))
    fresh = [r["fresh_states"] for r in rows]
    print(f"fresh prompt tokens (states): {np.median(fresh):.0f} median, {np.max(fresh)} max")
    for r in rows:
        if r["origin"] == "seed":
            print(
                f"seed {r['kind']}: verdict {r['verdict']}, P(yes) {r['p_states']:.2f}: {r['claim']}"
            )


def shipped_report(rows: list[dict[str, Any]], name: str) -> None:
    """The product's rule: the verifier's flag, or P(yes) below the shipped threshold on the
    supported sentences "auto" picks (``llm_check.unsure``) or on all of them ("verify")."""
    from rag.generation.llm_check import VERIFY_THRESHOLD, unsure

    if not rows or "similarity" not in rows[0]:
        return
    t = VERIFY_THRESHOLD

    def picked(r: dict[str, Any]) -> bool:
        return unsure(r["similarity"], r["crosslingual"])

    def flags(r: dict[str, Any], rule: str) -> bool:
        before = r["verdict"] != "supported"
        judged = rule == "verify" or (rule == "auto" and picked(r))
        return before or (judged and r["p_states"] < t)

    print(f"\n### verification, {name}, shipped threshold {t} (auto: unsure sentences only)")
    for split in ("calibration", "heldout"):
        rs = [r for r in rows if r["split"] == split]
        print(f"\n{split}: {len(rs)} claims")
        print("| kind | n | flagged, verifier | + judge, auto | + judge, verify | judged (auto) |")
        print("|---|---:|---:|---:|---:|---:|")
        groups = [(k, [r for r in rs if r["kind"] == k]) for k in sorted({r["kind"] for r in rs})]
        groups += [
            ("distortions", [r for r in rs if r["kind"] in DISTORTIONS]),
            ("faithful + cross-lingual", [r for r in rs if r["kind"] in FAITHFUL]),
        ]
        for kind, group in groups:
            supported = [r for r in group if r["verdict"] == "supported"]
            counts = [sum(flags(r, rule) for r in group) for rule in ("before", "auto", "verify")]
            print(
                f"| {kind} | {len(group)} | "
                + " | ".join(f"{c}/{len(group)}" for c in counts)
                + f" | {sum(map(picked, supported))}/{len(supported)} supported |"
            )
        irrelevant = [r for r in rs if r["kind"] == "irrelevant"]
        if irrelevant:
            print(
                f"irrelevant: not an answer {sum(not r['addresses'] for r in irrelevant)}"
                f"/{len(irrelevant)} (the judge reads support, not relevance: unchanged)"
            )
    judged = [r for r in rows if r["verdict"] == "supported" and picked(r)]
    print(
        "seconds a judged sentence (auto's picks):",
        _seconds([r["s_states"] for r in judged], [r["load"] for r in judged]),
    )


def answerability_report(rows: list[dict[str, Any]], name: str) -> None:
    if not rows:
        return
    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]

    def declined(r: dict[str, Any], t: float | None) -> bool:
        return not r["accepted"] or (t is not None and r["p"] < t)

    def figures(rs: list[dict[str, Any]], t: float | None) -> tuple[float, float]:
        fr = [declined(r, t) for r in rs if r["answerable"]]
        rr = [declined(r, t) for r in rs if not r["answerable"]]
        return float(np.mean(fr)) if fr else float("nan"), float(np.mean(rr)) if rr else float(
            "nan"
        )

    train = [r for r in rows if r["split"] == "train"]
    # Refusals gained minus false refusals added, on the training sample of every data set.
    t = _best(grid, lambda t: (lambda fr, rr: rr - fr)(*figures(train, t)))
    print(
        f"\n### answerability, {name}: threshold on P(yes) {t:.2f} (training sample, {len(train)})"
    )
    print(
        "| data | split | n | unanswerable | judged | AUROC before | after | false refusals "
        "before | after | refusal recall before | after |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for dataset in sorted({r["dataset"] for r in rows}):
        for split in ("test", "dev"):
            rs = [r for r in rows if r["dataset"] == dataset and r["split"] == split]
            if not rs:
                continue
            labels = [bool(r["answerable"]) for r in rs]
            before = [r["score"] for r in rs]
            after = [(1 + r["p"]) if r["accepted"] else r["score"] for r in rs]
            fr0, rr0 = figures(rs, None)
            fr1, rr1 = figures(rs, t)
            print(
                f"| {dataset} | {split} | {len(rs)} | {labels.count(False)} | "
                f"{sum(r['accepted'] for r in rs)} | {_auroc(before, labels):.3f} | "
                f"{_auroc(after, labels):.3f} | {fr0:.3f} | {fr1:.3f} | {rr0:.3f} | {rr1:.3f} |"
            )
    judged = [r for r in rows if "p" in r]
    print(
        "seconds a question judged:",
        _seconds([r["s"] for r in judged], [r["load"] for r in judged]),
    )
    print(f"fresh prompt tokens: {np.median([r['fresh'] for r in judged]):.0f} median")


def refreshed(rows: list[dict[str, Any]], rows_path: Path) -> list[dict[str, Any]]:
    """``rows`` with the first stage's score and decision as the current code takes them (the
    typed decline included) on the evidence rows of ``calibrate_answerability.py collect``."""
    from calibrate_answerability import read_rows, row_features

    from rag.generation.base import Evidence
    from rag.retrieval import answerability as ans
    from rag.retrieval.typed_choice import missing_type

    first = {}
    for r in read_rows(rows_path):
        f = row_features(r)
        score = ans.confidence(f) if f is not None else 0.0
        evidence = [Evidence(*e) for e in r["evidence"]]
        typed = bool(evidence) and missing_type(r["question"], evidence) is not None
        first[f"{r['dataset']}/{r['id']}"] = (score, score >= ans.threshold() and not typed)
    return [r | dict(zip(("score", "accepted"), first[r["key"]], strict=True)) for r in rows]


# (P(yes) read, a threshold per language, the threshold rule: "gain" = refusals gained minus
# false refusals added on the training rows; "few" = the highest threshold that adds at most
# FEW false refusals there, the first stage's operating point).
VARIANTS = {
    "English instruction, one threshold": ("p", False, "gain"),
    "English instruction, a threshold per language": ("p", True, "gain"),
    "French instruction for French questions, a threshold per language": ("p_fr", True, "gain"),
    "English instruction, per language, few false refusals": ("p", True, "few"),
    "French instruction, per language, few false refusals": ("p_fr", True, "few"),
}
FEW = 0.05
BANDS = (0.1, 0.2, 0.3, 0.5, 1.0)


def second_stage_report(rows: list[dict[str, Any]], name: str) -> None:
    """The judge's instruction and thresholds for French questions, and the band of first-stage
    scores it is asked in; thresholds and band chosen on the training rows only."""
    rows = [r for r in rows if "p" in r]
    if not rows:
        return
    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]
    from rag.retrieval.answerability import threshold

    first = threshold()

    def language(r: dict[str, Any]) -> str:
        return "fr" if "p_fr" in r else "en"

    def p_of(r: dict[str, Any], key: str) -> float:
        return float(r.get(key, r["p"]))

    def declined(r: dict[str, Any], key: str, t: float, band: float) -> bool:
        asked = r["accepted"] and r["score"] < first + band
        return not r["accepted"] or (asked and p_of(r, key) < t)

    def gain(rs: list[dict[str, Any]], key: str, t: float, band: float) -> tuple[float, float]:
        fr = [declined(r, key, t, band) for r in rs if r["answerable"]]
        rr = [declined(r, key, t, band) for r in rs if not r["answerable"]]
        return float(np.mean(fr)) if fr else 0.0, float(np.mean(rr)) if rr else 0.0

    train = [r for r in rows if r["split"] == "train"]

    def thresholds_for(
        key: str, per_language: bool, band: float, rule: str = "gain"
    ) -> dict[str, float]:
        chosen = {}
        for lang in ("en", "fr"):
            pool = [r for r in train if language(r) == lang or not per_language]
            if rule == "few":
                base = gain(pool, key, 0.0, band)[0]
                within = [t for t in grid if gain(pool, key, t, band)[0] - base <= FEW]
                chosen[lang] = max(within, default=0.0)
                continue
            chosen[lang] = _best(
                grid, lambda t, pool=pool: (lambda fr, rr: rr - fr)(*gain(pool, key, t, band))
            )
        return chosen

    def line(variant: str, key: str, thresholds: dict[str, float], band: float) -> None:
        chosen = ", ".join(f"{k} {v:.2f}" for k, v in thresholds.items())
        for dataset in sorted({r["dataset"] for r in rows}):
            rs = [r for r in rows if r["dataset"] == dataset and r["split"] in ("test", "dev")]
            counts = []
            for answerable in (True, False):
                group = [r for r in rs if r["answerable"] is answerable]
                for after in (False, True):
                    hits = sum(
                        declined(r, key, thresholds[language(r)], band if after else -1.0)
                        for r in group
                    )
                    counts.append(f"{hits}/{len(group)}")
            judged = sum(r["accepted"] and r["score"] < first + band for r in rs)
            print(
                f"| {variant} | {band} | {chosen} | {dataset} | {len(rs)} | {judged} | "
                + " | ".join(counts)
                + " |"
            )

    print(f"\n### second stage, {name}: {len(train)} training rows; first-stage threshold {first}")
    print(
        "| variant | band | thresholds (training) | data (held out) | n | judged | false "
        "refusals before | after | refusal recall before | after |"
    )
    print("|---|---:|---|---|---:|---:|---:|---:|---:|---:|")
    for variant, (key, per_language, rule) in VARIANTS.items():
        line(variant, key, thresholds_for(key, per_language, 1.0, rule), 1.0)
    for band in BANDS[:-1]:  # the last variant, asked only near the first stage's threshold
        line("(same), band", key, thresholds_for(key, per_language, band, rule), band)
    french = [r for r in rows if "s_fr" in r]
    if french:
        print(
            "seconds a French judgement:",
            _seconds([r["s_fr"] for r in french], [r["load"] for r in french]),
        )


def report(out: Path, rows_path: Path | None = None) -> None:
    for model in ("0.5b", "1.5b"):
        verify_report(_rows(out / f"verify-{model}.jsonl"), model)
        shipped_report(_rows(out / f"verify-{model}.jsonl"), model)
        rows = _rows(out / f"answerability-{model}.jsonl")
        if rows and rows_path is not None:
            rows = refreshed(rows, rows_path)
        answerability_report(rows, model)
        second_stage_report(rows, model)
