PYTHON ?= python3

.PHONY: site install install-test test lint golden clean bench

site: install  ## set up and build the site into site/
	$(PYTHON) build.py build

install:
	$(PYTHON) -m pip install --quiet -e .

install-test:
	$(PYTHON) -m pip install --quiet -e '.[test]'
	bash scripts/install-test-tools.sh

test: install-test  ## set up and run every test, browser tests included
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy

golden:  ## regenerate the golden output of the small fixture site (review the diff before committing)
	$(PYTHON) -m tests.golden

clean:
	rm -rf site .pytest_cache

bench:  ## benchmark on synthetic content (BENCH_SIZES="1000 10000 100000"; the default is 1000 10000)
	$(PYTHON) -m benchmarks.run $(BENCH_SIZES)
