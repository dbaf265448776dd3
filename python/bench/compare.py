"""lifeline against pandapower and lightsim2grid, in one Python process, same cases.

    python python/bench/compare.py [--runs 7] [--shared ../shared]

Prints one line per comparison with lifeline's and the peer's median wall time and the
ratio (lifeline / peer; below 1 lifeline is faster). What each side times:

- ``solve``: lifeline's solve inside ``runpp`` (``solve_ms``) against lightsim2grid's
  ``ac_pf`` on a built model and pandapower's ``runpp`` on a built net (numba), both
  warm, flat start, tolerance 1e-8.
- ``runpp``: lifeline's whole call (read the .m file, solve, make the frames) against
  pandapower's ``runpp`` alone (its net already built from the case).
- ``water``: 100 pump-outage scenarios of BWSN_Network_2 (each pump in turn out for 6 h,
  starting on successive hours), demand-driven: ``lifeline.water.outages`` on every core
  against WNTR's EpanetSimulator one by one as a WNTR user runs them
  (``Pump.add_outage``, ``run_sim``, ``remove_outage``; the model loaded once, untimed).
- ``n1``: every branch out in turn on all cores: ``lifeline.power.n1(case,
  generators=False)`` against lightsim2grid's ``ContingencyAnalysisCPP`` with as many
  threads (lifeline also balances islands and sheds load where lightsim2grid reports a
  failed contingency).

Needs ``pip install pandapower lightsim2grid wntr`` beside the lifeline package, and the
MATPOWER cases and EPANET networks of ``../shared/reference``.
"""

import argparse
import os
import pathlib
import statistics
import time
import warnings

import numpy as np

import lifeline


def median_ms(fn, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1e3)
    return statistics.median(times)


def line(what, ours, theirs, peer):
    print(f"{what:<44} lifeline {ours:9.2f} ms   {peer} {theirs:9.2f} ms   ratio {ours / theirs:6.3f}x")


def power(case: pathlib.Path, runs: int):
    import pandapower as pp
    from lightsim2grid.network import init_from_matpower
    from pandapower.converter.matpower.from_mpc import _m2ppc
    from pandapower.converter.pypower.from_ppc import from_ppc

    lifeline.power.runpp(case)  # warm
    solves = []
    total = median_ms(lambda: solves.append(lifeline.power.runpp(case).solve_ms), runs)
    solve = statistics.median(solves)

    model = init_from_matpower(str(case))
    ppc = _m2ppc(str(case))
    ref = np.where(ppc["bus"][:, 1] == 3)[0][0]
    v0 = np.ones(model.total_bus(), complex) * np.exp(1j * np.deg2rad(ppc["bus"][ref, 8]))
    model.ac_pf(v0.copy(), 50, 1e-8)
    ls = median_ms(lambda: model.ac_pf(v0.copy(), 50, 1e-8), runs)

    ppc["bus"][ppc["bus"][:, 9] <= 0, 9] = 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = from_ppc(ppc, f_hz=60)
        options = dict(algorithm="nr", init="flat", tolerance_mva=1e-8, max_iteration=50,
                       calculate_voltage_angles=True, trafo_model="pi")
        pp.runpp(net, **options)
        pandapower = median_ms(lambda: pp.runpp(net, **options), runs)
    name = case.stem
    line(f"{name}: AC solve", solve, ls, "lightsim2grid")
    line(f"{name}: AC solve", solve, pandapower, "pandapower   ")
    line(f"{name}: runpp (file to frames vs solve)", total, pandapower, "pandapower   ")


def n1(case: pathlib.Path, runs: int):
    from lightsim2grid.lightsim2grid_cpp import ContingencyAnalysisCPP
    from lightsim2grid.network import init_from_matpower
    from pandapower.converter.matpower.from_mpc import _m2ppc

    threads = os.cpu_count() or 1
    ours = median_ms(lambda: lifeline.power.n1(case, generators=False), max(1, runs // 2))
    model = init_from_matpower(str(case))
    ppc = _m2ppc(str(case))
    ref = np.where(ppc["bus"][:, 1] == 3)[0][0]
    v0 = np.ones(model.total_bus(), complex) * np.exp(1j * np.deg2rad(ppc["bus"][ref, 8]))
    base = model.ac_pf(v0.copy(), 50, 1e-8)

    def peer():
        analysis = ContingencyAnalysisCPP(model)
        try:
            analysis.nb_thread = threads
        except Exception:
            pass
        analysis.add_all_n1()
        analysis.compute(base, 10, 1e-8)

    theirs = median_ms(peer, max(1, runs // 2))
    line(f"{case.stem}: N-1 of every branch, {threads} threads", ours, theirs, "lightsim2grid")


def water(inp: pathlib.Path, count: int):
    import tempfile

    import wntr

    wn = wntr.network.WaterNetworkModel(str(inp))
    wn.options.hydraulic.demand_model = "DD"
    pumps = list(wn.pump_name_list)
    scenarios = [(pumps[i % len(pumps)], (i % 24) * 3600, 6 * 3600) for i in range(count)]
    started = time.perf_counter()
    frame = lifeline.water.outages(
        inp, {f"{p} at {s // 3600} h #{i}": [(p, s, d)] for i, (p, s, d) in enumerate(scenarios)}
    )
    ours = (time.perf_counter() - started) * 1e3
    assert len(frame) == count
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        for i, (pump, start, duration) in enumerate(scenarios):
            link = wn.get_link(pump)
            link.add_outage(wn, start, start + duration)
            wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=os.path.join(tmp, f"s{i}"))
            link.remove_outage(wn)
        theirs = (time.perf_counter() - started) * 1e3
    line(f"{inp.stem}: {count} pump outages", ours, theirs, "WNTR Epanet ")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--water-scenarios", type=int, default=100)
    parser.add_argument("--shared", default=str(pathlib.Path(__file__).resolve().parents[3] / "shared"))
    args = parser.parse_args()
    cases = pathlib.Path(args.shared) / "reference" / "power" / "cases"
    print(f"lifeline {lifeline.__name__} from {pathlib.Path(lifeline.__file__).parent}; {os.cpu_count()} cores; median of {args.runs}")
    power(cases / "case9241pegase.m", args.runs)
    n1(cases / "case_ACTIVSg2000.m", args.runs)
    networks = pathlib.Path(args.shared) / "reference" / "water" / "networks"
    water(networks / "BWSN_Network_2.inp", args.water_scenarios)


if __name__ == "__main__":
    main()
