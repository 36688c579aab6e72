"""`rag brief` on the seed article: coverage of its main points, verbatim citations, caching."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rag.brief.abstractive import abstractive_bullets, parse_bullets
from rag.brief.briefing import Bullet
from rag.generation.base import GenerationRequest
from rag.pipeline import Assistant
from rag.question import QuestionError
from rag.types import Citation

# The article's main points, each as strings of which one must appear in a cited sentence.
MAIN_POINTS = {
    "the guidance and who issued it": ["ministère américain du Commerce", "Bureau de l’industrie"],
    "a reaction quoted": ["Jensen Huang", "Lin Jian", "a déclaré Lin"],
    "the rule that was rescinded": ["règle de diffusion"],
    "the enforcement problem": ["extraterritoriales", "régime d’application"],
    "Huawei's new chip": ["910D", "H100"],
}


@pytest.fixture(scope="module")
def briefing(seed_assistant):
    return seed_assistant.brief(bullets=7)


def test_seven_bullets_cover_the_main_points(briefing):
    assert len(briefing.bullets) == 7
    quoted = " ".join(c.quote for bullet in briefing.bullets for c in bullet.citations)
    missing = [point for point, names in MAIN_POINTS.items() if not any(n in quoted for n in names)]
    assert missing == []


def test_every_bullet_cites_its_sentences_verbatim_in_reading_order(seed_assistant, briefing):
    document = next(iter(seed_assistant.snapshot().documents.values()))
    starts = []
    for bullet in briefing.bullets:
        assert bullet.citations
        for citation in bullet.citations:
            assert citation.quote == document.text[citation.start : citation.end]
            assert (citation.start, citation.end) in document.sentences
            assert " ".join(citation.quote.split()) in " ".join(bullet.text.split())
        markers = "".join(f"[{c.n}]" for c in bullet.citations)
        assert bullet.text.endswith(" " + markers)
        starts.append(bullet.citations[0].start)
    assert starts == sorted(starts)
    numbers = [c.n for bullet in briefing.bullets for c in bullet.citations]
    assert numbers == list(range(1, len(numbers) + 1))


def test_briefing_json_has_bullets_and_sources(briefing):
    data = briefing.to_json()
    assert set(data) >= {"bullets", "sources"}
    assert set(data["bullets"][0]) == {"text", "citations"}
    assert set(data["bullets"][0]["citations"][0]) == {"n", "source", "start", "end", "quote"}
    assert data["sources"][0]["language"] == "fr"


def test_asking_for_english_from_the_extractive_path_warns(seed_assistant):
    briefing = seed_assistant.brief(bullets=3, language="en")
    assert briefing.language == "en" and briefing.warnings


def test_one_document_and_unknown_documents(seed_assistant):
    source = next(iter(seed_assistant.snapshot().records))
    assert seed_assistant.brief(bullets=2, source=source).sources[0]["source"] == source
    with pytest.raises(QuestionError, match="no indexed document"):
        seed_assistant.brief(source="missing.txt")


def test_per_document_briefs_are_cached_by_content_hash(seed_assistant, briefing):
    # A fresh assistant has an empty sentence cache: only the on-disk brief avoids embedding.
    fresh = Assistant(seed_assistant.settings, embedder=seed_assistant.embedder)
    before = seed_assistant.embedder.passages_embedded
    again = fresh.brief(bullets=7)
    assert seed_assistant.embedder.passages_embedded == before
    assert again.bullets == briefing.bullets
    assert list((fresh.layout.root / "briefs").glob("*.npz"))


class ScriptedGenerator:
    """Replies with a fixed draft and records the requests it got."""

    name = "scripted"

    def __init__(self, draft: str) -> None:
        self.draft = draft
        self.requests: list[GenerationRequest] = []

    def generate(self, request: GenerationRequest) -> Iterator[str]:
        self.requests.append(request)
        yield self.draft


def _candidates(seed_assistant, count):
    from rag.brief.cache import BriefCache
    from rag.brief.summarise import extractive_bullets

    document = next(iter(seed_assistant.snapshot().documents.values()))
    bullets = extractive_bullets([document], seed_assistant.sentence_store, BriefCache(None), count)
    return document, bullets


def test_abstractive_bullets_keep_only_supported_ones_and_fill_up(seed_assistant):
    from rag.brief.support import cited_support

    document, candidates = _candidates(seed_assistant, 8)
    flat = [c for b in candidates for c in b.citations]
    huang = next(i for i, c in enumerate(flat, start=1) if "Jensen Huang" in c.quote)
    draft = "\n".join(
        [
            f"- Nvidia's CEO Jensen Huang said China is not behind the US in AI [{huang}].",
            "- Huawei sold ten million phones in Brazil last year [1].",  # not what [1] says
            "- A point citing a passage that does not exist [99].",
            "- An uncited point.",
        ]
    )
    generator = ScriptedGenerator(draft)
    supports = cited_support(seed_assistant.finder())
    bullets = abstractive_bullets(
        generator, {document.source: document}, candidates, 3, "en", supports
    )
    assert len(bullets) == 3
    assert any(b.text.startswith("Nvidia's CEO") for b in bullets)
    assert not any("Brazil" in b.text or "exist" in b.text for b in bullets)
    request = generator.requests[0]
    assert request.language == "en" and "3 bullet points" in request.question
    assert len(request.passages) == len(flat)
    for bullet in bullets:
        for citation in bullet.citations:
            assert citation.quote == document.text[citation.start : citation.end]


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("- First point [1].\n- Second [2, 1]", [("First point.", [1]), ("Second", [2, 1])]),
        ("- Trailing marker. [2]", [("Trailing marker.", [2])]),
        ("1. Numbered [2]\n* Starred [1][2]", [("Numbered", [2]), ("Starred", [1, 2])]),
        ("- Unknown marker [7]\n- No marker\n\n", []),
    ],
)
def test_parse_bullets(draft, expected):
    candidates = [Citation(n, "d.txt", n * 10, n * 10 + 5, f"q{n}") for n in (1, 2)]
    bullets = parse_bullets(draft, candidates)
    assert [(b.text, [c.n for c in b.citations]) for b in bullets] == expected
    assert all(isinstance(b, Bullet) for b in bullets)


def test_a_configured_generator_writes_the_briefing_through_the_pipeline(
    seed_assistant, monkeypatch
):
    from rag.generation import registry

    generator = ScriptedGenerator(
        "- The statement, published on Tuesday by the department's Bureau of Industry and "
        "Security, warned of the consequences of US AI chips being used to train or run "
        "Chinese AI models [1].\n- Apple launched a new iPhone [2]."
    )
    monkeypatch.setitem(registry.FACTORIES, "scripted", lambda settings: generator)
    settings = seed_assistant.settings.model_copy(update={"generator": "scripted"})
    assistant = Assistant(settings, embedder=seed_assistant.embedder)
    briefing = assistant.brief(bullets=3, language="en")
    assert briefing.generator == "scripted" and len(briefing.bullets) == 3
    texts = [b.text for b in briefing.bullets]
    assert texts[0].startswith("The statement, published on Tuesday")
    assert not any("iPhone" in t for t in texts)
    assert "Bureau de l’industrie" in generator.requests[0].passages[0].chunk.text


SECOND_DOCUMENT = """Solar power in Kenya

Kenya installed more off-grid solar systems last year than any other African country, the \
energy ministry said on Monday.

Most of the systems are small home kits sold on credit and paid off by mobile money over a \
year or two.

Critics say the kits rarely power more than lights and a phone charger, and that the loans \
carry high interest rates for poor households.

The ministry plans to connect every household to electricity by 2030, mostly through \
mini-grids in rural areas.
"""


def test_a_document_set_is_briefed_by_map_reduce_over_documents(tmp_path, embedder):
    import shutil

    from rag.settings import Settings
    from tests.conftest import SEED_FILE

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / "a-seed.txt")
    (corpus / "b-solar.txt").write_text(SECOND_DOCUMENT, encoding="utf-8")
    assistant = Assistant(
        Settings(corpus_dir=corpus, index_dir=tmp_path / "index"), embedder=embedder
    )
    assistant.index()
    calls: list[tuple[int, int]] = []
    briefing = assistant.brief(bullets=6, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    sources = [bullet.citations[0].source for bullet in briefing.bullets]
    assert set(sources) == {"a-seed.txt", "b-solar.txt"}
    assert sources == sorted(sources)  # documents in order, each told in its own order
    assert [s["source"] for s in briefing.sources] == ["a-seed.txt", "b-solar.txt"]
    assert len(list((tmp_path / "index" / "briefs").glob("*.npz"))) == 2
