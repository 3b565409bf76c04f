# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Processes started by honcho find the virtualenv's programs first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test install lint format soak bench clean browser

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

# The browser tests (e2e/) need Debian's Chromium and axe-core from npm. Install whichever is
# missing where that is possible; where it is not, say so here, and the tests that need it skip
# with the reason in pytest's summary (-rs).
CHROMIUM := /usr/bin/chromium
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	      || echo "Could not install chromium: the browser tests will be skipped."; \
	  else \
	    echo "No $(CHROMIUM), and installing it needs root and apt-get: the browser tests will be skipped."; \
	  fi; \
	fi
	@if [ ! -f e2e/node_modules/axe-core/axe.min.js ]; then \
	  if command -v npm >/dev/null 2>&1; then \
	    npm ci --prefix e2e --no-audit --no-fund --loglevel=error \
	      || echo "npm ci failed: the accessibility checks will be skipped."; \
	  else \
	    echo "npm is not installed: the accessibility checks will be skipped."; \
	  fi; \
	fi

test: install lint browser
	@mkdir -p var
	$(BIN)/pytest -n 2 --dist loadgroup -q -rs -m "not soak"

# The long reliability scenarios (reliability/, marked soak), on PostgreSQL: DATABASE_URL, or
# the local server CI provides. Their figures go to reliability/results/latest.md.
SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
soak: install
	DATABASE_URL=$${DATABASE_URL:-$(SOAK_DATABASE_URL)} SOAK_RESULTS=1 \
	  $(BIN)/pytest -q -rs -p no:randomly -m soak reliability

# The benchmarks (bench/): the real processes on SQLite and on PostgreSQL (skipped, with the
# reason, when the server is unreachable). Figures go to bench/results/latest.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
bench: install
	@mkdir -p var
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles var/test*.sqlite3 e2e/node_modules e2e/artifacts
