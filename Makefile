# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Processes started by honcho find the virtualenv's programs first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test install lint format soak bench clean

install: $(VENV)/.installed

# Re-install whenever the pinned lock file changes.
$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "vrtual.ly needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $@

.env: | install
	$(BIN)/python scripts/dev_env.py

run: install .env
	@mkdir -p var
	$(BIN)/honcho run python manage.py migrate --no-input -v 0
	$(BIN)/honcho run python manage.py collectstatic --no-input -v 0
	$(BIN)/honcho run python manage.py seed_demo
	@echo
	@echo "  vrtual.ly is starting at  http://localhost:8000"
	@echo "  Zoom sandbox at           http://127.0.0.1:8010"
	@echo "  Press Ctrl-C to stop everything."
	@echo
	$(BIN)/honcho start

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# Low-severity findings are reviewed by hand (mostly test passwords); medium and high fail.
	$(BIN)/bandit -q -c pyproject.toml --severity-level medium -r $(wildcard accounts bookings integrations lib pages vrtually worker zoom_sandbox)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install lint
	@mkdir -p var
	$(BIN)/pytest -n 2 --dist loadgroup -q

clean:
	rm -rf $(VENV) staticfiles var/test*.sqlite3
