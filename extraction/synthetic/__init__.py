"""Deterministic generator of the miniature Common Crawl in ``data_samples/``.

``build_sample(root)`` writes the whole tree (WARC files in the bucket layout, the columnar
index, seeds, ground truth, labelled link contexts); ``write_diverse_warc(path, n)`` writes
a benchmark WARC of n diverse pages (nothing pooled: what real crawl pages are like),
``write_warc(path, n)`` one of n pooled pages (the old benchmark's, a secondary case).
Same seed, same bytes. CLI: ``python -m extraction.synthetic --out data_samples [--records N]``.
"""

from __future__ import annotations

from extraction.synthetic.bench import write_warc
from extraction.synthetic.diverse import write_diverse_warc
from extraction.synthetic.sample import DEFAULT_CRAWL, build_sample

__all__ = ["DEFAULT_CRAWL", "build_sample", "write_diverse_warc", "write_warc"]
