"""The extract task's targeted source of records, without Spark: planning from the index and
the pages of ranged members, equal to what a full scan of the same files gives."""

from __future__ import annotations

import pytest

from extraction.companies import SeedCompanies
from extraction.extract import ExtractStats, new_link_sink
from spark_jobs.params import JobParams
from spark_jobs.runner import load_seed_rows
from spark_jobs.storage import crawl_warc_segments
from spark_jobs.targeted import RangeFetchError, open_pages, plan_targeted, seed_domains
from tests.paths import SAMPLES
from tests.rangeserver import Faults, mirror_with_index_listing, range_server

CC_ROOT = SAMPLES / "commoncrawl"
SEEDS = SAMPLES / "seeds" / "companies.csv"
CRAWL = "CC-MAIN-2024-22"


def params(cc_root: str, **extra) -> JobParams:
    segments = sorted(set(crawl_warc_segments(str(CC_ROOT), CRAWL).values()))
    return JobParams(
        warehouse="/unused",
        slices=tuple((CRAWL, s) for s in segments),
        cc_root=cc_root,
        seeds=str(SEEDS),
        extra={"mode": "targeted", **extra},
    )


def pages_of(task, seeds, stats=None) -> list[dict]:
    sink = new_link_sink()
    with open_pages(task, seeds, stats or ExtractStats(), "warcio", sink) as pages:
        rows = list(pages)
    assert sink.rows == sum(page["external_links"] for page in rows)
    return rows


def test_targeted_pages_equal_the_full_scans_seed_pages_offsets_included(tmp_path):
    rows = load_seed_rows(str(SEEDS))
    seeds = SeedCompanies.from_rows(rows)
    domains = set(seed_domains(rows))
    full = []
    for path, segment in crawl_warc_segments(str(CC_ROOT), CRAWL).items():
        task = (CRAWL, segment, path, str(CC_ROOT / path))
        full += [p for p in pages_of(task, seeds) if p["registered_domain"] in domains]
    with range_server(mirror_with_index_listing(CC_ROOT, tmp_path)) as (base, _log):
        tasks = plan_targeted(params(base), rows, log=lambda _m: None)
        targeted = [page for task in tasks for page in pages_of(task, seeds)]
    key = lambda p: (p["warc_filename"], p["warc_record_offset"])  # noqa: E731
    assert len(full) > 100
    assert sorted(targeted, key=key) == sorted(full, key=key)
    assert {t[1] for t in tasks} == {
        crawl_warc_segments(str(CC_ROOT), CRAWL)[t[2]] for t in tasks
    }  # each file's segment key from its WARC path


def test_a_plan_only_holds_the_requested_segments_and_respects_the_cap():
    rows = load_seed_rows(str(SEEDS))
    one = params(str(CC_ROOT))
    first_segment = one.slices[0][1]
    narrowed = JobParams(**{**one.__dict__, "slices": ((CRAWL, first_segment),)})
    tasks = plan_targeted(narrowed, rows, log=lambda _m: None)
    assert tasks and {t[1] for t in tasks} == {first_segment}
    capped = plan_targeted(params(str(CC_ROOT), max_pages_per_domain=1), rows, lambda _m: None)
    assert sum(len(t[4]) for t in capped) <= len(seed_domains(rows))


def test_records_that_fail_to_fetch_are_counted_named_and_fail_the_file(tmp_path):
    rows = load_seed_rows(str(SEEDS))
    seeds = SeedCompanies.from_rows(rows)
    mirror = mirror_with_index_listing(CC_ROOT, tmp_path)
    tasks = plan_targeted(params(str(CC_ROOT)), rows, log=lambda _m: None)
    crawl, segment, path, _uri, ranges = tasks[0]
    with range_server(mirror, Faults(short_by={path: 3})) as (base, _log):
        stats = ExtractStats()
        task = (crawl, segment, path, f"{base}/{path}", ranges)
        with pytest.raises(RangeFetchError, match=f"{len(ranges)} of {len(ranges)} records"):
            pages_of(task, seeds, stats)
    assert stats.skipped["fetch_wrong_length"] == len(ranges)
    assert {(e["file"], e["offset"]) for e in stats.errors} == {(path, o) for o, _n in ranges}
    assert all(e["error"].startswith("fetch wrong_length") for e in stats.errors)
    assert stats.pages == 0
