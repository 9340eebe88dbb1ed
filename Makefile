# The two set-up commands of the README, and the checks developers run.
#   make run   install into .venv, migrate, seed the demo catalogue, serve on http://127.0.0.1:8000
#   make test  install the test dependencies into .venv and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test check install install-test

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=python3.11)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --editable .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet --editable '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/familieveiviser serve

check: install-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# pytest exits 5 when it collected no tests: that fails the run like any other error.
test: install-test
	$(BIN)/lint-imports
	@$(BIN)/pytest; code=$$?; \
		if [ $$code -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$code
