"""A small warehouse with known edges, written once per session with the registry's schemas.

Companies (seeds): c1 Acme GmbH (acme.de primary, acme.com), c2 Bolt AG (bolt.de),
c3 Cog Ltd (cog.co.uk), c4 Dyna SE (dyna.de), c5 Ela BV (ela.nl); rawsteel.com and vdma.org
are plain registered domains. Newest slice CC-MAIN-2024-18 (older: CC-MAIN-2024-10):

    acme.de  -supplier->   bolt.de       Bolt supplies Acme
    cog.co.uk -customer->  acme.de       Cog supplies Acme
    bolt.de  -supplier->   rawsteel.com  rawsteel supplies Bolt
    dyna.de  -customer->   bolt.de       Dyna supplies Bolt
    acme.de  -customer->   ela.nl        Acme supplies Ela
    ela.nl   -supplier->   acme.de       Acme supplies Ela (same fact, stated by Ela)
    dyna.de  -supplier->   acme.de       Acme supplies Dyna (a supply cycle Acme->Dyna->Bolt->Acme)
    bolt.de  -partner->    cog.co.uk
    acme.de  -membership-> vdma.org
    acme.de  -other->      acme.de       self-link (same domain): never an edge
    acme.de  -partner->    acme.de       self-link again (company_links holds an acme.com one)
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from deltalake import write_deltalake

from spark_jobs.tables import COMPANY_LINKS, LINK_GRAPH

OLD, NEW = "CC-MAIN-2024-10", "CC-MAIN-2024-18"
COMPANIES = {
    "acme.de": ("c1", "Acme GmbH"),
    "acme.com": ("c1", "Acme GmbH"),
    "bolt.de": ("c2", "Bolt AG"),
    "cog.co.uk": ("c3", "Cog Ltd"),
    "dyna.de": ("c4", "Dyna SE"),
    "ela.nl": ("c5", "Ela BV"),
}
SEEDS_CSV = """company_id,name,domains,country
c1,Acme GmbH,acme.de;acme.com,DE
c2,Bolt AG,bolt.de,DE
c3,Cog Ltd,cog.co.uk,GB
c4,Dyna SE,dyna.de,DE
c5,Ela BV,ela.nl,NL
"""
# (src, dst, relation, links, pages, crawls, mean_confidence)
NEW_EDGES = [
    ("acme.de", "bolt.de", "supplier", 8, 3, 2, 0.9),
    ("cog.co.uk", "acme.de", "customer", 4, 2, 2, 0.8),
    ("bolt.de", "rawsteel.com", "supplier", 3, 1, 1, 0.7),
    ("dyna.de", "bolt.de", "customer", 2, 1, 1, 0.6),
    ("acme.de", "ela.nl", "customer", 5, 2, 1, 0.85),
    ("ela.nl", "acme.de", "supplier", 1, 1, 1, 0.75),
    ("dyna.de", "acme.de", "supplier", 6, 2, 1, 0.65),
    ("bolt.de", "cog.co.uk", "partner", 2, 1, 1, 0.5),
    ("acme.de", "vdma.org", "membership", 1, 1, 1, 0.95),
    ("acme.de", "acme.de", "other", 40, 20, 2, 0.99),
    ("acme.de", "acme.de", "partner", 7, 3, 2, 0.9),
]
OLD_EDGES = [
    ("acme.de", "bolt.de", "supplier", 3, 1, 1, 0.9),
    ("cog.co.uk", "acme.de", "customer", 2, 1, 1, 0.8),
]
# (crawl, src_url, dst_url, relation, confidence, context)
LINKS = [
    (
        OLD,
        "https://acme.de/lieferanten",
        "https://bolt.de/",
        "supplier",
        0.9,
        "Unsere Lieferanten: Bolt AG liefert Schrauben.",
    ),
    (
        NEW,
        "https://www.acme.com/suppliers",
        "https://bolt.de/en",
        "supplier",
        0.95,
        "Our suppliers include Bolt AG.",
    ),
    (
        NEW,
        "https://acme.de/kunden",
        "https://ela.nl/",
        "customer",
        0.85,
        "Zu unseren Kunden zählt Ela BV.",
    ),
    (NEW, "https://cog.co.uk/clients", "https://acme.de/", "customer", 0.8, "Clients: Acme GmbH."),
    (NEW, "https://acme.com/", "https://acme.de/", "other", 0.99, "Deutsche Seite"),
    (NEW, "https://bolt.de/partner", "https://cog.co.uk/", "partner", 0.5, "Partner: Cog Ltd."),
]


def _domain_of(url: str) -> str:
    host = url.split("/")[2]
    return host.removeprefix("www.")


def graph_rows(edges: list[tuple], crawl: str, first: str) -> list[dict]:
    rows = []
    for src, dst, relation, links, pages, crawls, confidence in edges:
        src_id, src_name = COMPANIES[src]
        dst_id, dst_name = COMPANIES.get(dst, (None, None))
        rows.append(
            {
                "src_company_id": src_id,
                "src_domain": src,
                "src_name": src_name,
                "dst_company_id": dst_id,
                "dst_domain": dst,
                "dst_name": dst_name,
                "relation": relation,
                "links": links,
                "pages": pages,
                "crawls": crawls,
                "mean_confidence": confidence,
                "first_crawl": first,
                "last_crawl": crawl,
                "crawl": crawl,
            }
        )
    return rows


def link_rows() -> list[dict]:
    rows = []
    for number, (crawl, src_url, dst_url, relation, confidence, context) in enumerate(LINKS):
        src, dst = _domain_of(src_url), _domain_of(dst_url)
        rows.append(
            {
                "link_id": f"l{number:04d}",
                "src_url": src_url,
                "src_domain": src,
                "src_company_id": COMPANIES[src][0],
                "dst_url": dst_url,
                "dst_domain": dst,
                "dst_company_id": COMPANIES.get(dst, (None,))[0],
                "anchor_text": dst.split(".")[0].title(),
                "context": context,
                "section_heading": relation.title(),
                "page_path": "/" + src_url.split("/", 3)[-1],
                "region": "main",
                "relation": relation,
                "confidence": confidence,
                "model_version": "weak-1",
                "fetch_time": None,
                "crawl": crawl,
                "segment": "00",
            }
        )
    return rows


def build_warehouse(root: Path) -> Path:
    """Write link_graph (two crawl slices) and company_links under ``root``; return it."""
    graph = graph_rows(OLD_EDGES, OLD, OLD) + graph_rows(NEW_EDGES, NEW, OLD)
    write_deltalake(
        LINK_GRAPH.path(str(root)),
        pa.Table.from_pylist(graph, LINK_GRAPH.schema),
        partition_by=list(LINK_GRAPH.partition_by),
    )
    write_deltalake(
        COMPANY_LINKS.path(str(root)),
        pa.Table.from_pylist(link_rows(), COMPANY_LINKS.schema),
        partition_by=list(COMPANY_LINKS.partition_by),
    )
    (root / "companies.csv").write_text(SEEDS_CSV)
    return root
