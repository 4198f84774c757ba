# supplylinks — the README's commands. `make sample` and `make test` create the
# environment on first use; everything else assumes it exists.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch stays the local CPU build (constraints.txt); extras: see pyproject.toml.
EXTRAS ?= spark,dagster,transformer,dev

.PHONY: venv test sample lint ui clean

venv: $(VENV)/.installed

# setup.py builds the C page walk (extraction/_pagewalk.c): a change to it reinstalls.
$(VENV)/.installed: pyproject.toml constraints.txt setup.py extraction/_pagewalk.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	touch $@

test: venv
	$(BIN)/pytest -q

sample: venv
	$(BIN)/supplylinks sample

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

ui: venv
	DAGSTER_HOME=$${DAGSTER_HOME:-$(CURDIR)/.dagster_home} $(BIN)/dagster dev -m pipelines.definitions

clean:
	rm -rf warehouse .dagster_home
