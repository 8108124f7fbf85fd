# The two commands of the README. Each sets itself up on a fresh clone.
#   make run   - the main job on the embedded (networkx) backend, no server
#   make test  - every test, starting the real Neo4j 5.26 server itself, and driving
#                headless Chromium (Debian's chromium, installed here when missing)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint bench clean chromium

$(BIN)/imidgraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The wording check reads the source texts from ../shared/sources beside the project
# (../shared/README.md); validate fails in one line when that folder or a text is missing.
run: $(BIN)/imidgraph
	$(BIN)/imidgraph validate --sources ../shared/sources
	$(BIN)/imidgraph stats
	$(BIN)/imidgraph explain lenalidomide "del(5q) MDS" --versus pomalidomide

test: $(BIN)/imidgraph chromium
	$(BIN)/ruff check imidgraph tests bench
	$(BIN)/python -m pytest

# The picture tests need a Chromium; without one they fail and say so (never skip).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -n "$$IMIDGRAPH_CHROMIUM" ] || { \
	  echo "installing Debian's chromium for the headless browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	  || echo "could not install chromium: the browser tests will fail"; }

bench: $(BIN)/imidgraph
	$(BIN)/python bench/bench_stats.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_explain.py
	$(BIN)/python bench/bench_cold.py
	$(BIN)/python bench/bench_validate.py
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_serve.py

clean:
	rm -rf $(VENV) .pytest_cache build dist *.egg-info
