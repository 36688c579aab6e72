"""Which sentence answers, on excerpts of real manuals: the French Debian FAQ and New
Maintainers' Guide (shared/eval/real; GPL-2.0+ and verbatim-copying licences), as DocBook HTML."""

from __future__ import annotations

import pytest

from rag.pipeline import Assistant
from tests.conftest import indexed_assistant

# FAQ chapter 7 as its HTML edition has it: question headings over their answers.
FAQ = """<html><head><title>La FAQ Debian</title></head><body>
<h1>Chapitre 7. Les bases du système de gestion des paquets Debian</h1>
<h2>7.1 Qu’est ce qu’un paquet Debian&#160;?</h2>
<p>Les paquets contiennent généralement tous les fichiers nécessaires pour implémenter un
ensemble de commandes ou de fonctionnalités. Il y a deux sortes de paquets Debian&#160;: les
paquets binaires et les paquets sources.</p>
<h2>7.2 Quel est le format d’un paquet binaire Debian&#160;?</h2>
<p>Un paquet Debian ou un fichier d’archive Debian, contient les fichiers exécutables, les
bibliothèques et la documentation associés à une suite particulière de programmes.</p>
</body></html>"""

GUIDE = """<html><head><title>Chapitre 1. Bien commencer</title></head><body>
<h2>1.2. Programmes nécessaires au développement</h2>
<p>Avant de commencer quoi que ce soit, vous devriez vous assurer d'avoir correctement installé
certains paquets nécessaires au développement.</p>
<p>Le paquet le plus important à installer sur un système de développement est
<code class="systemitem">build-essential</code>. Lors de son installation, il tirera avec lui
d'autres paquets nécessaires à un environnement de compilation de base.</p>
<h2 class="title"><a id="watch"/>5.21. <code class="filename">watch</code></h2>
<p>Le format du fichier <code class="filename">watch</code> est documenté dans la page
de manuel <span class="citerefentry"><span class="refentrytitle">uscan</span>(1)</span>. Le fichier
<code class="filename">watch</code> configure le programme <span class="command"><strong>uscan</strong></span>
(dans le paquet <code class="systemitem">devscripts</code>) pour
surveiller le site sur lequel vous avez obtenu les sources.</p>
<p>Voici ce qu'il contient&#160;:</p>
<pre class="screen">
# watch control file for uscan
version=3
http://sf.net/gentoo/gentoo-(.+)\\.tar\\.gz debian uupdate
</pre>
</body></html>"""


@pytest.fixture(scope="module")
def manuals(tmp_path_factory, embedder) -> Assistant:
    documents = {"faq.fr.html": FAQ, "guide.fr.html": GUIDE}
    return indexed_assistant(tmp_path_factory, embedder, "manuals", documents)


def _quotes(assistant: Assistant, question: str) -> list[str]:
    return [citation.quote for citation in assistant.ask(question).citations]


def test_a_heading_is_not_quoted_as_the_answer(manuals):
    quotes = _quotes(
        manuals,
        "Quel est le paquet le plus important à installer sur un système de développement Debian ?",
    )
    assert quotes and "build-essential" in quotes[0]
    assert not any(quote.startswith("7.1") for quote in quotes)


def test_an_english_question_over_french_text_quotes_the_sentence_not_the_code(manuals):
    quotes = _quotes(manuals, "What is the debian/watch file used for?")
    assert quotes and "configure le programme uscan" in " ".join(quotes[0].split())
