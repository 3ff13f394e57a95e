# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.stamp-installed
BUILD := data/build/innovation_map.gpkg
BUILD_INPUTS := $(wildcard data/reports/* data/gazetteer/* data/boundaries/* data/hubs/* geo/*.py)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install build run test lint typecheck pytest bench clean

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

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: build
	$(BIN)/python benchmarks/bench_build.py

clean:
	rm -rf data/build data/.build-tmp-* data/.build-old-*
