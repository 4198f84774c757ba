"""The table registry: the one place that defines every Delta table of DESIGN.md.

Name, Arrow schema, partition columns and Z-order columns live here; the Spark jobs
(writers), the Dagster checks and the link-graph queries (readers) all import this module.
It imports only ``pyarrow`` so that ``pipelines`` may use it without pulling in PySpark.

Design note: DESIGN.md says every table is "partitioned by crawl" and that a partition write
replaces its (crawl, segment) slice. The segment-grained tables are therefore physically
partitioned by ``crawl`` *and* ``segment``: a write then replaces whole Delta partitions and
Z-ordering touches only the slice just written, instead of rewriting the whole crawl 100
times during a backfill. ``link_graph`` is built per crawl and partitioned by ``crawl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class TableSpec:
    """A Delta table: where it lives below the warehouse root and how it is laid out."""

    name: str
    schema: pa.Schema
    partition_by: tuple[str, ...]
    zorder_by: tuple[str, ...]
    key: tuple[str, ...]
    description: str
    #: Columns whose values are nearly all distinct: written without dictionary encoding.
    distinct_columns: tuple[str, ...] = ()
    #: Free text and ids: no file statistics. Their min/max never lets a reader skip a file
    #: (each file spans nearly their whole range) and long strings cost the most to collect;
    #: Delta's docs advise leaving such columns out of ``delta.dataSkippingStatsColumns``.
    unindexed_columns: tuple[str, ...] = ()

    def path(self, warehouse: str) -> str:
        """The table's location below a warehouse root (local folder or ``s3://`` URI)."""
        return f"{warehouse.rstrip('/')}/{self.name}"

    @property
    def columns(self) -> list[str]:
        return self.schema.names

    @property
    def stats_columns(self) -> list[str]:
        """Columns with min/max/null-count statistics per file (partition columns have none)."""
        skipped = set(self.partition_by) | set(self.unindexed_columns)
        return [
            field.name
            for field in self.schema
            if field.name not in skipped and _skippable(field.type)
        ]

    @property
    def properties(self) -> dict[str, str]:
        """Delta table properties both writers set when they create the table."""
        if not self.unindexed_columns:
            return {}
        return {"delta.dataSkippingStatsColumns": ",".join(self.stats_columns)}

    def slice_predicate(self, **values: str | list[str]) -> str:
        """SQL predicate selecting a slice, e.g. ``crawl = 'X' AND segment IN ('00','01')``.

        Shared by the delta-rs and delta-spark writers (replace-where) and by readers.
        Only partition columns are accepted, so a replace never rewrites more than its slice.
        """
        parts = []
        for column, value in values.items():
            if column not in self.partition_by:
                raise ValueError(f"{column!r} is not a partition column of {self.name}")
            items = value if isinstance(value, list | tuple) else [value]
            if not items:
                raise ValueError(f"empty value list for {column!r}")
            quoted = ", ".join(_sql_string(v) for v in items)
            parts.append(f"{column} IN ({quoted})" if len(items) > 1 else f"{column} = {quoted}")
        return " AND ".join(parts)


def _skippable(type_: pa.DataType) -> bool:
    """Types Delta keeps min/max for: delta-spark refuses a ``dataSkippingStatsColumns``
    naming a boolean, binary or nested column."""
    return not (
        pa.types.is_boolean(type_) or pa.types.is_binary(type_) or pa.types.is_nested(type_)
    )


def _sql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


_SLICE = [pa.field("crawl", pa.string(), nullable=False), pa.field("segment", pa.string(), False)]

PAGES = TableSpec(
    name="pages",
    schema=pa.schema(
        [
            pa.field("url", pa.string(), nullable=False),
            pa.field("host", pa.string()),
            pa.field("registered_domain", pa.string()),
            pa.field("company_id", pa.string()),
            pa.field("fetch_time", TIMESTAMP),
            pa.field("status", pa.int32()),
            pa.field("content_type", pa.string()),
            pa.field("charset", pa.string()),
            pa.field("lang", pa.string()),
            pa.field("title", pa.string()),
            pa.field("text_length", pa.int32()),
            pa.field("internal_links", pa.int32()),
            pa.field("external_links", pa.int32()),
            pa.field("truncated", pa.bool_()),
            pa.field("warc_filename", pa.string()),
            pa.field("warc_record_offset", pa.int64()),
            pa.field("warc_record_length", pa.int64()),
            *_SLICE,
        ]
    ),
    partition_by=("crawl", "segment"),
    zorder_by=("registered_domain",),
    key=("crawl", "segment", "url"),
    description="One fetched HTML page of a crawl segment.",
    distinct_columns=("url", "warc_record_offset"),
    unindexed_columns=("title",),
)

HYPERLINKS = TableSpec(
    name="hyperlinks",
    schema=pa.schema(
        [
            pa.field("src_url", pa.string(), nullable=False),
            pa.field("src_host", pa.string()),
            pa.field("src_domain", pa.string()),
            pa.field("dst_url", pa.string(), nullable=False),
            pa.field("dst_host", pa.string()),
            pa.field("dst_domain", pa.string()),
            pa.field("anchor_text", pa.string()),
            pa.field("context", pa.string()),
            pa.field("section_heading", pa.string()),
            pa.field("page_path", pa.string()),
            pa.field("region", pa.string()),
            pa.field("rel", pa.string()),
            pa.field("position", pa.int32()),
            pa.field("lang", pa.string()),
            pa.field("fetch_time", TIMESTAMP),
            pa.field("warc_filename", pa.string()),
            *_SLICE,
        ]
    ),
    partition_by=("crawl", "segment"),
    zorder_by=("src_domain", "dst_domain"),
    key=("crawl", "segment", "src_url", "position"),
    description="One outgoing link that leaves its page's registered domain, with its context.",
    # context: ~53 % distinct on diverse pages; hashing it into a dictionary cost the commit
    # 15 % of its CPU (1.71 -> 1.45 s for 626 k rows) and zstd's window finds the repeats
    # anyway (files 51.1 -> 50.1 MB).
    distinct_columns=("dst_url", "context"),
    unindexed_columns=("dst_url", "anchor_text", "context", "section_heading"),
)

#: ``company_links.link_id`` of a ``hyperlinks`` row in Spark SQL: the id extraction gives the
#: link (``extraction.extract.link_id``): the first 16 hex digits of the source URL's SHA-256,
#: the position in hex (at least 5 digits) and the target URL's CRC-32 (8 hex digits).
#: ``hyperlinks`` does not store it, since (src_url, position) is its key within a slice: the
#: 30-odd incompressible bytes of a hex id per link were ~40 % of the table's files and cost
#: the extract task several tenths of a second per WARC file of 2.5 M links (~7.5 s), while
#: ``company_links`` holds a few % of the links and derives it once. A test checks this
#: expression against extraction's ids.
LINK_ID_SQL = (
    "concat(substr(sha2(src_url, 256), 1, 16), "
    "lpad(lower(hex(position)), greatest(5, length(hex(position))), '0'), "
    "lpad(lower(hex(crc32(cast(dst_url AS binary)))), 8, '0'))"
)

COMPANY_LINKS = TableSpec(
    name="company_links",
    schema=pa.schema(
        [
            pa.field("link_id", pa.string(), nullable=False),
            pa.field("src_url", pa.string(), nullable=False),
            pa.field("src_domain", pa.string(), nullable=False),
            pa.field("src_company_id", pa.string(), nullable=False),
            pa.field("dst_url", pa.string(), nullable=False),
            pa.field("dst_domain", pa.string(), nullable=False),
            pa.field("dst_company_id", pa.string()),
            pa.field("anchor_text", pa.string()),
            pa.field("context", pa.string()),
            pa.field("section_heading", pa.string()),
            pa.field("page_path", pa.string()),
            pa.field("region", pa.string()),
            pa.field("relation", pa.string(), nullable=False),
            pa.field("confidence", pa.float32()),
            pa.field("model_version", pa.string(), nullable=False),
            pa.field("fetch_time", TIMESTAMP),
            *_SLICE,
        ]
    ),
    partition_by=("crawl", "segment"),
    zorder_by=("src_domain", "dst_domain"),
    key=("crawl", "segment", "link_id"),
    description=(
        "A cross-domain link whose source is a seed company site, with its relation label."
    ),
    distinct_columns=("link_id", "dst_url"),
    unindexed_columns=("link_id", "dst_url", "anchor_text", "context", "section_heading"),
)

LINK_GRAPH = TableSpec(
    name="link_graph",
    schema=pa.schema(
        [
            pa.field("src_company_id", pa.string(), nullable=False),
            pa.field("src_domain", pa.string(), nullable=False),
            pa.field("src_name", pa.string()),
            pa.field("dst_company_id", pa.string()),
            pa.field("dst_domain", pa.string(), nullable=False),
            pa.field("dst_name", pa.string()),
            pa.field("relation", pa.string(), nullable=False),
            pa.field("links", pa.int64(), nullable=False),
            pa.field("pages", pa.int64(), nullable=False),
            pa.field("crawls", pa.int32(), nullable=False),
            pa.field("mean_confidence", pa.float64()),
            pa.field("first_crawl", pa.string()),
            pa.field("last_crawl", pa.string()),
            pa.field("crawl", pa.string(), nullable=False),
        ]
    ),
    partition_by=("crawl",),
    zorder_by=("src_domain", "dst_domain"),
    key=("crawl", "src_domain", "dst_domain", "relation"),
    description=(
        "Company graph as of a crawl: one edge per (source company, target company or "
        "registered domain, relation), with evidence aggregated over all crawls up to it."
    ),
)

COMPANIES = TableSpec(
    name="companies",
    schema=pa.schema(
        [
            pa.field("registered_domain", pa.string(), nullable=False),
            pa.field("company_id", pa.string()),
            pa.field("legal_name", pa.string()),
            pa.field("legal_form", pa.string()),
            pa.field("register_number", pa.string()),
            pa.field("register_court", pa.string()),
            pa.field("vat_id", pa.string()),
            pa.field("directors", pa.string()),
            pa.field("address", pa.string()),
            pa.field("country", pa.string()),
            pa.field("confidence", pa.float32()),
            #: JSON: field -> {"value", "evidence" (the text span), "confidence"}.
            pa.field("evidence", pa.string()),
            #: Ids of further legal entities the imprint names (general partner, parent).
            pa.field("other_ids", pa.string()),
            #: Register numbers / VAT ids on the domain's other imprint pages that disagree.
            pa.field("conflicts", pa.string()),
            pa.field("imprint_pages", pa.int32()),
            pa.field("source_url", pa.string()),
            pa.field("fetch_time", TIMESTAMP),
            pa.field("crawl", pa.string(), nullable=False),
        ]
    ),
    partition_by=("crawl",),
    zorder_by=("registered_domain",),
    key=("crawl", "registered_domain"),
    description=(
        "One company identity per registered domain and crawl, read from the site's imprint "
        "/ legal-notice page: legal name and form, register court and number, VAT id."
    ),
    unindexed_columns=("evidence", "address", "directors"),
)

TABLES: dict[str, TableSpec] = {
    t.name: t for t in (PAGES, HYPERLINKS, COMPANY_LINKS, LINK_GRAPH, COMPANIES)
}


def table(name: str) -> TableSpec:
    """Look a table up by name, with a clear error for typos."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {sorted(TABLES)}") from None


def slices_predicate(spec: TableSpec, slices: dict[str, list[str] | None]) -> str:
    """Predicate for several crawls at once: ``(crawl = 'A' AND segment IN (...)) OR ...``.

    ``slices`` maps a crawl to its segments (``None`` for tables partitioned by crawl only).
    """
    if not slices:
        raise ValueError("no slices to select")
    terms = []
    for crawl, segments in sorted(slices.items()):
        if segments is None or "segment" not in spec.partition_by:
            terms.append(spec.slice_predicate(crawl=crawl))
        else:
            terms.append(spec.slice_predicate(crawl=crawl, segment=list(segments)))
    return terms[0] if len(terms) == 1 else " OR ".join(f"({t})" for t in terms)


def in_slices(
    spec: TableSpec, slices: dict[str, list[str] | None], partition_values: dict[str, Any]
) -> bool:
    """Whether a file's partition values lie inside ``slices`` (what :func:`slices_predicate`
    selects, for files the writer adds or removes)."""
    crawl = partition_values.get("crawl")
    if crawl not in slices:
        return False
    segments = slices[crawl]
    if segments is None or "segment" not in spec.partition_by:
        return True
    return partition_values.get("segment") in segments
