"""What kind of answer a question asks for (date, number, person…) and whether a text has one.

French, English and Spanish. Both functions are deliberately permissive where a wrong "no"
would cost a good answer (a refusal, a rejected sentence): ``mentions`` says True for any
text that could plausibly hold an answer of the kind, and ``expected_type`` says OTHER when
the question's wording does not settle it.
"""

from __future__ import annotations

import re
from enum import StrEnum

from rag.retrieval.analysis import fold as fold_case_and_accents


class AnswerType(StrEnum):
    DATE = "date"
    NUMBER = "number"
    PERSON = "person"
    PLACE = "place"
    YES_NO = "yes_no"
    DEFINITION = "definition"
    REASON = "reason"
    OTHER = "other"


def fold(text: str) -> str:
    """Casefolded, without accents, curly apostrophes straight: what the patterns here read."""
    return fold_case_and_accents(text.replace("’", "'"))


def _words(text: str) -> str:
    return "|".join(sorted(text.split(), key=len, reverse=True))


# Nouns that, after "what/which/quel/qué", say the type ("in which year", "quelle ville").
_TYPE_NOUNS = {
    AnswerType.DATE: _words(
        "year years date dates century decade day month time era period season "
        "annee annees siecle decennie jour mois heure epoque periode saison "
        "ano anos fecha siglo decada dia mes hora epoca periodo temporada"
    ),
    AnswerType.NUMBER: _words(
        "number percentage percent amount proportion share price cost size population age "
        "salary wage income revenue budget salaire revenu salario sueldo presupuesto "
        "length distance height weight speed temperature rate frequency capacity volume duration "
        "frequence capacite duree frecuencia capacidad duracion "
        "nombre pourcentage montant proportion prix cout taille age longueur distance "
        "hauteur poids vitesse taux superficie "
        "numero porcentaje cantidad precio costo edad poblacion longitud altura peso velocidad"
    ),
    AnswerType.PERSON: _words(
        "person people man woman king queen president author writer scientist player artist "
        "composer leader emperor pope architect painter founder inventor minister general "
        "personne homme femme roi reine president auteur ecrivain scientifique joueur artiste "
        "compositeur dirigeant empereur pape architecte peintre fondateur inventeur ministre "
        "persona hombre mujer rey reina presidente autor escritor cientifico jugador artista "
        "compositor lider emperador papa arquitecto pintor fundador inventor ministro"
    ),
    AnswerType.PLACE: _words(
        "country countries city town place region state continent river island location area "
        "province village street building mountain capital "
        "pays ville lieu region endroit fleuve riviere ile etat continent province village rue "
        "batiment montagne departement commune capitale "
        "pais ciudad lugar region rio isla estado continente provincia pueblo calle edificio "
        "montana"
    ),
}
# Left out as clashing across languages: French "an" (English "what is an…"), "part" (English
# "what part of…"); Spanish "el nombre" is a name, French "le nombre" a number.
_TYPE_NOUNS[AnswerType.NUMBER] = _TYPE_NOUNS[AnswerType.NUMBER].replace(
    "nombre", "nombre(?<!el nombre)(?<!su nombre)"
)
_WH_DETERMINER = r"(?:what|which|quel|quelle|quels|quelles|que|cual|cuales|cuanto|cuanta)"
_TYPE_NOUN_PATTERNS = {
    kind: re.compile(
        rf"\b{_WH_DETERMINER}\s+(?:(?:is|was|are|were|est|etait|sont|es|fue|era)\s+)?"
        rf"(?:(?:the|le|la|les|l'|el|los|las)\s*)?(?:\w+\s+)?(?:{nouns})\b"
    )
    for kind, nouns in _TYPE_NOUNS.items()
}

# Question words, matched on folded text ("où" keeps its accent: folded it is "ou", "or").
_QUESTION_WORDS = [
    # "How often" is left out: its answer is as often words ("every quarter", "chaque lundi").
    (AnswerType.NUMBER, r"\bhow (?:many|much|long|old|far|tall|big|large|high|deep)\b"),
    (AnswerType.NUMBER, r"\bcombien\b|\bquel age\b|\bcuant[oa]s?\b"),
    (AnswerType.DATE, r"\bwhen\b|\bquand\b|\bcuando\b|\bsince when\b|\bdepuis quand\b"),
    (AnswerType.DATE, r"\ba quelle (?:date|epoque|periode|heure)\b"),
    (AnswerType.REASON, r"\bwhy\b|\bpourquoi\b|\bpor que\b|\bfor what reason\b"),
    (AnswerType.REASON, r"\bpour quelle raison\b|\bpor que razon\b|\bhow come\b"),
    (AnswerType.PERSON, r"\bwho(?:m|se)?\b|\bquien(?:es)?\b"),
    (AnswerType.PERSON, r"^(?:(?:par|a|de|avec|pour|selon|chez|contre) )?qui\b"),
    (AnswerType.PLACE, r"\bwhere\b|\b(?:a )?donde\b|\bd'ou\b"),
    (AnswerType.DEFINITION, r"\bqu'est-ce (?:que|qu')|\bque (?:signifie|veut dire|designe)\b"),
    (AnswerType.DEFINITION, r"\bc'est quoi\b|\bque significa\b|\bwhat does .+ mean\b"),
    (AnswerType.DEFINITION, r"^(?:what|who) (?:is|are) (?:a|an) \w+\W*$|^define\b|^definis?\b"),
    (AnswerType.DEFINITION, r"^what is meant by\b|^(?:que|qu') es (?:un|una|el|la) \w+\W*$"),
]
_QUESTION_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in _QUESTION_WORDS]
# How often something happens is answered as often in words ("every quarter", "chaque lundi")
# as in numbers; a frequency as a quantity ("the clock frequency of…") stays a number.
_HOW_OFTEN = re.compile(
    r"\bhow (?:often|frequently)\b|\ba quelle frequence\b|\bcon que frecuencia\b"
)
_IMPERATIVE = re.compile(
    r"\b(?:tell|give|show|name) me\b|\b(?:dis|donne|indique|precise|cite)z?-moi\b|\bindiquez\b"
    r"|\b(?:dime|dame|indicame)\b"
)
_ASKED_NOUN = {
    kind: re.compile(rf"\b(?:the|le|la|les|l'|el|los|las)\s*(?:\w+\s+){{0,3}}?(?:{nouns})\b")
    for kind, nouns in _TYPE_NOUNS.items()
}
_OU = re.compile(r"(?<!\w)où(?!\w)")

_YES_NO_START = re.compile(
    r"^(?:is|are|was|were|do|does|did|can|could|has|have|had|will|would|should|shall|may|must"
    r"|y a-t-il|peut-on|es|fue|era|hay|tiene|puede|existe|esta)\b|^est-ce qu"
)
_FRENCH_INVERSION = re.compile(r"\w-t-(?:il|elle|on)\b|\w-(?:il|elle|ils|elles|on|je|tu|vous)\b")
_ANY_WH = re.compile(
    r"\b(?:what|which|who|whom|whose|when|where|why|how|quoi|quel|quelle|quels|quelles|quand"
    r"|comment|combien|pourquoi|lequel|laquelle|que|qu|qui|que|cual|quien|cuando|donde|como"
    r"|cuanto|cuantos|cuanta|cuantas)\b"
)


def expected_type(question: str) -> AnswerType:
    """The kind of answer ``question`` asks for; OTHER when its wording does not say."""
    raw = question.strip().lstrip("¿¡").lower()
    folded = fold(raw)
    if _HOW_OFTEN.search(folded):
        return AnswerType.OTHER
    hits: list[tuple[int, AnswerType]] = []
    for kind, pattern in _QUESTION_PATTERNS:
        match = pattern.search(folded)
        if match:
            hits.append((match.start(), kind))
    for kind, pattern in _TYPE_NOUN_PATTERNS.items():
        match = pattern.search(folded)
        if match:
            hits.append((match.start(), kind))
    where = _OU.search(raw)
    if where:
        hits.append((where.start(), AnswerType.PLACE))
    # The first question word governs: "Who was king when…" asks for a person, and "What is
    # fakeroot for when building…" asks for no date (a plain "what" has no type of its own).
    first = _ANY_WH.search(folded)
    if first is not None:
        hits = [hit for hit in hits if hit[0] <= first.start()]
    if not hits and (ask := _IMPERATIVE.search(folded)):
        # "Tell me the exact release date of…", "Donne-moi le nombre de…": no question word,
        # the first type noun after the request says what is asked.
        starts = ((p.search(folded, ask.end()), k) for k, p in _ASKED_NOUN.items())
        hits = [(m.start(), k) for m, k in starts if m is not None]
    if hits:
        return min(hits, key=lambda hit: hit[0])[1]
    if _YES_NO_START.search(folded) or (
        _FRENCH_INVERSION.search(folded) and not _ANY_WH.search(folded)
    ):
        return AnswerType.YES_NO
    return AnswerType.OTHER


_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre "
    "diciembre"
)
_WEEKDAYS = _words(
    "monday tuesday wednesday thursday friday saturday sunday "
    "lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miercoles jueves viernes sabado domingo"
)
# "CE" only after a number (see _YEAR): as a word it is French "ce qui", "ce projet".
_DATE_WORDS = _words(
    "century centuries decade yesterday today tomorrow spring summer autumn fall winter "
    "siecle siecles decennie hier aujourd'hui demain printemps automne hiver "
    "siglo siglos decada ayer hoy manana primavera verano otono invierno "
    "bc ad bce j.-c medieval middle ages moyen age antiquity antiquite "
    # A time of day in words: "at nine o'clock", "à midi".
    "o'clock noon midnight midi minuit mediodia medianoche"
)
_ROMAN = r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
# "XIe", "Ve", "Ier", "XIXth"; a lone L, C, D or M only as "Cème", not "Le", "Ce", "De", "Me".
_ROMAN_ORDINAL = re.compile(
    rf"\b(?:(?=[MDCLXVI]{{2}}){_ROMAN}|[IVX])(?:e|è|ème|eme|er|re|th|st|nd|rd|º|°)(?!\w)"
    r"|\b[LCDM](?:ème|eme|th)(?!\w)"
)
_ROMAN_CENTURY = re.compile(
    rf"\b(?:siglo|century|siècle|siecle)s?\s+{_ROMAN}\b|\b{_ROMAN}\s+siècle"
)
# Bare Roman numerals: only of I, V, X and two letters or more, so "I", "DC" or "MIX" are not.
_ROMAN_BARE = re.compile(r"\b(?=[IVX]{2,}\b)(?:X{0,3})(?:IX|IV|V?I{0,3})\b")
_YEAR = re.compile(
    r"(?<![\w.,])(?:1\d{3}|20\d{2}|\d{2,4}s)(?![\d.,]\d)|\b\d{1,4}\s?(?:av|ap|bc|ad|bce|ce)\b"
    # A three-digit year after its preposition: "began in 911", "en 843".
    r"|\b(?:in|en|since|depuis|desde|until|circa|vers|hacia)\s+[-−]?\d{3}\b(?![.,]\d|\s*%)"
    # A time of day or on a clock: "14h30", "3:15 pm", "4 min 51 s".
    r"|\b\d{1,2}\s?(?:h|:)\s?\d{2}\b|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d+\s?min\b"
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
_ORDINAL_CENTURY = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th|e|è|ème|eme|er|o|º)?|\w+(?:th|st|nd|ieme|ème|eme))\s+"
    r"(?:century|centuries|siecle|siècle|siecles|siècles)\b"
)
_DATE_TEXT = re.compile(rf"\b(?:{_MONTHS}|{_WEEKDAYS}|{_DATE_WORDS})\b")

_NUMBER_WORDS = _words(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions trillion dozen dozens "
    "half quarter twice thrice percent single double triple "
    "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "vingt vingts trente quarante cinquante soixante septante octante huitante nonante cent "
    "cents mille millier milliers milliard milliards douzaine douzaines dizaine dizaines "
    "centaine centaines moitie quart tiers "
    "dos tres cuatro cinco seis siete ocho nueve diez doce trece catorce quince veinte "
    "treinta cuarenta cincuenta sesenta setenta ochenta noventa cien ciento cientos mil millon "
    "millones docena mitad"
)
_NUMBER_TEXT = re.compile(rf"\b(?:{_NUMBER_WORDS})\b|\bpour ?cent\b|\bpor ciento\b")
# Digits as a quantity: "12", "2,5 GHz", "7nm", "1er", "30%"; not inside a model name
# ("H100", "910D", "RTX4090"), which names a thing and counts nothing.
_DIGITS = re.compile(
    r"(?<!\w)(?<![A-Za-z]-)\d+(?:[.,]\d+)*"
    r"(?=$|[^\w]|[a-zà-ÿ]|(?:[kKMGTP]i?)?(?:Hz|B|b|o|W|V|A|bps)\b|%)"
)

# A capitalised word that is not a sentence's first, nor a month, weekday or common opener.
_CAPITALISED = re.compile(
    r"(?<=[\w,;:)»\"'’]\s)[A-ZÀ-ÖØ-Þ][\w'’-]+|\b[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+\s+[A-ZÀ-ÖØ-Þ][\w'’-]+"
)
_PERSON_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|King|Queen|Saint|St|M|Mme|Mlle|Me|Pr|Dom|Don|Doña|Sr|Sra)"
    r"\.?\s+[A-ZÀ-ÖØ-Þ]"
)
_PLACE_TEXT = re.compile(
    rf"\b(?:in|at|from|near|to|à|a|au|aux|en|dans|de|près|vers|desde|cerca)\s+"
    rf"(?:the\s+|le\s+|la\s+|les\s+|l['’]|el\s+|los\s+)?[A-ZÀ-ÖØ-Þ]\w+|\b(?:{_TYPE_NOUNS[AnswerType.PLACE]}"
    r"|north|south|east|west|nord|sud|est|ouest|norte|sur|este|oeste)\b",
    re.IGNORECASE,
)
_REASON_TEXT = re.compile(
    r"\b(?:because|since|due to|owing to|as a result|thanks to|so that|in order to|caused|"
    r"reason|led to|parce qu|car|puisque|en raison|a cause|à cause|grace a|grâce à|afin|"
    r"raison|du fait|suite a|suite à|porque|debido|a causa|ya que|gracias a|razon|razón|para)\b",
    re.IGNORECASE,
)
_DEFINITION_TEXT = re.compile(
    r"\b(?:is|are|was|were|means|refers to|defined|known as|called|est|sont|etait|était|"
    r"designe|désigne|signifie|consiste|appel\w*|es|son|era|significa|llamad\w*|conocid\w*)\b",
    re.IGNORECASE,
)
_NOT_NAMES = re.compile(rf"^(?:{_MONTHS}|{_WEEKDAYS}|the|le|la|les|el|los|las|a|an|un|une)$")


def _has_date(text: str) -> bool:
    if _YEAR.search(text) or _NUMERIC_DATE.search(text):
        return True
    if _ROMAN_ORDINAL.search(text) or _ROMAN_CENTURY.search(text):
        return True
    folded = fold(text)
    return bool(
        _ORDINAL_CENTURY.search(folded) or _DATE_TEXT.search(folded) or _YEAR.search(folded)
    )


# Numbers that point somewhere and count nothing: a manual page's section ("dpkg(1)"), a cross
# reference ("Section 6.7", "§ 3"), a heading's numbering at a line start ("3.1.9 Que…").
_REFERENCE = re.compile(
    r"(?<=\w)\(\d\w?\)|(?:\bsection|\bsección|\bseccion|§)\s*\d+(?:\.\d+)*"
    r"|^\s*\d+(?:\.\d+)+\.?\s+(?-i:(?=[A-ZÀ-ÖØ-Þ]))",
    re.IGNORECASE | re.MULTILINE,
)


def _has_number(text: str) -> bool:
    text = _REFERENCE.sub(" ", text)
    if _DIGITS.search(text) or _NUMBER_TEXT.search(fold(text)) or _ROMAN_BARE.search(text):
        return True
    return bool(_ROMAN_ORDINAL.search(text))


def _has_name(text: str) -> bool:
    if _PERSON_TITLE.search(text):
        return True
    for match in _CAPITALISED.finditer(text):
        first = fold(match.group().split()[0])
        if not _NOT_NAMES.match(first) or len(match.group().split()) > 1:
            return True
    return False


# An address's digits ("lists.debian.org/1996/06/msg00515.html") date and count nothing.
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")


def mentions(text: str, kind: AnswerType) -> bool:
    """Whether ``text`` holds something that can be an answer of ``kind`` (permissive)."""
    if kind in (AnswerType.DATE, AnswerType.NUMBER):
        text = _URL.sub(" ", text)
    if kind is AnswerType.DATE:
        return _has_date(text)
    if kind is AnswerType.NUMBER:
        return _has_number(text)
    if kind is AnswerType.PERSON:
        return _has_name(text)
    if kind is AnswerType.PLACE:
        return bool(_PLACE_TEXT.search(text)) or _has_name(text)
    if kind is AnswerType.REASON:
        return bool(_REASON_TEXT.search(text))
    if kind is AnswerType.DEFINITION:
        return bool(_DEFINITION_TEXT.search(text))
    return True  # yes/no and other: any statement can answer them
