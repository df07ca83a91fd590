# Regionarkiv: `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOME_DIR ?= arkiv-data
PORT ?= 8000

.PHONY: help venv demo test test-fast check lint types eval bench bench-full stress clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-11s %s\n", $$1, $$2}'

$(BIN)/arkiv: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# setuptools warns on every editable build that local folders shadow the install (they are
	@# the install); nothing else it could say applies to this project's configuration.
	PYTHONWARNINGS=ignore $(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

venv: $(BIN)/arkiv ## Create .venv and install the project with its dev tools

demo: venv ## Index the bundled samples into ./arkiv-data and serve them on http://127.0.0.1:8000/
	$(BIN)/arkiv --home $(HOME_DIR) index samples
	$(BIN)/arkiv --home $(HOME_DIR) search næringsplan --limit 3
	@echo "Open http://127.0.0.1:$(PORT)/ (Ctrl-C stops the server)"
	$(BIN)/arkiv --home $(HOME_DIR) serve --port $(PORT)

# pytest rewrites the asserts of every test module: with PYTHONDONTWRITEBYTECODE set (some
# shells and containers set it) that is redone on every run, about 4 s of CPU; the caches go to
# __pycache__/, which git ignores.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest

# Two pytest-xdist workers; whole modules (and the xdist groups conftest.py sets, such as the
# one OpenSearch node) are the units of work, longest first (tests/parallel_support.py).
TEST_WORKERS ?= 2
PARALLEL := -n $(TEST_WORKERS) --dist loadgroup

test: venv ## Run the whole test suite (what CI runs), on two workers
	$(PYTEST) -q $(PARALLEL)

test-fast: venv ## The unit tests without corpus, browser, OCR and evaluation (the edit loop)
	$(PYTEST) -q -m "not slow and not browser" $(PARALLEL)

lint: venv ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check archive indexer webui evaluation tests

types: venv ## mypy --strict
	$(BIN)/mypy

check: lint types test ## lint + types + tests

eval: venv ## Print metadata accuracy and search relevance figures
	$(BIN)/python -m evaluation

bench: venv ## Benchmarks at 1k and 10k documents (about ten minutes)
	$(BIN)/python -m benchmarks --sizes 1000,10000

bench-full: venv ## Benchmarks at 1k, 10k and 50k documents
	$(BIN)/python -m benchmarks --sizes 1000,10000,50000

stress: venv ## Faults, hostile requests and heavy files at the sizes of issue 16, as one table
	$(BIN)/python -m benchmarks.stress

clean: ## Remove the virtualenv, caches and the demo archive
	rm -rf $(VENV) $(HOME_DIR) .pytest_cache .mypy_cache .ruff_cache benchmarks/cache evaluation/cache test-artifacts
