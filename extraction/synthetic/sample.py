"""Build the miniature Common Crawl tree: WARC files, listing, columnar index, seeds, labels.

Layout (as in the real bucket)::

    commoncrawl/collinfo.json
    commoncrawl/crawl-data/<CRAWL>/warc.paths.gz
    commoncrawl/crawl-data/<CRAWL>/segments/<segment>/warc/CC-MAIN-<ts>-<ts>-<nnnnn>.warc.gz
    commoncrawl/cc-index/table/cc-main/warc/crawl=<CRAWL>/subset=warc/part-00000.parquet
    seeds/companies.csv, seeds/ground_truth.csv, labelled/link_contexts.jsonl, README.md
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from extraction.synthetic.economy import RELATIONS, SEEDS, firms_by_id
from extraction.synthetic.imprints import OUTSIDER_IMPRINTS, outsider_page_html
from extraction.synthetic.index import write_index
from extraction.synthetic.labelled import labelled_contexts
from extraction.synthetic.readme import render_readme
from extraction.synthetic.sites import Page, noise_pages, site_writers
from extraction.synthetic.warcs import Capture, CrawlWarcWriter, Written

DEFAULT_CRAWL = "CC-MAIN-2024-22"
CRAWL_START = datetime(2024, 5, 17, 21, 30, 10, tzinfo=UTC)
RECORDS_PER_FILE = 1000
MIN_FILES, MIN_SEGMENTS = 5, 3
DUPLICATES = 6


def _html_pages(seed: int, records: int | None, rng: random.Random) -> tuple[list[Page], list]:
    writers = site_writers(seed)
    pages = [page for writer in writers for page in writer.pages()]
    if records is not None and records < len(pages):
        keep = sorted(rng.sample(range(len(pages)), records))
        pages = [pages[i] for i in keep]
    number = 0
    while records is not None and len(pages) < records:
        pages.append(writers[number % len(writers)].filler(number))
        number += 1
    return pages, writers


def plan_captures(seed: int, records: int | None) -> list[Capture]:
    """Every fetch of the crawl in file order: pages, noise, re-fetches and a revisit."""
    rng = random.Random(f"{seed}:crawl")
    pages, writers = _html_pages(seed, records, rng)
    fetched = pages + noise_pages(writers, rng)
    rng.shuffle(fetched)
    captures = [Capture(page, CRAWL_START) for page in fetched]
    html = [c for c in captures if c.page.kind == "html"]
    # the same URL fetched twice (later, so in a later file), and one revisit record
    captures += [Capture(c.page, CRAWL_START) for c in rng.sample(html, min(DUPLICATES, len(html)))]
    if html:
        original = rng.choice(html)
        captures.append(Capture(original.page, CRAWL_START, revisit_of=original))
    # Imprints of non-seed sites come last, so the draws above never change with them;
    # only in the natural sample, so that ``--records N`` still means N HTML pages.
    if records is None:
        captures += [Capture(page, CRAWL_START) for page in outsider_pages()]
    return captures


def outsider_pages() -> list[Page]:
    """The imprint pages of sites that are no seed companies (synthetic.imprints)."""
    return [
        Page(
            f"https://{host}{path}", outsider_page_html(host, title, lang, body).encode(), lang=lang
        )  # fmt: skip
        for host, path, title, lang, body in OUTSIDER_IMPRINTS
    ]


def _segment_ids(count: int) -> list[str]:
    return [f"{1715971057216 + k * 3517}.{(39 + 7 * k) % 100:02d}" for k in range(count)]


def write_crawl(root: Path, crawl: str, seed: int, captures: list[Capture]) -> dict:
    """Write the WARC files, warc.paths.gz and the index; return what was written."""
    n_files = max(MIN_FILES, math.ceil(len(captures) / RECORDS_PER_FILE))
    n_segments = min(100, max(MIN_SEGMENTS, math.ceil(n_files / 2)))
    segments = _segment_ids(n_segments)
    per_file = math.ceil(len(captures) / n_files)
    crawl_dir = root / "crawl-data" / crawl
    paths, written_by_file = [], []
    for number in range(n_files):
        chunk = captures[number * per_file : (number + 1) * per_file]
        started = CRAWL_START + timedelta(hours=3 * number)
        name = (
            f"CC-MAIN-{started:%Y%m%d%H%M%S}-{started + timedelta(hours=3):%Y%m%d%H%M%S}"
            f"-{number:05d}.warc.gz"
        )
        segment = segments[number * n_segments // n_files]
        rel_path = f"crawl-data/{crawl}/segments/{segment}/warc/{name}"
        target = root / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        written: list[Written] = []
        with target.open("wb") as out:
            writer = CrawlWarcWriter(out, name, crawl=crawl, seed=seed, started=started)
            for i, capture in enumerate(chunk):
                capture.fetch_time = started + timedelta(seconds=7 * i + (i * 13) % 5)
                written.append(writer.write(capture))
        paths.append(rel_path)
        written_by_file.append((rel_path, segment, written))
    (crawl_dir / "warc.paths.gz").write_bytes(
        gzip.compress(("\n".join(paths) + "\n").encode(), mtime=0)
    )
    index_path = (
        root / "cc-index/table/cc-main/warc" / f"crawl={crawl}/subset=warc/part-00000.parquet"
    )
    rows = write_index(index_path, written_by_file)
    return {
        "warc_files": len(paths),
        "segments": n_segments,
        "records": len(captures),
        "index_rows": rows,
        "bytes": sum((root / p).stat().st_size for p in paths),
    }


def write_collinfo(root: Path, crawl: str) -> None:
    """A local copy of the list Common Crawl publishes, holding the sample crawl."""
    year, week = crawl.removeprefix("CC-MAIN-").split("-")
    entry = {
        "id": crawl,
        "name": f"{crawl} Index (synthetic sample of week {week} of {year})",
        "timegate": f"https://index.commoncrawl.org/{crawl}/",
        "cdx-api": f"https://index.commoncrawl.org/{crawl}-index",
        "from": CRAWL_START.strftime("%Y-%m-%dT%H:%M:%S"),
        "to": (CRAWL_START + timedelta(days=13)).strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (root / "collinfo.json").write_text(json.dumps([entry], indent=1) + "\n")


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_seeds(folder: Path) -> dict:
    """companies.csv (the seed list) and ground_truth.csv (the answer key)."""
    folder.mkdir(parents=True, exist_ok=True)
    companies = [["company_id", "name", "domains", "country"]]
    companies += [[f.company_id, f.name, ";".join(f.domains), f.country] for f in SEEDS]
    (folder / "companies.csv").write_text(_csv(companies))
    firms = firms_by_id()
    truth = [
        ["src_company_id", "src_domain", "dst_company_id", "dst_domain", "dst_name", "relation"]
    ]
    for src, dst, relation in RELATIONS:
        target = firms[dst]
        truth.append([
            src, firms[src].primary_domain, dst if target.seed else "",
            target.primary_domain, target.name, relation,
        ])  # fmt: skip
    (folder / "ground_truth.csv").write_text(_csv(truth))
    return {"companies": len(companies) - 1, "relations": len(truth) - 1}


def write_labelled(folder: Path, seed: int) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    rows = list(labelled_contexts(seed))
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    (folder / "link_contexts.jsonl").write_text(text, encoding="utf-8")
    return {
        "rows": len(rows),
        "dev": sum(row["split"] == "dev" for row in rows),
        "templates": len({row["template"] for row in rows}),
    }


def build_sample(
    out_root: str | Path,
    *,
    crawl: str = DEFAULT_CRAWL,
    seed: int = 0,
    records: int | None = None,
) -> dict:
    """Build the whole ``data_samples`` tree under ``out_root``; same seed, same bytes.

    ``records`` sets the number of HTML pages (default: the natural sample, ~330 pages);
    more pages are product pages of the same firms, so benchmarks get a bigger crawl of
    the same shape.
    """
    out_root = Path(out_root)
    cc_root = out_root / "commoncrawl"
    cc_root.mkdir(parents=True, exist_ok=True)
    captures = plan_captures(seed, records)
    summary = {"crawl": crawl, "seed": seed, "root": str(out_root)}
    summary["commoncrawl"] = write_crawl(cc_root, crawl, seed, captures)
    # distinct HTML pages (a re-fetch repeats a page, it is no new page)
    summary["html_pages"] = len({id(c.page) for c in captures if c.page.kind == "html"})
    write_collinfo(cc_root, crawl)
    summary["seeds"] = write_seeds(out_root / "seeds")
    summary["labelled"] = write_labelled(out_root / "labelled", seed)
    (out_root / "README.md").write_text(render_readme(summary), encoding="utf-8")
    return summary
