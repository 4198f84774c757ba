"""PNG pictures of the company graph: edges coloured by relation, nodes sized by degree.

Uses matplotlib's object API with the Agg canvas (no pyplot, no global backend switch, no
display needed) and a seeded networkx spring layout, so the same graph gives the same picture.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from extraction.labels import RELATION_LABELS

#: One colour per label (the order of RELATION_LABELS), colour-blind-friendly Okabe-Ito set.
RELATION_COLOURS = dict(
    zip(
        RELATION_LABELS,
        ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999999"),
        strict=True,
    )
)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def build_digraph(edges: Iterable[dict[str, Any]]) -> nx.MultiDiGraph:
    """A networkx graph of ``link_graph`` rows (one arc per relation), labelled by name."""
    graph = nx.MultiDiGraph()
    for edge in edges:
        for side in ("src", "dst"):
            domain = edge[f"{side}_domain"]
            if domain not in graph:
                graph.add_node(domain, name=edge.get(f"{side}_name") or domain)
        graph.add_edge(
            edge["src_domain"],
            edge["dst_domain"],
            key=edge["relation"],
            relation=edge["relation"],
            links=edge.get("links", 1),
        )
    return graph


def render_graph(
    edges: Iterable[dict[str, Any]],
    *,
    title: str = "",
    highlight: str | None = None,
    path: str | Path | None = None,
    size: tuple[float, float] = (10.0, 7.5),
    dpi: int = 90,
) -> bytes:
    """Draw the graph of ``edges`` and return the PNG bytes (also written to ``path``)."""
    graph = build_digraph(edges)
    figure = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_axis_off()
    if title:
        axes.set_title(title, fontsize=11)
    if graph.number_of_nodes() == 0:
        axes.text(0.5, 0.5, "no edges", ha="center", va="center", transform=axes.transAxes)
    else:
        _draw(axes, graph, highlight)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    png = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(png)
    return png


def _draw(axes: Any, graph: nx.MultiDiGraph, highlight: str | None) -> None:
    layout = nx.spring_layout(
        nx.Graph(graph), seed=7, k=1.8 / max(graph.number_of_nodes(), 1) ** 0.5
    )
    degree = dict(nx.Graph(graph).degree())
    sizes = [120 + 80 * degree[n] for n in graph.nodes]
    colours = ["#F0E442" if n == highlight else "#DDDDDD" for n in graph.nodes]
    nx.draw_networkx_nodes(
        graph, layout, ax=axes, node_size=sizes, node_color=colours, edgecolors="#333333"
    )
    relations_seen = []
    for number, relation in enumerate(RELATION_LABELS):
        arcs = [(u, v) for u, v, r in graph.edges(keys=True) if r == relation]
        if not arcs:
            continue
        relations_seen.append(relation)
        nx.draw_networkx_edges(
            graph,
            layout,
            ax=axes,
            edgelist=arcs,
            edge_color=RELATION_COLOURS[relation],
            width=1.6,
            arrowsize=12,
            node_size=sizes,
            connectionstyle=f"arc3,rad={0.08 + 0.04 * number}",
        )
    labels = {n: _short(graph.nodes[n]["name"]) for n in graph.nodes}
    nx.draw_networkx_labels(graph, layout, labels=labels, ax=axes, font_size=8)
    handles = [Line2D([0], [0], color=RELATION_COLOURS[r], lw=2, label=r) for r in relations_seen]
    axes.legend(
        handles=handles,
        title="A -relation-> B: A's site names B",
        loc="best",
        fontsize=8,
        title_fontsize=8,
    )


def _short(text: str, width: int = 22) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_ego(profile: Any, path: str | Path | None = None) -> bytes:
    """The ego network of one company (a :class:`~pipelines.graph.queries.CompanyProfile`)."""
    title = f"{(profile.names or [profile.domain])[0]} ({profile.domain}) as of {profile.crawl}"
    return render_graph(profile.edges, title=title, highlight=profile.domain, path=path)
