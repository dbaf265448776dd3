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

class City:
    """A city loaded once; each method returns ``{document, tables}`` (JSON text and CSV
    texts) or, for ``sweep``, ``{document, rows}`` (columns)."""

    def __init__(self, path: str) -> None: ...
    @staticmethod
    def demo() -> "City": ...
    @property
    def file(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def demo_scenario(self) -> Optional[str]: ...
    @property
    def warnings(self) -> List[str]: ...
    def districts(self) -> Dict[str, List[Any]]: ...
    def simulate(self, text: str, file: str) -> Dict[str, Any]: ...
    def restore(
        self,
        text: str,
        file: str,
        crews: Optional[int] = None,
        planner: str = "best",
        time_limit_s: float = 1.5,
    ) -> Dict[str, Any]: ...
    def forecast(
        self,
        text: str,
        file: str,
        samples: int = 200,
        seed: int = 1,
        at_s: Optional[int] = None,
        threads: Optional[int] = None,
        plan: str = "none",
        crews: Optional[int] = None,
    ) -> Dict[str, Any]: ...
    def schedule(
        self,
        capacity: Optional[Tuple[str, str]] = None,
        scenario: Optional[Tuple[str, str]] = None,
        groups: Optional[Tuple[str, str]] = None,
        group_loads: Optional[Tuple[str, str]] = None,
        stages: Optional[Tuple[str, str]] = None,
        hours: float = 24.0,
        max_off: float = 4.0,
        min_on: float = 2.0,
        slot_minutes: int = 60,
        start: Optional[str] = None,
        tz: Optional[str] = None,
        exact_seconds: float = 10.0,
        exempt: List[str] = ...,
    ) -> Dict[str, Any]: ...
    def sweep(
        self,
        scenarios: str = "n-1",
        targets: str = "substations,lines,plants,pump-stations",
        strikes: int = 2,
        samples: int = 1000,
        seed: int = 1,
        hours: float = 24.0,
        at_h: float = 0.0,
        repair_h: Optional[float] = None,
        shard: Optional[str] = None,
        what_if: List[str] = ...,
        threads: Optional[int] = None,
        out: Optional[str] = None,
    ) -> Dict[str, Any]: ...
