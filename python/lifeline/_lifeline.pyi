from typing import Any, Dict, List, Optional, Tuple

class LifelineError(ValueError):
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    field: Optional[str]

def power_flow(
    case: str,
    is_text: bool = False,
    dc: bool = False,
    init: str = "flat",
    max_iterations: int = 10,
    tolerance_pu: float = 1e-8,
    enforce_q_limits: bool = False,
    outages: Optional[List[str]] = None,
) -> Dict[str, Any]: ...
def n1(
    case: str,
    is_text: bool = False,
    branches: bool = True,
    generators: bool = True,
    voltage_band_pu: Tuple[float, float] = (0.9, 1.1),
    max_iterations: int = 10,
    tolerance_pu: float = 1e-8,
) -> Dict[str, Any]: ...
def water_run(
    path: str,
    pda: Optional[Tuple[float, float, float]] = None,
    outages: Optional[List[Tuple[str, float, Optional[float]]]] = None,
) -> Dict[str, Any]: ...
def water_outages(
    path: str,
    scenarios: List[Tuple[str, List[Tuple[str, float, Optional[float]]]]],
    pda: Optional[Tuple[float, float, float]] = None,
    threshold_m: float = 10.0,
) -> Dict[str, Any]: ...
