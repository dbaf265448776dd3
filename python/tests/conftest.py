"""Shared paths: the repository's data, and the CLI binary the frames are compared with.

`LIFELINE_BIN` names the `lifeline` binary (the Rust test that runs this suite sets it).
Without it the comparisons with the CLI skip, with a reason; under CI (`CI=true`) nothing
may skip, so they fail instead.
"""

import os
import pathlib

import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def require(condition: bool, reason: str) -> None:
    """Skips the test with `reason` unless `condition`; under CI, fails instead."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: nothing may skip)")
    pytest.skip(reason)


@pytest.fixture
def lifeline_bin() -> str:
    binary = os.environ.get("LIFELINE_BIN", "")
    require(bool(binary) and os.path.exists(binary), "LIFELINE_BIN does not name the lifeline binary")
    return binary


def read_exact(path, **options) -> pd.DataFrame:
    """A CSV read with every number exactly as written (pandas 3 does so by default;
    earlier versions need the round-trip parser)."""
    if int(pd.__version__.split(".")[0]) < 3:
        options["float_precision"] = "round_trip"
    return pd.read_csv(path, **options)
