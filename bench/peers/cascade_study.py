#!/usr/bin/env python3
"""The cascade study of `lifeline simulate`, written with pandapower and WNTR, timed for
`lifeline-bench cascade`.

usage: cascade_study.py CITY.toml SCENARIO.toml

What a pandapower + WNTR user writes to answer the same question, the way InfraRisk
couples them, with the fastest choices each library offers:
  1. the grid: for every change of the struck set (strikes, repairs), set the struck
     buses, branches and generators out of service and run an AC power flow
     (pandapower.runpp, Newton-Raphson, numba when installed). A bus is energised when it
     has a result; pandapower has no load shedding and leaves islands without the slack
     unsolved, so those count as dark;
  2. pump stations: powered when their bus is energised, else on their diesel after its
     start delay while the fuel lasts (the same rule as lifeline); struck stations stop;
  3. water: every stopped interval of a pump becomes Pump.add_outage, struck pipes and
     tanks are closed by controls, and one 48 h pressure-driven EPANET run is made through
     WNTR's EpanetSimulator (trials 200, unbalanced CONTINUE 10, as lifeline);
  4. service per district and hour: customers without power from the dark load, people
     without water from delivered / expected demand below the city's threshold.
Loading the city's files is timed too, as lifeline's time includes it.

Prints one JSON object: {"seconds": total, "grid_seconds", "water_seconds",
"grid_solves", "peak_customers_without_power", "peak_people_without_water",
"pandapower": version, "wntr": version}.
Needs: pip install pandapower wntr
"""
import argparse, copy, json, math, os, sys, tempfile, time, tomllib, warnings, logging

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)


def clock(text):
    h, m = text.split(":")
    return int(h) * 3600 + int(m) * 60


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("city")
    ap.add_argument("scenario")
    a = ap.parse_args()
    import numpy as np
    import pandapower as pp
    import wntr
    from pandapower.converter.matpower.from_mpc import _m2ppc
    from pandapower.converter.pypower.from_ppc import from_ppc
    try:
        import numba  # noqa: F401
        use_numba = True
    except ImportError:
        use_numba = False

    started = time.perf_counter()
    city_dir = os.path.dirname(os.path.abspath(a.city))
    city = tomllib.load(open(a.city, "rb"))
    scenario = tomllib.load(open(a.scenario, "rb"))
    horizon = int(round(scenario.get("horizon_h", 48) * 3600))
    step = int(round(scenario.get("step_h", 1) * 3600))

    # The grid, with pandapower's element order (lines, then transformers, as from_ppc).
    ppc = _m2ppc(os.path.join(city_dir, city["grid"]["file"]))
    ppc["bus"][ppc["bus"][:, 9] <= 0, 9] = 1.0
    net = from_ppc(ppc, f_hz=50)
    # _m2ppc numbers buses from 0 (PYPOWER); the city names them as the file does.
    ppc_index = {int(b): i for i, b in enumerate(ppc["bus"][:, 0])}
    bus_ids = [int(b) + 1 for b in ppc["bus"][:, 0]]
    bus_index = {b: i for i, b in enumerate(bus_ids)}
    fvn = ppc["bus"][[ppc_index[int(f)] for f in ppc["branch"][:, 0]], 9]
    tvn = ppc["bus"][[ppc_index[int(t)] for t in ppc["branch"][:, 1]], 9]
    is_trafo = (ppc["branch"][:, 8] != 0) | (ppc["branch"][:, 9] != 0) | (fvn != tvn)
    branch_element, lines, trafos = [], 0, 0
    for trafo in is_trafo:
        if trafo:
            branch_element.append(("trafo", trafos)); trafos += 1
        else:
            branch_element.append(("line", lines)); lines += 1
    bus_load = np.zeros(len(bus_ids))
    for _, load in net.load.iterrows():
        bus_load[int(load.bus)] += load.p_mw

    # The water network, pressure-driven as the city says.
    wn = wntr.network.WaterNetworkModel(os.path.join(city_dir, city["water"]["file"]))
    water = city["water"]
    wn.options.hydraulic.demand_model = "PDD"
    wn.options.hydraulic.minimum_pressure = water.get("min_pressure_m", 0.0)
    wn.options.hydraulic.required_pressure = water.get("required_pressure_m", 20.0)
    wn.options.hydraulic.pressure_exponent = water.get("pressure_exponent", 0.5)
    wn.options.hydraulic.trials = max(wn.options.hydraulic.trials, 200)
    wn.options.hydraulic.unbalanced = "CONTINUE"
    wn.options.hydraulic.unbalanced_value = 10
    wn.options.time.duration = horizon
    threshold = water.get("without_water_below", 0.5)
    district_of = {}
    with open(os.path.join(city_dir, water["service_areas"])) as f:
        next(f)
        for line in f:
            junction, district = line.strip().split(",")
            district_of[junction] = district
    base = {j: sum(d.base_value for d in wn.get_node(j).demand_timeseries_list) for j in district_of}
    districts = city["district"]
    people = {}
    for d in districts:
        js = [j for j, dd in district_of.items() if dd == d["name"]]
        total = sum(max(base[j], 0.0) for j in js)
        for j in js:
            people[j] = d["population"] * max(base[j], 0.0) / total if total > 0 else d["population"] / len(js)

    # Events.
    strikes = []
    for s in scenario.get("strike", []):
        at = clock(s["at"])
        end = at + int(round(s["repair_h"] * 3600)) if "repair_h" in s else None
        strikes.append((at, end, s["asset"]))
    times = sorted({t for s in strikes for t in (s[0], s[1]) if t is not None and t <= horizon} | set(range(0, horizon + 1, step)))

    def out_at(t):
        return {asset for at, end, asset in strikes if at <= t and (end is None or t < end)}

    # 1. The grid at every change.
    grid_started = time.perf_counter()
    energised_at, solves, last = {}, 0, None
    kw = dict(algorithm="nr", init="flat", max_iteration=50, numba=use_numba, calculate_voltage_angles=True)
    for t in times:
        out = frozenset(a for a in out_at(t) if a.split(":")[0] in ("bus", "branch", "gen"))
        if out == last:
            energised_at[t] = energised_at[prev]
            prev = t
            continue
        n = copy.deepcopy(net)
        for asset in out:
            kind, ident = asset.split(":")
            if kind == "bus":
                n.bus.loc[bus_index[int(ident)], "in_service"] = False
            elif kind == "branch":
                table, i = branch_element[int(ident) - 1]
                n[table].loc[i, "in_service"] = False
            else:
                g = int(ident) - 1
                table, i = ("ext_grid", 0) if g == 0 else ("gen", g - 1)
                n[table].loc[i, "in_service"] = False
        try:
            pp.runpp(n, **kw)
            energised = (~np.isnan(n.res_bus.vm_pu.values)) & n.bus.in_service.values
        except Exception:
            energised = np.zeros(len(bus_ids), dtype=bool)
        solves += 1
        energised_at[t] = energised
        last, prev = out, t
    grid_seconds = time.perf_counter() - grid_started

    # 2. Pump stations through time (same rule as lifeline).
    water_started = time.perf_counter()
    stations = city.get("pump_station", [])
    stopped = {s["id"]: [] for s in stations}
    for s in stations:
        backup = s.get("backup")
        fuel = backup["fuel_hours"] * 3600 if backup else 0
        delay = backup.get("start_delay_min", 0) * 60 if backup else 0
        running_from, off_since = None, None
        for k, t in enumerate(times):
            hit = f"pump_station:{s['id']}" in out_at(t)
            powered = energised_at[t][bus_index[s["bus"]]]
            running = False
            if hit:
                running_from = None
            elif powered:
                running, running_from = True, None
            elif backup and fuel > 0:
                if running_from is None:
                    running_from = t + delay
                running = t >= running_from
            if not running and off_since is None:
                off_since = t
            if running and off_since is not None:
                stopped[s["id"]].append((off_since, t)); off_since = None
            if k + 1 < len(times) and running and not powered:
                fuel -= times[k + 1] - t
        if off_since is not None:
            stopped[s["id"]].append((off_since, horizon))
    # A stopped interval is what Pump.add_outage writes (a priority-6 rule closing the
    # pump), one rule per station and interval for all its pumps (add_outage allows one
    # outage per pump). Plain timed controls would be overridden by the network's own
    # tank-level controls at the next hydraulic step.
    from wntr.network.controls import AndCondition, Control, ControlAction, Rule, SimTimeCondition
    from wntr.network import LinkStatus

    def closed_during(name, links, start, end):
        during = AndCondition(SimTimeCondition(wn, ">=", start), SimTimeCondition(wn, "<", end))
        actions = [ControlAction(link, "status", LinkStatus.Closed) for link in links]
        wn.add_control(name, Rule(during, actions, priority=6))

    # The network's own controls on those pumps would reopen them (EPANET applies simple
    # controls at every hydraulic step, between rule evaluations): they become rules of
    # lower priority, as in WNTR's documentation on conflicting controls.
    stopping = {p for s in stations if stopped[s["id"]] for p in s["pumps"]}
    for name, control in list(wn.controls()):
        targets = {a.target()[0].name for a in control.actions()}
        if targets & stopping and isinstance(control, Control):
            wn.remove_control(name)
            rule = Rule(control.condition, list(control.actions()), priority=3)
            wn.add_control(name.replace(" ", "_"), rule)  # EPANET rule names have no spaces
    for s in stations:
        for start, end in stopped[s["id"]]:
            closed_during(f"{s['id']}_stopped_{start}", [wn.get_link(p) for p in s["pumps"]], start, end)
    for at, end, asset in strikes:
        kind, ident = asset.split(":", 1)
        links = []
        if kind == "pipe":
            links = [wn.get_link(ident)]
        elif kind == "tank":
            links = [wn.get_link(l) for l in wn.get_links_for_node(ident)]
        if links:
            closed_during(f"strike_{ident}_{at}", links, at, horizon + 1 if end is None else end)

    # 3. One pressure-driven run.
    # EPANET writes its scratch files (over 1 GB here) to the working directory.
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            results = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=os.path.join(tmp, "run"))
        finally:
            os.chdir(here)
    demand = results.node["demand"]
    pressure = results.node["pressure"]
    expected = wntr.metrics.expected_demand(wn)
    water_seconds = time.perf_counter() - water_started

    # 4. Service per district and reported time.
    peak_power = peak_water = 0
    junctions = list(district_of)
    for t in range(0, horizon + 1, step):
        energised = energised_at[t]
        without_power = 0
        for d in districts:
            load = dark = 0.0
            for b in d["buses"]:
                share = b.get("share", 1.0)
                i = bus_index[b["bus"]]
                load += share * bus_load[i]
                dark += share * bus_load[i] * (0.0 if energised[i] else 1.0)
            without_power += round(d["customers"] * (dark / load if load > 0 else 0.0))
        peak_power = max(peak_power, without_power)
        if t in demand.index:
            got = demand.loc[t, junctions].values
            need = expected.loc[t, junctions].values
            p = pressure.loc[t, junctions].values
            span = wn.options.hydraulic.required_pressure - wn.options.hydraulic.minimum_pressure
            by_pressure = np.clip((p - wn.options.hydraulic.minimum_pressure) / span, 0, 1) ** wn.options.hydraulic.pressure_exponent
            availability = np.where(need > 1e-12, got / np.where(need > 1e-12, need, 1), by_pressure)
            dry = sum(people[j] for j, av in zip(junctions, availability) if av < threshold)
            peak_water = max(peak_water, round(dry))
    seconds = time.perf_counter() - started
    print(json.dumps({
        "seconds": seconds,
        "grid_seconds": grid_seconds,
        "water_seconds": water_seconds,
        "grid_solves": solves,
        "peak_customers_without_power": peak_power,
        "peak_people_without_water": peak_water,
        "pandapower": pp.__version__,
        "wntr": wntr.__version__,
        "numba": use_numba,
    }))


if __name__ == "__main__":
    main()
