# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.stamp-installed
BUILD := data/build/innovation_map.gpkg
BUILD_INPUTS := $(wildcard data/reports/* data/gazetteer/* data/boundaries/* data/hubs/* geo/*.py)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-deps build run serve test lint typecheck pytest bench bench-map clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(INSTALLED)

# Rebuilt only when an input (report, gazetteer, boundary, hub or geo/ code) is newer.
$(BUILD): $(INSTALLED) $(BUILD_INPUTS)
	$(BIN)/innovation-map build

build: $(BUILD)

run: build
	$(BIN)/innovation-map serve --host $(HOST) --port $(PORT)

# Production: nginx (Debian's package) in front of gunicorn on a Unix socket; preloaded app,
# 2×CPUs+1 workers (WORKERS=n to change). Both stop together on Ctrl-C.
serve: build system-deps
	$(BIN)/innovation-map serve --prod --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

# Debian packages for the browser, nginx and PostGIS tests: scripts/system_deps.sh (one list).
system-deps:
	@bash scripts/system_deps.sh

# One worker per core (xdist); a module's tests stay on one worker, so module fixtures are built
# once. PYTEST_ARGS adds options (e.g. PYTEST_ARGS="-n 0" runs serially, "-k name" selects).
pytest: install system-deps
	$(BIN)/python -m pytest -q -n auto --dist loadfile $(PYTEST_ARGS)

test: lint typecheck pytest

bench: build
	$(BIN)/python benchmarks/bench_build.py

bench-map: build system-deps
	$(BIN)/python benchmarks/bench_map.py --repeat 7

clean:
	rm -rf data/build data/builds data/run data/.build-tmp-* data/.build-old-* data/.build.link-*
