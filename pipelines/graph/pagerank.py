"""PageRank by power iteration over an edge list: numpy only, fast enough for company graphs.

On a cluster, GraphFrames' ``pageRank`` over ``pipelines.graph.sql.pairs_sql`` does the same.
"""

from __future__ import annotations

import numpy as np


def pagerank(
    n: int, src: np.ndarray, dst: np.ndarray, damping: float = 0.85, iterations: int = 100
) -> np.ndarray:
    """PageRank by power iteration over an edge list (dangling mass spread uniformly)."""
    if n == 0:
        return np.zeros(0)
    out_degree = np.bincount(src, minlength=n).astype(float)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        share = np.divide(rank, out_degree, out=np.zeros(n), where=out_degree > 0)
        incoming = np.bincount(dst, weights=share[src], minlength=n)
        dangling = rank[out_degree == 0].sum()
        new = (1 - damping) / n + damping * (incoming + dangling / n)
        if np.abs(new - rank).sum() < 1e-10:
            return new
        rank = new
    return rank
