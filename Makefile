# Entry points for users, developers and CI. Every target sets itself up: it needs only
# python3 and make on the machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SPEC := openapi/qiskit-runtime-jobs.yaml
# Parallel test workers: the reference machine has 2 cores.
WORKERS ?= 2

.PHONY: help setup generate check-generated lint fmt typecheck test check

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned dependencies (idempotent)

generate: $(STAMP) ## Regenerate generated/ from the spec
	$(PY) -m tools.codegen generate

check-generated: $(STAMP) ## Fail with a diff if generated/ is stale or hand-edited
	$(PY) -m tools.codegen check

lint: $(STAMP) ## ruff lint + format check, spec validation
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/openapi-spec-validator $(SPEC)

fmt: $(STAMP) ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(STAMP) ## mypy --strict on the hand-written code
	$(VENV)/bin/mypy

test: $(STAMP) ## Run the test suite (unit, spec, mock, contract smoke)
	$(PY) -m pytest -n $(WORKERS)

check: lint typecheck check-generated test ## Everything CI runs
