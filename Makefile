# The two commands of the README. Each sets itself up on a fresh clone.
#   make run   - the main job on the embedded (networkx) backend, no server
#   make test  - every test, starting the real Neo4j 5.26 server itself
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/imidgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/imidgraph
	$(BIN)/imidgraph validate --sources ../shared/sources
	$(BIN)/imidgraph stats
	$(BIN)/imidgraph explain lenalidomide "del(5q) MDS" --versus pomalidomide

test: $(BIN)/imidgraph
	$(BIN)/ruff check imidgraph tests bench
	$(BIN)/python -m pytest

bench: $(BIN)/imidgraph
	$(BIN)/python bench/bench_stats.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_explain.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
