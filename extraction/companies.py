"""Company identity: seed companies by registered domain, and company names in text.

A company is known by the registered domains of its websites (several per company); the
seed CSV maps domains to companies. Names in free text are found by rules on legal forms
(GmbH, AG, Inc., S.A., ...) with a spaCy ``EntityRuler`` on a blank multilingual pipeline,
so no pretrained model is needed or downloaded.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from extraction.urls import host_of, registered_domain

CSV_COLUMNS = ("company_id", "name", "domains", "country")


@dataclass(frozen=True)
class Company:
    """A seed company; ``primary_domain`` is the first domain listed for it."""

    company_id: str
    name: str
    domains: tuple[str, ...]
    country: str = ""

    @property
    def primary_domain(self) -> str:
        return self.domains[0] if self.domains else ""


#: Columns a seed CSV must have; ``name`` and ``country`` may be absent or empty.
REQUIRED_COLUMNS = ("company_id", "domains")
#: The checks of :func:`seed_problems`, in the order they are reported.
SEED_CHECKS = (
    "utf8",
    "required_columns",
    "has_companies",
    "unique_company_ids",
    "unique_domains",
    "valid_domains",
)


def seed_problems(data: bytes, name: str) -> dict[str, list[str]]:
    """What is wrong with a seed CSV, per check of :data:`SEED_CHECKS` (empty list: passed).

    Each problem is one sentence naming the file (and the row, 1 = first data row). Checks
    that cannot run because the file is no UTF-8 text or lacks a column say so.
    """
    problems: dict[str, list[str]] = {check: [] for check in SEED_CHECKS}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems["utf8"].append(
            f"{name}: seed list is not UTF-8 (byte {data[exc.start : exc.start + 1]!r} at "
            f"offset {exc.start}); save it as UTF-8"
        )
        return _not_checked(problems, f"{name}: not checked, the file is not UTF-8")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        problems["required_columns"].append(
            f"{name}: seed list lacks column(s) {', '.join(missing)} "
            f"(header: {','.join(reader.fieldnames or []) or 'none'})"
        )
        return _not_checked(problems, f"{name}: not checked, required columns are missing")
    rows = list(reader)
    if not rows:
        problems["has_companies"].append(f"{name}: seed list has no company (header only)")
    owner_of_id: dict[str, int] = {}
    owner_of_domain: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        company_id = str(row.get("company_id") or "").strip()
        if not company_id:
            problems["valid_domains"].append(f"{name}: row {number} has no company_id")
            continue
        if company_id in owner_of_id:
            problems["unique_company_ids"].append(
                f"{name}: company_id {company_id!r} on rows {owner_of_id[company_id]} and {number}"
            )
        owner_of_id.setdefault(company_id, number)
        items = [i for i in re.split(r"[;,\s]+", row.get("domains") or "") if i.strip()]
        if not items:
            problems["valid_domains"].append(f"{name}: row {number} ({company_id}) has no domain")
        for item in items:
            domain = _domain_of(item)
            if domain is None:
                problems["valid_domains"].append(
                    f"{name}: row {number} ({company_id}): {item!r} is no registered domain"
                )
                continue
            other = owner_of_domain.setdefault(domain, company_id)
            if other != company_id:
                problems["unique_domains"].append(
                    f"{name}: domain {domain!r} listed for both {other!r} and {company_id!r}"
                )
    return problems


def _not_checked(problems: dict[str, list[str]], why: str) -> dict[str, list[str]]:
    """Mark the checks after the first failed one as not run (they fail: nothing is known)."""
    failed = next(i for i, check in enumerate(SEED_CHECKS) if problems[check])
    for check in SEED_CHECKS[failed + 1 :]:
        problems[check].append(why)
    return problems


def _domain_of(value: str) -> str | None:
    """A seed entry (domain, host or URL) -> its registered domain."""
    value = value.strip().lower()
    if not value:
        return None
    host = host_of(value) if "://" in value else host_of(f"http://{value}")
    return registered_domain(host) if host else None


class SeedCompanies:
    """The seed list: registered domain -> company, several domains per company."""

    def __init__(self, companies: Iterable[Company]) -> None:
        self._companies: list[Company] = []
        self._by_domain: dict[str, Company] = {}
        ids: set[str] = set()
        for company in companies:
            if company.company_id in ids:
                raise ValueError(f"company_id {company.company_id!r} listed twice")
            ids.add(company.company_id)
            self._companies.append(company)
            for domain in company.domains:
                other = self._by_domain.get(domain)
                if other is not None and other.company_id != company.company_id:
                    raise ValueError(
                        f"domain {domain!r} listed for both {other.company_id!r} "
                        f"and {company.company_id!r}"
                    )
                self._by_domain[domain] = company

    @classmethod
    def from_rows(cls, rows: Iterable[dict]) -> SeedCompanies:
        """Companies from dict rows (CSV rows or :meth:`to_rows` output)."""
        companies = []
        for number, row in enumerate(rows, start=1):
            company_id = str(row.get("company_id") or "").strip()
            if not company_id:
                raise ValueError(f"seed row {number}: empty company_id")
            raw = row.get("domains") or ""
            items = raw if isinstance(raw, list | tuple) else re.split(r"[;,\s]+", raw)
            domains: list[str] = []
            for item in items:
                domain = _domain_of(item)
                if item.strip() and domain is None:
                    raise ValueError(f"seed row {number} ({company_id}): bad domain {item!r}")
                if domain and domain not in domains:
                    domains.append(domain)
            if not domains:
                raise ValueError(f"seed row {number} ({company_id}): no domains")
            companies.append(
                Company(
                    company_id=company_id,
                    name=str(row.get("name") or "").strip(),
                    domains=tuple(domains),
                    country=str(row.get("country") or "").strip(),
                )
            )
        return cls(companies)

    @classmethod
    def from_csv(cls, path: str | os.PathLike) -> SeedCompanies:
        """Read ``company_id,name,domains,country`` (domains split by ``;`` or spaces)."""
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = {"company_id", "domains"} - set(reader.fieldnames or ())
            if missing:
                raise ValueError(f"{path}: seed CSV lacks column(s) {sorted(missing)}")
            try:
                return cls.from_rows(reader)
            except ValueError as exc:
                raise ValueError(f"{path}: {exc}") from None

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> SeedCompanies:
        """The list from a seed CSV's bytes; any problem of :func:`seed_problems` raises
        one ``ValueError`` naming the file and the first problem."""
        problems = [p for check in seed_problems(data, name).values() for p in check]
        if problems:
            more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
            raise ValueError(f"{problems[0]}{more}")
        return cls.from_rows(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))

    def to_rows(self) -> list[dict]:
        """Plain rows (picklable, JSON-able) for shipping the list to Spark executors."""
        return [
            {
                "company_id": c.company_id,
                "name": c.name,
                "domains": ";".join(c.domains),
                "country": c.country,
            }
            for c in self._companies
        ]

    def company_for_domain(self, domain: str | None) -> Company | None:
        """The company owning a registered domain, or None."""
        return self._by_domain.get(domain) if domain else None

    def __iter__(self) -> Iterator[Company]:
        return iter(self._companies)

    def __len__(self) -> int:
        return len(self._companies)


#: Legal forms, longest first (as written; tokenised with the pipeline's own tokenizer).
LEGAL_FORMS = (
    "GmbH & Co. KGaA",
    "GmbH & Co. KG",
    "AG & Co. KG",
    "SE & Co. KG",
    "UG (haftungsbeschränkt)",
    "gGmbH",
    "GmbH",
    "mbH",
    "AG",
    "SE",
    "KG",
    "KGaA",
    "OHG",
    "eG",
    "e.V.",
    "e. V.",
    "UG",
    "Inc.",
    "Inc",
    "Corp.",
    "Corporation",
    "Ltd.",
    "Ltd",
    "Limited",
    "LLC",
    "LLP",
    "PLC",
    "plc",
    "S.A.",
    "SA",
    "S.A.S.",
    "SAS",
    "S.p.A.",
    "SpA",
    "S.r.l.",
    "Srl",
    "B.V.",
    "BV",
    "N.V.",
    "NV",
    "AB",
    "A/S",
    "ApS",
    "Oy",
    "ASA",
    "Sp. z o.o.",
    "s.r.o.",
    "a.s.",
    "Pty Ltd",
    "Co., Ltd.",
    "K.K.",
)
_NOT_NAME = [
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "und",
    "oder",
    "mit",
    "von",
    "für",
    "bei",
    "the",
    "and",
    "or",
    "of",
    "for",
    "with",
    "by",
    "a",
    "an",
    "wir",
    "we",
    "our",
    "unsere",
    "unser",
    "ist",
    "is",
    "are",
    "sind",
    "also",
    "auch",
    "sowie",
    "including",
    "wie",
    "like",
    "partner",
    "partners",
    "kunde",
    "kunden",
    "client",
    "clients",
    "customer",
    "customers",
]
_NAME_TOKEN = {
    "TEXT": {"REGEX": r"^[A-ZÄÖÜ0-9][\w&.'\-]*$"},
    "LOWER": {"NOT_IN": _NOT_NAME},
}


@lru_cache(maxsize=1)
def _name_pipeline():
    """Blank ``xx`` pipeline with an EntityRuler over legal forms (built once)."""
    import spacy

    nlp = spacy.blank("xx")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    patterns = []
    seen = set()
    for form in LEGAL_FORMS:
        tokens = [t.text for t in nlp.make_doc(form)]
        variants = {tuple(tokens)}
        if tokens[-1].endswith(".") and len(tokens[-1]) > 1:
            variants.add((*tokens[:-1], tokens[-1][:-1], "."))
        for variant in variants:
            if variant in seen:
                continue
            seen.add(variant)
            form_tokens = [{"ORTH": t} for t in variant]
            for size in (1, 2, 3, 4):
                patterns.append({"label": "ORG", "pattern": [_NAME_TOKEN] * size + form_tokens})
    ruler.add_patterns(patterns)
    return nlp


def find_company_names(text: str) -> list[str]:
    """Company names with a legal form in ``text`` (``"Robert Bosch GmbH"``), in order."""
    if not text or not text.strip():
        return []
    doc = _name_pipeline()(text[:100_000])
    return [ent.text for ent in doc.ents]
