"""Extended-period runs of EPANET networks, in WNTR's shapes.

``results.node["head"]``, ``["pressure"]``, ``["demand"]`` and ``results.link["flowrate"]``
are DataFrames of report times (seconds, the index) by node or link name, as WNTR gives
them. Units are lifeline's: m for head and pressure, **L/s** for demand and flow (WNTR
gives m³/s: multiply by 0.001).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple, Union

import pandas as pd

from . import _lifeline

__all__ = ["run", "WaterResults"]


@dataclass
class WaterResults:
    """One run: ``node`` and ``link`` dicts of time × name DataFrames, and the kinds of
    nodes (junction, tank, reservoir) and links (pipe, pump, valve)."""

    node: Dict[str, pd.DataFrame]
    link: Dict[str, pd.DataFrame]
    node_kinds: pd.Series
    link_kinds: pd.Series
    warnings: List[str] = field(default_factory=list)


def run(
    inp: Union[str, os.PathLike],
    pda: Optional[Tuple[float, float, float]] = None,
) -> WaterResults:
    """Runs the network in the .inp file at ``inp`` to its end with EPANET 2.3.

    Demand-driven as the file says, or pressure-driven with
    ``pda=(min_pressure_m, required_pressure_m, exponent)`` (WNTR's and EPANET's
    Wagner relation; the exponent may be left out for 0.5). Raises
    :class:`lifeline.LifelineError` for a file it cannot use.
    """
    if pda is not None:
        pda = tuple(float(v) for v in pda)
        if len(pda) == 2:
            pda = (pda[0], pda[1], 0.5)
        if len(pda) != 3:
            raise _lifeline.LifelineError(
                f"pda must be (min_pressure_m, required_pressure_m[, exponent]), got {pda}"
            )
    raw = _lifeline.water_run(os.fspath(inp), pda=pda)
    times = pd.Index(raw["times_s"], name="time_s")
    nodes = pd.Index(raw["nodes"], name="node")
    links = pd.Index(raw["links"], name="link")

    def frame(rows, columns):
        return pd.DataFrame(rows, index=times, columns=columns)

    return WaterResults(
        node={
            "head": frame(raw["head_m"], nodes),
            "pressure": frame(raw["pressure_m"], nodes),
            "demand": frame(raw["demand_lps"], nodes),
        },
        link={"flowrate": frame(raw["flow_lps"], links)},
        node_kinds=pd.Series(raw["node_kinds"], index=nodes),
        link_kinds=pd.Series(raw["link_kinds"], index=links),
        warnings=list(raw["warnings"]),
    )
