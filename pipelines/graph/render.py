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
    size: tuple[float, float] = (9.0, 6.5),  # ~720 px wide: fits the UI's metadata column
    dpi: int = 80,
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
    png = _png(figure)
    if path is not None:
        Path(path).write_bytes(png)
    return png


def _png(figure: Figure) -> bytes:
    """The figure as a compact PNG (palette-quantized: a few colours, a few dozen KB)."""
    from PIL import Image

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    small = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(
        small, format="PNG", optimize=True
    )
    return small.getvalue()


def render_relation_bars(counts: dict[str, int], *, title: str = "") -> bytes:
    """Horizontal bars of edges per relation, in label order, coloured as in the graph."""
    labels = [r for r in RELATION_LABELS if counts.get(r)]
    figure = Figure(figsize=(5.0, 0.35 * max(len(labels), 1) + 0.8), dpi=80)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    values = [counts[r] for r in labels]
    axes.barh(labels, values, color=[RELATION_COLOURS[r] for r in labels])
    axes.invert_yaxis()
    for y, value in enumerate(values):
        axes.text(value, y, f" {value:,}", va="center", fontsize=8)
    axes.set_xlabel("edges")
    axes.spines[["top", "right"]].set_visible(False)
    if title:
        axes.set_title(title, fontsize=10)
    return _png(figure)


def render_confusion(
    labels: list[str] | tuple[str, ...], matrix: list[list[int]], *, title: str = ""
) -> bytes:
    """A confusion matrix (rows: true label, columns: predicted) with counts in the cells."""
    figure = Figure(figsize=(5.2, 4.6), dpi=80)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    peak = max((max(row) for row in matrix), default=0)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            colour = "white" if peak and count > peak / 2 else "black"
            axes.text(j, i, str(count), ha="center", va="center", fontsize=7, color=colour)
    if title:
        axes.set_title(title, fontsize=10)
    return _png(figure)


def _draw(axes: Any, graph: nx.MultiDiGraph, highlight: str | None) -> None:
    layout = nx.spring_layout(
        nx.Graph(graph), seed=7, k=3.0 / max(graph.number_of_nodes(), 1) ** 0.5, iterations=200
    )
    axes.margins(0.15)  # room for the labels of the outer nodes
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
    nx.draw_networkx_labels(
        graph,
        layout,
        labels=labels,
        ax=axes,
        font_size=7,
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
    )
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
