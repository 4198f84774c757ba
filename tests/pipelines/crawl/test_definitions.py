"""The code location loads, and its parts are wired as DESIGN.md says."""

from __future__ import annotations

from dagster import AssetKey, Definitions

from pipelines.config import Settings
from pipelines.crawl.partitions import slices_of
from pipelines.definitions import build_definitions


def test_definitions_validate(tmp_path):
    settings = Settings(
        warehouse=str(tmp_path), cc_root=str(tmp_path), seeds=str(tmp_path / "s.csv")
    )
    defs = build_definitions(settings)
    Definitions.validate_loadable(defs)
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"pages", "hyperlinks", "company_links", "link_graph"} <= keys
    assert set(graph.get(AssetKey("company_links")).partitions_def.partition_dimension_names) == {
        "crawl",
        "segment",
    }
    assert graph.get(AssetKey("link_graph")).partitions_def.name == "crawl"
    assert graph.get(AssetKey("pages")).backfill_policy.max_partitions_per_run is None
    for table in ("pages", "hyperlinks", "company_links"):  # crawl-partitioned targeted reads
        node = graph.get(AssetKey(f"targeted_{table}"))
        assert node.partitions_def.name == "crawl"
        assert node.backfill_policy.max_partitions_per_run is None  # a backfill is one run
    assert AssetKey("targeted_company_links") in graph.get(AssetKey("link_graph")).parent_keys


def test_slices_of_multi_partition_keys():
    assert slices_of(["CC-MAIN-2024-22|01", "CC-MAIN-2024-22|00", "CC-MAIN-2024-22|00"]) == [
        ("CC-MAIN-2024-22", "00"),
        ("CC-MAIN-2024-22", "01"),
    ]


def test_settings_come_from_the_environment(tmp_path):
    env = {
        "SUPPLYLINKS_WAREHOUSE": "s3://bucket/wh",
        "SUPPLYLINKS_CC_ROOT": str(tmp_path),
        "SUPPLYLINKS_SEEDS": "seeds.csv",
        "SUPPLYLINKS_RUNTIME": "emr",
    }
    settings = Settings.from_env(env)
    assert settings.warehouse == "s3://bucket/wh"
    assert settings.cc_root == str(tmp_path)
    assert settings.seeds.endswith("/seeds.csv") and settings.seeds.startswith("/")
    assert settings.runtime == "emr"
