# The two commands of the quick start: `make run` and `make test`. Each sets up .venv itself.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test bench bench-mrz golden clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(STAMP)
	$(BIN)/admit serve --host 127.0.0.1 --port 8000

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

# Benchmarks run beside their peers, in a separate environment so the peers never reach the
# project's own; `make bench` runs them all, `make bench-mrz` only the MRZ reader.
BENCH := .venv-bench
$(BENCH)/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/pip install --quiet --upgrade pip
	$(BENCH)/bin/pip install --quiet '.[bench]'
	touch $@

bench-mrz: $(BENCH)/.installed
	$(BENCH)/bin/pip install --quiet --no-deps --force-reinstall .
	$(BENCH)/bin/python -m bench.mrz_parse

bench: bench-mrz

clean:
	rm -rf $(VENV) $(BENCH) .pytest_cache .mypy_cache .ruff_cache

# The golden decision table (tests/golden/decisions.csv): regenerate after any rule data change.
golden: $(STAMP)
	$(BIN)/python tools/golden.py

# The engine's own benchmark: in-process check latency and cold start (docs/benchmarks.md).
.PHONY: bench-check
bench-check: $(STAMP)
	$(BIN)/python -m bench.check_trip

# docs/data-coverage.md, what the rule data covers per destination and its known gaps:
# regenerate after any rule data change (tests/unit/test_rules_coverage.py checks it).
.PHONY: coverage-doc
coverage-doc: $(STAMP)
	$(BIN)/python tools/data_coverage.py

# docs/data-crosscheck.md, where admit's answers differ from the passport-index visa matrix (a
# lead, never a source), read from ../shared/reference/passport-index/ beside the repository:
# regenerate after a data or explanation change (tests/unit/test_rules_compare.py checks it).
.PHONY: crosscheck-doc
crosscheck-doc: $(STAMP)
	$(BIN)/python tools/crosscheck_doc.py
