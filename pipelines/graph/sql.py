"""The link-graph queries as SQL text: one place, run by DuckDB here and by Spark SQL on a cluster.

Every statement reads views named after the tables (``link_graph``, ``company_links``) and
uses only syntax both engines share (``IN`` lists, ``UNION ALL``, ``count(DISTINCT ...)``,
``CASE``, ``concat``), with values inlined as quoted literals by :func:`literal`.

Locally the view is the file-skipped Arrow dataset (see :mod:`pipelines.graph.scan`); on a
cluster it is the Delta table itself, where Delta's own data skipping does the same job::

    spark.read.format("delta").load(LINK_GRAPH.path(warehouse)).createOrReplaceTempView("link_graph")
    spark.sql(neighbors_sql(crawl, ["acme.de"], out_relations=None, in_relations=None))

``chain`` and ``path`` are breadth-first searches: each hop is one :func:`neighbors_sql`
over the current frontier (an ``IN`` list, or a join against a frontier temp view when it is
large), exactly how GraphFrames' ``bfs`` runs, so a driver loop of ``depth`` Spark SQL
statements gives the same answers. ``pagerank`` is ``GraphFrame(vertices, edges).pageRank(
resetProbability=0.15, maxIter=50)`` over :func:`edges_sql` on a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

#: A link is no edge of the company graph when it stays inside one company (same domain, or
#: two domains of the same company).
NOT_SELF = (
    "src_domain <> dst_domain AND (dst_company_id IS NULL OR dst_company_id <> src_company_id)"
)


def literal(value: str) -> str:
    """A SQL string literal (single quotes doubled), identical in DuckDB and Spark SQL."""
    return "'" + str(value).replace("'", "''") + "'"


def literal_list(values: Iterable[str]) -> str:
    items = sorted(set(values))
    if not items:
        raise ValueError("empty value list")
    return ", ".join(literal(v) for v in items)


def _relation_filter(relations: Sequence[str] | None) -> str:
    return "" if relations is None else f" AND relation IN ({literal_list(relations)})"


def edges_sql(crawl: str, relations: Sequence[str] | None = None) -> str:
    """The company graph as of ``crawl``: one slice of ``link_graph``, self-links dropped."""
    return (
        f"SELECT * FROM link_graph WHERE crawl = {literal(crawl)} AND {NOT_SELF}"
        f"{_relation_filter(relations)}"
    )


def neighbors_sql(
    crawl: str,
    domains: Iterable[str],
    *,
    out_relations: Sequence[str] | None | Literal[False],
    in_relations: Sequence[str] | None | Literal[False],
) -> str:
    """Edges leaving (``direction = 'out'``) and/or entering (``'in'``) a set of domains.

    A relation argument is a label list, ``None`` for all labels, or ``False`` to skip that
    direction. ``node`` is the queried side, ``neighbor`` the other one.
    """
    domain_list = literal_list(domains)
    parts = []
    if out_relations is not False:
        parts.append(
            "SELECT 'out' AS direction, src_domain AS node, dst_domain AS neighbor, * "
            f"FROM link_graph WHERE crawl = {literal(crawl)} AND {NOT_SELF} "
            f"AND src_domain IN ({domain_list}){_relation_filter(out_relations)}"
        )
    if in_relations is not False:
        parts.append(
            "SELECT 'in' AS direction, dst_domain AS node, src_domain AS neighbor, * "
            f"FROM link_graph WHERE crawl = {literal(crawl)} AND {NOT_SELF} "
            f"AND dst_domain IN ({domain_list}){_relation_filter(in_relations)}"
        )
    if not parts:
        raise ValueError("neither direction selected")
    return " UNION ALL ".join(parts) + " ORDER BY node, links DESC, neighbor, relation, direction"


def degree_sql(
    crawl: str, relations: Sequence[str] | None, order_by: str, limit: int | None
) -> str:
    """Companies ranked by distinct in-, out- or all neighbours (ties: more links, then name)."""
    ties = {
        "in_degree": "in_links DESC, out_degree DESC",
        "out_degree": "out_links DESC, in_degree DESC",
        "degree": "in_links + out_links DESC",
    }
    if order_by not in ties:
        raise ValueError(f"cannot order by {order_by!r}")
    limit_clause = "" if limit is None else f"LIMIT {int(limit)}"
    return f"""
WITH edges AS ({edges_sql(crawl, relations)}),
ends AS (
  SELECT src_domain AS domain, src_company_id AS company_id, src_name AS name,
         'out' AS side, dst_domain AS neighbor, links FROM edges
  UNION ALL
  SELECT dst_domain, dst_company_id, dst_name, 'in', src_domain, links FROM edges
)
SELECT domain, max(company_id) AS company_id, max(name) AS name,
       count(DISTINCT CASE WHEN side = 'in' THEN neighbor END) AS in_degree,
       count(DISTINCT CASE WHEN side = 'out' THEN neighbor END) AS out_degree,
       count(DISTINCT neighbor) AS degree,
       CAST(sum(CASE WHEN side = 'in' THEN links ELSE 0 END) AS BIGINT) AS in_links,
       CAST(sum(CASE WHEN side = 'out' THEN links ELSE 0 END) AS BIGINT) AS out_links
FROM ends GROUP BY domain
ORDER BY {order_by} DESC, {ties[order_by]}, domain
{limit_clause}"""


def pairs_sql(crawl: str, relations: Sequence[str] | None) -> str:
    """Distinct (source, target) pairs: the unweighted graph PageRank runs on."""
    return f"SELECT DISTINCT src_domain, dst_domain FROM ({edges_sql(crawl, relations)}) e"


def nodes_sql(crawl: str) -> str:
    """Every domain of a slice with its company id and name (for PageRank output)."""
    return f"""
SELECT domain, max(company_id) AS company_id, max(name) AS name FROM (
  SELECT src_domain AS domain, src_company_id AS company_id, src_name AS name
  FROM link_graph WHERE crawl = {literal(crawl)}
  UNION ALL
  SELECT dst_domain, dst_company_id, dst_name FROM link_graph WHERE crawl = {literal(crawl)}
) GROUP BY domain"""


def find_domain_sql(domain: str) -> str:
    """Does a domain occur in the graph (any crawl), and as which company?"""
    d = literal(domain)
    return f"""
SELECT src_company_id AS company_id, src_name AS name FROM link_graph WHERE src_domain = {d}
UNION ALL
SELECT dst_company_id, dst_name FROM link_graph WHERE dst_domain = {d}
ORDER BY company_id NULLS LAST LIMIT 1"""


def company_of_alias_sql(domain: str) -> str:
    """The company that owns a (secondary) domain, from the link-level evidence."""
    d = literal(domain)
    return f"""
SELECT company_id FROM (
  SELECT src_company_id AS company_id FROM company_links WHERE src_domain = {d}
  UNION ALL
  SELECT dst_company_id FROM company_links WHERE dst_domain = {d}
) WHERE company_id IS NOT NULL ORDER BY company_id LIMIT 1"""


def primary_domain_sql(company_id: str) -> str:
    """A company's primary domain as the graph records it."""
    c = literal(company_id)
    return f"""
SELECT domain, name FROM (
  SELECT src_domain AS domain, src_name AS name, crawl FROM link_graph WHERE src_company_id = {c}
  UNION ALL
  SELECT dst_domain, dst_name, crawl FROM link_graph WHERE dst_company_id = {c}
) ORDER BY crawl DESC, domain LIMIT 1"""


def _company_filter(domains: Iterable[str], company_id: str | None) -> str:
    domain_list = literal_list(domains)
    terms = [f"src_domain IN ({domain_list})", f"dst_domain IN ({domain_list})"]
    if company_id is not None:
        c = literal(company_id)
        terms += [f"src_company_id = {c}", f"dst_company_id = {c}"]
    return "(" + " OR ".join(terms) + ")"


def _evidence_where(crawl: str, domains: Iterable[str], company_id: str | None) -> str:
    return (
        f"crawl <= {literal(crawl)} AND {_company_filter(domains, company_id)} "
        "AND src_domain <> dst_domain "
        "AND (dst_company_id IS NULL OR dst_company_id <> src_company_id)"
    )


def evidence_sql(crawl: str, domains: Iterable[str], company_id: str | None, limit: int) -> str:
    """Link-level evidence (URLs, anchor, context sentence) of a company up to ``crawl``."""
    return f"""
SELECT crawl, src_domain, src_company_id, dst_domain, dst_company_id, relation, confidence,
       src_url, dst_url, anchor_text, context, section_heading, model_version
FROM company_links WHERE {_evidence_where(crawl, domains, company_id)}
ORDER BY confidence DESC NULLS LAST, crawl DESC, src_url, dst_url
LIMIT {int(limit)}"""


def evidence_count_sql(crawl: str, domains: Iterable[str], company_id: str | None) -> str:
    return (
        "SELECT count(*) AS n FROM company_links "
        f"WHERE {_evidence_where(crawl, domains, company_id)}"
    )


def company_domains_sql(company_id: str) -> str:
    """Every domain the link-level evidence attributes to a company."""
    c = literal(company_id)
    return f"""
SELECT DISTINCT domain FROM (
  SELECT src_domain AS domain FROM company_links WHERE src_company_id = {c}
  UNION ALL
  SELECT dst_domain FROM company_links WHERE dst_company_id = {c}
) ORDER BY domain"""
