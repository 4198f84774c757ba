"""Cost estimate of a remote run from the configured price table, reported as metadata.

Answers "what did this partition cost on which runtime" in the Dagster UI. It is an
estimate: wall-clock hours from the service's own timestamps times the requested capacity,
priced with ``PriceTable`` (EC2 on-demand/spot, EMR surcharge, Databricks DBUs, EMR
Serverless vCPU/GB-hours). A run of several partitions reports the run's cost on each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import fmean
from typing import Any

from pipelines.runtimes.specs import (
    DatabricksSpec,
    EmrServerlessSpec,
    EmrSpec,
    InstancePrice,
    PriceTable,
)


@dataclass(frozen=True)
class NodeGroup:
    """Nodes of one role priced alike (a fleet is priced at the mean of its types)."""

    role: str
    instance_types: tuple[str, ...]
    count: int
    spot: bool


@dataclass(frozen=True)
class CostEstimate:
    runtime: str
    instance_types: tuple[str, ...]
    instance_hours: float
    spot_share: float
    usd: float
    wall_hours: float
    basis: str

    def metadata(self) -> dict[str, Any]:
        return {
            "cost_runtime": self.runtime,
            "cost_instance_types": ", ".join(self.instance_types),
            "cost_instance_hours": round(self.instance_hours, 4),
            "cost_spot_share": round(self.spot_share, 3),
            "cost_estimated_usd": round(self.usd, 4),
            "cost_wall_hours": round(self.wall_hours, 4),
            "cost_basis": self.basis,
        }


def hours_between(started: datetime | None, ended: datetime | None) -> float:
    if started is None or ended is None:
        return 0.0
    return max((ended - started).total_seconds(), 0.0) / 3600


def _price(prices: PriceTable, instance_type: str) -> InstancePrice:
    if instance_type not in prices.instances:
        known = ", ".join(sorted(prices.instances))
        raise ValueError(f"no price for instance type {instance_type!r} (price table has {known})")
    return prices.instances[instance_type]


def _mean(prices: PriceTable, types: tuple[str, ...], field: str) -> float:
    return fmean(getattr(_price(prices, t), field) for t in types)


def emr_node_groups(spec: EmrSpec) -> list[NodeGroup]:
    core_types = tuple(spec.core_instance_types[: 1 if not spec.fleet_mode else None])
    task_types = tuple(spec.task_instance_types[: 1 if not spec.fleet_mode else None])
    groups = [
        NodeGroup("master", (spec.master_instance_type,), 1, spot=False),
        NodeGroup("core", core_types, spec.core_instance_count, spot=False),
    ]
    if spec.task_spot_count:
        groups.append(NodeGroup("task", task_types, spec.task_spot_count, spot=True))
    return groups


def _estimate_nodes(
    runtime: str, groups: list[NodeGroup], hours: float, prices: PriceTable, surcharge
) -> CostEstimate:
    usd = 0.0
    for group in groups:
        ec2 = _mean(prices, group.instance_types, "spot" if group.spot else "on_demand")
        usd += group.count * hours * (ec2 + surcharge(group))
    nodes = sum(g.count for g in groups)
    spot_nodes = sum(g.count for g in groups if g.spot)
    types = tuple(dict.fromkeys(t for g in groups for t in g.instance_types))
    return CostEstimate(
        runtime=runtime,
        instance_types=types,
        instance_hours=nodes * hours,
        spot_share=spot_nodes / nodes if nodes else 0.0,
        usd=usd,
        wall_hours=hours,
        basis="",
    )


def estimate_emr(spec: EmrSpec, prices: PriceTable, hours: float) -> CostEstimate:
    """Cluster lifetime x requested nodes x (EC2 on-demand or spot + EMR surcharge)."""
    estimate = _estimate_nodes(
        "emr",
        emr_node_groups(spec),
        hours,
        prices,
        lambda group: _mean(prices, group.instance_types, "emr"),
    )
    basis = "cluster lifetime x requested nodes x (EC2 + EMR surcharge); fleets at mean price"
    return CostEstimate(**{**estimate.__dict__, "basis": basis})


def estimate_databricks(spec: DatabricksSpec, prices: PriceTable, hours: float) -> CostEstimate:
    """Run duration x (driver + max workers) x (EC2 + DBUs x USD/DBU): an upper bound."""
    driver_type = spec.driver_node_type_id or spec.node_type_id
    on_demand_workers = max(spec.first_on_demand - 1, 0)
    spot = spec.availability.startswith("SPOT")
    workers = spec.max_workers
    groups = [NodeGroup("driver", (driver_type,), 1, spot=False)]
    if on_demand_workers:
        groups.append(NodeGroup("workers", (spec.node_type_id,), on_demand_workers, spot=False))
    if workers - on_demand_workers > 0:
        groups.append(
            NodeGroup("workers", (spec.node_type_id,), workers - on_demand_workers, spot=spot)
        )
    estimate = _estimate_nodes(
        "databricks",
        groups,
        hours,
        prices,
        lambda group: (
            _mean(prices, group.instance_types, "dbu_per_hour") * prices.databricks_usd_per_dbu
        ),
    )
    basis = "run duration x (driver + max workers) x (EC2 + DBU x USD/DBU); upper bound"
    return CostEstimate(**{**estimate.__dict__, "basis": basis})


def estimate_cpu(
    runtime: str, cpu_seconds: float, usd_per_cpu_hour: float, prices: PriceTable, basis: str
) -> dict[str, Any]:
    """Cost metadata of work measured in CPU-seconds (local, standalone): its price here,
    and what the same CPU-hours cost on EMR spot and on Databricks spot nodes of the price
    table's reference type (EC2 spot + EMR surcharge / + DBUs), so a user sees the price of
    a backfill before going remote."""
    cpu_hours = cpu_seconds / 3600
    node = _price(prices, prices.reference_instance_type)
    node_hours = cpu_hours / max(node.vcpus, 1)
    return {
        "cost_runtime": runtime,
        "cost_cpu_seconds": round(cpu_seconds, 2),
        "cost_estimated_usd": round(cpu_hours * usd_per_cpu_hour, 6),
        "cost_emr_spot_usd": round(node_hours * (node.spot + node.emr), 6),
        "cost_databricks_usd": round(
            node_hours * (node.spot + node.dbu_per_hour * prices.databricks_usd_per_dbu), 6
        ),
        "cost_reference_instance_type": prices.reference_instance_type,
        "cost_basis": basis,
    }


def estimate_emr_serverless(
    spec: EmrServerlessSpec, prices: PriceTable, utilization: dict[str, float], hours: float
) -> CostEstimate:
    """Billed vCPU-hours, GB-hours and storage GB-hours reported by EMR Serverless."""
    vcpu_hours = float(utilization.get("vCPUHour", 0.0))
    usd = (
        vcpu_hours * prices.emr_serverless_usd_per_vcpu_hour
        + float(utilization.get("memoryGBHour", 0.0)) * prices.emr_serverless_usd_per_gb_hour
        + float(utilization.get("storageGBHour", 0.0))
        * prices.emr_serverless_usd_per_storage_gb_hour
    )
    worker = f"serverless {spec.executor_cores} vCPU / {spec.executor_memory_gb} GB workers"
    return CostEstimate(
        runtime="emr-serverless",
        instance_types=(worker,),
        # EMR Serverless bills vCPU-hours; "instance-hours" = executor-equivalents x hours.
        instance_hours=vcpu_hours / max(spec.executor_cores, 1),
        spot_share=0.0,
        usd=usd,
        wall_hours=hours,
        basis="billed vCPU-hours, memory GB-hours and storage GB-hours reported by the service",
    )
