# civcomp — one command to reproduce, one to test. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.8
JOBS  ?= 2
ARGS  ?=

.DEFAULT_GOAL := help
.PHONY: help env reproduce test unit nbval lab record lock browser bench clean clean-outputs

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@
	@echo "environment ready: $(VENV) (exact pins of requirements.lock)"

env: $(STAMP) ## create .venv and install the exact pins of requirements.lock

reproduce: $(STAMP) ## run the whole study (data step, notebooks, report) into outputs/
	@$(BIN)/civcomp reproduce --jobs $(JOBS) $(ARGS)

# the pipeline's status is remembered: the unit tests run even when it fails, and `make test` still fails
test: $(STAMP) browser ## set up, run the pipeline (--strict), then every test and nbval (all run; fails if any failed)
	@status=0; \
	$(BIN)/civcomp reproduce --jobs $(JOBS) --strict || { status=$$?; echo "make test: the pipeline failed (exit $$status); running the tests anyway"; }; \
	$(BIN)/python -m civcomp.pipeline.nbval || status=1; \
	$(BIN)/python -m pytest tests src/civcomp notebooks --doctest-modules --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(ARGS) || status=1; \
	exit $$status

unit: $(STAMP) ## run the unit tests and docstring examples only (no notebooks)
	@$(BIN)/python -m pytest tests src/civcomp --doctest-modules -p no:cacheprovider $(ARGS)

nbval: $(STAMP) ## run nbval over the notebooks only (refused when a paired .ipynb is older than its .py)
	@$(BIN)/python -m civcomp.pipeline.nbval
	@$(BIN)/civcomp reproduce --only data
	@$(BIN)/python -m pytest notebooks --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider $(ARGS)

LAB_ARGS ?=
lab: $(STAMP) ## open JupyterLab on the project's kernel (LAB_ARGS="--no-browser --port 8899 ..." passed on)
	@$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

record: $(STAMP) ## after an intended change: rerun and re-record the outputs nbval checks
	@$(BIN)/civcomp reproduce --jobs $(JOBS) --record-nbval

lock: ## re-resolve requirements.lock from pyproject.toml and rewrite environment.yml (needs PyPI)
	@$(BIN)/uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 --generate-hashes --no-header --quiet
	@$(BIN)/python -m civcomp.envfile > environment.yml
	@echo "requirements.lock and environment.yml updated"

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
