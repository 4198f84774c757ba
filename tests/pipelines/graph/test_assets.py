"""The ``link_graph_picture`` asset materializes and carries the PNG as markdown metadata."""

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

from pipelines.graph.assets import build_graph_assets, graph_assets
from pipelines.graph.render import PNG_MAGIC
from tests.pipelines.graph.graph_fixture import NEW, OLD


class WarehouseOnly(ConfigurableResource):
    warehouse: str


def test_picture_asset_materializes_with_image_metadata(warehouse: Path) -> None:
    crawls = DynamicPartitionsDefinition(name="crawl")
    [picture] = build_graph_assets(crawls)
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("crawl", [OLD, NEW])
    result = materialize(
        [picture],
        partition_key=NEW,
        instance=instance,
        resources={"crawl_config": WarehouseOnly(warehouse=str(warehouse))},
    )
    assert result.success
    [event] = result.asset_materializations_for_node("link_graph_picture")
    metadata = event.metadata
    markdown = metadata["graph"].value
    found = re.fullmatch(
        r"!\[company graph [^\]]+\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", markdown
    )
    assert found, markdown[:80]
    png = base64.b64decode(found.group(1))
    assert png.startswith(PNG_MAGIC) and len(png) > 10_000
    assert metadata["nodes_drawn"].value == 7
    assert metadata["edges_drawn"].value == 9  # the newest slice minus its two self-links
    assert "acme.de" in metadata["top_companies"].value
    assert (warehouse / "pictures" / "link_graph" / f"{NEW}.png").read_bytes() == png


def test_module_level_assets_use_the_crawl_partitions() -> None:
    [picture] = graph_assets
    assert picture.partitions_def == DynamicPartitionsDefinition(name="crawl")
    assert [d.asset_key.path for d in picture.specs_by_key[picture.key].deps] == [["link_graph"]]
