"""Extended-period runs of EPANET networks, in WNTR's shapes.

``results.node["head"]``, ``["pressure"]``, ``["demand"]`` and ``results.link["flowrate"]``
are DataFrames of report times (seconds, the index) by node or link name, as WNTR gives
them. Units are lifeline's: m for head and pressure, **L/s** for demand and flow (WNTR
gives m³/s: multiply by 0.001).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _lifeline

__all__ = ["run", "outages", "WaterResults"]

#: One outage: ``(link, start_s, duration_s)``; a duration of None lasts to the end.
Outage = Tuple[str, float, Optional[float]]


@dataclass
class WaterResults:
    """One run: ``node`` and ``link`` dicts of time × name DataFrames, and the kinds of
    nodes (junction, tank, reservoir) and links (pipe, pump, valve)."""

    node: Dict[str, pd.DataFrame]
    link: Dict[str, pd.DataFrame]
    node_kinds: pd.Series
    link_kinds: pd.Series
    warnings: List[str] = field(default_factory=list)


def _pda(pda):
    if pda is None:
        return None
    pda = tuple(float(v) for v in pda)
    if len(pda) == 2:
        pda = (pda[0], pda[1], 0.5)
    if len(pda) != 3:
        raise _lifeline.LifelineError(
            f"pda must be (min_pressure_m, required_pressure_m[, exponent]), got {pda}"
        )
    return pda


def _outages(outages: Optional[Iterable[Sequence]]):
    specs = []
    for outage in outages or []:
        if len(outage) == 2:
            link, start = outage
            duration = None
        else:
            link, start, duration = outage
        specs.append((str(link), float(start), None if duration is None else float(duration)))
    return specs


def run(
    inp: Union[str, os.PathLike],
    pda: Optional[Tuple[float, float, float]] = None,
    outages: Optional[Iterable[Outage]] = None,
) -> WaterResults:
    """Runs the network in the .inp file at ``inp`` to its end with EPANET 2.3.

    Demand-driven as the file says, or pressure-driven with
    ``pda=(min_pressure_m, required_pressure_m, exponent)`` (WNTR's and EPANET's
    Wagner relation; the exponent may be left out for 0.5). ``outages`` closes links
    (pumps without power, isolated mains) at ``start_s`` for ``duration_s`` (None: to
    the end), held closed against the network's own controls, then back to normal.
    Raises :class:`lifeline.LifelineError` for a file, link or value it cannot use.
    """
    raw = _lifeline.water_run(os.fspath(inp), pda=_pda(pda), outages=_outages(outages))
    times = pd.Index(raw["times_s"], name="time_s")
    nodes = pd.Index(raw["nodes"], name="node")
    links = pd.Index(raw["links"], name="link")

    def frame(matrix, columns):
        # Little-endian f64 bytes, one report time after another.
        values = np.frombuffer(matrix, dtype="<f8").reshape(len(times), len(columns)).copy()
        return pd.DataFrame(values, index=times, columns=columns)

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


def outages(
    inp: Union[str, os.PathLike],
    scenarios: Union[Mapping[str, Iterable[Outage]], Iterable[Tuple[str, Iterable[Outage]]]],
    pda: Optional[Tuple[float, float, float]] = None,
    threshold_m: float = 10.0,
) -> pd.DataFrame:
    """Many outage scenarios of one network, in parallel on every core.

    ``scenarios`` maps a name to its outages (as in :func:`run`). One row per scenario,
    indexed by name: ``junctions``, ``required_m3``, ``delivered_m3``, ``unserved_m3``,
    ``availability`` (delivered over required volume), ``junction_hours_below_threshold``
    and ``worst_hours_below_threshold`` (hours a junction's pressure stays under
    ``threshold_m``), as the CLI's ``water outage`` reports them.
    """
    items = list(scenarios.items()) if isinstance(scenarios, Mapping) else list(scenarios)
    raw = _lifeline.water_outages(
        os.fspath(inp),
        [(str(name), _outages(outs)) for name, outs in items],
        pda=_pda(pda),
        threshold_m=float(threshold_m),
    )
    return pd.DataFrame(raw).set_index("name")
