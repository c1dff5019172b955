# litcurate: `make run` extracts the sample papers and publishes a release,
# `make test` is the whole gate (lint, types, tests). Both create the virtual
# environment on first use from the pinned lock file.

PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
UV := .uv/bin/uv
BIN := $(VENV)/bin

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export UV_PROJECT_ENVIRONMENT := $(VENV)

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck unit sample-pdf golden metrics lock bench browser model prefect-db clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: $(VENV)/.synced ## Extract every PDF in data/raw/ and publish a release to data/curated/
	$(BIN)/litcurate run --metrics-corpus tests/fixtures

test: $(VENV)/.synced browser ## The whole gate: ruff, mypy and the test suite
	$(BIN)/ruff check litcurate tests tools benchmarks examples
	$(BIN)/mypy litcurate
	$(BIN)/pytest

browser: ## Debian's headless Chromium for the browser tests (installed once, if missing)
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends chromium >/dev/null && echo "installed chromium"; } \
	  || echo "chromium unavailable: the browser tests will be skipped"

lint: $(VENV)/.synced ## Lint only
	$(BIN)/ruff check litcurate tests tools benchmarks examples

unit: $(VENV)/.synced ## Unit tests only (fast)
	$(BIN)/pytest tests/unit

sample-pdf: $(VENV)/.synced ## Re-typeset the sample paper (data/raw/dermine2019_review.pdf)
	$(BIN)/python tools/typeset_sample_paper.py

golden: $(VENV)/.synced ## Regenerate golden files; review the diff before committing
	$(BIN)/python -m tests.golden.regenerate

metrics: $(VENV)/.synced ## Re-measure the metrics card the package ships (after a change to the extractors)
	$(BIN)/python benchmarks/metrics_card.py

prefect-db: $(VENV)/.synced ## Rebuild the empty Prefect database the package ships (after a Prefect upgrade)
	$(BIN)/python tools/prefect_database_template.py

bench: $(VENV)/.synced ## Table accuracy and speed on the fixture corpus -> benchmarks/results/
	$(BIN)/python benchmarks/table_accuracy.py

TREEBANKS ?= ../shared/treebanks
PARSER_BUILD := build/parser

model: $(VENV)/.synced ## Train, score and package litcurate's tagger + parser from $(TREEBANKS) (about an hour)
	$(BIN)/python tools/parser_model/prepare.py $(TREEBANKS) $(PARSER_BUILD)/corpus
	cd $(PARSER_BUILD) && OMP_NUM_THREADS=1 $(CURDIR)/$(BIN)/python -m spacy train \
	  $(CURDIR)/tools/parser_model/config.cfg --output model \
	  --paths.train corpus/train.spacy --paths.dev corpus/dev.spacy
	$(BIN)/python tools/parser_model/evaluate.py $(PARSER_BUILD)/model/model-best \
	  $(PARSER_BUILD)/corpus benchmarks/results/parser_accuracy.json
	$(BIN)/python tools/parser_model/package.py $(PARSER_BUILD)/model/model-best \
	  $(PARSER_BUILD)/corpus benchmarks/results/parser_accuracy.json \
	  litcurate/extractors/statements/parser_model

lock: $(UV) ## Re-resolve uv.lock after changing dependencies in pyproject.toml
	$(UV) lock

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --all-extras --compile-bytecode --python $(PYTHON)
	@touch $@

clean: ## Remove the virtual environments and caches
	rm -rf .uv $(VENV) .pytest_cache .mypy_cache .ruff_cache
