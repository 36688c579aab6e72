"""The one settings object, read from ``RAG_*`` environment variables and built at start-up."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable; built once in ``main()`` and passed down, never read at import."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")

    corpus_dir: Path = Field(Path("seeds"), description="Folder of documents to index.")
    index_dir: Path = Field(Path("index"), description="Where the built index is stored.")

    chunk_chars: int = Field(700, ge=100, description="Target chunk size in characters.")
    top_k: int = Field(5, ge=1, le=50, description="Passages given to the answer generator.")
    embed_batch_size: int = Field(32, ge=1, description="Texts per embedding call.")

    generator: str = Field("auto", description="extractive, llamacpp, openai, or auto.")
    answer_threshold: float | None = Field(
        None, description="Override the calibrated answerability threshold (0..1)."
    )

    max_question_chars: int = Field(2000, ge=10, description="Longer questions are refused.")

    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: int = Field(7860, description="Port the web app listens on.")
    auth: str | None = Field(
        None,
        description="Web app logins as 'user:password' pairs separated by commas; off when unset.",
    )
    upload_max_mb: int = Field(20, ge=1, le=50, description="Largest file the web app accepts.")
    upload_types: str = Field(
        ".txt,.md,.markdown,.html,.htm,.pdf,.docx",
        description="File types the web app accepts for upload, comma-separated.",
    )

    @field_validator("auth")
    @classmethod
    def _logins(cls, value: str | None) -> str | None:
        for pair in (value or "").split(",") if value and value.strip() else []:
            user, _, password = pair.strip().partition(":")
            if not user or not password:
                raise ValueError("expected 'user:password' pairs separated by commas")
        return value
