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

.PHONY: help setup generate check-generated lint spec-lint fmt typecheck test check mock contract bench api-diff api-guard changelog

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,peer]'
	touch $(STAMP)

# The spec linters (Spectral, Redocly CLI) are npm packages pinned by their lockfile
# (tools/spec_lint); their rules are .spectral.yaml, redocly.yaml, .redocly.lint-ignore.yaml.
SPEC_LINT_JS := tools/spec_lint
SPEC_LINT_STAMP := $(SPEC_LINT_JS)/node_modules/.package-lock.json
$(SPEC_LINT_STAMP): $(SPEC_LINT_JS)/package.json $(SPEC_LINT_JS)/package-lock.json
	npm ci --prefix $(SPEC_LINT_JS) --no-audit --no-fund --ignore-scripts --loglevel=error

# The mock-load benchmark's load generator (autocannon) and its baseline mock (Prism) are npm
# packages pinned by their lockfile (tools/bench_load).
BENCH_LOAD_JS := tools/bench_load
BENCH_LOAD_STAMP := $(BENCH_LOAD_JS)/node_modules/.package-lock.json
$(BENCH_LOAD_STAMP): $(BENCH_LOAD_JS)/package.json $(BENCH_LOAD_JS)/package-lock.json
	npm ci --prefix $(BENCH_LOAD_JS) --no-audit --no-fund --ignore-scripts --loglevel=error

# The checker comparison's third checker (Specmatic: its jar, run on the machine's Java 17) is
# an npm package pinned by its lockfile (tools/compare_checkers).
COMPARE_JS := tools/compare_checkers
COMPARE_STAMP := $(COMPARE_JS)/node_modules/.package-lock.json
$(COMPARE_STAMP): $(COMPARE_JS)/package.json $(COMPARE_JS)/package-lock.json
	npm ci --prefix $(COMPARE_JS) --no-audit --no-fund --ignore-scripts --loglevel=error

setup: $(STAMP) $(SPEC_LINT_STAMP) $(BENCH_LOAD_STAMP) ## Create .venv and install the pinned dependencies (idempotent)

generate: $(STAMP) ## Regenerate generated/ from the spec
	$(PY) -m tools.codegen generate

check-generated: $(STAMP) ## Fail with a diff if generated/ is stale or hand-edited
	$(PY) -m tools.codegen check

lint: $(STAMP) spec-lint ## ruff lint + format check, spec validation and spec lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/openapi-spec-validator $(SPEC)

# Fails on any error, and on any warning not accepted by pointer, with the reason, in
# .spectral.yaml (overrides) or .redocly.lint-ignore.yaml (redocly.yaml makes warnings errors).
spec-lint: $(SPEC_LINT_STAMP) ## Lint the spec: Spectral (spectral:oas) and Redocly (recommended)
	$(SPEC_LINT_JS)/node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity=warn $(SPEC)
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		$(SPEC_LINT_JS)/node_modules/.bin/redocly lint --config redocly.yaml --format=stylish $(SPEC)

fmt: $(STAMP) ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(STAMP) ## mypy --strict on the hand-written code
	$(VENV)/bin/mypy

test: $(STAMP) $(COMPARE_STAMP) ## Run the test suite (unit, spec, mock, overlay, contract)
	$(PY) -m pytest -n $(WORKERS)

mock: $(STAMP) ## Run the mock server on http://127.0.0.1:8080/api/v1 (MOCK_ARGS=...)
	$(VENV)/bin/qiskit-runtime-jobs mock $(MOCK_ARGS)

# `make contract` on its own installs only the `contract` extra (a third of the full install's
# size: no dev tools, no qiskit-ibm-runtime), and nothing where the full install is up to date
# (it holds the contract extra). With any other goal too (`make check`, `make test contract`,
# `make -j ...`), it waits for the full install instead: one pip at a time writes to .venv.
CONTRACT_STAMP := $(VENV)/.installed-contract
$(CONTRACT_STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	if ! [[ $(STAMP) -nt pyproject.toml && $(STAMP) -nt constraints.txt ]]; then \
		$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3; \
		$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[contract]'; \
	fi
	touch $(CONTRACT_STAMP)

ifeq ($(filter-out contract,$(MAKECMDGOALS)),)
CONTRACT_SETUP := $(CONTRACT_STAMP)
else
CONTRACT_SETUP := $(STAMP)
endif

contract: $(CONTRACT_SETUP) ## The main job: fuzz the embedded mock against the spec (--url/--live: see README)
	$(VENV)/bin/qiskit-runtime-jobs contract $(CONTRACT_ARGS)

bench: $(STAMP) $(BENCH_LOAD_STAMP) ## Benchmarks vs baselines measured in the same run (not part of make test)
	$(PY) -m benchmarks

.PHONY: compare-checkers
compare-checkers: $(STAMP) $(COMPARE_STAMP) ## Ours vs plain schemathesis vs Specmatic on wrong-behaviour mocks (COMPARE_ARGS=...)
	$(PY) -m tools.compare_checkers $(COMPARE_ARGS)

# Reports compare with the last commit; the guard picks origin/main (else HEAD~1) itself.
API_BASE ?= HEAD
GUARD_BASE ?=

api-diff: $(STAMP) ## Spec + generated-code change report vs API_BASE (default HEAD)
	$(PY) -m tools.api_diff report --base $(API_BASE) --out-dir reports/api-diff

api-guard: $(STAMP) ## Spec valid, one version, no breaking change without a bump
	$(PY) -m tools.api_diff guard $(if $(GUARD_BASE),--base $(GUARD_BASE))

changelog: $(STAMP) ## Put this API version's entry on top of CHANGELOG.md (refuses an unbumped break)
	$(PY) -m tools.api_diff changelog --base $(API_BASE)

.PHONY: api-diff-compare
api-diff-compare: $(STAMP) $(COMPARE_STAMP) ## Our bump verdicts vs Specmatic's on the real-world cases (docs/api-diff-comparison.md)
	$(PY) -m tests.api_diff.side_by_side --out docs/api-diff-comparison.md

check: lint typecheck check-generated api-guard test contract ## Everything CI runs
