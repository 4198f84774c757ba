# supplylinks — the README's commands. `make sample` and `make test` create the
# environment on first use; everything else assumes it exists.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# torch stays the local CPU build (constraints.txt); extras: see pyproject.toml.
EXTRAS ?= spark,dagster,transformer,dev

.PHONY: venv jars jvm-archive test sample lint ui clean
# The JVM jars of delta-spark and s3a (jars/pom.xml, spark_jobs/jars.py): fetched once.
JARS_DIR ?= $(or $(SUPPLYLINKS_JARS_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/supplylinks/jars)

venv: $(VENV)/.installed jars

# setup.py builds the C page walk (extraction/_pagewalk.c): a change to it reinstalls.
$(VENV)/.installed: pyproject.toml constraints.txt setup.py extraction/_pagewalk.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	touch $@

# delta-spark, delta-storage, hadoop-aws and the AWS SDK bundle (~700 MB) from Maven Central
# into $(JARS_DIR), once (the stamp names the pom's content); jobs load them via spark.jars.
jars: $(JARS_DIR)/.fetched-$(shell sha256sum jars/pom.xml | cut -c1-12)

$(JARS_DIR)/.fetched-%:
	mkdir -p $(JARS_DIR)
	mvn -B -q -f jars/pom.xml dependency:copy-dependencies -Djars.dir=$(JARS_DIR)
	rm -f $(JARS_DIR)/.fetched-*
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
