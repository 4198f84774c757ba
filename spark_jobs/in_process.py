"""A job's tasks in its own process, without Spark: for targeted reads of a few thousand
records, where starting a JVM and a Python worker costs more than the work.

Measured on the ``bench targeted`` crawl (100,000 records, seeds ~2 % of the pages): the
targeted extract job spent ~0.3 s reading and extracting its ~2,000 records, and several
seconds starting the Spark context around them (see README, "Index-targeted reads"). The
same per-file task (:func:`spark_jobs.extract.extract_files`), the same writers and the same
commit (:func:`spark_jobs.extract.extract_and_commit`) run here; only the scheduler differs.

:class:`LocalTasks` is the task engine; :func:`company_links_table` is the classify job's
rule (:func:`spark_jobs.classify.candidate_links` + ``LINK_ID_SQL`` + ``predict_arrow``) over
Arrow tables, so a targeted run writes ``company_links`` without a Spark session too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from spark_jobs.delta import WrittenFiles
from spark_jobs.tables import COMPANY_LINKS


class LocalTasks:
    """Runs a job's tasks one after another in this process (the :class:`SparkTasks`
    interface of :mod:`spark_jobs.extract`)."""

    name = "in-process"
    start_phase = "seeds_lookup_and_imports"  # the job's clock until the first task

    def start(self) -> str:
        return "no Spark"

    def map(self, items: list, function: Callable[[Iterator], Iterator]) -> list:
        return list(function(iter(items)))


def company_links_table(
    hyperlinks: pa.Table, seed_rows: list[dict[str, str]], model_ref: str
) -> pa.Table:
    """``company_links`` rows of ``hyperlinks`` rows: the cross-domain links from seed
    company sites (not to another domain of the same company) with both sides' company ids,
    their ``link_id`` and the model's relation label: the classify job's rows."""
    from extraction.companies import SeedCompanies
    from extraction.extract import link_id
    from models import predict_arrow
    from models.features import INPUT_FIELDS

    company_of = {
        domain: company.company_id
        for company in SeedCompanies.from_rows(seed_rows)
        for domain in company.domains
    }
    src = hyperlinks.column("src_domain").to_pylist()
    dst = hyperlinks.column("dst_domain").to_pylist()
    keep, src_ids, dst_ids = [], [], []
    for row, (s, d) in enumerate(zip(src, dst, strict=True)):
        if s is None or d is None or s == d or s not in company_of:
            continue
        if company_of.get(d) == company_of[s]:
            continue
        keep.append(row)
        src_ids.append(company_of[s])
        dst_ids.append(company_of.get(d))
    links = hyperlinks.take(pa.array(keep, type=pa.int64()))
    ids = [
        link_id(u, p, t)
        for u, p, t in zip(
            links.column("src_url").to_pylist(),
            links.column("position").to_pylist(),
            links.column("dst_url").to_pylist(),
            strict=True,
        )
    ]
    links = (
        links.append_column("link_id", pa.array(ids, pa.string()))
        .append_column("src_company_id", pa.array(src_ids, pa.string()))
        .append_column("dst_company_id", pa.array(dst_ids, pa.string()))
    )
    outputs = ("relation", "confidence", "model_version")
    columns = [c for c in COMPANY_LINKS.columns if c not in outputs]
    inputs = [c for c in INPUT_FIELDS if c not in columns and c in links.schema.names]
    links = links.select(columns + inputs)
    labelled = list(predict_arrow(links.to_batches(max_chunksize=8192), model_ref))
    if not labelled:
        return COMPANY_LINKS.schema.empty_table()
    return pa.Table.from_batches(labelled).select(COMPANY_LINKS.columns)


def read_table_slices(spec, warehouse: str, crawls: list[str]) -> pa.Table:
    """The current rows of ``crawls`` of a Delta table (files pruned on ``crawl``)."""
    from deltalake import DeltaTable

    data = DeltaTable(spec.path(warehouse)).to_pyarrow_dataset()
    return data.to_table(filter=pc.field("crawl").isin(crawls))


def classify_crawls(
    params, crawls: list[str], seed_rows: list[dict[str, str]]
) -> tuple[Any, dict[str, Any]]:
    """Replace the ``crawls`` of ``company_links`` (delta-rs) with the labelled links of
    their ``hyperlinks``: the classify job's write report and relation counts."""
    from collections import Counter

    from spark_jobs.delta import files_root, write_partition_files, write_slices
    from spark_jobs.tables import HYPERLINKS

    hyperlinks = read_table_slices(HYPERLINKS, params.warehouse, crawls)
    table = company_links_table(hyperlinks, seed_rows, params.model)
    root = files_root(COMPANY_LINKS, params.warehouse, "delta-rs", params.staging_root)
    files = write_partition_files(COMPANY_LINKS, root, table)
    report = write_slices(
        None,
        COMPANY_LINKS,
        params.warehouse,
        dict.fromkeys(crawls),
        WrittenFiles(root, files),
        writer="delta-rs",
        staging_root=params.staging_root,
    )
    counts = Counter(
        zip(
            table.column("model_version").to_pylist(),
            table.column("relation").to_pylist(),
            strict=True,
        )
    )
    relations: Counter[str] = Counter()
    for (_version, relation), count in counts.items():
        relations[relation] += count
    extra = {
        "model": params.model,
        "model_versions": ", ".join(sorted({version for version, _ in counts})),
        "relations": dict(relations),
    }
    return report, extra
