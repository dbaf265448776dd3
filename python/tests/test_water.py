"""Water runs from Python against EPANET 2.3's reference results and the CLI's CSV.

References: data/epanet/<net>.{heads,flows}.csv.gz, EPANET 2.3.05 toolkit values at every
report time in SI, 7 significant digits (see data/epanet/README.md). Tolerances as the
Rust tests: 1e-3 m and 1e-3 L/s, plus half a unit in the reference's 7th digit.
"""

import subprocess

import numpy as np
import pandas as pd
import pytest

import lifeline
from conftest import DATA, read_exact


def reference(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / "epanet" / name, dtype={"node": str, "link": str})


def within(ours: pd.DataFrame, ref: pd.DataFrame, key: str, column: str, value: str, tolerance: float):
    wide = ref.pivot(index="time_s", columns=key, values=value)
    ours = ours.loc[wide.index, wide.columns]
    allowed = tolerance + 5e-7 * wide.abs()
    worst = ((ours - wide).abs() - allowed).to_numpy().max()
    assert worst <= 0, f"{column}: off by {(ours - wide).abs().to_numpy().max():.3e}"


@pytest.mark.parametrize("net", ["Net1", "Net3"])
def test_a_run_matches_epanet(net):
    results = lifeline.water.run(DATA / "epanet" / f"{net}.inp")
    heads = reference(f"{net}.heads.csv.gz")
    within(results.node["head"], heads, "node", "head", "head_m", 1e-3)
    within(results.node["pressure"], heads, "node", "pressure", "pressure_m", 1e-3)
    within(results.node["demand"], heads, "node", "demand", "demand_lps", 1e-3)
    flows = reference(f"{net}.flows.csv.gz")
    within(results.link["flowrate"], flows, "link", "flowrate", "flow_lps", 1e-3)
    assert set(results.node_kinds) <= {"junction", "tank", "reservoir"}


def test_frames_are_the_users_to_change():
    results = lifeline.water.run(DATA / "epanet" / "Net1.inp")
    results.node["pressure"].iloc[0, 0] = -1.0
    assert results.node["pressure"].iloc[0, 0] == -1.0
    net = lifeline.power.runpp(DATA / "matpower" / "case14.m")
    net.res_bus.loc[1, "vm_pu"] = 2.0
    assert net.res_bus.loc[1, "vm_pu"] == 2.0


def test_a_pressure_driven_run_matches_epanet():
    results = lifeline.water.run(DATA / "epanet" / "Net3.inp", pda=(0, 40))
    heads = reference("Net3.pda.heads.csv.gz")
    within(results.node["pressure"], heads, "node", "pressure", "pressure_m", 1e-3)
    within(results.node["demand"], heads, "node", "demand", "demand_lps", 1e-3)


def test_frames_match_the_cli_csv_to_the_last_digit(tmp_path, lifeline_bin):
    inp = DATA / "epanet" / "Net1.inp"
    subprocess.run(
        [lifeline_bin, "water", "run", str(inp), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    results = lifeline.water.run(inp)
    heads = read_exact(tmp_path / "heads.csv", dtype={"node": str})
    for column, value in [("head", "head_m"), ("pressure", "pressure_m"), ("demand", "demand_lps")]:
        wide = heads.pivot(index="time_s", columns="node", values=value)
        ours = results.node[column].loc[wide.index, wide.columns]
        assert np.array_equal(ours.to_numpy(), wide.to_numpy()), column
    flows = read_exact(tmp_path / "flows.csv", dtype={"link": str})
    wide = flows.pivot(index="time_s", columns="link", values="flow_lps")
    ours = results.link["flowrate"].loc[wide.index, wide.columns]
    assert np.array_equal(ours.to_numpy(), wide.to_numpy())


def test_bad_input_is_refused_with_its_place(tmp_path):
    with pytest.raises(lifeline.LifelineError):
        lifeline.water.run(DATA / "epanet" / "no-such-network.inp")
    with pytest.raises(lifeline.LifelineError, match="required pressure"):
        lifeline.water.run(DATA / "epanet" / "Net1.inp", pda=(20, 10))
    with pytest.raises(lifeline.LifelineError, match="finite"):
        lifeline.water.run(DATA / "epanet" / "Net1.inp", pda=(0, float("nan")))
    bad = tmp_path / "bad.inp"
    text = (DATA / "epanet" / "Net1.inp").read_text().replace("710         \t0", "NaN         \t0", 1)
    bad.write_text(text)
    with pytest.raises(lifeline.LifelineError) as caught:
        lifeline.water.run(bad)
    assert "bad.inp" in str(caught.value)


def test_outage_scenarios_match_the_cli_to_the_last_digit(lifeline_bin):
    import json

    inp = DATA / "epanet" / "Net3.inp"
    cli = subprocess.run(
        [lifeline_bin, "water", "outage", str(inp), "--pump", "10", "--at", "04:00", "--hours", "6", "--pda", "0,20", "--json"],
        check=True,
        capture_output=True,
    )
    document = json.loads(cli.stdout)
    frame = lifeline.water.outages(
        inp,
        {"baseline": [], "pump 10 out": [("10", 4 * 3600, 6 * 3600)]},
        pda=(0, 20),
    )
    for key, row in [("baseline", "baseline"), ("outage", "pump 10 out")]:
        service = document[key]["service"]
        for column in ["junctions", "required_m3", "delivered_m3", "unserved_m3", "availability",
                       "junction_hours_below_threshold", "worst_hours_below_threshold"]:
            assert frame.loc[row, column] == service[column], (row, column)
    assert frame.loc["pump 10 out", "unserved_m3"] >= frame.loc["baseline", "unserved_m3"]


def test_a_pump_out_in_a_single_run_stops_its_flow():
    inp = DATA / "epanet" / "Net3.inp"
    normal = lifeline.water.run(inp)
    out = lifeline.water.run(inp, outages=[("10", 4 * 3600, 6 * 3600)])
    during = out.link["flowrate"].loc[5 * 3600:9 * 3600, "10"]
    assert (during == 0).all()
    assert normal.link["flowrate"].loc[5 * 3600:9 * 3600, "10"].abs().sum() > 0
    with pytest.raises(lifeline.LifelineError, match="NO-SUCH"):
        lifeline.water.run(inp, outages=[("NO-SUCH", 0, None)])
    with pytest.raises(lifeline.LifelineError, match="duration_s"):
        lifeline.water.run(inp, outages=[("10", 0, -5)])
