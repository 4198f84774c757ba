"""Deterministic generator of the miniature Common Crawl in ``data_samples/``.

``build_sample(root)`` writes the whole tree (WARC files in the bucket layout, the columnar
index, seeds, ground truth, labelled link contexts); ``write_warc(path, n)`` writes a
benchmark WARC of n realistic pages. Same seed, same bytes. CLI:
``python -m extraction.synthetic --out data_samples [--records N]``.
"""

from __future__ import annotations

from extraction.synthetic.bench import write_warc
from extraction.synthetic.sample import DEFAULT_CRAWL, build_sample

__all__ = ["DEFAULT_CRAWL", "build_sample", "write_warc"]
