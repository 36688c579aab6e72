"""The words a claim states, compared across English, French and Spanish: content words and
their stems, names and numbers, negations, cause and effect.

What ``rag.generation.verify`` judges a claim by, and ``rag.generation.relevance`` a question.
"""

from __future__ import annotations

import re

from rag.retrieval.lexical import fold

# Two spellings of one name across languages (rapidfuzz ratio, 0-100).
_SPELLING = 85

_TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)

# Words that start sentences or carry no claim, in both languages.
STOPWORDS = set(
    """a an the of to in on at by for from with about as into over after before under than then
    and or but nor so yet if because while although though this that these those it its it's is
    are was were be been being has have had do does did not no yes can could may might must
    shall should will would he she they them their his her him we our you your i me my who whom
    which what when where why how there here also only just very more most such other others
    some any all each both many much said says say according article passage passages document
    documents text mentioned mentions mention states stated le la les l un une des du de d au
    aux et ou mais donc car ni que qu qui quoi dont où ce cet cette ces c il elle ils elles on
    son sa ses leur leurs lui y en ne pas plus moins est sont était étaient été être a ont
    avait avaient fait dans sur sous par pour avec sans entre selon aussi très comme lors si se
    s nous vous je tu mon ma mes notre nos votre vos""".split()
)
# Capitalised only because they open a sentence or a question: not names. Spanish function
# words too, for the cross-lingual claims (English documents, Spanish or French answers).
_OPENERS = set(
    """quel quelle quels quelles quand comment pourquoi combien lequel laquelle however during
    since today also thus therefore yet still although while after before in on at for from
    el la los las un una unos unas del al lo su sus este esta estos estas ese esa eso esto
    sin embargo como cuando donde quien quienes cual cuales que qué cuál cuándo dónde cómo
    quién por para con entre sobre hoy también todo toda todos todas existen es son fue
    fueron era hay tras desde durante aunque mientras ya además""".split()
)
# Proper nouns that change between English and French; each group names one thing.
_ALIASES = [
    {"us", "u.s", "usa", "united", "states", "america", "american", "americans", "américain",
     "américaine", "américains", "américaines", "états-unis", "etats-unis", "washington",
     "estados", "unidos", "estadounidense"},
    # Countries and peoples whose names change between English, French and Spanish.
    {"england", "english", "angleterre", "anglais", "anglaise", "inglaterra", "inglés",
     "inglesa", "ingleses"},
    {"britain", "british", "britannique", "britanniques", "británico", "británica", "británicos"},
    {"france", "french", "français", "française", "francia", "francés", "francesa", "franceses"},
    {"germany", "german", "allemagne", "allemand", "allemande", "alemania", "alemán", "alemana"},
    {"italy", "italian", "italie", "italien", "italienne", "italia", "italiano", "italiana"},
    {"spain", "spanish", "espagne", "espagnol", "espagnole", "españa", "español", "española"},
    {"netherlands", "dutch", "pays-bas", "néerlandais", "países", "bajos", "holanda"},
    {"japan", "japanese", "japon", "japonais", "japón", "japonés"},
    {"egypt", "egyptian", "égypte", "égyptien", "egipto", "egipcio"},
    {"persia", "persian", "perse", "persan", "persa", "persas"},
    {"russia", "russian", "russie", "russe", "rusia", "ruso", "rusa"},
    {"empire", "imperio"}, {"church", "église", "iglesia"}, {"sea", "mer", "mar"},
    {"china", "chinese", "chine", "chinois", "chinoise", "chinoises", "beijing", "pékin"},
    {"ceo", "pdg", "chief", "executive", "président-directeur"},
    {"ai", "ia"},
    {"eu", "ue", "europe", "european", "européenne", "européen"},
    {"foreign", "étrangères", "étranger"},
    {"congress", "congrès"},
    {"monday", "lundi"}, {"tuesday", "mardi"}, {"wednesday", "mercredi"},
    {"thursday", "jeudi"}, {"friday", "vendredi"}, {"saturday", "samedi"},
    {"sunday", "dimanche"}, {"january", "janvier"}, {"february", "février"}, {"march", "mars"},
    {"april", "avril"}, {"may", "mai"}, {"june", "juin"}, {"july", "juillet"},
    {"august", "août"}, {"september", "septembre"}, {"october", "octobre"},
    {"november", "novembre"}, {"december", "décembre"},
]  # fmt: skip
_ALIAS_OF = {word: group for group in _ALIASES for word in group}

# Negations, counted so that French "ne ... pas" is one, like English "not" (and Spanish "no").
_NEGATIONS = {"not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "cannot",
              "nunca", "nada", "nadie", "ningun", "ninguna"}  # fmt: skip
_FRENCH_NE = {"ne", "n"}


def _fold(text: str) -> str:
    """Lowercase without accents, so "Sécurité" and "securite" compare equal."""
    return fold(text.replace("’", "'"))


def stem(word: str) -> str:
    # Five folded letters match across inflections and often across the two languages:
    # "exportations"/"export", "technologie"/"technology", "politisé"/"politicized".
    # Words that change between the languages (Tuesday/mardi) stem to their group.
    word = ELISION.sub("", word)  # "d'effectifs" is "effectifs"
    group = _ALIAS_OF.get(word.lower().strip("'’").removesuffix("'s"))
    return min(group) if group else _fold(word)[:5]


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry meaning: no stopwords, no one-letter words."""
    return [w for w in _TOKEN.findall(text) if len(w) > 1 and w.lower() not in STOPWORDS]


def overlap(claim: str, window: str) -> float:
    """Share of the claim's content words whose stem appears in the window."""
    words = content_words(claim)
    if not words:
        return 1.0
    stems = {stem(w) for w in content_words(window)}
    return sum(stem(w) in stems for w in words) / len(words)


def claim_facts(claim: str) -> list[str]:
    """Names, numbers and dates the claim states: capitalised words, acronyms, digits."""
    facts = [n for n in _NUMBER.findall(claim)]
    for token in _TOKEN.findall(claim):
        # French elision glues a name to its article: "d'OpenAI", "l'Ascend", "qu'Huawei".
        word = ELISION.sub("", token)
        bare = word.lower().strip("'’")
        if bare in STOPWORDS or bare in _OPENERS or word[:1].isdigit():
            continue
        if word[:1].isupper() or bare in _ALIAS_OF:
            facts.append(word)
    return list(dict.fromkeys(facts))


def fact_found(fact: str, window_folded: str, window_words: set[str]) -> bool:
    folded = _fold(fact)
    if folded[:1].isdigit():
        # Compare digits only, so "2,019" or "1 000" do not hide a number; whole numbers only.
        digits = re.sub(r"\D", "", folded)
        return any(re.sub(r"\D", "", n) == digits for n in _NUMBER.findall(window_folded))
    base = folded.removesuffix("'s").removesuffix("'")
    group = _ALIAS_OF.get(base)
    if group is not None:
        return any(_fold(alias) in window_words for alias in group)
    if base in window_words:
        return True
    # Long words may differ in their ending across languages (Ministry/ministère); names of
    # five letters or fewer must match exactly, so Huang never passes for Huawei.
    if len(base) <= 5:
        return False
    if any(w.startswith(base[:5]) for w in window_words):
        return True
    # Spelt apart across languages: Metodista/Methodist, Bagdad/Baghdad (not Huawei/Huang).
    from rapidfuzz.fuzz import ratio

    return any(w[:1] == base[:1] and ratio(w, base) >= _SPELLING for w in window_words)


def missing_facts(claim: str, window: str) -> list[str]:
    """The claim's names, numbers and dates that the window does not contain."""
    folded = _fold(window)
    words = set(_TOKEN.findall(folded))
    words |= {part for w in list(words) for part in re.split(r"[-'.]", w) if part}
    return [f for f in claim_facts(claim) if not fact_found(f, folded, words)]


def negation_count(text: str) -> int:
    """How many negations ``text`` states, in English, French or Spanish."""
    folded = _fold(text)
    words = re.findall(r"[^\W_]+", folded)
    plain = sum(w in _NEGATIONS for w in words) + len(re.findall(r"\wn't\b", folded))
    # "ne ... pas", "n'a jamais rien" are one negation each; a "pas" without "ne" (a quote,
    # "pas encore") is one too, so "n'était pas « pas derrière »" counts two.
    french = max(sum(w in _FRENCH_NE for w in words), words.count("pas"))
    return plain + french


def negated_words(text: str) -> set[str]:
    """Stems of the content words right after a negation: what the text says is not so."""
    words = re.findall(r"[^\W_]+", _fold(text))
    negations = _NEGATIONS | _FRENCH_NE | {"pas", "jamais"}
    found: set[str] = set()
    for i, word in enumerate(words):
        if word in negations or word.endswith("n't"):
            found |= {stem(w) for w in words[i + 1 : i + 4] if content_words(w)}
    return found


def negation_changed(claim: str, quote: str) -> bool:
    """The claim negates more than the quote, negates what the quote states plainly, or
    restates a negated part without the negation."""
    ours, theirs = negation_count(claim), negation_count(quote)
    if ours > theirs:
        return True
    if ours:
        # "n'est pas le fouage" against "est le fouage, qui ... ne pas être précis": one
        # negation each, on different words.
        negated = negated_words(claim)
        stated = {stem(w) for w in content_words(quote)}
        if negated & stated and not negated & negated_words(quote):
            return True
    # Fewer negations matter only where the claim says what the quote negates: "était
    # derrière" for "n'était pas derrière", not a claim on another part of the sentence.
    return ours < theirs and bool(negated_words(quote) & {stem(w) for w in content_words(claim)})


# "effect because cause" / "cause so effect", in the three languages: swapping the sides of
# one of these reverses a claim without changing a word, so the sides are compared in order.
_EFFECT_CAUSE = re.compile(
    r"\b(?:because|since|due to|as a result of|parce que|parce qu'|car|a cause de|grace a|"
    r"porque|ya que|debido a|gracias a)\b"
)
_CAUSE_EFFECT = re.compile(
    r"\b(?:so|therefore|thus|hence|leads? to|led to|donc|ainsi|entraine|provoque|"
    r"por lo que|asi que|por eso|provoca)\b"
)


def cause_effect(text: str) -> tuple[str, str] | None:
    """The (cause, effect) sides of a causal sentence, when it has one connector."""
    folded = _fold(text)
    for pattern, cause_first in ((_EFFECT_CAUSE, False), (_CAUSE_EFFECT, True)):
        found = list(pattern.finditer(folded))
        if len(found) == 1:
            before, after = folded[: found[0].start()], folded[found[0].end() :]
            if content_words(before) and content_words(after):
                return (before, after) if cause_first else (after, before)
    return None


def reversed_cause(claim: str, quote: str) -> bool:
    """The claim gives the quote's cause as its effect and the other way round."""
    ours, theirs = cause_effect(claim), cause_effect(quote)
    if ours is None or theirs is None:
        return False
    straight = overlap(ours[0], theirs[0]) + overlap(ours[1], theirs[1])
    crossed = overlap(ours[0], theirs[1]) + overlap(ours[1], theirs[0])
    return crossed > straight


def borrowed_words(claim: str, quote: str, window: str) -> list[str]:
    """The claim's content words its quote lacks and a neighbouring sentence has: a claim
    stitched from the sentences around the one it cites."""
    own = {stem(w) for w in content_words(quote)}
    near = {stem(w) for w in content_words(window.replace(quote, " "))} - own
    return [w for w in content_words(claim) if stem(w) in near]
