"""What the link-graph queries return, and the exception for an unknown domain."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol


class UnknownDomain(LookupError):
    """The domain is neither a seed company's domain nor a node of the link graph."""

    def __init__(self, domain: str, where: str = "") -> None:
        self.domain = domain
        super().__init__(f"unknown domain {domain!r}" + (f" ({where})" if where else ""))


class Seeds(Protocol):
    """What the queries need of ``extraction.companies.SeedCompanies``."""

    def company_for_domain(self, registered_domain: str) -> Any: ...


@dataclass(frozen=True)
class Node:
    """A graph node: a company's primary domain, or a plain registered domain."""

    domain: str
    company_id: str | None = None
    name: str | None = None
    domains: tuple[str, ...] = ()


@dataclass
class ChainHit:
    """A company reached by :meth:`LinkGraph.chain`, with the hops that reach it."""

    domain: str
    company_id: str | None
    name: str | None
    depth: int
    path: list[str]
    hops: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PathResult:
    """A shortest path between two nodes; each hop is an edge as stated, with evidence."""

    src: str
    dst: str
    length: int
    nodes: list[str]
    hops: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CompanyProfile:
    """Everything the graph knows about one company as of a crawl."""

    domain: str
    company_id: str | None
    names: list[str]
    domains: list[str]
    crawl: str
    relations: dict[str, dict[str, int]]
    edges: list[dict[str, Any]]
    evidence: list[dict[str, Any]]
    evidence_total: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ScanStats:
    """Files read by the last public query (summed over its statements)."""

    queries: int = 0
    files_scanned: int = 0  # kept by partition pruning and min/max statistics
    files_read: int = 0  # of those, read in full (they hold a matching row)
    files_total: int = 0
