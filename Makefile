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
serve: build
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { echo "make serve needs nginx: sudo apt-get install nginx-light" >&2; exit 1; }
	$(BIN)/innovation-map serve --prod --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

# The browser tests drive Debian's Chromium; a CJK font makes Chinese text render.
system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; \
	else echo "Install Chromium and a CJK font first: sudo apt-get install chromium fonts-wqy-microhei" >&2; exit 1; fi

pytest: install system-deps
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: build
	$(BIN)/python benchmarks/bench_build.py

bench-map: build system-deps
	$(BIN)/python benchmarks/bench_map.py --repeat 7

clean:
	rm -rf data/build data/builds data/run data/.build-tmp-* data/.build-old-* data/.build.link-*
