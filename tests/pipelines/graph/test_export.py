"""``graph export`` writes files that networkx and pyarrow read back as the same graph."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from pipelines.cli import main
from pipelines.graph.export import export_graph
from tests.pipelines.graph.graph_fixture import NEW, OLD


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_tables_read_back_with_pyarrow(warehouse: Path, seeds_csv: Path, tmp_path, fmt):
    written = export_graph(str(warehouse), tmp_path, fmt, seeds=str(seeds_csv))
    assert written["crawl"] == NEW
    nodes_file, edges_file = map(Path, written["files"])
    read = pacsv.read_csv if fmt == "csv" else pq.read_table
    nodes = {n["id"]: n for n in read(nodes_file).to_pylist()}
    edges = read(edges_file).to_pylist()
    assert nodes["c1"]["name"] == "Acme GmbH" and nodes["c1"]["country"] == "DE"
    assert set(nodes["c1"]["domains"].split(";")) >= {"acme.de"}
    assert nodes["c3"]["country"] == "GB"
    supply = next(e for e in edges if (e["source"], e["target"]) == ("c1", "c2"))
    assert supply["relation"] == "supplier" and supply["evidence"] == 8
    assert supply["confidence"] == pytest.approx(0.9)
    assert {e["source"] for e in edges} | {e["target"] for e in edges} <= set(nodes)
    assert "rawsteel.com" in nodes and nodes["rawsteel.com"]["company_id"] in ("", None)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_read_back_with_networkx(warehouse: Path, tmp_path, fmt):
    written = export_graph(str(warehouse), tmp_path, fmt, relations=["supplier", "customer"])
    [path] = written["files"]
    graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(path)
    assert graph.is_directed()
    relations = {data["relation"] for _, _, data in graph.edges(data=True)}
    assert relations == {"supplier", "customer"}
    assert graph.number_of_edges() == written["edges"] == 7
    assert graph.nodes["c1"]["name"] == "Acme GmbH"


def test_cli_export_of_an_older_crawl(warehouse: Path, tmp_path, capsys):
    code = main(
        ["graph", "export", "--warehouse", str(warehouse), "--crawl", OLD, "--format", "csv"]
        + ["--out", str(tmp_path), "--json"]
    )
    assert code == 0
    written = json.loads(capsys.readouterr().out)
    assert written["crawl"] == OLD and written["edges"] == 2
    assert main(["graph", "export", "--warehouse", str(warehouse), "--crawl", "CC-NOPE"]) == 1


def test_graph_top_leaves_other_out_unless_asked(warehouse: Path, capsys):
    from pipelines.graph.queries import LinkGraph

    graph = LinkGraph(str(warehouse))
    assert graph.top(["other"], limit=5, crawl=NEW) == graph.top("other", limit=5, crawl=NEW)
    main(["graph", "top", "--warehouse", str(warehouse), "--json"])
    default = json.loads(capsys.readouterr().out)
    business = graph.top(["supplier", "customer", "partner", "ownership", "investor", "membership"])
    assert [r["domain"] for r in default] == [r["domain"] for r in business]


def test_nodes_carry_the_imprint_identity(warehouse: Path, tmp_path):
    """Register number and VAT id come from ``companies`` (newest crawl at or before the
    export's), for seed companies and bare domains alike; a node without one has "" ."""
    import shutil

    import pyarrow as pa
    from deltalake import write_deltalake

    from spark_jobs.tables import COMPANIES

    root = tmp_path / "wh"
    shutil.copytree(warehouse, root)
    rows = [
        {"registered_domain": "rawsteel.com", "crawl": OLD, "legal_name": "Old Steel Ltd",
         "register_number": "01234567", "vat_id": "GB123456789"},
        {"registered_domain": "rawsteel.com", "crawl": NEW, "legal_name": "Raw Steel Ltd",
         "register_number": "07654321", "register_court": "Companies House",
         "vat_id": "GB987654321"},
        {"registered_domain": "acme.de", "crawl": NEW, "legal_name": "Acme GmbH",
         "register_number": "HRB 12345", "register_court": "Amtsgericht München",
         "vat_id": "DE123456789"},
    ]  # fmt: skip
    table = pa.Table.from_pylist(
        [{name: row.get(name) for name in COMPANIES.columns} for row in rows],
        schema=COMPANIES.schema,
    )
    write_deltalake(COMPANIES.path(str(root)), table, partition_by=list(COMPANIES.partition_by))
    written = export_graph(str(root), tmp_path / "out", "parquet")
    nodes = {n["id"]: n for n in pq.read_table(written["files"][0]).to_pylist()}
    assert nodes["rawsteel.com"]["register_number"] == "07654321"
    assert nodes["rawsteel.com"]["legal_name"] == "Raw Steel Ltd"
    assert nodes["c1"]["vat_id"] == "DE123456789"
    assert nodes["c1"]["register_court"] == "Amtsgericht München"
    others = [n for key, n in nodes.items() if key not in ("c1", "rawsteel.com")]
    assert others and all(not n["vat_id"] for n in others)
    older = export_graph(str(root), tmp_path / "old", "graphml", crawl=OLD)
    graph = nx.read_graphml(older["files"][0])
    assert graph.nodes["c1"]["vat_id"] == ""  # acme.de's imprint is of a later crawl
