"""Power flows from Python against MATPOWER's reference solutions and the CLI's CSV.

References: data/matpower/<case>_{ac,dc}_{bus,branch}.csv, MATPOWER 8.0 `runpf` with
tolerance 1e-10, 10 significant digits (see data/matpower/README.md). Tolerances: the
references' own rounding, half a unit in their 10th digit, plus 1e-9.
"""

import subprocess

import pandas as pd
import pytest

import lifeline
from conftest import DATA, read_exact


def reference(name: str) -> pd.DataFrame:
    return read_exact(DATA / "matpower" / name)


def close(ours, theirs, what: str) -> None:
    ours = pd.Series(list(ours), dtype=float)
    theirs = pd.Series(list(theirs), dtype=float)
    allowed = 5e-10 * theirs.abs().clip(lower=1.0) + 1e-9
    worst = (ours - theirs).abs() - allowed
    assert (worst <= 0).all(), f"{what}: off by {(ours - theirs).abs().max():.3e}"


@pytest.mark.parametrize("case", ["case14", "case30"])
def test_ac_power_flow_matches_matpower(case):
    result = lifeline.power.runpp(DATA / "matpower" / f"{case}.m")
    assert result.converged and result.mode == "ac"
    bus = reference(f"{case}_ac_bus.csv").set_index("bus_id")
    res = result.res_bus.loc[bus.index]
    close(res["vm_pu"], bus["vm_pu"], "vm_pu")
    close(res["va_degree"], bus["va_deg"], "va_degree")
    # pandapower's sign: demand positive.
    close(-res["p_mw"], bus["p_mw"], "p_mw")
    close(-res["q_mvar"], bus["q_mvar"], "q_mvar")
    branch = reference(f"{case}_ac_branch.csv").set_index("index")
    res_branch = result.res_branch.loc[branch.index]
    for column in ["p_from_mw", "q_from_mvar", "p_to_mw", "q_to_mvar"]:
        close(res_branch[column], branch[column], column)
    assert (res_branch["pl_mw"] >= -1e-9).all()


def test_dc_power_flow_matches_matpower():
    result = lifeline.power.runpp(DATA / "matpower" / "case30.m", dc=True)
    bus = reference("case30_dc_bus.csv").set_index("bus_id")
    close(result.res_bus.loc[bus.index, "va_degree"], bus["va_deg"], "va_degree")
    branch = reference("case30_dc_branch.csv").set_index("index")
    close(result.res_branch.loc[branch.index, "p_from_mw"], branch["p_mw"], "p_mw")


def test_a_case_given_as_text_is_the_same_case():
    text = (DATA / "matpower" / "case14.m").read_text()
    from_text = lifeline.power.runpp(text)
    from_file = lifeline.power.runpp(DATA / "matpower" / "case14.m")
    pd.testing.assert_frame_equal(from_text.res_bus, from_file.res_bus)


def test_frames_match_the_cli_csv_to_the_last_digit(tmp_path, lifeline_bin):
    case = DATA / "matpower" / "case30.m"
    subprocess.run(
        [lifeline_bin, "power", "flow", str(case), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    result = lifeline.power.runpp(case)
    bus = read_exact(tmp_path / "bus.csv").set_index("bus_id")
    assert list(result.res_bus.index) == list(bus.index)
    assert list(result.res_bus["vm_pu"]) == list(bus["vm_pu"])
    assert list(result.res_bus["va_degree"]) == list(bus["va_deg"])
    assert list(-result.res_bus["p_mw"]) == list(bus["p_mw"])
    assert list(-result.res_bus["q_mvar"]) == list(bus["q_mvar"])
    assert list(result.res_bus["type"]) == list(bus["type"])
    branch = read_exact(tmp_path / "branch.csv").set_index("index")
    for column in ["p_from_mw", "q_from_mvar", "p_to_mw", "q_to_mvar"]:
        assert list(result.res_branch[column]) == list(branch[column]), column


def test_non_convergence_says_how_far_it_got():
    with pytest.raises(lifeline.NotConverged) as caught:
        lifeline.power.runpp(DATA / "matpower" / "case30.m", max_iteration=1)
    error = caught.value
    assert error.iterations == 1
    assert error.max_mismatch_pu > 1e-8
    assert "did not converge" in str(error)
    assert isinstance(error, lifeline.LifelineError)


def test_a_bad_case_is_named_by_file_line_and_field():
    text = (DATA / "matpower" / "case14.m").read_text()
    # The third bus row's voltage magnitude is not a number.
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.strip().startswith("3\t2") or line.split()[:2] == ["3", "2"])
    fields = lines[row].split()
    fields[7] = "NaN"
    lines[row] = "\t".join(fields)
    with pytest.raises(lifeline.LifelineError) as caught:
        lifeline.power.runpp("\n".join(lines) + "\n")
    error = caught.value
    assert error.file == "<text>"
    assert error.line == row + 1, str(error)
    assert error.field is not None and "VM" in error.field, str(error)


def test_bad_options_and_missing_files_are_refused():
    with pytest.raises(lifeline.LifelineError, match="cannot read"):
        lifeline.power.runpp(DATA / "matpower" / "no-such-case.m")
    with pytest.raises(lifeline.LifelineError, match="init must be"):
        lifeline.power.runpp(DATA / "matpower" / "case14.m", init="warm")
    with pytest.raises(lifeline.LifelineError, match="tolerance_pu"):
        lifeline.power.runpp(DATA / "matpower" / "case14.m", tolerance_pu=float("nan"))
    with pytest.raises(lifeline.LifelineError, match="max_iterations"):
        lifeline.power.runpp(DATA / "matpower" / "case14.m", max_iteration=0)


def test_n1_matches_the_cli_csv_to_the_last_digit(tmp_path, lifeline_bin):
    case = DATA / "matpower" / "case30.m"
    out = tmp_path / "n1.csv"
    subprocess.run(
        [lifeline_bin, "power", "contingency", str(case), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    frame = lifeline.power.n1(case)
    cli = read_exact(out)
    assert len(frame) == len(cli) == 41 + 6
    assert list(frame["element"]) == list(cli["element"])
    assert list(frame["index"]) == list(cli["index"])
    assert list(frame["converged"]) == list(cli["converged"])
    for column in ["iterations", "islands", "voltage_violations"]:
        assert list(frame[column]) == list(cli[column]), column
    for column in ["shed_mw", "dark_load_mw", "max_loading_percent", "min_vm_pu", "max_vm_pu"]:
        ours = frame[column].to_numpy(dtype=float)
        theirs = cli[column].to_numpy(dtype=float)
        same = (ours == theirs) | (pd.isna(ours) & pd.isna(theirs))
        assert same.all(), column
    assert frame.attrs["base"]["converged"]


def test_n1_of_a_radial_bus_sheds_and_islands():
    frame = lifeline.power.n1(DATA / "matpower" / "case30.m", generators=False)
    assert set(frame["element"]) == {"branch"}
    # Some branches feed a bus alone: taking one out makes an island.
    assert (frame["islands"] > 1).any()
    with pytest.raises(lifeline.LifelineError, match="nothing to analyse"):
        lifeline.power.n1(DATA / "matpower" / "case30.m", branches=False, generators=False)
    with pytest.raises(lifeline.LifelineError, match="voltage_band_pu"):
        lifeline.power.n1(DATA / "matpower" / "case30.m", voltage_band_pu=(1.1, 0.9))


def test_outages_match_the_cli_to_the_last_digit(tmp_path, lifeline_bin):
    case = DATA / "matpower" / "case30.m"
    subprocess.run(
        [lifeline_bin, "power", "flow", str(case), "--outage", "bus:6", "--outage", "branch:41", "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    result = lifeline.power.runpp(case, outages=["bus:6", "branch:41"])
    bus = read_exact(tmp_path / "bus.csv").set_index("bus_id")
    assert list(result.res_bus["vm_pu"]) == list(bus["vm_pu"])
    assert list(-result.res_bus["p_mw"]) == list(bus["p_mw"])
    load = read_exact(tmp_path / "load.csv").set_index("bus_id")
    for column in ["load_mw", "shed_mw", "served_mw", "energised"]:
        assert list(result.res_load[column]) == list(load[column]), column
    assert result.islands >= 1
    assert result.res_load.loc[6, "served_mw"] == 0


def test_outages_of_what_is_not_grid_are_refused():
    with pytest.raises(lifeline.LifelineError, match="pump_station is not part of the grid"):
        lifeline.power.runpp(DATA / "matpower" / "case30.m", outages=["pump_station:E-1"])
    with pytest.raises(lifeline.LifelineError, match="outage 'bus'"):
        lifeline.power.runpp(DATA / "matpower" / "case30.m", outages=["bus"])
    with pytest.raises(lifeline.LifelineError, match="need the AC power flow"):
        lifeline.power.runpp(DATA / "matpower" / "case30.m", dc=True, outages=["bus:6"])


def test_lines_and_transformers_are_apart_as_in_pandapower():
    # case14's branches with a ratio or a phase shift, read by hand: the transformers.
    text = (DATA / "matpower" / "case14.m").read_text()
    rows = text[text.index("mpc.branch = ["):].split("[", 1)[1].split("];", 1)[0]
    branches = [line.replace(";", " ").split() for line in rows.strip().splitlines()]
    branches = [row for row in branches if row and not row[0].startswith("%")]
    transformers = [i + 1 for i, row in enumerate(branches) if float(row[8]) != 0 or float(row[9]) != 0]
    assert transformers, "case14 has transformers"
    result = lifeline.power.runpp(DATA / "matpower" / "case14.m")
    assert list(result.res_trafo.index) == transformers
    assert len(result.res_line) + len(result.res_trafo) == len(result.res_branch)
    assert {"hv_bus", "lv_bus", "p_hv_mw", "q_lv_mvar", "pl_mw"} <= set(result.res_trafo.columns)
    row = transformers[0]
    assert result.res_trafo.loc[row, "p_hv_mw"] == result.res_branch.loc[row, "p_from_mw"]
