"""``supplylinks graph neighbors|chain|path|top|company|export``: query the company graph.

Reads ``link_graph`` and ``company_links`` under ``--warehouse`` (default
``SUPPLYLINKS_WAREHOUSE``, as ``make sample`` writes them). Domains may be any domain of a
company (``--seeds`` maps them; default ``SUPPLYLINKS_SEEDS`` when that file exists).
Readable tables by default, JSON with ``--json``. An edge ``A -supplier-> B`` means A's site
names B as its supplier (B supplies A).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from extraction.labels import NO_RELATION, RELATION_LABELS
from pipelines.cli import UserError
from pipelines.graph.export import FORMATS

#: ``graph top`` ranks by these unless told otherwise: ``other`` links are mostly noise.
BUSINESS_RELATIONS = tuple(r for r in RELATION_LABELS if r != NO_RELATION)


def register(sub: argparse._SubParsersAction) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--warehouse", help="warehouse root (default: SUPPLYLINKS_WAREHOUSE)")
    common.add_argument("--seeds", help="seed companies CSV (default: SUPPLYLINKS_SEEDS)")
    common.add_argument("--crawl", help="crawl slice (default: the newest)")
    common.add_argument("--json", action="store_true", help="print JSON instead of a table")

    parser = sub.add_parser(
        "graph",
        help="query the company link graph",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    queries = parser.add_subparsers(dest="query", required=True, metavar="QUERY")

    p = queries.add_parser("neighbors", parents=[common], help="edges of one company")
    p.add_argument("domain")
    p.add_argument("--relation", choices=RELATION_LABELS)
    p.add_argument("--direction", choices=("out", "in", "both"), default="out")
    p.set_defaults(func=_neighbors)

    p = queries.add_parser("chain", parents=[common], help="k-hop supply chain of a company")
    p.add_argument("domain")
    p.add_argument("--relation", choices=RELATION_LABELS, default="supplier")
    p.add_argument("--depth", type=int, default=3)
    p.add_argument(
        "--direction",
        choices=("upstream", "downstream"),
        help="default: upstream for supplier (suppliers of suppliers), downstream for customer",
    )
    p.set_defaults(func=_chain)

    p = queries.add_parser("path", parents=[common], help="shortest path between companies")
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--relation", action="append", choices=RELATION_LABELS, dest="relations")
    p.add_argument("--max-depth", type=int, default=4)
    p.add_argument("--directed", action="store_true", help="follow edges only as stated")
    p.set_defaults(func=_path)

    p = queries.add_parser("top", parents=[common], help="hub companies")
    p.add_argument(
        "--relation",
        action="append",
        choices=RELATION_LABELS,
        dest="relations",
        help="relation(s) to rank by (repeatable; default: every label but 'other')",
    )
    p.add_argument("--by", choices=("in_degree", "out_degree", "pagerank"), default="in_degree")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=_top)

    p = queries.add_parser("company", parents=[common], help="profile of one company")
    p.add_argument("domain")
    p.add_argument("--evidence", type=int, default=10, help="evidence links to show")
    p.add_argument("--png", help="also draw the company's ego network to this PNG file")
    p.set_defaults(func=_company)

    p = queries.add_parser(
        "export", parents=[common], help="write nodes and edges for R, Stata, Gephi, networkx"
    )
    p.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
    p.add_argument("--relation", action="append", choices=RELATION_LABELS, dest="relations")
    p.add_argument("--out", default=".", help="folder to write to (default: here)")
    p.set_defaults(func=_export)


# -- running ------------------------------------------------------------------------------
def _open(args: argparse.Namespace) -> Any:
    from pipelines.config import Settings
    from pipelines.graph.queries import LinkGraph

    settings = Settings.from_env()
    warehouse = args.warehouse or settings.warehouse
    seeds = args.seeds
    if seeds is not None and not Path(seeds).is_file():
        raise UserError(f"seeds file not found: {seeds}")
    if seeds is None and Path(settings.seeds).is_file():
        seeds = settings.seeds
    return LinkGraph(warehouse, seeds)


def _guarded(query: Any) -> Any:
    from pipelines.graph.queries import MissingTable, UnknownDomain

    try:
        return query()
    except UnknownDomain as exc:
        raise UserError(str(exc)) from None
    except MissingTable as exc:
        raise UserError(f"{exc} (run `make sample` or pass --warehouse)") from None
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _emit(args: argparse.Namespace, data: Any, text: str) -> int:
    if args.json:
        print(json.dumps(data, indent=2, default=str))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _neighbors(args: argparse.Namespace) -> int:
    graph = _open(args)
    rows = _guarded(lambda: graph.neighbors(args.domain, args.relation, args.direction, args.crawl))
    return _emit(args, rows, _edges_table(rows) or f"no {args.direction} edges")


def _chain(args: argparse.Namespace) -> int:
    graph = _open(args)
    hits = _guarded(
        lambda: graph.chain(args.domain, args.relation, args.depth, args.direction, args.crawl)
    )
    rows = [
        {
            "depth": h.depth,
            "domain": h.domain,
            "name": h.name or "",
            "via": _stated(h.hops[-1]),
            "path": " > ".join(h.path),
        }
        for h in hits
    ]
    text = format_table(rows, ["depth", "domain", "name", "via", "path"]) or "no chain"
    return _emit(args, [h.to_dict() for h in hits], text)


def _path(args: argparse.Namespace) -> int:
    graph = _open(args)
    found = _guarded(
        lambda: graph.path(
            args.src, args.dst, args.relations, args.max_depth, args.directed, args.crawl
        )
    )
    if found is None:
        return _emit(args, None, f"no path within {args.max_depth} hops")
    rows = [
        {"hop": i + 1, "from": h["from"], "to": h["to"], "edge": _stated(h), "walked": h["walked"]}
        for i, h in enumerate(found.hops)
    ]
    text = f"{found.src} to {found.dst}: {found.length} hop(s)\n" + format_table(
        rows, ["hop", "from", "to", "edge", "walked"]
    )
    return _emit(args, found.to_dict(), text)


def _top(args: argparse.Namespace) -> int:
    graph = _open(args)
    relations = args.relations or list(BUSINESS_RELATIONS)
    rows = _guarded(lambda: graph.top(relations, args.by, args.limit, args.crawl))
    columns = ["rank", "domain", "name", "in_degree", "out_degree", "in_links", "out_links"]
    if args.by == "pagerank":
        columns.append("pagerank")
    return _emit(args, rows, format_table(rows, columns) or "empty graph")


def _export(args: argparse.Namespace) -> int:
    from pipelines.config import Settings
    from pipelines.graph.export import export_graph

    settings = Settings.from_env()
    seeds = args.seeds or settings.seeds
    try:
        written = export_graph(
            args.warehouse or settings.warehouse,
            args.out,
            args.fmt,
            args.crawl,
            args.relations,
            seeds,
        )
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(str(exc)) from None
    text = f"{written['nodes']} nodes, {written['edges']} edges of {written['crawl']}:\n"
    return _emit(args, written, text + "\n".join(f"  {f}" for f in written["files"]))


def _company(args: argparse.Namespace) -> int:
    graph = _open(args)
    profile = _guarded(lambda: graph.company(args.domain, args.crawl, args.evidence))
    identity = _guarded(lambda: graph.identity(args.domain, profile.crawl))
    if args.png:
        from pipelines.graph.render import render_ego

        render_ego(profile, args.png)
    text = _profile_text(profile, args.png) + "\n\n" + _identity_text(identity)
    return _emit(args, {**profile.to_dict(), "identity": identity}, text)


IDENTITY_FIELDS = (
    ("legal_name", "legal name"),
    ("legal_form", "legal form"),
    ("register_number", "register"),
    ("register_court", "court"),
    ("vat_id", "VAT id"),
    ("directors", "directors"),
    ("address", "address"),
    ("country", "country"),
)


def _identity_text(identity: dict[str, Any] | None) -> str:
    """The imprint identity, one field a line with the text it was read from."""
    if identity is None:
        return "identity: no imprint in the companies table\n"
    lines = [f"identity (imprint {identity['source_url']}, crawl {identity['crawl']}):"]
    for key, label in IDENTITY_FIELDS:
        field = identity["evidence"].get(key)
        if field is None:
            continue
        span = " ".join(str(field["evidence"]).split())
        lines.append(f'  {label:<11} {field["value"]}  ({field["confidence"]:.2f}; "{span[:90]}")')
    for key, label in (("other_ids", "other ids"), ("conflicts", "conflicts")):
        if identity.get(key):
            lines.append(f"  {label:<11} {identity[key]}")
    return "\n".join(lines) + "\n"


# -- text output --------------------------------------------------------------------------
def _stated(edge: dict[str, Any]) -> str:
    return f"{edge['src_domain']} -{edge['relation']}-> {edge['dst_domain']}"


def _edges_table(rows: list[dict[str, Any]]) -> str:
    view = [
        {
            "dir": r["direction"],
            "neighbor": r["neighbor"],
            "name": r["dst_name" if r["direction"] == "out" else "src_name"] or "",
            "edge": _stated(r),
            "links": r["links"],
            "pages": r["pages"],
            "crawls": r["crawls"],
            "conf": "" if r["mean_confidence"] is None else f"{r['mean_confidence']:.2f}",
            "seen": f"{r['first_crawl']}..{r['last_crawl']}",
        }
        for r in rows
    ]
    columns = ["dir", "neighbor", "name", "edge", "links", "pages", "crawls", "conf", "seen"]
    return format_table(view, columns)


def _profile_text(profile: Any, png: str | None) -> str:
    lines = [
        f"{profile.domain}  company {profile.company_id or '-'}  as of {profile.crawl}",
        f"names:   {', '.join(profile.names) or '-'}",
        f"domains: {', '.join(profile.domains)}",
        "",
    ]
    counts = [{"relation": k, **v} for k, v in profile.relations.items()]
    columns = ["relation", "out", "in", "out_links", "in_links"]
    lines += [format_table(counts, columns) or "no edges", ""]
    if profile.edges:
        lines += [_edges_table(profile.edges), ""]
    lines.append(f"evidence: {len(profile.evidence)} of {profile.evidence_total} links")
    for e in profile.evidence:
        confidence = "" if e["confidence"] is None else f" ({e['confidence']:.2f})"
        lines.append(f"  [{e['relation']}{confidence}] {e['src_url']} -> {e['dst_url']}")
        if e.get("context"):
            lines.append(f'      "{e["context"]}"')
    lines += [f"note: {n}" for n in profile.notes]
    if png:
        lines.append(f"ego network drawn to {png}")
    return "\n".join(lines)


def format_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Left-aligned text columns, numbers right-aligned; empty string for no rows."""
    if not rows:
        return ""
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    numeric = [all(isinstance(row.get(c), int | float) for row in rows) for c in columns]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells)])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
