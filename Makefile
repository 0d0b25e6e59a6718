# Set-up is automatic: every target creates .venv and installs the project if needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Real article pages: the ingest benchmark's page templates when they are there.
ARTICLE_PAGES := ../shared/benchmarks/extraction/html

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m newsspiders.testing.demo

# Two test processes (one per core); a file's tests stay together in one of them.
test: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Benchmarks: figures for the notes and docs, never part of the tests.
bench: $(STAMP)
	$(PY) -m bench.sources
	$(PY) -m bench.extraction
	$(PY) -m bench.langid
	$(PY) -m bench.storage
	$(PY) -m bench.translation
	$(PY) -m bench.ingest $(if $(wildcard $(ARTICLE_PAGES)),--real $(ARTICLE_PAGES))
	$(PY) -m bench.scaling

clean:
	rm -rf data .pytest_cache .ruff_cache .mypy_cache
