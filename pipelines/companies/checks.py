"""Asset checks on ``companies``, read straight from Delta (delta-rs + DuckDB).

Each check is a plain function over a warehouse root (``*_problems``) returning what is
wrong, testable on hand-made tables; the ``@asset_check`` wrappers turn the answer into an
``AssetCheckResult``. Ids are re-validated with the parser's own check-digit functions, so
a row with a malformed id can only come from a writer bug or a hand-edited table.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dagster import AssetCheckResult, AssetCheckSeverity, asset_check

from extraction.imprint import (
    valid_at_vat,
    valid_ch_uid,
    valid_de_vat,
    valid_fr_vat,
    valid_gb_vat,
    valid_luhn,
    valid_nl_vat,
)
from pipelines.crawl.checks import Problems, duplicate_key_problems, zorder_problems
from pipelines.crawl.resources import CrawlConfig
from pipelines.warehouse import open_table
from spark_jobs.tables import COMPANIES


def valid_vat_id(vat: str) -> bool:
    """A VAT id in the table's normal form with a valid check digit."""
    if m := re.fullmatch(r"DE(\d{9})", vat):
        return valid_de_vat(m.group(1))
    if m := re.fullmatch(r"ATU(\d{8})", vat):
        return valid_at_vat(m.group(1))
    if m := re.fullmatch(r"CHE(\d{9})(MWST|TVA|IVA)", vat):
        return valid_ch_uid(m.group(1))
    if m := re.fullmatch(r"GB(\d{9}|\d{12})", vat):
        return valid_gb_vat(m.group(1))
    if m := re.fullmatch(r"FR([0-9A-HJ-NP-Z]{2})(\d{9})", vat):
        return valid_fr_vat(m.group(1), m.group(2))
    if re.fullmatch(r"NL\d{9}B\d{2}", vat):
        return valid_nl_vat(vat)
    return False


def valid_register_number(number: str) -> bool:
    """A register number in one of the normal forms the parser writes."""
    if re.fullmatch(r"(HRA|HRB|GnR|PR|VR) \d{1,6}( [A-Z]{1,2})?", number):
        return True
    if re.fullmatch(r"FN \d{1,6}[a-z]", number):
        return True
    if m := re.fullmatch(r"CHE-(\d{3})\.(\d{3})\.(\d{3})", number):
        return valid_ch_uid("".join(m.groups()))
    if re.fullmatch(r"(?:[A-Z]{2}\d{6}|\d{8})", number):  # Companies House, KvK
        return True
    return bool(re.fullmatch(r"\d{9}", number)) and valid_luhn(number)  # SIREN


def _rows(warehouse: str, columns: list[str]) -> list[dict]:
    table = open_table(warehouse, COMPANIES)
    if table is None:
        return []
    return table.to_pyarrow_dataset().to_table(columns=columns).to_pylist()


def id_format_problems(warehouse: str, limit: int = 20) -> Problems:
    """Rows whose VAT id or register number is malformed or fails its check digit."""
    problems = []
    for row in _rows(warehouse, ["crawl", "registered_domain", "vat_id", "register_number"]):
        if row["vat_id"] and not valid_vat_id(row["vat_id"]):
            problems.append({**row, "problem": "invalid VAT id"})
        if row["register_number"] and not valid_register_number(row["register_number"]):
            problems.append({**row, "problem": "invalid register number"})
    return problems[:limit]


def conflict_problems(warehouse: str, limit: int = 50) -> Problems:
    """Domains whose imprint pages disagree on register number or VAT id (reported, for a
    human to resolve: the table keeps the most complete page's identity)."""
    rows = _rows(warehouse, ["crawl", "registered_domain", "legal_name", "conflicts"])
    return [r for r in rows if r["conflicts"]][:limit]


def seed_name_problems(warehouse: str, seeds: str, limit: int = 50) -> Problems:
    """Seed companies whose CSV name differs from the legal name their imprint states
    (compared case- and space-insensitively)."""
    from extraction.companies import SeedCompanies

    if not seeds:
        return []
    seed_list = SeedCompanies.from_csv(seeds)  # by domain: pages.company_id may be absent
    problems = []
    for row in _rows(warehouse, ["crawl", "registered_domain", "legal_name"]):
        company = seed_list.company_for_domain(row["registered_domain"])
        if company and row["legal_name"] and _folded(company.name) != _folded(row["legal_name"]):
            problems.append({**row, "company_id": company.company_id, "csv_name": company.name})
    return problems[:limit]


def _folded(name: str) -> str:
    return " ".join(name.casefold().split())


def _check(
    name: str,
    what: str,
    find: Callable[[CrawlConfig], Problems],
    doc: str,
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
):
    @asset_check(asset=COMPANIES.name, name=name, description=doc, blocking=False)
    def check(context, crawl_config: CrawlConfig) -> AssetCheckResult:
        problems = find(crawl_config)
        return AssetCheckResult(
            passed=not problems,
            severity=severity,
            description=f"{len(problems)} {what}" if problems else f"no {what}",
            metadata={"problems": problems[:20]},
        )

    return check


companies_checks = [
    _check(
        "ids_valid",
        "invalid ids",
        lambda cfg: id_format_problems(cfg.warehouse),
        "Every VAT id and register number has a valid format and check digit.",
    ),
    _check(
        "one_identity_per_domain",
        "duplicate identities",
        lambda cfg: duplicate_key_problems(cfg.warehouse, COMPANIES),
        "One identity per registered domain and crawl.",
    ),
    _check(
        "imprints_agree",
        "domains with conflicting imprints",
        lambda cfg: conflict_problems(cfg.warehouse),
        "A domain's imprint pages state the same register number and VAT id.",
        AssetCheckSeverity.WARN,
    ),
    _check(
        "seed_names_match_imprints",
        "seed names that differ from their imprint",
        lambda cfg: seed_name_problems(cfg.warehouse, cfg.seeds),
        "Seed companies' CSV names agree with the legal names their imprints state.",
        AssetCheckSeverity.WARN,
    ),
    _check(
        "zorder_ran",
        "unoptimized writes",
        lambda cfg: zorder_problems(cfg.warehouse, COMPANIES),
        "The newest write of companies was Z-ordered by registered_domain.",
    ),
]
