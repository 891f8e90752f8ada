# Musyawarah: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app run
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test bench load load-smoke install install-dev translations db catalog clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compile the message catalogs (.po -> .mo); the .mo files are build output.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d forum/translations -f --statistics 2>&1 | grep -v "^$$" || true
	@test -f forum/translations/id/LC_MESSAGES/messages.mo

# Apply migrations; a new database also gets reference and demo data; the
# search index is created (or caught up) from the database.
db: $(VENV)/.installed
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) init --demo-if-new
	$(FLASK) search sync

run: translations db
	$(FLASK) run --host $(HOST) --port $(PORT)

# One pytest-xdist worker per core; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev translations
	@command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m bench

# The load and fault suite (bench/mixed_load): its own PostgreSQL, Redis and gunicorn, Locust
# from its own virtualenv. About 15 minutes; load-smoke is a two-minute version of it.
LOAD_VENV := .venv-load

$(LOAD_VENV)/.installed: requirements-load.txt
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --quiet -r requirements-load.txt
	touch $@

load: $(VENV)/.installed $(LOAD_VENV)/.installed translations
	$(BIN)/python -m bench.mixed_load

load-smoke: $(VENV)/.installed $(LOAD_VENV)/.installed translations
	LOAD_USERS=20 LOAD_SECONDS=20 LOAD_FAULT_SECONDS=15 LOAD_NODE_WRITES=10 $(BIN)/python -m bench.mixed_load

# Developers: refresh the catalogs after changing user-facing strings.
catalog: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o forum/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i forum/translations/messages.pot -d forum/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) $(LOAD_VENV) .pytest_cache
