# Two commands on a fresh machine: `make run` (the app) and `make test` (every test).
# Both create .venv and install mlpm into it on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test test-fast bench lint system-deps report-image clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mlpm run --port $(PORT)

# Debian packages the tests need (chromium for browser tests, poppler for PDF pages).
system-deps:
	@./scripts/system-deps.sh

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser and not slow"

# Engine, report export, app reruns, then 30 workshop participants in real browser sessions.
bench: $(STAMP) system-deps
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_app.py
	$(BIN)/python bench/bench_workshop.py

# Ruff, then mypy (strict on mlpm_core and mlpm_cli, the UI checked; settings in pyproject.toml).
# CI runs `make lint` and then `make test` instead of `test` depending on `lint`: a type error
# then fails CI without hiding the test results, and `make test` stays just the tests.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# The README's picture of the fraud example's PDF, page 1 (A4 at 70 dpi); the app's
# screenshots are refreshed by the browser tests (tests/browser/test_workbench.py).
report-image: $(STAMP) system-deps
	$(BIN)/mlpm estimate data/examples/fraud_card_payments.json --format pdf -o $(VENV)/fraud.pdf
	pdftoppm -f 1 -l 1 -r 70 -png -singlefile $(VENV)/fraud.pdf docs/report_first_page

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache screenshots
