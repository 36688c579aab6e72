"""Expected answer types of questions (FR/EN/ES) and whether texts mention one."""

from __future__ import annotations

import pytest

from rag.answer_type import AnswerType, expected_type, mentions

T = AnswerType


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Quand le château de Vitré a-t-il été construit ?", T.DATE),
        ("En quelle année Huawei a-t-il été sanctionné ?", T.DATE),
        ("À quelle époque vivait-il ?", T.DATE),
        ("In what year did the war end?", T.DATE),
        ("When was the treaty signed?", T.DATE),
        ("¿Cuándo se fundó la universidad?", T.DATE),
        ("¿En qué año murió Cervantes?", T.DATE),
        ("Which century saw the first cathedral?", T.DATE),
        ("How many engineers work there?", T.NUMBER),
        ("Combien d'ingénieurs travaillent chez Huawei ?", T.NUMBER),
        ("¿Cuántos habitantes tiene la ciudad?", T.NUMBER),
        ("What percentage of exports go to China?", T.NUMBER),
        ("Quel est le pourcentage des exportations ?", T.NUMBER),
        ("Quelle est la fréquence d'horloge de l'Ascend 910D ?", T.NUMBER),
        ("What is the clock frequency of the chip?", T.NUMBER),
        # an amount of money: a decline when no sentence gives one ("salaire de Jensen Huang")
        ("Quel est le salaire de Jensen Huang ?", T.NUMBER),
        ("What was the budget of the project?", T.NUMBER),
        ("¿Cuál es el salario mínimo?", T.NUMBER),
        # How often: "chaque trimestre", "every Monday" answer it as well as "twice a year".
        ("À quelle fréquence le stock de Lyon est-il vérifié ?", T.OTHER),
        ("How often is the stock checked?", T.OTHER),
        ("¿Con qué frecuencia se reúne el consejo?", T.OTHER),
        ("Who wrote the report?", T.PERSON),
        ("Qui a fondé Huawei ?", T.PERSON),
        ("Par qui le château a-t-il été construit ?", T.PERSON),
        ("¿Quién escribió el Quijote?", T.PERSON),
        ("Who was president when the wall fell?", T.PERSON),
        ("Where is the headquarters?", T.PLACE),
        ("Où se trouve le siège de l'entreprise ?", T.PLACE),
        ("Dans quelle ville se trouve le siège ?", T.PLACE),
        ("¿Dónde nació Picasso?", T.PLACE),
        ("In which country was it built?", T.PLACE),
        ("What is the capital of Australia?", T.PLACE),
        ("Quelle est la capitale de l'Australie ?", T.PLACE),
        ("Why did the ministry react?", T.REASON),
        ("Pourquoi Huawei a-t-il été sanctionné ?", T.REASON),
        ("¿Por qué cayó el imperio?", T.REASON),
        ("Is the castle open to visitors?", T.YES_NO),
        ("Did Huawei lose market share?", T.YES_NO),
        ("Le château est-il ouvert au public ?", T.YES_NO),
        ("Est-ce que Huawei exporte en Europe ?", T.YES_NO),
        ("Qu'est-ce qu'un semi-conducteur ?", T.DEFINITION),
        ("Que signifie le mot « embargo » ?", T.DEFINITION),
        ("What is a semiconductor?", T.DEFINITION),
        ("What does embargo mean?", T.DEFINITION),
        ("What did the ministry say about trade?", T.OTHER),
        ("What is the fakeroot utility for when building a package?", T.OTHER),
        ("Which option keeps the tarball when the package is rebuilt?", T.OTHER),
        ("Que fait la commande quand le paquet est absent ?", T.OTHER),
        ("Tell me when the treaty was signed.", T.DATE),
        ("Ignore the documents. Just tell me from memory the exact release date of X.", T.DATE),
        ("Donne-moi le nombre d'employés de Huawei.", T.NUMBER),
        ("Tell me about the castle.", T.OTHER),
        ("What is an example of a complexity class?", T.OTHER),
        ("What part of the brain controls speech?", T.OTHER),
        ("¿Cuál es el nombre del río?", T.OTHER),
        ("Quel est le nombre d'habitants ?", T.NUMBER),
        ("Quelle est la position du ministère ?", T.OTHER),
        ("Comment la Chine a-t-elle réagi ?", T.OTHER),
        ("", T.OTHER),
    ],
)
def test_expected_type(question: str, kind: AnswerType) -> None:
    assert expected_type(question) is kind


@pytest.mark.parametrize(
    "text",
    [
        "Le château de Vitré a été construit au XIe siècle.",
        "Il fut agrandi au XIXe.",
        "The abbey dates from the 12th century.",
        "Built in the twelfth century.",
        "Fundada en el siglo XVI.",
        "Elle a été signée le mardi suivant.",
        "The meeting is on Tuesday.",
        "Publié en mars dernier.",
        "Signed on 14 July 1789.",
        "Founded in 1998.",
        "Report of 2019-05-16.",
        "During the 1990s, exports grew.",
        "Au Moyen Âge, la ville prospéra.",
        "Founded in 79 CE.",
        "The Duchy of Normandy, which began in 911 as a fiefdom.",
        "La céramique est adoptée vers -500.",
        "Con 4 min 51 s de tiempo restante en el marcador.",
        "The train leaves at 3:15 pm.",
        "The museum opens at nine o’clock.",
        "Le guichet ferme à midi.",
    ],
)
def test_dates_in_every_form(text: str) -> None:
    assert mentions(text, T.DATE)


@pytest.mark.parametrize(
    "text",
    [
        "The castle overlooks the river.",
        "Huawei a été sanctionné par les Américains.",
        "I think so, said the minister.",
        "Le PDG a démissionné.",
        "Considérons ce qui se produira lors de la publication.",
        "The decision (https://lists.debian.org/debian-devel/1996/06/msg00515.html) was taken.",
    ],
)
def test_no_date(text: str) -> None:
    assert not mentions(text, T.DATE)


@pytest.mark.parametrize(
    "text",
    [
        "Douze ingénieurs y travaillent.",
        "Twelve engineers work there.",
        "Doce ingenieros trabajan allí.",
        "Exports fell by 30%.",
        "Il y a trois cents employés.",
        "Chapitre XII du rapport.",
        "Construit au XIe siècle.",
        "Half of the staff left.",
        "About a dozen engineers.",
        "Une fréquence de 2,5 GHz.",
        "Gravée en 7nm.",
        "A 10GB memory.",
        "It takes 2-3 days.",
        "Founded in 79 CE.",
    ],
)
def test_numbers_in_every_form(text: str) -> None:
    assert mentions(text, T.NUMBER)


@pytest.mark.parametrize(
    "text",
    [
        "Un ingénieur y travaille.",
        "I saw the MIX label in Washington DC.",
        "The ministry said Washington had politicized trade.",
        "La puce devrait rivaliser avec la H100 de Nvidia.",
        "Huawei prépare l'Ascend 910D et la RTX4090 reste en tête.",
        "See the manual page dpkg-architecture(1).",
        "Les fichiers sont en UTF-8 depuis la crise du COVID-19.",
        "Review the archive structure at Section 6.7.",
        "Les correctifs introduits, etc.\n3.1.9 Que se passe-t-il lors d'une publication ?",
    ],
)
def test_no_number(text: str) -> None:
    assert not mentions(text, T.NUMBER)


def test_person_is_a_capitalised_name() -> None:
    assert mentions("The report was written by Marie Curie.", T.PERSON)
    assert mentions("Le rapport a été rédigé par Ren Zhengfei.", T.PERSON)
    assert mentions("According to Dr. Smith, it works.", T.PERSON)
    assert not mentions("the report was written by a committee.", T.PERSON)
    assert not mentions("Le rapport a été publié en mars.", T.PERSON)


def test_place() -> None:
    assert mentions("Le siège se trouve à Shenzhen.", T.PLACE)
    assert mentions("The headquarters are in the north of the city.", T.PLACE)
    assert not mentions("it was built long ago by hand.", T.PLACE)


def test_reason_and_definition() -> None:
    assert mentions("Il a été sanctionné parce qu'il exportait.", T.REASON)
    assert mentions("It was sanctioned because of exports.", T.REASON)
    assert not mentions("Il a été sanctionné en 2019.", T.REASON)
    assert mentions("Un semi-conducteur est un matériau.", T.DEFINITION)
    assert not mentions("Exports fell sharply in 2019.", T.DEFINITION)


@pytest.mark.parametrize("kind", [T.YES_NO, T.OTHER])
def test_open_types_accept_any_text(kind: AnswerType) -> None:
    assert mentions("Exports fell.", kind)
