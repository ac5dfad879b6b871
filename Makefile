# civcomp — one command to reproduce, one to test. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
UV_VERSION := 0.13.8
# the supported Pythons are [PY_MIN, PY_END); a python3 outside them is replaced by a uv-managed $(PY_MIN)
PY_MIN := 3.11
PY_END := 3.14
# `make lock` options: one universal resolution (every supported Python and platform), hashed, and
# `--fork-strategy fewest` so that 3.11, 3.12 and 3.13 get the same version of each package wherever possible
LOCK_OPTS := --universal --python-version $(PY_MIN) --fork-strategy fewest --generate-hashes --excludes lock-excludes.txt
LOCK_ARGS ?=
JOBS  ?= 2
ARGS  ?=
# the tests run with one BLAS thread per process: OpenBLAS's thread pool can deadlock a test process that has
# forked (process pools in tests) and the xdist workers already use both cores; results are byte-identical
# and they may write .pyc files (an environment with PYTHONDONTWRITEBYTECODE set makes every test process, kernel
# and subprocess compile src/ and re-rewrite the test modules' asserts again; __pycache__ is ignored by git and
# by the runner's code hash)
PYC_ENV := PYTHONDONTWRITEBYTECODE=
TEST_ENV := OPENBLAS_NUM_THREADS=1 $(PYC_ENV)
# pytest-xdist: the tests over TEST_JOBS processes; a file's tests stay in one process (nbval's cells share a kernel),
# the files handed out in the order conftest.py gives them (the slowest first), not by their number of tests.
# Three processes on two cores: many tests wait (kernels starting, runs killed and watched, subprocesses), and a
# third process fills those gaps (same CPU time, shorter wall time; TEST_JOBS=2 for the old setting)
TEST_JOBS ?= 3
XDIST := -n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder

.DEFAULT_GOAL := help
.PHONY: help env dev params reproduce test unit nbval lab record lock browser bench clean clean-outputs

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# The venv: `$(PYTHON)` when its version is in [PY_MIN, PY_END), else a uv-managed CPython $(PY_MIN)
# (`uv venv --python $(PY_MIN)`: a managed one already on the machine or a download; uv comes from PyPI).
$(BIN)/python:
	@if $(PYTHON) -c 'import sys; lo, hi = (tuple(map(int, v.split("."))) for v in sys.argv[1:]); \
		sys.exit(not lo <= sys.version_info[:2] < hi)' $(PY_MIN) $(PY_END) 2>/dev/null; then \
		$(PYTHON) -m venv $(VENV); \
	else \
		echo "$(PYTHON) is missing or not Python >=$(PY_MIN),<$(PY_END): creating $(VENV) on a uv-managed Python $(PY_MIN)"; \
		t=$$(mktemp -d) && trap 'rm -rf "$$t"' EXIT && \
		{ $(PYTHON) -m venv "$$t" 2>/dev/null || python3 -m venv "$$t"; } && \
		"$$t/bin/python" -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) && \
		"$$t/bin/uv" venv --quiet --seed --python $(PY_MIN) $(VENV); \
	fi

# --compile-bytecode: every kernel imports pandas, scipy, matplotlib …; without .pyc files (uv's default, or
# PYTHONDONTWRITEBYTECODE set) each kernel compiles them again, seconds per notebook
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(DEV_STAMP)
	@touch $@
	@echo "environment ready: $(VENV) (exact pins of requirements.lock)"

# runtime + test tools (requirements-dev.lock: requirements.lock plus the `test` extra, at the same
# versions), so it also satisfies $(STAMP); `make env` afterwards keeps it, a changed lock re-syncs
$(DEV_STAMP): requirements-dev.lock requirements.lock pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements-dev.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP) $@
	@echo "environment ready: $(VENV) (exact pins of requirements-dev.lock)"

env: $(STAMP) ## create .venv and install the exact pins of requirements.lock (runtime)

dev: $(DEV_STAMP) ## create .venv with the exact pins of requirements-dev.lock (runtime + test tools)

params: $(STAMP) ## write the notebooks' parameters cells from params/*.yaml, where every parameter is typed once
	@$(BIN)/python -m civcomp.io.params_cells

reproduce: params ## run the whole study (data step, notebooks, report) into outputs/ (parameters cells first)
	@$(BIN)/civcomp reproduce --jobs $(JOBS) $(ARGS)

# the pipeline's status is remembered: the unit tests run even when it fails, and `make test` still fails
test: $(DEV_STAMP) browser ## set up, run the pipeline (--strict), then every test and nbval (all run; fails if any failed)
	@status=0; \
	$(PYC_ENV) $(BIN)/civcomp reproduce --jobs $(JOBS) --strict || { status=$$?; echo "make test: the pipeline failed (exit $$status); running the tests anyway"; }; \
	$(BIN)/python -m civcomp.runner.nbval || status=1; \
	$(TEST_ENV) $(BIN)/python -m pytest tests src/civcomp notebooks --doctest-modules --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(XDIST) $(ARGS) || status=1; \
	exit $$status

unit: $(DEV_STAMP) ## run the unit tests and docstring examples only (no notebooks)
	@$(TEST_ENV) $(BIN)/python -m pytest tests src/civcomp --doctest-modules -p no:cacheprovider $(XDIST) $(ARGS)

nbval: $(DEV_STAMP) ## run nbval over the notebooks only (refused when a paired .ipynb is older than its .py)
	@$(BIN)/python -m civcomp.runner.nbval
	@$(BIN)/civcomp reproduce --only data
	@$(BIN)/python -m pytest notebooks --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(XDIST) $(ARGS)

LAB_ARGS ?=
lab: $(STAMP) ## open JupyterLab on the project's kernel (LAB_ARGS="--no-browser --port 8899 ..." passed on)
	@$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

record: $(DEV_STAMP) params ## after an intended change: rerun and re-record the outputs nbval checks
	@$(BIN)/civcomp reproduce --jobs $(JOBS) --record-nbval

lock: | $(BIN)/python ## re-resolve both locks and environment.yml from pyproject.toml (needs PyPI; LOCK_ARGS=--upgrade moves pins)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip compile pyproject.toml --extra test $(LOCK_OPTS) $(LOCK_ARGS) -o requirements-dev.lock --quiet
	@$(BIN)/uv pip compile pyproject.toml $(LOCK_OPTS) --constraint requirements-dev.lock -o requirements.lock --quiet
	@PYTHONPATH=src $(BIN)/python -m civcomp.runner.envfile > environment.yml.tmp && mv environment.yml.tmp environment.yml
	@echo "requirements-dev.lock, requirements.lock and environment.yml updated (install them: make env / make dev)"

browser: ## install headless Chromium (Debian) for the report's browser test, when missing and root
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		{ echo "installing chromium for the report test (apt-get)"; \
		  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } \
		|| echo "chromium not installed: the browser test will be skipped"; }

bench: $(STAMP) ## run the benchmarks in bench/ (timings; not part of the tests)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean-outputs: ## delete outputs/ (generated)
	rm -rf outputs/* outputs/.cache

clean: clean-outputs ## delete outputs/, the synthetic twin, processed data and .venv
	rm -rf data/synthetic/*.csv data/processed/*.parquet $(VENV)
