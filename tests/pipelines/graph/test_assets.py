"""``link_graph_picture``: one inline picture per crawl partition, business relations only."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from dagster import (
    ConfigurableResource,
    DagsterInstance,
    DynamicPartitionsDefinition,
    materialize,
)
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from pipelines.graph.assets import build_graph_assets, graph_assets, relations_to_draw
from pipelines.graph.render import PNG_MAGIC
from tests.pipelines.graph.graph_fixture import NEW, OLD


class WarehouseOnly(ConfigurableResource):
    warehouse: str


def _materialize_picture(warehouse: Path, instance: DagsterInstance, keys: list[str]):
    crawls = DynamicPartitionsDefinition(name="crawl")
    [picture] = build_graph_assets(crawls)
    instance.add_dynamic_partitions("crawl", [OLD, NEW])
    result = materialize(
        [picture],
        instance=instance,
        tags={ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]},
        resources={"crawl_config": WarehouseOnly(warehouse=str(warehouse))},
    )
    assert result.success
    return {
        e.partition: e.metadata
        for e in result.asset_materializations_for_node("link_graph_picture")
    }


def test_each_crawl_gets_its_own_inline_picture(warehouse: Path, tmp_path: Path) -> None:
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        shown = _materialize_picture(warehouse, instance, [OLD, NEW])
        assert set(shown) == {OLD, NEW}
        metadata = shown[NEW]
        markdown = metadata["graph"].value
        # short enough for the UI to render inline (it opens a modal at 1000 characters)
        found = re.fullmatch(r"!\[company graph [^\]]+\]\((/logs/[\w./-]+)/png\)", markdown)
        assert found and len(markdown) < 1000, markdown[:120]
        log_key = found.group(1).removeprefix("/logs/").split("/")
        served = Path(instance.compute_log_manager.get_captured_local_path(log_key, "png"))
        png = served.read_bytes()
        assert png.startswith(PNG_MAGIC) and 5_000 < len(png) < 120_000
        assert metadata["nodes_drawn"].value == 7
        assert metadata["edges_drawn"].value == 9  # the newest slice minus its two self-links
        companies = [r.data["domain"] for r in metadata["top_companies"].records]
        assert "acme.de" in companies
        assert (warehouse / "pictures" / "link_graph" / f"{NEW}.png").read_bytes() == png
        assert shown[OLD]["edges_drawn"].value == 2  # the older crawl: its own, smaller graph
        assert "edges_per_relation" in metadata


def test_without_local_compute_logs_the_picture_is_embedded(warehouse: Path) -> None:
    metadata = _materialize_picture(warehouse, DagsterInstance.ephemeral(), [NEW])[NEW]
    found = re.fullmatch(
        r"!\[company graph [^\]]+\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)",
        metadata["graph"].value,
    )
    assert found and base64.b64decode(found.group(1)).startswith(PNG_MAGIC)


def test_business_relations_are_drawn_unless_other_is_asked_for() -> None:
    assert "other" not in relations_to_draw(None, include_other=False)
    assert relations_to_draw(None, include_other=True) is None
    assert relations_to_draw("supplier", include_other=False) == ["supplier"]


def test_module_level_assets_use_the_crawl_partitions() -> None:
    [picture] = graph_assets
    assert picture.partitions_def == DynamicPartitionsDefinition(name="crawl")
    assert [d.asset_key.path for d in picture.specs_by_key[picture.key].deps] == [["link_graph"]]
