"""The company graph of one crawl as files for R, Stata, Gephi and networkx users.

Two tables, the shape every network tool imports: ``nodes`` (one row per company or bare
registered domain: ``id``, ``company_id``, ``name``, ``domains``, ``country``, and what the
site's imprint states in the ``companies`` table: ``legal_name``, ``register_number``,
``register_court``, ``vat_id`` — the keys that join the graph to firm registers) and ``edges``
(``source``, ``target``, ``relation``, ``evidence`` = links naming the target, ``pages``,
``confidence`` = mean classifier confidence, ``first_crawl``, ``last_crawl``). A node's ``id``
is its company id for a seed company and its registered domain otherwise. CSV and Parquet
write both tables; GraphML and GEXF write one multigraph file (one edge per relation).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from spark_jobs.tables import COMPANIES, LINK_GRAPH

FORMATS = ("csv", "parquet", "graphml", "gexf")
#: Imprint fields a node carries from ``companies`` ("" when the site states none).
IDENTITY_COLUMNS = ("legal_name", "register_number", "register_court", "vat_id")
NODE_COLUMNS = ("id", "company_id", "name", "domains", "country", *IDENTITY_COLUMNS)
EDGE_COLUMNS = (
    "source",
    "target",
    "relation",
    "evidence",
    "pages",
    "confidence",
    "first_crawl",
    "last_crawl",
)


def graph_tables(
    warehouse: str,
    crawl: str | None = None,
    relations: Sequence[str] | None = None,
    seeds: str | None = None,
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """(crawl, nodes, edges) of the ``link_graph`` slice of ``crawl`` (default: the newest),
    edges limited to ``relations`` when given; seed companies supply country and domains."""
    import pyarrow.dataset as ds

    from extraction.companies import SeedCompanies
    from extraction.labels import check_label
    from pipelines.warehouse import open_table

    table = open_table(warehouse, LINK_GRAPH)
    if table is None:
        raise FileNotFoundError(f"no link_graph table at {LINK_GRAPH.path(warehouse)}")
    dataset = table.to_pyarrow_dataset()
    crawls = sorted(set(dataset.to_table(columns=["crawl"]).column("crawl").to_pylist()))
    if not crawls:
        raise ValueError(f"{LINK_GRAPH.path(warehouse)} holds no crawl")
    crawl = crawl or crawls[-1]
    if crawl not in crawls:
        raise ValueError(f"crawl {crawl!r} not in link_graph; it has {', '.join(crawls)}")
    where = ds.field("crawl") == crawl
    if relations:
        where &= ds.field("relation").isin([check_label(r) for r in relations])
    rows = dataset.to_table(filter=where).to_pylist()
    companies = SeedCompanies.from_csv(seeds) if seeds and Path(seeds).is_file() else None
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for row in sorted(rows, key=lambda r: (r["src_domain"], r["dst_domain"], r["relation"])):
        ends = [_node(nodes, row, side, companies) for side in ("src", "dst")]
        edges.append(
            {
                "source": ends[0],
                "target": ends[1],
                "relation": row["relation"],
                "evidence": int(row["links"]),
                "pages": int(row["pages"]),
                "confidence": row["mean_confidence"],
                "first_crawl": row["first_crawl"] or "",
                "last_crawl": row["last_crawl"] or "",
            }
        )
    _add_identities(warehouse, crawl, nodes.values())
    return crawl, sorted(nodes.values(), key=lambda n: n["id"]), edges


def _add_identities(warehouse: str, crawl: str, nodes) -> None:
    """Each node's imprint identity as of ``crawl``: the newest ``companies`` row at or
    before it of any of the node's domains; a node without one gets empty fields."""
    import pyarrow.dataset as ds

    from pipelines.warehouse import open_table

    nodes = list(nodes)
    identities: dict[str, dict[str, Any]] = {}
    table = open_table(warehouse, COMPANIES)
    if table is not None:
        domains = sorted({d for node in nodes for d in node["domains"]})
        rows = table.to_pyarrow_dataset().to_table(
            columns=["registered_domain", "crawl", *IDENTITY_COLUMNS],
            filter=ds.field("registered_domain").isin(domains) & (ds.field("crawl") <= crawl),
        )
        for row in sorted(rows.to_pylist(), key=lambda r: r["crawl"]):  # newest wins
            identities[row["registered_domain"]] = row
    for node in nodes:
        found = next((identities[d] for d in sorted(node["domains"]) if d in identities), {})
        for column in IDENTITY_COLUMNS:
            node[column] = found.get(column) or ""
        node["name"] = node["name"] or node["legal_name"]


def _node(nodes: dict, row: dict, side: str, companies) -> str:
    domain, company_id = row[f"{side}_domain"], row[f"{side}_company_id"]
    node_id = company_id or domain
    node = nodes.get(node_id)
    if node is None:
        company = companies.company_for_domain(domain) if companies else None
        node = nodes[node_id] = {
            "id": node_id,
            "company_id": company_id or "",
            "name": row[f"{side}_name"] or (company.name if company else "") or "",
            "domains": set(company.domains) if company else set(),
            "country": company.country if company else "",
        }
    node["domains"].add(domain)
    return node_id


def _plain(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Domains as one ``;``-separated string: every tool reads it, none needs a list type."""
    return [{**n, "domains": ";".join(sorted(n["domains"]))} for n in nodes]


def export_graph(
    warehouse: str,
    out: str | Path,
    fmt: str,
    crawl: str | None = None,
    relations: Sequence[str] | None = None,
    seeds: str | None = None,
) -> dict[str, Any]:
    """Write the graph to ``out`` (a folder) in ``fmt``; return what was written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    crawl, nodes, edges = graph_tables(warehouse, crawl, relations, seeds)
    nodes = _plain(nodes)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"link_graph-{crawl}"
    if fmt in ("csv", "parquet"):
        files = [folder / f"{stem}-nodes.{fmt}", folder / f"{stem}-edges.{fmt}"]
        for path, rows, columns in (
            (files[0], nodes, NODE_COLUMNS),
            (files[1], edges, EDGE_COLUMNS),
        ):
            _write_table(path, fmt, rows, columns)
    else:
        files = [folder / f"{stem}.{fmt}"]
        _write_network(files[0], fmt, nodes, edges, crawl)
    return {
        "crawl": crawl,
        "nodes": len(nodes),
        "edges": len(edges),
        "files": [str(f) for f in files],
    }


def _write_table(path: Path, fmt: str, rows: list[dict], columns: Sequence[str]) -> None:
    schema = pa.schema(
        [
            pa.field(c, pa.int64() if c in ("evidence", "pages") else pa.float64())
            if c in ("evidence", "pages", "confidence")
            else pa.field(c, pa.string())
            for c in columns
        ]
    )
    table = pa.Table.from_pylist([{c: r[c] for c in columns} for r in rows], schema=schema)
    if fmt == "csv":
        import pyarrow.csv as pacsv

        pacsv.write_csv(table, path)
    else:
        import pyarrow.parquet as pq

        pq.write_table(table, path)


def _write_network(path: Path, fmt: str, nodes: list[dict], edges: list[dict], crawl: str):
    import networkx as nx

    graph = nx.MultiDiGraph(crawl=crawl)
    for node in nodes:
        graph.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    for edge in edges:
        attributes = {k: v for k, v in edge.items() if k not in ("source", "target")}
        # GraphML/GEXF have no null: a missing confidence is left out of the edge.
        attributes = {k: v for k, v in attributes.items() if v is not None}
        graph.add_edge(edge["source"], edge["target"], key=edge["relation"], **attributes)
    if fmt == "graphml":
        nx.write_graphml(graph, path)
    else:
        nx.write_gexf(graph, path)
