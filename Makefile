# The README's two commands: `make run` serves the app on the seed corpus, `make test` runs the tests.
# Both create .venv and install what they need on a fresh machine; re-running installs nothing new.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# llama.cpp for the CPUs this runs on, not the one that built it: a native build on a machine
# with AMX tiles (Sapphire Rapids) crashed on the first forward pass inside this project's VMs,
# and pip's wheel cache hands a native build to every later machine. AVX2 runs everywhere here.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test lint install browser ocr bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(BIN)/python -m pip install --quiet -e '.[dev,llm,model,model-small]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	-scripts/ensure_tesseract.sh
	$(BIN)/rag serve

lint: $(STAMP)
	$(BIN)/ruff check rag ui tests
	$(BIN)/ruff format --check rag ui tests
	$(BIN)/mypy rag ui

# The browser tests drive Debian's chromium; the script installs it when missing (as root).
browser:
	scripts/ensure_chromium.sh

# Scanned PDFs and images are read by Debian's Tesseract; the script installs it (as root).
ocr:
	scripts/ensure_tesseract.sh

test: lint browser ocr
	RAG_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q

# Regenerates BENCHMARKS.md and docs/bench/*.png (full evaluation sets and scale runs: long;
# embeddings are cached in .bench-cache/, so later runs are much faster).
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)
