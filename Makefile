# Netral: `make run` serves the app, `make test` runs the whole suite (SQLite, then PostgreSQL).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PORT ?= 8000

.PHONY: install run serve test test-sqlite test-postgres lint bench messages docs clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/netral migrate --noinput
	$(BIN)/netral load_regions
	$(BIN)/netral demo
	./scripts/run.sh 127.0.0.1:$(PORT)

serve: install
	$(BIN)/netral runserver 127.0.0.1:$(PORT)

test: install
	./scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy netral config
	$(BIN)/netral makemigrations --check --dry-run

bench: install
	$(BIN)/python -m bench

# Project-level catalogue (templates/, core apps). Apps with their own locale/ run makemessages
# in their folder. Then fill the English and compile.
messages: install
	$(BIN)/netral makemessages -l en --no-obsolete -i '.venv/*' -i 'var/*' -i 'tests/*' -i 'bench/*' \
	  -i 'netral/declarations/*' -i 'netral/cases/*' -i 'netral/dashboards/*' -i 'netral/monitoring/*' \
	  -i 'netral/news/*' -i 'netral/jobs/*' -i 'netral/patrol/*'
	$(BIN)/python scripts/fill_po.py

docs: install
	$(BIN)/python scripts/gen_cli_docs.py

clean:
	rm -rf $(VENV) var/staticfiles .mypy_cache .ruff_cache
