# The README's two commands: `make run` serves the app on the seed corpus, `make test` runs the tests.
# Both create .venv and install what they need on a fresh machine; re-running installs nothing new.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test lint install

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/rag serve

lint: $(STAMP)
	$(BIN)/ruff check rag ui tests
	$(BIN)/ruff format --check rag ui tests
	$(BIN)/mypy rag ui

test: lint
	$(BIN)/python -m pytest -q
