"""What the launchpad and the resources page show of the deployment's config.

Read through the same snapshot functions Dagster's GraphQL resolvers use (the launchpad's
``rootDefaultYaml``, the resources page's ``configTypeKey``), on definitions built for a
deployment's settings; tests/ui/ checks the same pages in a browser.
"""

from __future__ import annotations

import json

import pytest
import yaml
from dagster._config import ConfigTypeKind
from dagster._core.snap.snap_to_yaml import default_values_yaml_from_type_snap

from pipelines.config import RUNTIMES, Settings
from pipelines.config_names import HASHED_KEY_PREFIXES
from pipelines.definitions import build_definitions
from pipelines.jobs import JOB_ASSETS
from pipelines.runtimes import SparkRuntime
from pipelines.runtimes.specs import EmrSpec


def deployment(tmp_path, runtime: str, runtime_config: str = "") -> Settings:
    return Settings(
        warehouse=str(tmp_path / "warehouse"),
        cc_root=str(tmp_path / "cc"),
        seeds=str(tmp_path / "seeds.csv"),
        runtime=runtime,
        runtime_config=runtime_config,
    )


def launchpad_default(defs, job_name: str) -> str:
    """The YAML the launchpad pre-fills for ``job_name`` (GraphQL ``rootDefaultYaml``)."""
    snapshot = defs.resolve_job_def(job_name).get_job_snapshot()
    schema = snapshot.config_schema_snapshot
    root = schema.get_config_snap(snapshot.mode_def_snaps[0].root_config_key)
    return default_values_yaml_from_type_snap(schema, root)


def type_keys(config_type) -> list[str]:
    """The keys of a resource's field types, nested ones included (a ``StringSource``'s
    inner ``env`` selector is Dagster's own and shows as ``String``: not walked)."""
    keys, stack = [], [config_type]
    while stack:
        current = stack.pop()
        keys.append(current.key)
        if current.kind != ConfigTypeKind.SCALAR_UNION:
            stack.extend(f.config_type for f in (getattr(current, "fields", None) or {}).values())
            stack.extend(current.type_params or ())
    return keys


def test_local_launchpad_prefills_no_cloud_settings(tmp_path):
    defs = build_definitions(deployment(tmp_path, "local"))
    on_spark = 0
    for job_name in JOB_ASSETS:
        text = launchpad_default(defs, job_name)
        for word in ("emr", "databricks", "instances", "on_demand", "spot"):
            assert word not in text, (job_name, word, text)
        resources = yaml.safe_load(text)["resources"]
        if "spark_runtime" in resources:  # the jobs that launch Spark
            on_spark += 1
            assert resources["spark_runtime"]["config"] == {
                "runtime": "local",
                "delta_writer": "auto",
            }, text
    assert on_spark >= 3


@pytest.mark.parametrize("runtime", ["emr", "databricks"])
def test_a_remote_deployment_prefills_its_own_runtime_only(tmp_path, runtime):
    defs = build_definitions(deployment(tmp_path, runtime))
    config = yaml.safe_load(launchpad_default(defs, "extract_crawl"))["resources"]
    shown = config["spark_runtime"]["config"]
    assert shown["runtime"] == runtime
    assert set(shown) == {"runtime", "delta_writer", runtime}  # no other cloud, no prices
    assert shown[runtime]  # that runtime's settings, with the defaults of specs.py


def test_settings_the_deployment_file_names_are_prefilled(tmp_path):
    config = tmp_path / "runtime.json"
    config.write_text(json.dumps({"emr": {"bucket": "my-bucket"}, "prices": {"spot_discount": 1}}))
    with pytest.raises(ValueError, match="spot_discount"):  # a typo in the file: refused
        build_definitions(deployment(tmp_path, "emr", str(config)))
    config.write_text(json.dumps({"emr": {"bucket": "my-bucket"}}))
    defs = build_definitions(deployment(tmp_path, "local", str(config)))
    shown = yaml.safe_load(launchpad_default(defs, "extract_crawl"))["resources"]
    assert shown["spark_runtime"]["config"]["emr"]["bucket"] == "my-bucket"


def test_an_unset_section_means_the_spec_defaults():
    runtime = SparkRuntime(runtime="emr")
    assert runtime.emr is None and runtime.spec() == EmrSpec()
    assert runtime.price_table().instances  # the list prices of specs.py
    assert SparkRuntime(runtime="emr", emr=EmrSpec(bucket="b")).spec().bucket == "b"
    assert SparkRuntime().writer() == "delta-rs" and SparkRuntime(runtime="emr").writer() == (
        "delta-spark"
    )
    assert SparkRuntime(delta_writer="delta-spark").writer() == "delta-spark"


def test_runtime_and_writer_are_enums_in_config(tmp_path):
    defs = build_definitions(deployment(tmp_path, "local"))
    resource = defs.get_repository_def().get_top_level_resources()["spark_runtime"]
    fields = resource.config_schema.config_type.fields
    assert [v.config_value for v in fields["runtime"].config_type.enum_values] == list(RUNTIMES)
    assert {v.config_value for v in fields["delta_writer"].config_type.enum_values} == {
        "auto",
        "delta-rs",
        "delta-spark",
    }


def test_resource_config_types_have_readable_names(tmp_path):
    defs = build_definitions(deployment(tmp_path, "emr"))
    resources = defs.get_repository_def().get_top_level_resources()
    shown = {
        name: field.config_type.key
        for name, field in resources["spark_runtime"].config_schema.config_type.fields.items()
    }
    assert shown["emr"] == "Noneable.EmrSpec" and shown["prices"] == "Noneable.PriceTable"
    for name, resource in resources.items():
        keys = type_keys(resource.config_schema.config_type)[1:]  # the resource's own: unnamed
        hashed = [k for k in keys if any(p in k for p in HASHED_KEY_PREFIXES)]
        assert not hashed, (name, hashed)
        if name == "spark_runtime":
            assert "Map.String.InstancePrice" in keys
