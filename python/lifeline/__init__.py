"""lifeline from Python: power flows, water network runs and whole cities under strikes, results as pandas DataFrames.

>>> import lifeline
>>> net = lifeline.power.runpp("data/matpower/case14.m")
>>> net.res_bus.loc[14, "vm_pu"]

>>> city = lifeline.City("data/demo-city/city.toml")
>>> city.simulate("data/demo-city/scenarios/2024-03-22.toml").districts

The engines are lifeline's own (Rust): a Newton-Raphson AC and a DC power flow exact
against MATPOWER, and EPANET 2.3 for water. Errors are :class:`LifelineError`, carrying
``file``, ``line``, ``column`` and ``field`` where known.
"""

from ._lifeline import LifelineError
from . import power, water
from .city import City, Forecast, LifelineWarning, Restoration, Schedule, Simulation, Sweep

__all__ = [
    "City",
    "Forecast",
    "LifelineError",
    "LifelineWarning",
    "NotConverged",
    "Restoration",
    "Schedule",
    "Simulation",
    "Sweep",
    "power",
    "water",
]

NotConverged = power.NotConverged
