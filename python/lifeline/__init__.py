"""lifeline from Python: power flows and water network runs, results as pandas DataFrames.

>>> import lifeline
>>> net = lifeline.power.runpp("data/matpower/case14.m")
>>> net.res_bus.loc[14, "vm_pu"]

The engines are lifeline's own (Rust): a Newton-Raphson AC and a DC power flow exact
against MATPOWER, and EPANET 2.3 for water. Errors are :class:`LifelineError`, carrying
``file``, ``line``, ``column`` and ``field`` where known.
"""

from ._lifeline import LifelineError
from . import power, water

__all__ = ["LifelineError", "NotConverged", "power", "water"]

NotConverged = power.NotConverged
