"""Quote choice on technical text where the neighbours of the answer are nearly as similar:
an English question over French pages that also hold English sentences, and a "which command"
question answered by a code block. Excerpts adapted from the French New Maintainers' Guide and
Debian FAQ (shared/eval/real; GPL-2.0+ and verbatim-copying licences)."""

from __future__ import annotations

import pytest

from rag.pipeline import Assistant
from rag.retrieval import evidence, hybrid
from rag.retrieval.literals import literal_share, literals
from tests.conftest import indexed_assistant

CHECKIT = """<html><head><title>Chapitre 7. Contrôle des erreurs du paquet</title></head><body>
<h2>7.4. Utilisation de lintian</h2>
<p>Exécutez <span class="command"><strong>lintian</strong></span>(1) sur le fichier
<code class="filename">.changes</code>.</p>
<pre class="screen">$ lintian -i -I --show-overrides gentoo_0.9.12-1_i386.changes</pre>
<p>La sortie de la commande <span class="command"><strong>lintian</strong></span> utilise les
balises suivantes&#160;:</p>
<div class="itemizedlist"><ul class="itemizedlist">
<li><p><code class="literal">E:</code> pour erreur&#160;; une violation sûre de la Charte ou une
erreur d'empaquetage&#160;;</p></li>
<li><p><code class="literal">W:</code> pour avertissement&#160;; une violation possible de la
Charte ou erreur d'empaquetage&#160;;</p></li>
<li><p><code class="literal">I:</code> pour information&#160;; une information sur certains
aspects d'empaquetage&#160;;</p></li>
</ul></div>
<p>Note: the English output of lintian is shown for every package built in the chroot.</p>
</body></html>"""

UPDATE = """<html><head><title>Chapitre 8. Mise à jour du paquet</title></head><body>
<h2>8.5. Conversion en UTF-8</h2>
<p>Si les documents amont sont encodés avec d'anciens jeux de caractères, les convertir en
UTF-8 peut être utile&#160;:</p>
<p>Avec <span class="citerefentry">iconv(1)</span> pour convertir l'encodage de fichiers
texte&#160;:</p>
<pre class="screen">iconv -f latin1 -t utf8 truc_entrée.txt &gt; truc_sortie.txt</pre>
<h2>8.6. Paquets retenus</h2>
<p>Avec apt, vous pouvez conserver un paquet dans sa version actuelle avec la commande
suivante&#160;:</p>
<pre class="screen">apt-mark hold nom_paquet</pre>
<p>For details, see the description of "Debian architecture" in the manual page
dpkg-architecture(1).</p>
</body></html>"""


@pytest.fixture(scope="module")
def guide(tmp_path_factory, embedder) -> Assistant:
    documents = {"checkit.fr.html": CHECKIT, "update.fr.html": UPDATE}
    return indexed_assistant(
        tmp_path_factory, embedder, "literal-guide", documents, generator="extractive"
    )


def _quoted(assistant: Assistant, question: str) -> str:
    return " ".join(" ".join(c.quote.split()) for c in assistant.ask(question).citations)


def test_literals_are_the_identifiers_a_question_writes():
    question = "In lintian output, what does the W: tag mean for debian/watch or « UTF-8 » ?"
    assert literals(question) == ["w:", "debian/watch", "utf-8"]
    assert literals("Who founded Saint-Denis, and is the 910D or latin1 faster?") == []
    assert literals("Which tool tests .deb packages with apt-get?") == [".deb", "apt-get"]
    assert literals("Quelle est l'option de dpkg ?") == []  # an elision is not an identifier
    assert literal_share(["w:"], "W: pour avertissement") == 1.0
    assert literal_share(["debian/watch"], "le fichier debian/watchdog") == 0.0
    assert literal_share(["debian/watch"], "Le fichier watch configure uscan") == 1.0
    assert literal_share(["orig.tar.gz"], "gentoo_0.9.12.orig.tar.gz") == 1.0


def test_an_english_question_quotes_the_french_line_with_its_identifier(guide, monkeypatch):
    question = "In lintian output, what does the W: tag mean?"
    assert "W: pour avertissement" in _quoted(guide, question)
    # Without the identifier the near-tie goes to a neighbour, and without the language
    # penalty to the English note: the test measures both.
    with monkeypatch.context() as patch:
        patch.setattr(evidence, "LITERAL_WEIGHT", 0.0)
        assert "W: pour avertissement" not in _quoted(guide, question)
    for module in (evidence, hybrid):
        monkeypatch.setattr(module, "language_penalty", lambda *_: 0.0)
    assert _quoted(guide, question).startswith("Note: the English output")


def test_a_which_command_question_quotes_the_lead_sentence_and_its_block(guide):
    quoted = _quoted(
        guide, "With apt, which command puts a package on hold at its current version?"
    )
    assert "vous pouvez conserver un paquet" in quoted
    assert "apt-mark hold nom_paquet" in quoted
    assert "dpkg-architecture" not in quoted  # the English sentence on another topic
