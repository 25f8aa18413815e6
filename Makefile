# freiweg developer commands. `make run` starts the demo, `make test` runs lint and every test.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench install system-packages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## run: install and start the demo old town on http://127.0.0.1:8000 (embedded SQLite, simulated sensors)
run: $(STAMP)
	$(BIN)/freiweg demo

## system-packages: Debian packages the tests need (PostgreSQL, Mosquitto, Chromium), if missing
system-packages:
	bash scripts/install-system-packages

## test: install, lint, and run every test on SQLite and a throwaway PostgreSQL
test: $(STAMP) system-packages lint
	FREIWEG_REQUIRE_POSTGRES=1 FREIWEG_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## bench: speed benchmarks (not part of `make test`); results go to bench/results/
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache
