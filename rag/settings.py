"""The one settings object, read from ``RAG_*`` environment variables and built at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_COLLECTION = "default"
COLLECTION_NAME = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"  # a plain folder name: no dots, no slashes


class Settings(BaseSettings):
    """Everything configurable; built once in ``main()`` and passed down, never read at import."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")

    corpus_dir: Path = Field(Path("seeds"), description="Folder of documents to index.")
    index_dir: Path = Field(Path("index"), description="Where the built index is stored.")
    collections_dir: Path = Field(
        Path("collections"),
        description="Collections other than 'default': <name>/corpus and <name>/index each.",
    )
    collection: str = Field(
        DEFAULT_COLLECTION,
        pattern=COLLECTION_NAME,
        description="The collection to open; 'default' is RAG_CORPUS_DIR with RAG_INDEX_DIR.",
    )

    history_path: Path | None = Field(
        None,
        description="SQLite file of saved conversations; unset: history.sqlite3 beside index_dir.",
    )

    chroma_url: str | None = Field(
        None, description="Chroma server URL (http://host:port); unset: embedded in index_dir."
    )
    chroma_prefix: str = Field(
        "rag",
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,40}$",
        description="Collection name prefix on a Chroma server: one index per prefix.",
    )
    embed_base_url: str | None = Field(
        None, description="OpenAI-compatible embeddings server (…/v1); unset: embed in-process."
    )
    embed_model: str = Field("multilingual-e5-small", description="Model name sent to it.")
    embed_prefixes: bool = Field(
        False, description="Prepend e5's 'query: '/'passage: ' (servers that don't, e.g. TEI)."
    )
    embed_timeout_s: float = Field(60.0, gt=0, description="Embeddings server request timeout.")
    embed_concurrency: int = Field(4, ge=1, description="Embedding requests in flight at once.")

    chunk_chars: int = Field(
        1000, ge=100, description="Target chunk size in characters (about one paragraph)."
    )
    chunk_vectors: Literal["pooled", "embedded"] = Field(
        "pooled",
        description="A chunk's vector: the mean of its sentences' vectors (each text embedded "
        "once, about half the model time), or the chunk embedded whole as well.",
    )
    top_k: int = Field(5, ge=1, le=50, description="Passages given to the answer generator.")
    embed_batch_size: int = Field(
        32, ge=1, description="Texts per request to an embeddings server (RAG_EMBED_BASE_URL)."
    )
    commit_every_chunks: int = Field(
        64,
        ge=1,
        description="Chunks embedded between index commits: what becomes searchable (and is "
        "kept if killed) at a time, even inside one long document.",
    )
    progress_every_s: float = Field(
        10.0,
        ge=0,
        description="Seconds between `rag index` progress lines when stderr is no terminal.",
    )

    generator: str = Field("auto", description="extractive, llamacpp, openai, or auto.")
    model_dir: Path | None = Field(
        None, description="Cache folder for assembled bundled models (default: per-user data dir)."
    )
    bundled_model: str = Field(
        "qwen2.5-coder-1.5b", description="Bundled GGUF used when RAG_GGUF_PATH is unset."
    )
    gguf_path: Path | None = Field(None, description="A GGUF file for the llamacpp generator.")
    llm_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (Ollama)."
    )
    llm_model: str = Field("local", description="Model name sent to the endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the endpoint, if it wants one.")
    llm_timeout_s: float = Field(
        60.0, gt=0, le=600, description="Longest wait for the LLM to connect or send a token."
    )
    llm_max_tokens: int = Field(256, ge=16, le=4096, description="Longest answer, in tokens.")
    llm_temperature: float = Field(0.1, ge=0, le=2, description="Sampling temperature.")
    llm_context: int = Field(4096, ge=512, description="Context window for in-process GGUF models.")
    llm_threads: int | None = Field(None, ge=1, description="CPU threads for in-process models.")
    llm_one_shot: bool = Field(True, description="Show the model one worked example first.")
    llm_prompt_lookup: bool = Field(
        False, description="Draft tokens from the prompt's n-grams (prompt-lookup decoding)."
    )
    llm_prompt_tokens: int = Field(
        300,
        ge=0,
        description="Tokens of evidence sentences the LLM reads per question; 0: whole passages.",
    )
    llm_fallback: Literal["extractive", "never"] = Field(
        "extractive", description="On LLM failure: answer extractively with a warning, or fail."
    )
    llm_check: Literal["auto", "off", "verify"] = Field(
        "auto",
        description="The in-process LLM re-reads supported sentences of its own answer against "
        "their quotes (yes/no from the first token's logits); doubted ones show as partly. "
        "auto: the sentences the verifier is least sure of, with an in-process model only; "
        "verify: every supported sentence; off: never.",
    )
    llm_check_budget_s: float = Field(
        30.0,
        gt=0,
        le=600,
        description="Seconds the LLM check may spend on one answer; sentences left unread keep "
        "the verifier's verdict, with a warning.",
    )
    reader: Literal["auto", "llm", "extractive"] = Field(
        "auto",
        description="Who chooses the passage to quote: llm, the in-process model reading the "
        "closest sentences, table rows and list entries one by one (yes/no from the first "
        "token's logits; it may find that none answers); extractive, by similarity alone; "
        "auto: llm with an in-process model, else extractive.",
    )
    answer_threshold: float | None = Field(
        None, description="Override the calibrated answerability threshold (0..1)."
    )

    max_question_chars: int = Field(2000, ge=10, description="Longer questions are refused.")
    max_document_chars: int = Field(
        10_000_000,
        ge=1000,
        description="Files whose text is longer are skipped, with a reason (a 1,000-page book "
        "is about 3,000,000 characters).",
    )

    host: str = Field("127.0.0.1", description="Address the web app listens on.")
    port: int = Field(7860, description="Port the web app listens on.")
    auth: str | None = Field(
        None,
        description="Web app logins as 'user:password' pairs separated by commas; off when unset.",
    )
    upload_max_mb: int = Field(20, ge=1, le=50, description="Largest file the web app accepts.")
    upload_types: str = Field(
        ".txt,.md,.markdown,.html,.htm,.pdf,.docx,.pptx,.epub,.odt,.csv,.xlsx,"
        ".png,.jpg,.jpeg,.tif,.tiff",
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

    # The default collection's folders and prefix, kept so that another collection can be
    # opened from any collection's settings (``with_collection``).
    _home: dict[str, Any] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._home = {
            "corpus_dir": self.corpus_dir,
            "index_dir": self.index_dir,
            "chroma_prefix": self.chroma_prefix,
        }
        if self.collection != DEFAULT_COLLECTION:
            folder = self.collections_dir / self.collection
            self.corpus_dir, self.index_dir = folder / "corpus", folder / "index"
            # One set of Chroma collections per name on a server: '<prefix>-<name>-chunks', …
            self.chroma_prefix = f"{self.chroma_prefix}-{self.collection}"

    def with_collection(self, name: str) -> Settings:
        """These settings with collection ``name`` open instead: its folders, its prefix."""
        return type(self).model_validate({**self.model_dump(), **self._home, "collection": name})
