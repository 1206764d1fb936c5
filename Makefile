# BeWigan — run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Re-install whenever the declared dependencies or the lock change.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
DEV := DJANGO_SETTINGS_MODULE=bewigan.settings.dev

.DEFAULT_GOAL := help
.PHONY: help run test bench lint fmt assets serve install check-assets

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP) ## Create .venv and install the locked dependencies

run: $(STAMP) ## Serve the site with demo data on SQLite at http://127.0.0.1:$(PORT)
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py createcachetable
	PORT=$(PORT) $(DEV) $(BIN)/python manage.py seed_demo
	PORT=$(PORT) DEBUG=true $(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Parallel workers for `make test` (pytest-xdist; `TEST_WORKERS=0` runs in one
# process). Outside CI the test databases are kept between runs (--reuse-db);
# CI creates them afresh. Extra pytest arguments: `make test PYTEST_ARGS="-x"`.
TEST_WORKERS ?= auto
REUSE_DB := $(if $(filter true,$(CI)),--create-db,--reuse-db)

test: $(STAMP) lint ## Lint, then run the whole test suite in parallel, in random order (browser tests included)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(REUSE_DB) $(PYTEST_ARGS)

lint: $(STAMP) ## ruff (lint + format check) and djhtml on templates
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	find bewigan recruitment appraisals surveys cms -name '*.html' -path '*templates*' -print0 | xargs -0 $(BIN)/djhtml --check
	$(BIN)/python tools/lint_sensitive_access.py

fmt: $(STAMP) ## Format Python and templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	find bewigan recruitment appraisals surveys cms -name '*.html' -path '*templates*' -print0 | xargs -0 $(BIN)/djhtml

bench: $(STAMP) ## Run the benchmarks in bench/ and print the figures
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null 2>&1 || sudo -n apt-get install -y -q wrk >/dev/null 2>&1 || echo "wrk is not installed (apt-get install wrk): the intranet bench uses its Python load generator"
	$(BIN)/python -m bench

assets: ## Rebuild the committed CSS/JS from the npm packages (needs Node)
	npm ci --no-audit --no-fund
	npx sass --pkg-importer=node --style=compressed --no-source-map frontend/app.scss bewigan/static/css/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js bewigan/static/js/govuk-frontend.min.js


check-assets: ## Fail if the committed build differs from its sources (needs Node)
	$(MAKE) assets
	git diff --exit-code -- bewigan/static

serve: $(STAMP) ## Production stack here: gunicorn + TASK_WORKERS task workers (needs DATABASE_URL; docs/deploy.md)
	BIN=$(BIN) deploy/serve.sh
