"""Seeded synthetic inventories for benchmarks and experiments: a layered
topology (buildings, infrastructure, hardware, software/data, people) with
shared platforms (network core, virtualisation clusters, directory) of heavy
fan-in, heavy-tailed dependencies, any-of and k-of-n redundancy, backups of
every kind, recovery procedures, staff, network segments and a ransomware
scenario. The generator is the C++ one (``continuity/synthetic/inventory.hpp``):
the same options and seed give the same inventory in C++ and Python."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from .model import Model

__all__ = ["generate_inventory", "generate_graph", "dependency_edges"]


def generate_inventory(systems: int = 1000, functions: int = 100, *, seed: int = 1,
                       **options: Any) -> Model:
    """A synthetic model of ``systems`` systems and ``functions`` business
    functions. Further options (see ``synthetic_inventory_options`` in the
    C++ header): ``mean_dependencies``, ``any_of_share``, ``k_of_n_share``,
    ``platforms_per_kind``, ``cluster_hosts``, ``segments``,
    ``backup_share``, ``offline_backup_share``, ``immutable_backup_share``,
    ``procedure_share``, ``it_staff``, ``vendor_engineers``, ``clerks``,
    ``spare_servers``, ``ransomware_frequency``, ``dwell_time``,
    ``spread_within_segment``, ``cost_lines``, ``cycles``. Raises
    :class:`continuity.errors.ValueError_` naming a bad or unknown option."""
    return Model(_core.generate_inventory(dict(options, systems=systems, functions=functions,
                                               seed=seed)))


def generate_graph(systems: int = 1000, functions: int = 100, *, seed: int = 1,
                   **options: Any) -> dict[str, Any]:
    """The dependency structure alone of :func:`generate_inventory` with the
    same arguments (no names, much faster at 10^6 systems): compressed sparse
    row arrays over the nodes (systems, then functions) — each node's
    requirements ``node_requirement_offsets``, each requirement's number of
    candidates ``needed`` and its candidates ``requirement_member_offsets`` /
    ``requirement_members`` — plus each system's ``layer`` and
    ``shared_platform`` flag."""
    return _core.generate_inventory_graph(dict(options, systems=systems, functions=functions,
                                               seed=seed))


def dependency_edges(graph: dict[str, Any]) -> tuple[npt.NDArray[np.int64],
                                                     npt.NDArray[np.int64]]:
    """The edges (node, candidate it needs) of a :func:`generate_graph`
    result, as two arrays; nodes ≥ ``system_count`` are functions."""
    node_req = np.asarray(graph["node_requirement_offsets"], dtype=np.int64)
    member_off = np.asarray(graph["requirement_member_offsets"], dtype=np.int64)
    members = np.asarray(graph["requirement_members"], dtype=np.int64)
    requirements = len(member_off) - 1
    owner_of_requirement = np.repeat(np.arange(len(node_req) - 1, dtype=np.int64),
                                     np.diff(node_req))
    owner = np.repeat(owner_of_requirement[:requirements], np.diff(member_off))
    return owner, members
