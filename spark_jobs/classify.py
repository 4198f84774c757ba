"""Pipes entrypoint: ``hyperlinks`` slices -> ``company_links`` with relation labels.

Keeps cross-domain links whose source is a seed company site (the target is a known
company or an unknown registered domain; links between two domains of the same company
are not inter-firm links and are dropped), then labels them with ``models.predict_arrow``
inside ``mapInArrow``: the model loads once per Python worker and predicts in batches.
"""

from __future__ import annotations

from typing import Any

from dagster_pipes import PipesContext

from models.features import INPUT_FIELDS
from spark_jobs.delta import WriteReport, read_slices, write_slices
from spark_jobs.params import JobParams
from spark_jobs.pipes_session import open_pipes
from spark_jobs.runner import JobRun, load_seed_rows, seed_domains_frame
from spark_jobs.tables import COMPANY_LINKS, HYPERLINKS, LINK_ID_SQL


def candidate_links(spark, hyperlinks, seed_rows: list[dict[str, str]]):
    """Cross-domain links from seed company sites, with both sides' company ids."""
    from pyspark.sql import functions as F

    seeds = seed_domains_frame(spark, seed_rows)
    src = seeds.select(
        F.col("domain").alias("src_domain"), F.col("company_id").alias("src_company_id")
    )
    dst = seeds.select(
        F.col("domain").alias("dst_domain"), F.col("company_id").alias("dst_company_id")
    )
    external = hyperlinks.where(
        "src_domain IS NOT NULL AND dst_domain IS NOT NULL AND src_domain <> dst_domain"
    )
    joined = external.join(F.broadcast(src), "src_domain").join(
        F.broadcast(dst), "dst_domain", "left"
    )
    return joined.where(
        F.col("dst_company_id").isNull() | (F.col("dst_company_id") != F.col("src_company_id"))
    )


def label_batches(model_ref: str):
    """The per-batch function shipped to executors (imports happen there, once)."""

    def label(batches):
        from models import predict_arrow

        yield from predict_arrow(batches, model_ref)

    return label


def run(pipes: PipesContext, params: JobParams) -> dict[str, Any]:
    job = JobRun(pipes, "classify", params)
    slices = dict(params.segments_by_crawl())
    report, extra = classify_slices(
        job.spark, params, slices, load_seed_rows(params.seeds), params.model
    )
    job.report(COMPANY_LINKS.name, report, extra)
    return {"report": report.metadata(), **extra}


def classify_slices(
    spark, params: JobParams, slices: dict, seed_rows: list[dict[str, str]], model: str
) -> tuple[WriteReport, dict[str, Any]]:
    """Replace ``slices`` of ``company_links`` with the labelled links of the same slices of
    ``hyperlinks``; the write report and the relation counts."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    hyperlinks = read_slices(spark, HYPERLINKS, params.warehouse, slices, reader=params.writer)
    links = candidate_links(spark, hyperlinks, seed_rows).withColumn("link_id", F.expr(LINK_ID_SQL))
    columns = [
        c for c in COMPANY_LINKS.columns if c not in ("relation", "confidence", "model_version")
    ]
    extra_inputs = [c for c in INPUT_FIELDS if c not in columns]  # what models read
    labelled = links.select(*columns, *extra_inputs).mapInArrow(
        label_batches(model),
        from_arrow_schema(_labelled_schema(extra_inputs)),
    )
    report = write_slices(
        spark,
        COMPANY_LINKS,
        params.warehouse,
        slices,
        labelled.select(*COMPANY_LINKS.columns),
        writer=params.writer,
        staging_root=params.staging_root,
    )
    written = read_slices(spark, COMPANY_LINKS, params.warehouse, slices, reader=params.writer)
    counts = written.groupBy("model_version", "relation").count().collect()
    extra = {
        "model": model,
        "model_versions": ", ".join(sorted({r["model_version"] for r in counts})),
        "relations": {r["relation"]: r["count"] for r in counts},
    }
    return report, extra


def _labelled_schema(extra_inputs: list[str]):
    import pyarrow as pa

    fields = [
        f for f in COMPANY_LINKS.schema if f.name not in ("relation", "confidence", "model_version")
    ]
    fields += [pa.field(name, pa.string()) for name in extra_inputs]
    fields += [COMPANY_LINKS.schema.field(n) for n in ("relation", "confidence", "model_version")]
    return pa.schema(fields)


def main() -> None:
    with open_pipes() as pipes:
        run(pipes, JobParams.from_extras(pipes.extras))


if __name__ == "__main__":
    main()
