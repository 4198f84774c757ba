# supplylinks — the README's commands. `make sample` and `make test` create the
# environment on first use; everything else assumes it exists.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch stays the local CPU build (constraints.txt); extras: see pyproject.toml.
EXTRAS ?= spark,dagster,transformer,dev

.PHONY: venv jvm-archive test sample lint ui clean

venv: $(VENV)/.installed

# setup.py builds the C page walk (extraction/_pagewalk.c): a change to it reinstalls.
$(VENV)/.installed: pyproject.toml constraints.txt setup.py extraction/_pagewalk.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	touch $@

# A class-data-sharing archive of the Spark driver JVM (built once, ~35 s): local Spark
# sessions then start in ~3.5 s instead of ~6 s. Only a cache: without it jobs still run.
jvm-archive: venv
	$(BIN)/python -m spark_jobs.jvm_archive || echo "warning: no Spark JVM class archive; Spark starts slower"

test: venv jvm-archive
	$(BIN)/pytest -q

sample: venv jvm-archive
	$(BIN)/supplylinks sample

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ui: venv
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home} $(BIN)/dagster dev -m pipelines.definitions

clean:
	rm -rf warehouse .dagster_home
