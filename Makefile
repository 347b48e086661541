# `make run` and `make test` each work on a fresh machine by themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-sqlite test-postgres install chromium clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/portal init
	$(BIN)/portal demo --if-empty
	@echo "后台任务进程已启动；门户地址 http://$(HOST):$(PORT)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/portal worker & worker=$$!; \
	  $(BIN)/portal serve --host $(HOST) --port $(PORT)

# Browser tests drive Debian's chromium (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "installing Debian chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The whole suite runs twice: on the embedded SQLite default and on PostgreSQL (production path).
test: $(STAMP) chromium
	$(BIN)/ruff check --no-cache .
	$(BIN)/python -m pytest -q
	PORTAL_TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q

test-sqlite: $(STAMP) chromium
	$(BIN)/python -m pytest -q

test-postgres: $(STAMP) chromium
	PORTAL_TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
