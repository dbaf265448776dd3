"""Whole cities from Python: the cascade, repair plans, outage schedules and sweeps,
each frame compared to the last digit with the CSV (or Parquet) file the ``lifeline``
command writes for the same input, on the demo city and on the tiny city (two districts,
no crews, no outage groups, no time zone; its numbers are checked by hand in
crates/cascade/tests/it/tiny_city.rs)."""

import math
import pathlib
import subprocess

import pandas as pd
import pytest

import lifeline
from conftest import DATA, ROOT, read_exact

DEMO = DATA / "demo-city" / "city.toml"
SEED = DATA / "demo-city" / "scenarios" / "2024-03-22.toml"
TINY = ROOT / "crates" / "cascade" / "tests" / "data" / "tiny"

#: A short scenario for the demo city: the Centre substation and a line, 12 hours.
SHORT = {
    "name": "two strikes",
    "horizon_h": 12,
    "strike": [
        {"at": "01:00", "asset": "bus:12", "damage": "damaged", "repair_h": 5},
        {"at": "01:30", "asset": "branch:41", "repair_h": 3},
    ],
}


@pytest.fixture(scope="module")
def demo():
    return lifeline.City(DEMO)


@pytest.fixture(scope="module")
def tiny():
    return lifeline.City(TINY / "city.toml")


def cli(binary, *args):
    done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def same(frame: pd.DataFrame, file: pathlib.Path, table: str) -> None:
    """`frame` equals the CSV `file`, every value to the last digit (ids read as text)."""
    text = {column: str for column in lifeline.city.TEXT_COLUMNS[table]}
    written = read_exact(file, dtype=text, keep_default_na=False)
    pd.testing.assert_frame_equal(frame, written, check_exact=True)


def write_short(tmp_path) -> pathlib.Path:
    path = tmp_path / "short.toml"
    path.write_text(
        'name = "two strikes"\nhorizon_h = 12\n'
        '[[strike]]\nat = "01:00"\nasset = "bus:12"\ndamage = "damaged"\nrepair_h = 5\n'
        '[[strike]]\nat = "01:30"\nasset = "branch:41"\nrepair_h = 3\n'
    )
    return path


def test_the_seed_cascade_is_the_cli_s_to_the_last_digit(demo, tmp_path, lifeline_bin):
    cli(lifeline_bin, "simulate", DEMO, SEED, "--out", tmp_path, "--json")
    run = demo.simulate(SEED)
    same(run.districts, tmp_path / "districts.csv", "districts")
    same(run.assets, tmp_path / "assets.csv", "assets")
    same(run.tanks, tmp_path / "tanks.csv", "tanks")
    written = pd.read_json(tmp_path / "result.json", typ="series")
    assert run.summary == written["summary"]
    # The figures the demo prints, from the frames.
    peak = run.over_time("customers_without_power").sum(axis=1)
    assert peak.max() == run.summary["peak_customers_without_power"]
    assert peak.idxmax() == run.summary["peak_customers_at_h"]
    assert list(run.district_totals.index) == list(demo.districts.index)


def test_a_scenario_is_the_same_from_a_path_text_dict_or_list(demo, tmp_path):
    path = write_short(tmp_path)
    runs = [
        demo.simulate(path),
        demo.simulate(str(path)),
        demo.simulate(path.read_text()),
        demo.simulate(SHORT),
    ]
    for run in runs[1:]:
        pd.testing.assert_frame_equal(run.districts, runs[0].districts, check_exact=True)
    # A list is the strikes, with the default horizon (48 h).
    listed = demo.simulate(SHORT["strike"])
    assert listed.districts["t_h"].max() == 48
    hours = listed.districts[listed.districts["t_h"] <= 12].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        hours[["t_h", "district", "customers_without_power"]],
        runs[0].districts[["t_h", "district", "customers_without_power"]],
    )


def test_the_tiny_city_by_hand(tiny):
    run = tiny.simulate(TINY / "scenarios" / "substation.toml")
    power = run.over_time("customers_without_power")
    # Riverside's substation is out from 02:00 to 12:00: its 1200 customers.
    assert list(power.columns) == ["Hill", "Riverside"]
    assert (power.loc[2:11, "Riverside"] == 1200).all()
    assert (power.loc[:1, "Riverside"] == 0).all() and (power.loc[12:, "Riverside"] == 0).all()
    assert (power["Hill"] == 0).all()
    assert run.summary["customer_hours_without_power"] == pytest.approx(12000.0)
    assert run.district_totals.loc["Riverside", "power_restored_h"] == pytest.approx(12.0)
    assert tiny.warnings == [] or all(isinstance(w, str) for w in tiny.warnings)


def test_repair_plans_are_the_cli_s(demo, tmp_path, lifeline_bin):
    path = write_short(tmp_path)
    cli(lifeline_bin, "restore", DEMO, path, "--planner", "greedy", "--out", tmp_path / "plan")
    study = demo.restore(SHORT, planner="greedy")
    same(study.jobs, tmp_path / "plan" / "jobs.csv", "jobs")
    same(study.curves, tmp_path / "plan" / "curves.csv", "curves")
    assert study.chosen in study.planners.index
    assert set(study.jobs["asset"]) == {"bus:12", "branch:41"}


def test_a_city_without_crews_is_planned_with_generic_ones(tiny, tmp_path, lifeline_bin):
    scenario = TINY / "scenarios" / "substation-and-intake.toml"
    with pytest.raises(lifeline.LifelineError) as caught:
        tiny.restore(scenario)
    assert caught.value.field == "crews", str(caught.value)
    study = tiny.restore(scenario, crews=2)
    cli(lifeline_bin, "restore", TINY / "city.toml", scenario, "--crews", 2, "--out", tmp_path)
    same(study.jobs, tmp_path / "jobs.csv", "jobs")
    # Two crews, two jobs: both start at the strike.
    assert sorted(study.jobs["start_h"]) == [1.0, 1.0]


def test_outage_schedules_are_the_cli_s(demo, tmp_path, lifeline_bin):
    steps = tmp_path / "capacity.csv"
    steps.write_text("from_h,available_mw\n0,1300\n6,1000\n18,1150\n")
    start = "2024-03-31T00:00"
    cli(lifeline_bin, "schedule", DEMO, "--capacity", steps, "--start", start, "--out", tmp_path / "s")
    for capacity in (steps, steps.read_text(), [(0, 1300), (6, 1000), (18, 1150)]):
        schedule = demo.schedule(capacity=capacity, start=start)
        same(schedule.slots, tmp_path / "s" / "slots.csv", "slots")
        same(schedule.states, tmp_path / "s" / "schedule.csv", "states")
    assert schedule.slots["deficit_mw"].max() > 0


def test_a_schedule_from_the_seed_cascade_is_the_cli_s(demo, tmp_path, lifeline_bin):
    cli(lifeline_bin, "schedule", DEMO, "--from-scenario", SEED, "--out", tmp_path)
    schedule = demo.schedule(scenario=SEED)
    same(schedule.slots, tmp_path / "slots.csv", "slots")
    same(schedule.states, tmp_path / "schedule.csv", "states")


def test_a_city_without_groups_is_scheduled_from_a_groups_file(tiny):
    groups = "group,critical,load_mw\nA,false,3\nB,false,2\nC,true,1\n"
    schedule = tiny.schedule(capacity=[(0, 4)], groups=groups, hours=6, tz="UTC", start="2025-01-01T00:00")
    # 6 MW of load on 4 MW: 2 MW off in every slot, never the critical group.
    assert (schedule.slots["deficit_mw"] == 2.0).all()
    assert (schedule.states.set_index("group").loc["C"].drop("critical") == "on").all()
    assert schedule.slots["start"].iloc[0] == "2025-01-01T00:00:00+00:00"


def test_sweeps_are_the_cli_s(demo, tmp_path, lifeline_bin):
    import pyarrow.parquet as pq

    out = tmp_path / "cli.parquet"
    cli(lifeline_bin, "sweep", DEMO, "--targets", "plants,pump-stations", "--hours", 12, "--out", out)
    sweep = demo.sweep(targets=["plants", "pump-stations"], hours=12, threads=2, out=tmp_path / "py.parquet")
    written = pq.read_table(out).to_pandas()
    assert list(sweep.rows.columns) == list(written.columns)
    for column in sweep.rows.columns:
        ours, theirs = list(sweep.rows[column]), list(written[column])
        if column == "assets":
            ours, theirs = [list(a) for a in ours], [list(a) for a in theirs]
        assert [None if isinstance(v, float) and math.isnan(v) else v for v in ours] == [
            None if isinstance(v, float) and math.isnan(v) else v for v in theirs
        ], column
    assert pq.read_table(tmp_path / "py.parquet").equals(pq.read_table(out))
    assert sweep.document["scenarios"] == len(sweep.rows)
    assert set(sweep.to_arrow()) == {"rows"}


def test_frames_become_arrow_tables(demo):
    tables = demo.simulate(SHORT).to_arrow()
    assert set(tables) == {"districts", "assets", "tanks"}
    assert tables["districts"].num_rows == 13 * len(demo.districts)


def test_errors_in_a_dict_scenario_name_its_keys(demo):
    strikes = [
        {"at": "04:05", "asset": "bus:8", "repair_h": 40},
        {"at": "04:10", "asset": "bus:99", "repair_h": -3},
    ]
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.simulate(strikes)
    error = caught.value
    assert error.field == "strike[1].asset"
    assert "did you mean" in str(error)
    assert error.problems[1].startswith("scenario strike[1].repair_h:"), error.problems
    with pytest.raises(lifeline.LifelineError, match="bogus: unknown field") as caught:
        demo.simulate({**SHORT, "bogus": 1})
    assert caught.value.field == "bogus"
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.simulate({**SHORT, "horizon_h": float("nan")})
    assert caught.value.field == "horizon_h"
    with pytest.raises(TypeError, match=r"strike\[0\]\.at"):
        demo.simulate({"name": "x", "strike": [{"at": object(), "asset": "bus:8"}]})


def test_errors_in_files_and_requests_say_where(demo, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[[strike]]\nat = "25:99"\nasset = "bus:8"\n')
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.simulate(bad)
    assert caught.value.file == str(bad) and caught.value.line == 3, str(caught.value)
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.schedule(capacity="from_h,available_mw\n0,nan\n")
    assert (caught.value.file, caught.value.line) == ("<capacity>", 2), str(caught.value)
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.schedule(capacity=[(0, 100)], max_off=-1)
    assert caught.value.field == "max_off"
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.schedule()
    assert caught.value.field == "capacity"
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.sweep(targets="plantz")
    assert caught.value.field == "targets"
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.sweep(threads=0)
    assert caught.value.field == "threads"
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.restore(SHORT, planner="fastest")
    assert caught.value.field == "planner"
    with pytest.raises(lifeline.LifelineError) as caught:
        demo.restore(SHORT, time_limit_s=float("inf"))
    assert caught.value.field == "time_limit_s"
    with pytest.raises(lifeline.LifelineError, match="cannot read") as caught:
        lifeline.City(tmp_path / "no-city.toml")
    assert caught.value.file == str(tmp_path / "no-city.toml")
    with pytest.raises(FileNotFoundError):
        demo.simulate(tmp_path / "no-scenario.toml")


def test_a_broken_city_lists_every_problem(tmp_path):
    text = (TINY / "city.toml").read_text()
    for name in ("grid.m", "water.inp", "service-areas.csv"):
        (tmp_path / name).write_bytes((TINY / name).read_bytes())
    broken = text.replace("customers = 400", "customers = 4000").replace("bus = 3\n", "bus = 999\n", 1)
    (tmp_path / "city.toml").write_text(broken)
    with pytest.raises(lifeline.LifelineError) as caught:
        lifeline.City(tmp_path / "city.toml")
    error = caught.value
    assert len(error.problems) >= 2, error.problems
    assert error.file == str(tmp_path / "city.toml") and error.line is not None


def test_the_built_in_demo_city():
    city = lifeline.City.demo()
    assert city.name == "Demo city"
    assert pathlib.Path(city.demo_scenario).is_file()
    assert lifeline.City(DEMO).demo_scenario is None


UNCERTAIN = {
    "name": "uncertain",
    "horizon_h": 24,
    "strike": [
        {"at": "02:00", "asset": "bus:3", "repair_h": {"median": 10, "p90": 20}, "destroyed_probability": 0.2},
        {"at": "03:00", "asset": "pump_station:INTAKE", "repair_h": 5},
    ],
}


def test_forecasts_are_the_cli_s(tiny, tmp_path, lifeline_bin):
    scenario = tmp_path / "uncertain.toml"
    scenario.write_text(lifeline.city._toml(UNCERTAIN)[0])
    cli(lifeline_bin, "forecast", TINY / "city.toml", scenario, "--samples", 40, "--seed", 5, "--out", tmp_path / "f")
    forecast = tiny.forecast(UNCERTAIN, samples=40, seed=5, threads=2)
    same(forecast.districts, tmp_path / "f" / "districts.csv", "forecast_districts")
    same(forecast.by_hour, tmp_path / "f" / "by-hour.csv", "by_hour")
    same(forecast.fan, tmp_path / "f" / "fan.csv", "fan")
    riverside = forecast.districts.set_index("district").loc["Riverside"]
    assert riverside["power_back_p10_h"] < riverside["power_back_p90_h"]
    back = forecast.back_by("power")
    assert list(back.columns) == ["Hill", "Riverside"]
    assert back["Riverside"].is_monotonic_increasing
    assert forecast.document["samples"] == 40


def test_a_certain_forecast_is_the_cascade(tiny):
    run = tiny.simulate(TINY / "scenarios" / "substation.toml")
    forecast = tiny.forecast(TINY / "scenarios" / "substation.toml", samples=5)
    row = forecast.districts.set_index("district").loc["Riverside"]
    back = run.district_totals.loc["Riverside", "power_restored_h"]
    assert row["power_back_p10_h"] == row["power_back_p90_h"] == back
    with pytest.raises(lifeline.LifelineError) as caught:
        tiny.forecast(TINY / "scenarios" / "substation.toml", samples=0)
    assert caught.value.field == "samples"
    with pytest.raises(lifeline.LifelineError) as caught:
        tiny.forecast(TINY / "scenarios" / "substation.toml", at_h=100)
    assert caught.value.field == "at_s"
    with pytest.raises(lifeline.LifelineError) as caught:
        tiny.forecast(TINY / "scenarios" / "substation.toml", at_h=float("nan"))
    assert caught.value.field == "at_h"


def test_a_forecast_with_crews_is_the_cli_s(tiny, tmp_path, lifeline_bin):
    scenario = tmp_path / "uncertain.toml"
    scenario.write_text(lifeline.city._toml(UNCERTAIN)[0])
    for plan in ["rule", "chosen"]:
        out = tmp_path / plan
        cli(lifeline_bin, "forecast", TINY / "city.toml", scenario, "--samples", 20, "--plan", plan, "--crews", 1, "--out", out)
        forecast = tiny.forecast(UNCERTAIN, samples=20, plan=plan, crews=1)
        assert forecast.document["plan"] == plan
        same(forecast.districts, out / "districts.csv", "forecast_districts")
    with pytest.raises(lifeline.LifelineError) as caught:
        tiny.forecast(UNCERTAIN, samples=5, plan="fastest")
    assert caught.value.field == "plan"
    with pytest.raises(lifeline.LifelineError) as caught:
        tiny.forecast(UNCERTAIN, samples=5, crews=2)
    assert caught.value.field == "crews"


def test_counts_and_seeds_are_whole_numbers_named_by_keyword(tiny):
    scenario = TINY / "scenarios" / "substation.toml"
    for keywords, field in [
        (dict(samples=-1), "samples"),
        (dict(samples=10**30), "samples"),
        (dict(seed=-1), "seed"),
        (dict(samples=2.5), "samples"),
        (dict(samples=True), "samples"),
        (dict(crews=-1, plan="rule"), "crews"),
        (dict(threads=float("nan")), "threads"),
    ]:
        with pytest.raises(lifeline.LifelineError) as caught:
            tiny.forecast(scenario, **keywords)
        assert caught.value.field == field, keywords
    with pytest.raises(lifeline.LifelineError) as caught:
        tiny.sweep(samples=-5, scenarios="random")
    assert caught.value.field == "samples"
    with pytest.raises(lifeline.LifelineError) as caught:
        tiny.restore(scenario, crews=-2)
    assert caught.value.field == "crews"
    # A whole number written as a float is still one.
    assert tiny.forecast(scenario, samples=3.0).document["samples"] == 3
