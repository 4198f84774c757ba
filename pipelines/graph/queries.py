"""Link-graph queries over the Delta tables of a warehouse: who supplies whom, hubs, paths.

Importable without Dagster. DuckDB runs the SQL of :mod:`pipelines.graph.sql` over the
files that survive partition pruning and Z-order file skipping (:mod:`pipelines.graph.scan`).

On a cluster the same SQL text runs as Spark SQL: load the Delta tables as temp views named
``link_graph`` / ``company_links`` and run ``neighbors_sql`` (neighbors), ``degree_sql`` (top by
degree), ``evidence_sql`` (company profile); ``chain``/``path`` are a driver loop of one
``neighbors_sql`` per hop over the frontier (breadth-first, as GraphFrames' ``bfs``), and PageRank
is GraphFrames' ``pageRank`` over ``pairs_sql``. tests/pipelines/graph/test_spark_sql.py checks
that Spark returns DuckDB's answers for these statements.

Graph semantics (DESIGN.md): an edge ``A -rel-> B`` says what A's site says about B, and the
slice ``crawl = C`` of ``link_graph`` is the graph as of crawl C (``crawl=None``: the newest).
Self-links (same domain, or two domains of one company) are never edges.

Supply direction. ``A -supplier-> B`` (A names B its supplier) and ``B -customer-> A`` (B names
A its customer) both mean *B supplies A*. :meth:`LinkGraph.chain` combines both labels:

* ``direction="upstream"`` (the suppliers of X, their suppliers, ...): follow ``supplier`` edges
  out of X and ``customer`` edges into X;
* ``direction="downstream"`` (the customers of X, ...): follow ``customer`` edges out of X and
  ``supplier`` edges into X.

``relation="supplier"`` defaults to upstream and ``relation="customer"`` to downstream, so
``chain(x, "customer")`` lists customers of customers. Any other label is followed as stated
(upstream = out of X, downstream = into X), without a mirror label. Every hop of a hit keeps the
edge as stated (``src_domain -relation-> dst_domain``) with its evidence.

A domain may be any of a company's domains: seeds map it to the primary domain, else the
``company_links`` evidence maps it to a company id and ``link_graph`` to that company's primary
domain; registered domains that are no seed company are nodes under their own name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from extraction.labels import check_label
from pipelines.graph import sql
from pipelines.graph.pagerank import pagerank
from pipelines.graph.results import (
    ChainHit,
    CompanyProfile,
    Node,
    PathResult,
    ScanStats,
    Seeds,
    UnknownDomain,
)
from pipelines.graph.scan import DeltaSource, MissingTable, Scan
from spark_jobs.tables import COMPANIES, COMPANY_LINKS, LINK_GRAPH

__all__ = [
    "ChainHit",
    "CompanyProfile",
    "LinkGraph",
    "MissingTable",
    "Node",
    "PathResult",
    "UnknownDomain",
    "chain",
    "company",
    "neighbors",
    "pagerank",
    "path",
    "top",
]

SUPPLY_MIRROR = {"supplier": "customer", "customer": "supplier"}
DIRECTIONS = ("out", "in", "both")
RANKINGS = ("in_degree", "out_degree", "pagerank")


def normalize_domain(value: str) -> str:
    """``https://www.Acme.de/x`` -> ``acme.de``: users paste URLs and hosts, not only domains."""
    text = value.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    text = text.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    return text.removeprefix("www.")


class LinkGraph:
    """Queries over ``link_graph`` and ``company_links`` below a warehouse root."""

    def __init__(
        self,
        warehouse: str | os.PathLike[str],
        seeds: str | os.PathLike[str] | Seeds | None = None,
        *,
        storage_options: dict[str, str] | None = None,
        native_reader: bool = True,
    ) -> None:
        self.warehouse = str(warehouse)
        self.storage_options = storage_options
        self.native_reader = native_reader
        self.seeds = _load_seeds(seeds)
        self.stats = ScanStats()
        self._graph: DeltaSource | None = None
        self._links: DeltaSource | None | bool = None
        self._con = duckdb.connect()

    # -- tables -------------------------------------------------------------------------
    @property
    def graph(self) -> DeltaSource:
        if self._graph is None:
            self._graph = DeltaSource(
                LINK_GRAPH.path(self.warehouse),
                skip_columns=LINK_GRAPH.zorder_by,
                storage_options=self.storage_options,
                native_reader=self.native_reader,
            )
        return self._graph

    @property
    def links(self) -> DeltaSource | None:
        """``company_links``, or None when the warehouse has none (profiles lose evidence)."""
        if self._links is None:
            try:
                self._links = DeltaSource(
                    COMPANY_LINKS.path(self.warehouse),
                    skip_columns=COMPANY_LINKS.zorder_by,
                    storage_options=self.storage_options,
                    native_reader=self.native_reader,
                )
            except MissingTable:
                self._links = False
        return self._links or None

    def crawls(self) -> list[str]:
        """The crawl slices of ``link_graph``, oldest first."""
        return self.graph.partition_values("crawl")

    def resolve_crawl(self, crawl: str | None) -> str:
        available = self.crawls()
        if not available:
            raise MissingTable(f"{LINK_GRAPH.path(self.warehouse)} has no crawl slice yet")
        if crawl is None:
            return available[-1]
        if crawl not in available:
            raise ValueError(f"crawl {crawl!r} not in link_graph; available: {available}")
        return crawl

    def _run(self, statement: str, view: str, scan: Scan) -> list[dict[str, Any]]:
        self.stats.queries += 1
        self.stats.files_scanned += scan.files_scanned
        self.stats.files_read += scan.files_read
        self.stats.files_total += scan.files_total
        source = scan.duckdb_source()
        if source is None:
            self._con.register(view, scan.dataset)
        else:
            self._con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {source}")
        try:
            return self._con.sql(statement).to_arrow_table().to_pylist()
        finally:
            if source is None:
                self._con.unregister(view)
            else:
                self._con.execute(f"DROP VIEW {view}")

    def _reset_stats(self) -> None:
        self.stats = ScanStats()

    # -- domains ------------------------------------------------------------------------
    def resolve(self, domain: str) -> Node:
        """Map any domain of a company to its graph node; raise :class:`UnknownDomain`."""
        key = normalize_domain(domain)
        node = self._seed_node(key)
        if node is not None:
            return node
        found = self._run(
            sql.find_domain_sql(key),
            "link_graph",
            self.graph.scan(any_of={"src_domain": [key], "dst_domain": [key]}),
        )
        if found:
            return Node(key, found[0]["company_id"], found[0]["name"])
        company_id = self._company_of_alias(key)
        if company_id is not None:
            primary = self._run(sql.primary_domain_sql(company_id), "link_graph", self.graph.scan())
            if primary:
                return Node(primary[0]["domain"], company_id, primary[0]["name"])
        raise UnknownDomain(domain, f"not in the seeds nor in {LINK_GRAPH.path(self.warehouse)}")

    def _seed_node(self, key: str) -> Node | None:
        if self.seeds is None:
            return None
        company = self.seeds.company_for_domain(key)
        if company is None:
            return None
        return Node(company.primary_domain, company.company_id, company.name, company.domains)

    def _company_of_alias(self, key: str) -> str | None:
        if self.links is None:
            return None
        rows = self._run(
            sql.company_of_alias_sql(key),
            "company_links",
            self.links.scan(any_of={"src_domain": [key], "dst_domain": [key]}),
        )
        return rows[0]["company_id"] if rows else None

    # -- edges --------------------------------------------------------------------------
    def _expand(
        self,
        crawl: str,
        domains: Iterable[str],
        out_relations: Sequence[str] | None | bool,
        in_relations: Sequence[str] | None | bool,
    ) -> list[dict[str, Any]]:
        """One hop from a set of domains: the shared neighbours SQL over skipped files."""
        domains = sorted(set(domains))
        any_of: dict[str, list[str]] = {}
        if out_relations is not False:
            any_of["src_domain"] = domains
        if in_relations is not False:
            any_of["dst_domain"] = domains
        scan = self.graph.scan(partitions={"crawl": [crawl]}, any_of=any_of)
        statement = sql.neighbors_sql(
            crawl, domains, out_relations=out_relations, in_relations=in_relations
        )
        return self._run(statement, "link_graph", scan)

    def neighbors(
        self,
        domain: str,
        relation: str | None = None,
        direction: str = "out",
        crawl: str | None = None,
    ) -> list[dict[str, Any]]:
        """Edges of one company as of a crawl, strongest first.

        Each row is a ``link_graph`` row plus ``direction`` ("out": the company states the
        relation about ``neighbor``; "in": ``neighbor`` states it about the company).
        """
        self._reset_stats()
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
        relations = None if relation is None else [check_label(relation)]
        crawl = self.resolve_crawl(crawl)
        out_rel = relations if direction in ("out", "both") else False
        in_rel = relations if direction in ("in", "both") else False
        key = normalize_domain(domain)
        node = self._seed_node(key)
        rows = self._expand(crawl, [node.domain if node else key], out_rel, in_rel)
        if rows or node is not None:
            return rows
        node = self.resolve(domain)  # raises UnknownDomain; maps secondary domains
        return [] if node.domain == key else self._expand(crawl, [node.domain], out_rel, in_rel)

    def chain(
        self,
        domain: str,
        relation: str = "supplier",
        depth: int = 3,
        direction: str | None = None,
        crawl: str | None = None,
    ) -> list[ChainHit]:
        """The k-hop supply chain (or any relation's chain) of a company; see module docs."""
        self._reset_stats()
        check_label(relation)
        if direction is None:
            direction = "downstream" if relation == "customer" else "upstream"
        if direction not in ("upstream", "downstream"):
            raise ValueError(f"direction must be 'upstream' or 'downstream', not {direction!r}")
        if depth < 1:
            raise ValueError("depth must be at least 1")
        out_rel, in_rel = _chain_rules(relation, direction)
        crawl = self.resolve_crawl(crawl)
        start = self.resolve(domain)
        hits = self._bfs(start, crawl, out_rel, in_rel, depth)
        return [hit for hit in hits.values() if hit.depth > 0]

    def path(
        self,
        src: str,
        dst: str,
        relations: Sequence[str] | None = None,
        max_depth: int = 4,
        directed: bool = False,
        crawl: str | None = None,
    ) -> PathResult | None:
        """A shortest path from ``src`` to ``dst`` (None if none within ``max_depth`` hops).

        Undirected by default: a hop may follow an edge as stated or against it (each hop
        says which); ``directed=True`` follows edges only from source to target.
        """
        self._reset_stats()
        labels = None if relations is None else [check_label(r) for r in relations]
        crawl = self.resolve_crawl(crawl)
        start, goal = self.resolve(src), self.resolve(dst)
        hits = self._bfs(start, crawl, labels, False if directed else labels, max_depth, goal)
        hit = hits.get(goal.domain)
        if hit is None:
            return None
        return PathResult(start.domain, goal.domain, hit.depth, hit.path, hit.hops)

    def _bfs(
        self,
        start: Node,
        crawl: str,
        out_rel: Sequence[str] | None | bool,
        in_rel: Sequence[str] | None | bool,
        depth: int,
        goal: Node | None = None,
    ) -> dict[str, ChainHit]:
        """Breadth-first search, one SQL hop per level; first (shortest) path to a node wins."""
        reached = {
            start.domain: ChainHit(
                start.domain, start.company_id, start.name, 0, [start.domain], []
            )
        }
        frontier = [start.domain]
        for level in range(1, depth + 1):
            if not frontier or (goal is not None and goal.domain in reached):
                break
            next_frontier = []
            for row in self._expand(crawl, frontier, out_rel, in_rel):
                target = row["neighbor"]
                if target in reached:
                    continue
                origin = reached[row["node"]]
                side = "dst" if row["direction"] == "out" else "src"
                reached[target] = ChainHit(
                    domain=target,
                    company_id=row[f"{side}_company_id"],
                    name=row[f"{side}_name"],
                    depth=level,
                    path=[*origin.path, target],
                    hops=[*origin.hops, _hop(row)],
                )
                next_frontier.append(target)
            frontier = next_frontier
        return reached

    # -- rankings -----------------------------------------------------------------------
    def top(
        self,
        relation: str | Sequence[str] | None = None,
        by: str = "in_degree",
        limit: int = 20,
        crawl: str | None = None,
    ) -> list[dict[str, Any]]:
        """Hub companies: by distinct in/out neighbours, or by PageRank over distinct edges."""
        self._reset_stats()
        if by not in RANKINGS:
            raise ValueError(f"by must be one of {RANKINGS}, not {by!r}")
        relations = relation_list(relation)
        crawl = self.resolve_crawl(crawl)
        scan = self.graph.scan(partitions={"crawl": [crawl]})
        if by != "pagerank":
            rows = self._run(sql.degree_sql(crawl, relations, by, limit), "link_graph", scan)
            return [{"rank": i + 1, **row} for i, row in enumerate(rows)]
        return self._pagerank_top(crawl, relations, limit, scan)

    def _pagerank_top(
        self, crawl: str, relations: Sequence[str] | None, limit: int, scan: Scan
    ) -> list[dict[str, Any]]:
        everyone = self._run(
            sql.degree_sql(crawl, relations, "in_degree", None), "link_graph", scan
        )
        edges = self._run(sql.pairs_sql(crawl, relations), "link_graph", scan)
        index = {row["domain"]: i for i, row in enumerate(everyone)}
        src = np.array([index[e["src_domain"]] for e in edges], dtype=np.int64)
        dst = np.array([index[e["dst_domain"]] for e in edges], dtype=np.int64)
        scores = pagerank(len(everyone), src, dst)
        order = sorted(range(len(everyone)), key=lambda i: (-scores[i], everyone[i]["domain"]))
        return [
            {"rank": rank + 1, **everyone[i], "pagerank": round(float(scores[i]), 6)}
            for rank, i in enumerate(order[:limit])
        ]

    def top_subgraph(
        self, top: int = 40, relation: str | Sequence[str] | None = None, crawl: str | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The ``top`` best-connected nodes of a slice and the edges among them (for pictures)."""
        self._reset_stats()
        relations = relation_list(relation)
        crawl = self.resolve_crawl(crawl)
        scan = self.graph.scan(partitions={"crawl": [crawl]})
        nodes = self._run(sql.degree_sql(crawl, relations, "degree", top), "link_graph", scan)
        if not nodes:
            return [], []
        chosen = {row["domain"] for row in nodes}
        edges = self._expand(crawl, chosen, relations, False)
        return nodes, [e for e in edges if e["dst_domain"] in chosen]

    # -- profile ------------------------------------------------------------------------
    def company(
        self, domain: str, crawl: str | None = None, evidence_limit: int = 20
    ) -> CompanyProfile:
        """A company's names, domains, relation counts per label and link-level evidence."""
        self._reset_stats()
        crawl = self.resolve_crawl(crawl)
        node = self.resolve(domain)
        edges = self._expand(crawl, [node.domain], None, None)
        relations: dict[str, dict[str, int]] = {}
        names = {node.name} if node.name else set()
        for row in edges:
            counts = relations.setdefault(
                row["relation"], {"out": 0, "in": 0, "out_links": 0, "in_links": 0}
            )
            counts[row["direction"]] += 1
            counts[f"{row['direction']}_links"] += row["links"]
            side = "src" if row["direction"] == "out" else "dst"
            if row[f"{side}_name"]:
                names.add(row[f"{side}_name"])
        domains = set(node.domains) | {node.domain}
        notes: list[str] = []
        evidence: list[dict[str, Any]] = []
        total = 0
        if self.links is None:
            notes.append(f"no company_links table at {COMPANY_LINKS.path(self.warehouse)}")
        else:
            if node.company_id is not None and not node.domains:
                domains |= {
                    r["domain"]
                    for r in self._run(
                        sql.company_domains_sql(node.company_id),
                        "company_links",
                        self.links.scan(),
                    )
                }
            # With the full domain list the company id adds nothing, and files can be skipped.
            company_id = None if node.domains else node.company_id
            any_of = None if company_id else {"src_domain": domains, "dst_domain": domains}
            scan = self.links.scan(partitions={"crawl": _upto(self.links, crawl)}, any_of=any_of)
            evidence = self._run(
                sql.evidence_sql(crawl, domains, company_id, evidence_limit), "company_links", scan
            )
            total = self._run(
                sql.evidence_count_sql(crawl, domains, company_id), "company_links", scan
            )[0]["n"]
        return CompanyProfile(
            domain=node.domain,
            company_id=node.company_id,
            names=sorted(names),
            domains=sorted(domains),
            crawl=crawl,
            relations=dict(sorted(relations.items())),
            edges=edges,
            evidence=evidence,
            evidence_total=int(total),
            notes=notes,
        )

    # -- identity -----------------------------------------------------------------------
    def identity(self, domain: str, crawl: str | None = None) -> dict[str, Any] | None:
        """The company identity its imprint states (``companies``), as of ``crawl``.

        Looks at every domain of the company, the newest crawl <= ``crawl`` first, then the
        primary domain; ``evidence`` comes back as a dict (field -> value, span, confidence).
        None when the warehouse has no ``companies`` table or no imprint for the company.
        """
        import pyarrow.dataset as ds
        from deltalake import DeltaTable

        path = COMPANIES.path(self.warehouse)
        if not DeltaTable.is_deltatable(path, storage_options=self.storage_options):
            return None
        crawl = self.resolve_crawl(crawl)
        node = self.resolve(domain)
        domains = sorted(set(node.domains) | {node.domain, normalize_domain(domain)})
        dataset = DeltaTable(path, storage_options=self.storage_options).to_pyarrow_dataset()
        rows = dataset.to_table(
            filter=ds.field("registered_domain").isin(domains) & (ds.field("crawl") <= crawl)
        ).to_pylist()
        if not rows:
            return None
        rows.sort(key=lambda r: (r["crawl"], r["registered_domain"] == node.domain), reverse=True)
        best = dict(rows[0])
        best["evidence"] = json.loads(best["evidence"]) if best["evidence"] else {}
        return best


def _chain_rules(relation: str, direction: str) -> tuple[list[str] | bool, list[str] | bool]:
    """Which labels to follow out of and into the frontier (see the module docstring)."""
    if relation in SUPPLY_MIRROR:
        outward = "supplier" if direction == "upstream" else "customer"
        return [outward], [SUPPLY_MIRROR[outward]]
    return ([relation], False) if direction == "upstream" else (False, [relation])


def _hop(row: dict[str, Any]) -> dict[str, Any]:
    """An edge as stated, plus which way the search walked it."""
    keep = ("src_domain", "dst_domain", "relation", "links", "pages", "crawls")
    hop = {k: row[k] for k in keep}
    hop["mean_confidence"] = row["mean_confidence"]
    hop["from"], hop["to"] = row["node"], row["neighbor"]
    hop["walked"] = "as stated" if row["direction"] == "out" else "reversed"
    return hop


def relation_list(relation: str | Sequence[str] | None) -> list[str] | None:
    """One label or several (e.g. the business relations, without ``other``); None: all."""
    if relation is None:
        return None
    return [check_label(r) for r in ([relation] if isinstance(relation, str) else relation)]


def _upto(source: DeltaSource, crawl: str) -> list[str]:
    return [c for c in source.partition_values("crawl") if c <= crawl]


def _load_seeds(seeds: str | os.PathLike[str] | Seeds | None) -> Seeds | None:
    if seeds is None or hasattr(seeds, "company_for_domain"):
        return seeds  # type: ignore[return-value]
    from extraction.companies import SeedCompanies

    return SeedCompanies.from_csv(seeds)


# -- module-level convenience -------------------------------------------------------------
def neighbors(warehouse: str, domain: str, seeds: Any = None, **kwargs: Any) -> list[dict]:
    return LinkGraph(warehouse, seeds).neighbors(domain, **kwargs)


def chain(warehouse: str, domain: str, seeds: Any = None, **kwargs: Any) -> list[ChainHit]:
    return LinkGraph(warehouse, seeds).chain(domain, **kwargs)


def path(warehouse: str, src: str, dst: str, seeds: Any = None, **kwargs: Any) -> PathResult | None:
    return LinkGraph(warehouse, seeds).path(src, dst, **kwargs)


def top(warehouse: str, seeds: Any = None, **kwargs: Any) -> list[dict]:
    return LinkGraph(warehouse, seeds).top(**kwargs)


def company(warehouse: str, domain: str, seeds: Any = None, **kwargs: Any) -> CompanyProfile:
    return LinkGraph(warehouse, seeds).company(domain, **kwargs)


def as_arrow(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table (handy for notebooks)."""
    return pa.Table.from_pylist(rows)
