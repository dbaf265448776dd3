#!/usr/bin/env python3
"""Pump-outage scenarios through WNTR, one by one, timed for `lifeline-bench water`.

usage: water_scenarios.py NETWORK.inp SCENARIOS.json [--budget SECONDS]

SCENARIOS.json is a list of {"pump": ID, "start_s": S, "duration_s": D}. Each scenario is
what a WNTR user writes: add the pump outage (Pump.add_outage), run the simulator, remove
the outage. The model is loaded once per simulator and not timed. Both simulators run
demand-driven, as lifeline's scenarios do by default. A simulator stops after --budget
seconds; its per-scenario time then stands for the rest.

Prints one JSON object: {"EpanetSimulator": {"done": n, "failed": f, "seconds": t,
"per_scenario_s": m}, "WNTRSimulator": {...}, "wntr": version}.
Needs: pip install wntr
"""
import argparse, json, os, statistics, sys, tempfile, time, warnings

warnings.filterwarnings("ignore")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("scenarios")
    ap.add_argument("--budget", type=float, default=300.0)
    a = ap.parse_args()
    import wntr

    scenarios = json.load(open(a.scenarios))
    out = {"wntr": wntr.__version__}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("EpanetSimulator", "WNTRSimulator"):
            wn = wntr.network.WaterNetworkModel(a.inp)
            wn.options.hydraulic.demand_model = "DD"
            times, failed = [], 0
            for i, s in enumerate(scenarios):
                pump = wn.get_link(s["pump"])
                t0 = time.perf_counter()
                try:
                    pump.add_outage(wn, s["start_s"], s["start_s"] + s["duration_s"])
                    wn.reset_initial_values()
                    if name == "EpanetSimulator":
                        wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=os.path.join(tmp, f"s{i}"))
                    else:
                        wntr.sim.WNTRSimulator(wn).run_sim()
                except Exception:
                    failed += 1
                finally:
                    try:
                        pump.remove_outage(wn)
                    except Exception:
                        pass
                times.append(time.perf_counter() - t0)
                if sum(times) > a.budget:
                    break
            out[name] = {
                "done": len(times),
                "failed": failed,
                "seconds": sum(times),
                "per_scenario_s": statistics.median(times) if times else None,
            }
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
