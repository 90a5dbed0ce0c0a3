# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install test-install messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP).test: pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

test-install: $(STAMP).test

# Sets up the SQLite database under var/, loads real regions and the demo phase, prints the
# logins and serves on 127.0.0.1:$(PORT) with gunicorn (PORT=8000 unless set).
demo: $(STAMP)
	$(BIN)/kotacerdas demo

# The whole suite; DATABASE_URL=postgres://... runs it on PostgreSQL instead of SQLite.
test: $(STAMP).test
	$(BIN)/python -m pytest

# Each benchmark prints its figures and its targets (PASS/MISS); they use temporary databases.
bench: $(STAMP).test
	$(BIN)/python bench/decision.py
	$(BIN)/python bench/assignment.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/screening.py
	$(BIN)/python bench/deadline_rush.py
	$(BIN)/python bench/masterplans.py
	$(BIN)/python bench/cluster.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/dashboard.py

# Extract translatable strings (needs GNU gettext on the developer's machine) and compile them
# with Babel (a fresh machine needs no gettext: the .mo files are committed).
messages: $(STAMP)
	cd src/kotacerdas && ../../$(BIN)/kotacerdas makemessages -l id -l en --no-location --no-obsolete
	$(BIN)/python -m kotacerdas.lib.compile_messages

clean:
	rm -rf $(VENV) var .pytest_cache
