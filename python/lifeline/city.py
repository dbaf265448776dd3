"""A city's power and water under strikes: the cascade, repair plans, rolling outage
schedules and vulnerability sweeps, as pandas DataFrames.

>>> city = lifeline.City("data/demo-city/city.toml")
>>> run = city.simulate("data/demo-city/scenarios/2024-03-22.toml")
>>> run.over_time("customers_without_power")      # hours × districts

Every method runs lifeline's own engines through the same application layer as the
``lifeline`` command, with its defaults; each frame is the CSV file the command writes
with ``--out``, to the last digit, and ``document`` its ``--json`` document. Units:
hours (``_h``), MW, L/s, m³; counts of people and customers are those beyond the city's
normal day (the same hours without strikes).

Scenarios are a path to a ``scenario.toml``, its TOML text, a dict with the file's keys
(``{"name": ..., "strike": [{"at": "04:05", "asset": "bus:8", "repair_h": 40}]}``) or a
list of strikes (dicts with ``at``, ``asset``, ``damage``, ``repair_h``). Errors in a dict
name their key: ``LifelineError.field == "strike[2].repair_h"``.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import re
import warnings as _warnings
from dataclasses import dataclass
from io import StringIO
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _lifeline
from ._lifeline import LifelineError

__all__ = ["City", "Simulation", "Restoration", "Forecast", "Schedule", "Sweep", "LifelineWarning"]

#: A scenario: a path, TOML text, a dict with the file's keys or a list of strikes.
ScenarioLike = Union[str, "os.PathLike[str]", Mapping[str, Any], Sequence[Mapping[str, Any]]]
#: A CSV input: a path, or the CSV text itself.
CsvLike = Union[str, "os.PathLike[str]"]


class LifelineWarning(UserWarning):
    """Something in a city that loads but is likely a gap (``lifeline city check``)."""


#: The text columns of each table (ids stay text: a tank "1" or a group "1.10").
TEXT_COLUMNS = {
    "districts": ["district"],
    "assets": ["asset", "name", "state"],
    "tanks": ["tank"],
    "jobs": ["crew", "asset", "name"],
    "curves": ["plan"],
    "states": ["group"],
    "slots": ["start", "off"],
    "forecast_districts": ["district"],
    "by_hour": ["district"],
    "fan": [],
}


def _frame(text: str, table: str) -> pd.DataFrame:
    """A CSV table from the native module, every number exactly as written, its ids and
    names as text (an empty text stays empty)."""
    options = {"dtype": {column: str for column in TEXT_COLUMNS[table]}, "keep_default_na": False}
    if int(pd.__version__.split(".")[0]) < 3:
        options["float_precision"] = "round_trip"
    return pd.read_csv(StringIO(text), **options)


class _Frames:
    """What every result shares: its frames by name, and them as Arrow tables."""

    _tables: Tuple[str, ...] = ()

    def frames(self) -> Dict[str, pd.DataFrame]:
        """Every frame of the result by name."""
        return {name: getattr(self, name) for name in self._tables}

    def to_arrow(self) -> Dict[str, Any]:
        """Every frame as a ``pyarrow.Table`` (needs ``pip install pyarrow``)."""
        try:
            import pyarrow as pa
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError("to_arrow() needs pyarrow: pip install pyarrow") from error
        return {
            name: pa.Table.from_pandas(frame, preserve_index=False)
            for name, frame in self.frames().items()
        }


@dataclass
class Simulation(_Frames):
    """A cascade run. ``districts``: one row per reported time and district (customers
    without power, people without water, load, served and shed MW, water required and
    delivered L/s); ``assets``: each asset's state changes; ``tanks``: level (m) and
    volume (m³) per time; ``document``: ``lifeline simulate --json``."""

    document: Dict[str, Any]
    districts: pd.DataFrame
    assets: pd.DataFrame
    tanks: pd.DataFrame
    _tables = ("districts", "assets", "tanks")

    @property
    def summary(self) -> Dict[str, Any]:
        """City totals: customer-hours without power, person-hours without water,
        unserved MWh and m³, peaks."""
        return self.document["summary"]

    @property
    def district_totals(self) -> pd.DataFrame:
        """One row per district: its totals over the run and when power and water are
        back (h from the start; NaN while still out at the horizon)."""
        rows = [
            {key: value for key, value in d.items() if key not in ("timeline", "baseline")}
            for d in self.document["districts"]
        ]
        return pd.DataFrame(rows).set_index("name")

    def over_time(self, column: str = "customers_without_power") -> pd.DataFrame:
        """A ``districts`` column as hours × districts, like WNTR's time × name frames."""
        if column not in self.districts.columns or column in ("t_h", "district"):
            choices = ", ".join(c for c in self.districts.columns if c not in ("t_h", "district"))
            raise KeyError(f"{column!r} is not a district column; expected one of {choices}")
        table = self.districts.pivot(index="t_h", columns="district", values=column)
        order = list(dict.fromkeys(self.districts["district"]))
        return table[order]


@dataclass
class Restoration(_Frames):
    """A restoration study: ``jobs`` (each crew's repairs in order: depart, start, end,
    travel and repair h), ``curves`` (customers with power and people with water over
    time under the chosen plan and the best dispatch rule), ``planners`` (every planner's
    cost side by side), ``document``: ``lifeline restore --json``."""

    document: Dict[str, Any]
    jobs: pd.DataFrame
    curves: pd.DataFrame
    _tables = ("jobs", "curves", "planners")

    @property
    def planners(self) -> pd.DataFrame:
        return pd.DataFrame(self.document["planners"]).set_index("name")

    @property
    def chosen(self) -> str:
        """The planner whose plan is handed out."""
        return self.document["chosen"]


@dataclass
class Schedule(_Frames):
    """A rolling outage schedule: ``states`` (one row per group, its state ``on``,
    ``off`` or ``maybe`` per slot, as ``schedule.csv``), ``slots`` (deficit, shed and
    uncovered MW and the groups off, as ``slots.csv``), ``document``:
    ``lifeline schedule --json``."""

    document: Dict[str, Any]
    states: pd.DataFrame
    slots: pd.DataFrame
    _tables = ("states", "slots")


@dataclass
class Forecast(_Frames):
    """When power and water are back: ``districts`` (per district the 10th, 50th and
    90th percentiles of when power and water are back for good, h from the start; NaN:
    not within the horizon), ``by_hour`` (the chance, 0–1, of being back by each hour),
    ``fan`` (the city's customers without power and people without water per reported
    time: 10th, 50th, 90th percentiles), ``document``: ``lifeline forecast --json``."""

    document: Dict[str, Any]
    districts: pd.DataFrame
    by_hour: pd.DataFrame
    fan: pd.DataFrame
    _tables = ("districts", "by_hour", "fan")

    def back_by(self, what: str = "power") -> pd.DataFrame:
        """The chance of ``power`` (or ``water``) being back by each hour, hours ×
        districts."""
        if what not in ("power", "water"):
            raise KeyError(f"{what!r}: expected 'power' or 'water'")
        table = self.by_hour.pivot(index="t_h", columns="district", values=f"{what}_back")
        return table[list(dict.fromkeys(self.by_hour["district"]))]


@dataclass
class Sweep(_Frames):
    """A vulnerability sweep: ``rows``, one per scenario in the results file's columns
    (``assets`` a list; ``restored_h`` NaN when not restored within the horizon;
    ``customer_hours__<district>`` and ``person_hours__<district>``), ``document``:
    ``lifeline sweep --json``."""

    document: Dict[str, Any]
    rows: pd.DataFrame
    _tables = ("rows",)


class City:
    """A city lifeline can simulate: its ``city.toml`` and the files it names, loaded
    and checked once (every problem raised at once as a :class:`LifelineError`; warnings
    as :class:`LifelineWarning`)."""

    def __init__(self, path: Union[str, "os.PathLike[str]"]):
        self._native = _lifeline.City(os.fspath(path))
        self._warn()

    @classmethod
    def demo(cls) -> "City":
        """The built-in demo city; its seed scenario is ``demo_scenario``."""
        city = cls.__new__(cls)
        city._native = _lifeline.City.demo()
        city._warn()
        return city

    def _warn(self) -> None:
        for warning in self._native.warnings:
            _warnings.warn(warning, LifelineWarning, stacklevel=3)

    def __repr__(self) -> str:
        return f"lifeline.City({self.name!r}, file={self.file!r})"

    @property
    def name(self) -> str:
        return self._native.name

    @property
    def file(self) -> str:
        """The city file."""
        return self._native.file

    @property
    def demo_scenario(self) -> Optional[str]:
        """The demo city's seed scenario (a path); None for other cities."""
        return self._native.demo_scenario

    @property
    def warnings(self) -> List[str]:
        return list(self._native.warnings)

    @property
    def districts(self) -> pd.DataFrame:
        """The districts: population and electricity customers, by name."""
        return pd.DataFrame(self._native.districts()).set_index("district")

    def simulate(self, scenario: ScenarioLike) -> Simulation:
        """The cascade of ``scenario`` hour by hour (``lifeline simulate``)."""
        answer = _with_scenario(scenario, lambda text, file: self._native.simulate(text, file))
        tables = answer["tables"]
        return Simulation(
            document=json.loads(answer["document"]),
            districts=_frame(tables["districts"], "districts"),
            assets=_frame(tables["assets"], "assets"),
            tanks=_frame(tables["tanks"], "tanks"),
        )

    def restore(
        self,
        scenario: ScenarioLike,
        crews: Optional[int] = None,
        planner: str = "best",
        time_limit_s: float = 1.5,
    ) -> Restoration:
        """The repair plan for ``scenario``'s damage (``lifeline restore``): every
        planner (``planner``: ``best``, ``greedy`` or ``exact``) with the city's crews,
        or ``crews`` generic ones; each plan judged by the cascade. The search may take
        ``time_limit_s`` seconds."""
        answer = _with_scenario(
            scenario,
            lambda text, file: self._native.restore(
                text, file, _optional_whole(crews, "crews"), planner, time_limit_s
            ),
        )
        tables = answer["tables"]
        return Restoration(
            document=json.loads(answer["document"]),
            jobs=_frame(tables["jobs"], "jobs"),
            curves=_frame(tables["curves"], "curves"),
        )

    def forecast(
        self,
        scenario: ScenarioLike,
        samples: int = 200,
        seed: int = 1,
        at_h: Optional[float] = None,
        threads: Optional[int] = None,
        plan: str = "none",
        crews: Optional[int] = None,
    ) -> Forecast:
        """When power and water are back (``lifeline forecast``): ``samples`` draws of the
        scenario's repairs from the city's distributions (``[restoration]``) and the
        strikes' own, each through the cascade, on ``threads`` threads; from ``at_h``
        (hours from the start) when given, keeping the repairs done by then. ``plan``:
        ``"none"`` (each repair starts when its asset is hit), ``"chosen"`` (the plan
        ``restore`` hands out, its crews' order kept, their times drawn) or ``"rule"``
        (crews sent by the priority rule in every sample), with the city's crews or
        ``crews`` generic ones. The same seed gives the same forecast."""
        if at_h is not None and not (math.isfinite(float(at_h)) and 0 <= float(at_h) <= 8784):
            raise _error(f"must be a number of hours from the start (0 to 8784), got {at_h!r}", "at_h")
        at_s = None if at_h is None else int(round(float(at_h) * 3600))
        answer = _with_scenario(
            scenario,
            lambda text, file: self._native.forecast(
                text,
                file,
                _whole(samples, "samples"),
                _whole(seed, "seed"),
                at_s,
                _optional_whole(threads, "threads"),
                str(plan),
                _optional_whole(crews, "crews"),
            ),
        )
        tables = answer["tables"]
        return Forecast(
            document=json.loads(answer["document"]),
            districts=_frame(tables["districts"], "forecast_districts"),
            by_hour=_frame(tables["by_hour"], "by_hour"),
            fan=_frame(tables["fan"], "fan"),
        )

    def schedule(
        self,
        capacity: Union[CsvLike, Sequence[Tuple[float, float]], pd.DataFrame, None] = None,
        scenario: Optional[ScenarioLike] = None,
        groups: Optional[CsvLike] = None,
        group_loads: Optional[CsvLike] = None,
        stages: Optional[CsvLike] = None,
        hours: float = 24.0,
        max_off: float = 4.0,
        min_on: float = 2.0,
        slot_minutes: int = 60,
        start: Optional[str] = None,
        tz: Optional[str] = None,
        exact_seconds: float = 10.0,
        exempt: Sequence[str] = (),
    ) -> Schedule:
        """A rolling outage schedule (``lifeline schedule``) while generation is short.
        The generation available is ``capacity`` (a ``from_h,available_mw`` CSV path or
        text, ``(from_h, available_mw)`` pairs or a frame with those columns) or what the
        grid serves in the cascade of ``scenario``. ``groups``, ``group_loads`` and
        ``stages`` are CSV paths or texts as ``lifeline schedule`` takes them. Rules:
        ``max_off`` the longest continuous time off and ``min_on`` the shortest time back
        on (h, whole slots of ``slot_minutes``, 60 or 30); ``hours`` long from ``start``
        (local ``YYYY-MM-DDTHH:MM``; default the scenario's start, else the next
        midnight) in time zone ``tz`` (default the city's); the exact model may take
        ``exact_seconds`` (0: not tried); ``exempt`` groups are never switched off."""
        steps = None if capacity is None else _capacity(capacity)
        options = dict(
            groups=_csv(groups, "groups"),
            group_loads=_csv(group_loads, "group_loads"),
            stages=_csv(stages, "stages"),
            hours=float(hours),
            max_off=float(max_off),
            min_on=float(min_on),
            slot_minutes=_whole(slot_minutes, "slot_minutes"),
            start=start,
            tz=tz,
            exact_seconds=float(exact_seconds),
            exempt=list(exempt),
        )
        if scenario is None:
            answer = self._native.schedule(capacity=steps, **options)
        else:
            answer = _with_scenario(
                scenario,
                lambda text, file: self._native.schedule(
                    capacity=steps, scenario=(file, text), **options
                ),
            )
        tables = answer["tables"]
        return Schedule(
            document=json.loads(answer["document"]),
            states=_frame(tables["states"], "states"),
            slots=_frame(tables["slots"], "slots"),
        )

    def sweep(
        self,
        scenarios: str = "n-1",
        targets: Union[str, Sequence[str]] = "substations,lines,plants,pump-stations",
        strikes: int = 2,
        samples: int = 1000,
        seed: int = 1,
        hours: float = 24.0,
        at_h: float = 0.0,
        repair_h: Optional[float] = None,
        shard: Optional[str] = None,
        what_if: Sequence[str] = (),
        threads: Optional[int] = None,
        out: Union[str, "os.PathLike[str]", None] = None,
    ) -> Sweep:
        """A vulnerability sweep (``lifeline sweep``): every ``n-1`` or ``n-2``
        combination of the ``targets`` classes, or ``samples`` random draws of
        ``strikes`` assets, each through the cascade over ``hours``, on ``threads``
        threads (default: every core); the rows also written to ``out`` (Parquet) when
        given."""
        if not isinstance(targets, str):
            targets = ",".join(targets)
        answer = self._native.sweep(
            scenarios=scenarios,
            targets=targets,
            strikes=_whole(strikes, "strikes"),
            samples=_whole(samples, "samples"),
            seed=_whole(seed, "seed"),
            hours=float(hours),
            at_h=float(at_h),
            repair_h=None if repair_h is None else float(repair_h),
            shard=shard,
            what_if=list(what_if),
            threads=_optional_whole(threads, "threads"),
            out=None if out is None else os.fspath(out),
        )
        columns = answer["rows"]
        rows = {}
        for name, values in columns.items():
            if isinstance(values, bytes):
                dtype = "<f8" if name not in ("scenario", "strikes", "peak_customers", "peak_people") else "<i8"
                rows[name] = np.frombuffer(values, dtype=dtype).copy()
            else:
                rows[name] = values
        return Sweep(document=json.loads(answer["document"]), rows=pd.DataFrame(rows))


# --- scenarios from Python ------------------------------------------------------------

_DICT_FILE = "<scenario dict>"


def _with_scenario(scenario: ScenarioLike, call):
    """``call(text, file)`` with the scenario as TOML text; errors in a dict or list
    scenario are renamed to the key they are about."""
    text, file, keys = _scenario_text(scenario)
    try:
        return call(text, file)
    except LifelineError as error:
        if keys is not None:
            _name_keys(error, keys)
        raise


def _scenario_text(scenario: ScenarioLike) -> Tuple[str, str, Optional[Dict[int, str]]]:
    """(TOML text, the name errors give it, line → key for a dict or list)."""
    if isinstance(scenario, os.PathLike):
        return _read(scenario), os.fspath(scenario), None
    if isinstance(scenario, str):
        if "\n" in scenario or "=" in scenario:
            return scenario, "<scenario>", None
        return _read(scenario), scenario, None
    if isinstance(scenario, Mapping):
        text, keys = _toml(scenario)
        return text, _DICT_FILE, keys
    if isinstance(scenario, Sequence):
        text, keys = _toml({"name": "scenario from Python", "strike": list(scenario)})
        return text, _DICT_FILE, keys
    raise TypeError(
        "a scenario is a path, TOML text, a dict with the file's keys or a list of strikes, "
        f"not {type(scenario).__name__}"
    )


def _read(path) -> str:
    with open(path, encoding="utf-8-sig") as file:
        return file.read()


def _toml(scenario: Mapping[str, Any]) -> Tuple[str, Dict[int, str]]:
    """A scenario dict as TOML, and the key written on each line (1-based)."""
    lines: List[str] = []
    keys: Dict[int, str] = {}

    def put(key_path: str, line: str) -> None:
        lines.append(line)
        keys[len(lines)] = key_path

    tables = []
    for key, value in scenario.items():
        _check_key(key, key)
        if isinstance(value, Mapping):
            tables.append((key, [value], False))
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Mapping) for v in value):
            tables.append((key, list(value), True))
        else:
            put(key, f"{key} = {_value(value, key)}")
    for key, items, is_array in tables:
        for i, item in enumerate(items):
            where = f"{key}[{i}]" if is_array else key
            lines.append("")
            put(where, f"[[{key}]]" if is_array else f"[{key}]")
            for inner, value in item.items():
                _check_key(inner, f"{where}.{inner}")
                put(f"{where}.{inner}", f"{inner} = {_value(value, f'{where}.{inner}')}")
    return "\n".join(lines) + "\n", keys


def _check_key(key: Any, where: str) -> None:
    if not isinstance(key, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise TypeError(f"{where}: a scenario key is letters, digits, '_' or '-', not {key!r}")


def _value(value: Any, where: str) -> str:
    """One TOML value (strings, numbers, booleans, lists, and dicts as inline tables)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return "nan"
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        return repr(number)
    if isinstance(value, str):
        # JSON's escapes are TOML's; DEL is the one character TOML also wants escaped.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v, f"{where}[{i}]") for i, v in enumerate(value)) + "]"
    if isinstance(value, Mapping):
        # An inline table: `repair_h = { median = 10, p90 = 20 }`.
        items = []
        for key, inner in value.items():
            _check_key(key, f"{where}.{key}")
            items.append(f"{key} = {_value(inner, f'{where}.{key}')}")
        return "{ " + ", ".join(items) + " }"
    raise TypeError(f"{where}: a {type(value).__name__} cannot be written in a scenario")


_PLACE = re.compile(re.escape(_DICT_FILE) + r":(\d+):\d+: ")


def _name_keys(error: LifelineError, keys: Dict[int, str]) -> None:
    """Renames the generated text's lines in `error` to the keys written on them."""

    def rename(match: "re.Match[str]") -> str:
        key = keys.get(int(match.group(1)))
        return f"scenario {key}: " if key else "scenario: "

    message = _PLACE.sub(rename, str(error))
    error.args = (message,)
    if error.line is not None and error.line in keys:
        error.field = keys[error.line]
    error.file = None
    error.line = None
    error.column = None
    if getattr(error, "problems", None):
        error.problems = [_PLACE.sub(rename, p) for p in error.problems]


_LARGEST = 2**63 - 1


def _whole(value: Any, field: str) -> int:
    """``value`` as a whole number from 0 (what the engines take as a count, a seed or a
    size); anything else is refused at the keyword ``field``, before the native module
    would raise a bare ``OverflowError`` or ``TypeError``."""
    whole = isinstance(value, numbers.Integral) or (
        isinstance(value, numbers.Real) and math.isfinite(value) and float(value).is_integer()
    )
    if isinstance(value, bool) or not whole:
        raise _error(f"must be a whole number, got {value!r}", field)
    if not 0 <= int(value) <= _LARGEST:
        raise _error(f"must be a whole number from 0 to {_LARGEST}, got {value!r}", field)
    return int(value)


def _optional_whole(value: Any, field: str) -> Optional[int]:
    """:func:`_whole`, or None."""
    return None if value is None else _whole(value, field)


def _error(message: str, field: str) -> LifelineError:
    """A :class:`LifelineError` about the keyword ``field``."""
    error = LifelineError(f"{field}: {message}")
    error.file = None
    error.line = None
    error.column = None
    error.field = field
    return error


def _csv(value: Optional[CsvLike], what: str) -> Optional[Tuple[str, str]]:
    """(name, text) of a CSV path or text."""
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        return os.fspath(value), _read(value)
    if isinstance(value, str):
        if "\n" in value or "," in value:
            return f"<{what}>", value
        return value, _read(value)
    raise TypeError(f"{what}: a CSV path or text, not {type(value).__name__}")


def _capacity(capacity) -> Tuple[str, str]:
    """The generation available as a ``from_h,available_mw`` CSV (name, text)."""
    if isinstance(capacity, pd.DataFrame):
        missing = {"from_h", "available_mw"} - set(capacity.columns)
        if missing:
            raise _error(f"the frame lacks the column {', '.join(sorted(missing))}", "capacity")
        pairs = list(zip(capacity["from_h"], capacity["available_mw"]))
    elif isinstance(capacity, (str, os.PathLike)):
        return _csv(capacity, "capacity")
    else:
        pairs = list(capacity)
    lines = ["from_h,available_mw"]
    for i, pair in enumerate(pairs):
        try:
            from_h, available_mw = pair
        except (TypeError, ValueError):
            raise _error(f"row {i}: expected (from_h, available_mw), got {pair!r}", "capacity") from None
        lines.append(f"{_value(from_h, f'capacity[{i}]')},{_value(available_mw, f'capacity[{i}]')}")
    return "<capacity>", "\n".join(lines) + "\n"
