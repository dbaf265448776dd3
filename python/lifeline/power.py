"""Power flows of MATPOWER cases, in pandapower's shapes.

Units: p.u., degrees, MW, MVAr. ``res_bus.p_mw`` and ``q_mvar`` are each bus's net
demand (load minus generation), as in pandapower; lifeline's CLI writes the opposite
sign (net injection) in ``bus.csv``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _lifeline
from ._lifeline import LifelineError

__all__ = ["runpp", "n1", "PowerFlowResult", "NotConverged"]


class NotConverged(LifelineError):
    """The AC power flow did not converge: ``iterations`` and ``max_mismatch_pu`` say how
    far it got; ``result`` holds the last iterate."""

    def __init__(self, message: str, result: "PowerFlowResult"):
        super().__init__(message)
        self.iterations = result.iterations
        self.max_mismatch_pu = result.max_mismatch_pu
        self.result = result
        self.file = None
        self.line = None
        self.column = None
        self.field = None


@dataclass
class PowerFlowResult:
    """One power flow: ``res_bus`` indexed by bus number; ``res_branch`` (every branch),
    ``res_line`` (lines) and ``res_trafo`` (transformers: a ratio or a phase shift given)
    indexed by the branch's 1-based row in ``mpc.branch``. ``res_trafo`` names MATPOWER's
    from side (the tap side) ``hv`` and the to side ``lv``."""

    case: str
    mode: str
    status: str
    iterations: int
    max_mismatch_pu: float
    res_bus: pd.DataFrame
    res_branch: pd.DataFrame
    res_line: Optional[pd.DataFrame] = None
    res_trafo: Optional[pd.DataFrame] = None
    warnings: List[str] = field(default_factory=list)
    q_limited_buses: List[int] = field(default_factory=list)
    #: Milliseconds spent reading the case and solving it (the GIL released for both).
    read_ms: float = 0.0
    solve_ms: float = 0.0
    #: Under outages: each bus's load, shed and served (MW) and whether it is energised;
    #: the load shed and the load left dark in all (MW); how many islands the grid is in.
    res_load: Optional[pd.DataFrame] = None
    shed_mw: float = 0.0
    dark_load_mw: float = 0.0
    islands: int = 1

    @property
    def converged(self) -> bool:
        return self.status == "converged"


def _floats(column) -> np.ndarray:
    """A float column as the native module gives it (little-endian f64 bytes), as a
    writable array."""
    return np.frombuffer(column, dtype="<f8").copy()


def _ints(column) -> np.ndarray:
    """An integer column as the native module gives it (little-endian i64 bytes)."""
    return np.frombuffer(column, dtype="<i8").copy()


def _is_case_text(case: str) -> bool:
    return "\n" in case and "mpc" in case


def runpp(
    case: Union[str, os.PathLike],
    dc: bool = False,
    init: str = "flat",
    max_iteration: int = 10,
    tolerance_pu: float = 1e-8,
    enforce_q_lims: bool = False,
    outages: Optional[Iterable[str]] = None,
) -> PowerFlowResult:
    """Runs a power flow of a MATPOWER case (a path, or the case file's text).

    AC by Newton-Raphson from a flat start (``init="case"`` starts from the case's
    voltages), MATPOWER's and pandapower's defaults: tolerance 1e-8 p.u. on the largest
    mismatch, 10 iterations; ``enforce_q_lims`` switches PV buses past their reactive
    limits to PQ. ``dc=True`` runs the DC power flow. ``outages`` takes grid assets out
    (``"bus:12"`` a destroyed substation with everything on it, ``"branch:7"``,
    ``"gen:3"``, rows 1-based): each island is then solved with its own slack, load shed
    where generation falls short, islands without generation dark (``res_load``,
    ``shed_mw``, ``dark_load_mw``, ``islands``). Raises :class:`NotConverged` when
    the AC power flow does not converge, :class:`LifelineError` for a case it cannot use.
    """
    text = os.fspath(case)
    is_text = _is_case_text(text)
    raw = _lifeline.power_flow(
        text,
        is_text=is_text,
        dc=dc,
        init=init,
        max_iterations=max_iteration,
        tolerance_pu=tolerance_pu,
        enforce_q_limits=enforce_q_lims,
        outages=None if outages is None else [str(o) for o in outages],
    )
    bus = raw["bus"]
    branch = raw["branch"]
    index = pd.Index(_ints(bus["bus_id"]), name="bus")
    branch_index = pd.Index(_ints(branch["index"]), name="branch")
    from_bus, to_bus = _ints(branch["from_bus"]), _ints(branch["to_bus"])
    in_service = _ints(branch["status"]) == 1
    if raw["mode"] == "ac":
        res_bus = pd.DataFrame(
            {
                "vm_pu": _floats(bus["vm_pu"]),
                "va_degree": _floats(bus["va_deg"]),
                "p_mw": -_floats(bus["p_mw"]),
                "q_mvar": -_floats(bus["q_mvar"]),
                "type": _ints(bus["type"]),
            },
            index=index,
        )
        frame = pd.DataFrame(
            {
                "from_bus": from_bus,
                "to_bus": to_bus,
                "in_service": in_service,
                "p_from_mw": _floats(branch["p_from_mw"]),
                "q_from_mvar": _floats(branch["q_from_mvar"]),
                "p_to_mw": _floats(branch["p_to_mw"]),
                "q_to_mvar": _floats(branch["q_to_mvar"]),
            },
            index=branch_index,
        )
        frame["pl_mw"] = frame["p_from_mw"] + frame["p_to_mw"]
        frame["ql_mvar"] = frame["q_from_mvar"] + frame["q_to_mvar"]
    else:
        res_bus = pd.DataFrame({"va_degree": _floats(bus["va_deg"])}, index=index)
        frame = pd.DataFrame(
            {
                "from_bus": from_bus,
                "to_bus": to_bus,
                "in_service": in_service,
                "p_from_mw": _floats(branch["p_mw"]),
                "p_to_mw": -_floats(branch["p_mw"]),
            },
            index=branch_index,
        )
    result = PowerFlowResult(
        case=raw["case"],
        mode=raw["mode"],
        status=raw["status"],
        iterations=raw["iterations"],
        max_mismatch_pu=raw["max_mismatch_pu"],
        res_bus=res_bus,
        res_branch=frame,
        warnings=list(raw["warnings"]),
        q_limited_buses=list(raw.get("q_limited_buses", [])),
        read_ms=raw["timing_ms"][0],
        solve_ms=raw["timing_ms"][1],
    )
    transformer = np.asarray(raw["transformer"], dtype=bool)
    result.res_line = frame.loc[~transformer]
    result.res_trafo = frame.loc[transformer].rename(
        columns={
            "from_bus": "hv_bus",
            "to_bus": "lv_bus",
            "p_from_mw": "p_hv_mw",
            "q_from_mvar": "q_hv_mvar",
            "p_to_mw": "p_lv_mw",
            "q_to_mvar": "q_lv_mvar",
        }
    )
    if "load" in raw:
        load = raw["load"]
        result.res_load = pd.DataFrame(
            {k: load[k] for k in ["load_mw", "shed_mw", "served_mw", "energised"]},
            index=pd.Index(load["bus_id"], name="bus"),
        )
        result.shed_mw = raw["shed_mw"]
        result.dark_load_mw = raw["dark_load_mw"]
        result.islands = raw["islands"]
    if not result.converged:
        raise NotConverged(
            f"the AC power flow of {result.case} did not converge "
            f"({result.status.replace('_', ' ')} after {result.iterations} iterations, "
            f"largest mismatch {result.max_mismatch_pu:.3e} p.u.); try init='case' or "
            f"a larger max_iteration",
            result,
        )
    return result


def n1(
    case: Union[str, os.PathLike],
    branches: bool = True,
    generators: bool = True,
    voltage_band_pu: Tuple[float, float] = (0.9, 1.1),
    max_iteration: int = 10,
    tolerance_pu: float = 1e-8,
) -> pd.DataFrame:
    """The N-1 analysis of a MATPOWER case (a path, or its text) on every core.

    Each in-service branch, then each in-service generator, taken out in turn: islands
    each get a slack, generation is re-dispatched within limits and load shed where it
    falls short. One row per contingency with the CLI's columns (``element``, ``index``
    as the 1-based row in ``mpc.branch`` or ``mpc.gen``, ``converged``, ``error``,
    ``iterations``, ``islands``, ``shed_mw``, ``dark_load_mw``, ``max_loading_percent`` of
    RATE_A and its ``max_loading_branch``, ``voltage_violations`` outside
    ``voltage_band_pu``, ``min_vm_pu``, ``max_vm_pu``; NaN where a value does not exist).
    The intact grid's solve is in ``frame.attrs["base"]``.
    """
    text = os.fspath(case)
    raw = _lifeline.n1(
        text,
        is_text=_is_case_text(text),
        branches=branches,
        generators=generators,
        voltage_band_pu=tuple(voltage_band_pu),
        max_iterations=max_iteration,
        tolerance_pu=tolerance_pu,
    )
    frame = pd.DataFrame(raw["results"])
    for column in ["max_loading_percent", "min_vm_pu", "max_vm_pu"]:
        frame[column] = frame[column].astype(float)
    frame["max_loading_branch"] = frame["max_loading_branch"].astype("Int64")
    frame.attrs["case"] = raw["case"]
    frame.attrs["base"] = raw["base"]
    return frame
