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
