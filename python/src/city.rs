//! `City`: a city loaded once, then simulated, restored, scheduled and swept through
//! lifeline's engines and application layer, exactly as the command line does.
//!
//! Each method returns `{document, tables}`: `document` the JSON text of the command's
//! `--json` document (without the file names), `tables` the text of the CSV files the
//! command writes with `--out`, written by the same writers (the package reads both into
//! frames, so frames and files agree to the last digit). A sweep's rows come as columns.
//! Scenarios come as text with a name for errors (the package reads paths and writes
//! dicts as TOML). The GIL is released while anything is read or run.

use crate::columns::{column, float_column, int_column};
use crate::error::{error_at, plain_error};
use lifeline_app::AppError;
use lifeline_app::schedule::{Capacity, ScheduleInputs, ScheduleRequest, Scheduled, TextFile};
use lifeline_app::sweep::{self as app_sweep, SweepReport, SweepRequest};
use lifeline_cascade::source::Source;
use lifeline_cascade::{CascadeError, CascadeResult, Problem, Scenario, report, simulate};
use lifeline_demo_city::DemoCity;
use lifeline_forecast::report as forecast_report;
use lifeline_forecast::{Dispatch, ForecastError, ForecastRequest};
use lifeline_restore::city::{CityOptions, CityProblem};
use lifeline_restore::study::{self, Choice};
use lifeline_restore::{RestoreError, SearchOptions, report as restore_report};
use lifeline_schedule::ScheduleError;
use lifeline_schedule::report as schedule_report;
use lifeline_sweep::Row;
use lifeline_sweep::table;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};

/// Every problem of an invalid city or scenario in one `LifelineError`: the message lists
/// them all, `file`, `line` and `column` are the first's, `problems` holds each as text.
pub(crate) fn cascade_error(py: Python<'_>, error: &CascadeError) -> PyErr {
    let problems = error.problems();
    let Some(first) = problems.first() else {
        return plain_error(py, error);
    };
    let located = error_at(
        py,
        error.to_string(),
        Some(first.file.clone()),
        first.position.map(|p| p.line),
        first.position.map(|p| p.column),
        None,
    );
    let texts: Vec<String> = problems.iter().map(Problem::to_string).collect();
    // Setting an attribute on a fresh exception cannot fail in practice; the message
    // lists every problem anyway.
    let _ = located.value(py).setattr("problems", texts);
    located
}

/// An application error with the request field (the Python keyword) it is about.
fn app_error(py: Python<'_>, error: &AppError) -> PyErr {
    match error {
        AppError::Cascade(error) => cascade_error(py, error),
        AppError::Restore(error) => restore_error(py, error),
        AppError::Schedule(ScheduleError::Malformed {
            path, line, column, ..
        }) => error_at(
            py,
            error.to_string(),
            Some(path.clone()),
            u32::try_from(*line).ok(),
            u32::try_from(*column).ok(),
            None,
        ),
        AppError::Schedule(
            ScheduleError::Read { path, .. } | ScheduleError::Empty { path, .. },
        ) => error_at(py, error.to_string(), Some(path.clone()), None, None, None),
        other => {
            let field = other.field_name().map(str::to_string);
            let message = match &field {
                Some(field) => format!("{field}: {}", other.message()),
                None => other.to_string(),
            };
            error_at(py, message, None, None, None, field)
        }
    }
}

fn restore_error(py: Python<'_>, error: &RestoreError) -> PyErr {
    match error {
        RestoreError::Cascade(error) => cascade_error(py, error),
        other => error_at(
            py,
            other.to_string(),
            None,
            None,
            None,
            other.field().map(str::to_string),
        ),
    }
}

/// Text written by `write` (the crates' CSV writers write to memory without failing).
fn written(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    match write(&mut bytes) {
        Ok(()) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => format!("cannot write the table: {error}"),
    }
}

fn json(py: Python<'_>, value: &impl serde::Serialize) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| plain_error(py, format!("cannot write the document: {e}")))
}

/// A pool of `threads` workers (default: every core); 0 is refused.
fn pool(py: Python<'_>, threads: Option<usize>) -> PyResult<rayon::ThreadPool> {
    if threads == Some(0) {
        return Err(error_at(
            py,
            "threads: must be at least 1".into(),
            None,
            None,
            None,
            Some("threads".into()),
        ));
    }
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = threads {
        builder = builder.num_threads(threads);
    }
    builder
        .build()
        .map_err(|e| plain_error(py, format!("cannot start the worker threads: {e}")))
}

/// A forecast's error: its request field (the Python keyword), or the city's problems.
fn forecast_error(py: Python<'_>, error: &ForecastError) -> PyErr {
    match error {
        ForecastError::Cascade(error) => cascade_error(py, error),
        ForecastError::Restore(error) => restore_error(py, error),
        ForecastError::Request(field) => {
            let name = if field.field == "at" {
                "at_s"
            } else {
                field.field
            };
            error_at(
                py,
                format!("{name}: {}", field.message),
                None,
                None,
                None,
                Some(name.to_string()),
            )
        }
    }
}

/// A named text from Python as the application layer takes it.
fn text_file(file: &Option<(String, String)>) -> Option<TextFile<'_>> {
    file.as_ref().map(|(name, text)| TextFile { name, text })
}

/// `{document, tables: {name: csv}}` for Python.
fn answer<'py>(
    py: Python<'py>,
    document: String,
    tables: &[(&str, String)],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("document", document)?;
    let t = PyDict::new(py);
    for (name, text) in tables {
        t.set_item(*name, text)?;
    }
    d.set_item("tables", t)?;
    Ok(d)
}

/// A city lifeline can simulate: its `city.toml` and the files it names, loaded and
/// checked once.
#[pyclass(frozen, module = "lifeline._lifeline")]
pub(crate) struct City {
    city: lifeline_cascade::City,
    file: String,
    /// The built-in demo city's files, kept on disk while the city lives.
    demo: Option<DemoCity>,
}

impl City {
    fn scenario(&self, py: Python<'_>, text: &str, file: &str) -> PyResult<Scenario> {
        let source = Source::new(file, text.to_string());
        py.detach(|| Scenario::parse(&source, &self.city))
            .map_err(|e| cascade_error(py, &e))
    }

    fn run(&self, py: Python<'_>, scenario: &Scenario) -> PyResult<CascadeResult> {
        py.detach(|| simulate(&self.city, scenario, &mut |_, _| {}))
            .map_err(|e| cascade_error(py, &e))
    }
}

#[pymethods]
impl City {
    /// Loads the city at `path` (its `city.toml`); every problem is raised at once.
    #[new]
    fn new(py: Python<'_>, path: &str) -> PyResult<Self> {
        let city = py
            .detach(|| lifeline_cascade::City::load(Path::new(path)))
            .map_err(|e| cascade_error(py, &e))?;
        Ok(Self {
            city,
            file: path.to_string(),
            demo: None,
        })
    }

    /// The built-in demo city (written to a private folder while it lives, unless the
    /// working directory is the repository).
    #[staticmethod]
    fn demo(py: Python<'_>) -> PyResult<Self> {
        let demo = py
            .detach(DemoCity::materialise)
            .map_err(|e| plain_error(py, e))?;
        let city = py
            .detach(|| lifeline_cascade::City::load(demo.city()))
            .map_err(|e| cascade_error(py, &e))?;
        Ok(Self {
            city,
            file: demo.city().display().to_string(),
            demo: Some(demo),
        })
    }

    /// The city file.
    #[getter]
    fn file(&self) -> &str {
        &self.file
    }

    /// The city's name.
    #[getter]
    fn name(&self) -> &str {
        &self.city.name
    }

    /// The demo city's seed scenario (a path), `None` for other cities.
    #[getter]
    fn demo_scenario(&self) -> Option<String> {
        self.demo
            .as_ref()
            .map(|d| d.scenario().display().to_string())
    }

    /// What loads but is likely a gap (`lifeline city check`'s warnings), as text.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.city.warnings.iter().map(Problem::to_string).collect()
    }

    /// The districts: `{name, population, customers}` columns in the city's order.
    fn districts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let districts = &self.city.districts;
        column(&d, "district", districts, |x| x.name.clone())?;
        column(&d, "population", districts, |x| x.population)?;
        column(&d, "customers", districts, |x| x.customers)?;
        Ok(d)
    }

    /// The cascade of a scenario (TOML `text`, `file` naming it in errors): the
    /// `simulate --json` document and the `districts`, `assets` and `tanks` CSV tables.
    fn simulate<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        file: &str,
    ) -> PyResult<Bound<'py, PyDict>> {
        let scenario = self.scenario(py, text, file)?;
        let result = self.run(py, &scenario)?;
        let tables = [
            (
                "districts",
                written(|out| report::write_districts(out, &result)),
            ),
            ("assets", written(|out| report::write_assets(out, &result))),
            ("tanks", written(|out| report::write_tanks(out, &result))),
        ];
        answer(py, json(py, &result)?, &tables)
    }

    /// The restoration study of a scenario: every planner (`planner`: best, greedy or
    /// exact), each plan through the cascade; `crews` generic crews instead of the
    /// city's; the search may take `time_limit_s`. The `restore --json` document and the
    /// `jobs` and `curves` CSV tables.
    #[pyo3(signature = (text, file, crews = None, planner = "best", time_limit_s = 1.5))]
    fn restore<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        file: &str,
        crews: Option<usize>,
        planner: &str,
        time_limit_s: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let choice = match planner {
            "best" => Choice::Best,
            "greedy" => Choice::Greedy,
            "exact" => Choice::Exact,
            other => {
                return Err(error_at(
                    py,
                    format!("planner: '{other}' is not a planner; expected best, greedy or exact"),
                    None,
                    None,
                    None,
                    Some("planner".into()),
                ));
            }
        };
        let search = SearchOptions::default()
            .with_time_limit_s(time_limit_s)
            .map_err(|e| restore_error(py, &e))?;
        let scenario = self.scenario(py, text, file)?;
        let outcome = py.detach(|| {
            let problem = CityProblem::new(&self.city, &scenario, CityOptions { crews })?;
            let study = study::run(&problem, choice, search)?;
            let chosen = &study.planners[study.chosen];
            let best_rule = &study.planners[study.best_rule];
            let runs = [
                (chosen.name.as_str(), &study.results[study.chosen]),
                (best_rule.name.as_str(), &study.results[study.best_rule]),
            ];
            let tables = [
                (
                    "jobs",
                    written(|out| {
                        restore_report::write_jobs(out, &problem, &study.plans[study.chosen])
                    }),
                ),
                (
                    "curves",
                    written(|out| restore_report::write_curves(out, &runs)),
                ),
            ];
            Ok::<_, RestoreError>((study.document(&problem), tables))
        });
        let (document, tables) = outcome.map_err(|e| restore_error(py, &e))?;
        answer(py, json(py, &document)?, &tables)
    }

    /// A rolling outage schedule. The generation available comes from `capacity` (a
    /// `from_h,available_mw` CSV text and its name) or from what the grid serves in the
    /// cascade of `scenario` (TOML text and its name); `groups`, `group_loads` and
    /// `stages` are optional CSV texts with their names. The `schedule --json` document
    /// and the `states` (schedule.csv) and `slots` CSV tables.
    #[pyo3(signature = (capacity = None, scenario = None, groups = None, group_loads = None, stages = None, hours = 24.0, max_off = 4.0, min_on = 2.0, slot_minutes = 60, start = None, tz = None, exact_seconds = 10.0, exempt = Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn schedule<'py>(
        &self,
        py: Python<'py>,
        capacity: Option<(String, String)>,
        scenario: Option<(String, String)>,
        groups: Option<(String, String)>,
        group_loads: Option<(String, String)>,
        stages: Option<(String, String)>,
        hours: f64,
        max_off: f64,
        min_on: f64,
        slot_minutes: u32,
        start: Option<String>,
        tz: Option<String>,
        exact_seconds: f64,
        exempt: Vec<String>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let request = ScheduleRequest {
            slot_minutes,
            max_off_h: max_off,
            min_on_h: min_on,
            hours,
            start,
            tz,
            exact_seconds,
            exempt,
        };
        if capacity.is_some() && scenario.is_some() {
            return Err(error_at(
                py,
                "capacity: give the available generation (capacity) or a scenario whose cascade gives it, not both".into(),
                None,
                None,
                None,
                Some("capacity".into()),
            ));
        }
        let (run, scenario) = match &scenario {
            Some((name, text)) => {
                let scenario = self.scenario(py, text, name)?;
                (Some(self.run(py, &scenario)?), Some(scenario))
            }
            None => (None, None),
        };
        let capacity = match (&capacity, &run) {
            (Some((name, text)), _) => Capacity::Steps(TextFile { name, text }),
            (None, Some(result)) => Capacity::Cascade {
                result,
                start: scenario.as_ref().and_then(|s| s.start.as_deref()),
            },
            (None, None) => {
                return Err(error_at(
                    py,
                    "capacity: give the available generation (capacity) or a scenario whose cascade gives it".into(),
                    None,
                    None,
                    None,
                    Some("capacity".into()),
                ));
            }
        };
        let inputs = ScheduleInputs {
            groups: text_file(&groups),
            group_loads: text_file(&group_loads),
            stages: text_file(&stages),
            capacity,
        };
        let Scheduled { published, .. } = py
            .detach(|| lifeline_app::schedule::schedule(&self.city, &request, &inputs))
            .map_err(|e| app_error(py, &e))?;
        let document = &published.document;
        let tables = [
            (
                "states",
                written(|out| schedule_report::write_states(out, document)),
            ),
            (
                "slots",
                written(|out| schedule_report::write_slots(out, document)),
            ),
        ];
        answer(py, json(py, document)?, &tables)
    }

    /// When power and water are back: `samples` draws of the scenario's repairs from
    /// their distributions (seed `seed`), each through the cascade, from `at_s` (s from
    /// the start; repairs done by then keep their times) on `threads` threads. The
    /// `forecast --json` document and the `districts`, `by_hour` and `fan` CSV tables.
    /// `plan`: `none` (each repair when its asset is hit), `chosen` (the restoration
    /// plan `restore` hands out, its order kept) or `rule` (crews sent by the priority
    /// rule in every sample), with the city's crews or `crews` generic ones.
    #[pyo3(signature = (text, file, samples = 200, seed = 1, at_s = None, threads = None, plan = "none", crews = None))]
    #[allow(clippy::too_many_arguments)]
    fn forecast<'py>(
        &self,
        py: Python<'py>,
        text: &str,
        file: &str,
        samples: usize,
        seed: u64,
        at_s: Option<i64>,
        threads: Option<usize>,
        plan: &str,
        crews: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let scenario = self.scenario(py, text, file)?;
        let request = ForecastRequest {
            samples,
            seed,
            at_s,
        };
        let field = |message: String, name: &str| {
            error_at(py, message, None, None, None, Some(name.to_string()))
        };
        if !["none", "chosen", "rule"].contains(&plan) {
            return Err(field(
                format!("plan: must be 'none', 'chosen' or 'rule', got {plan:?}"),
                "plan",
            ));
        }
        if plan == "none" && crews.is_some() {
            return Err(field(
                "crews: crews come in with plan='chosen' or plan='rule'".into(),
                "crews",
            ));
        }
        let pool = pool(py, threads)?;
        let problem = match plan {
            "none" => None,
            _ => Some(
                py.detach(|| CityProblem::new(&self.city, &scenario, CityOptions { crews }))
                    .map_err(|e| restore_error(py, &e))?,
            ),
        };
        let forecast = py
            .detach(|| {
                pool.install(|| {
                    let dispatch = match (&problem, plan) {
                        (Some(problem), "chosen") => {
                            Dispatch::chosen(problem, SearchOptions::default(), &|_, _| {})?
                        }
                        (Some(problem), _) => Dispatch::Rule {
                            problem,
                            rule: lifeline_restore::Rule::Priority,
                        },
                        (None, _) => Dispatch::Unlimited,
                    };
                    lifeline_forecast::forecast(&self.city, &scenario, &request, &dispatch, &|| {})
                })
            })
            .map_err(|e| forecast_error(py, &e))?;
        let tables = [
            (
                "districts",
                written(|out| forecast_report::write_districts(out, &forecast)),
            ),
            (
                "by_hour",
                written(|out| forecast_report::write_by_hour(out, &forecast)),
            ),
            (
                "fan",
                written(|out| forecast_report::write_fan(out, &forecast)),
            ),
        ];
        answer(py, json(py, &forecast)?, &tables)
    }

    /// A vulnerability sweep (the request's fields as `lifeline sweep` takes them) on
    /// `threads` threads (default: every core), its rows also written to `out` (Parquet)
    /// when given. Returns `{document, rows: {column: [...]}, districts}`: the
    /// `sweep --json` document and the rows in the results file's columns.
    #[pyo3(signature = (scenarios = "n-1".to_string(), targets = "substations,lines,plants,pump-stations".to_string(), strikes = 2, samples = 1000, seed = 1, hours = 24.0, at_h = 0.0, repair_h = None, shard = None, what_if = Vec::new(), threads = None, out = None))]
    #[allow(clippy::too_many_arguments)]
    fn sweep<'py>(
        &self,
        py: Python<'py>,
        scenarios: String,
        targets: String,
        strikes: usize,
        samples: u64,
        seed: u64,
        hours: f64,
        at_h: f64,
        repair_h: Option<f64>,
        shard: Option<String>,
        what_if: Vec<String>,
        threads: Option<usize>,
        out: Option<PathBuf>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let request = SweepRequest {
            scenarios,
            targets,
            strikes,
            samples,
            seed,
            hours,
            at_h,
            repair_h,
            shard,
            what_if,
        };
        let pool = pool(py, threads)?;
        let prepared = app_sweep::prepare(&self.city, &request).map_err(|e| app_error(py, &e))?;
        let swept = py
            .detach(|| pool.install(|| app_sweep::run(&self.city, &prepared, &|| {})))
            .map_err(|e| app_error(py, &e))?;
        if let Some(path) = &out {
            let meta = app_sweep::meta(&self.city, &prepared).map_err(|e| app_error(py, &e))?;
            py.detach(|| table::write(path, &meta, &swept.outcome.rows))
                .map_err(|e| plain_error(py, e))?;
        }
        let report = SweepReport::new(&prepared, &swept, pool.current_num_threads(), out);
        let d = PyDict::new(py);
        d.set_item("document", json(py, &report)?)?;
        d.set_item("rows", self.rows(py, &swept.outcome.rows)?)?;
        Ok(d)
    }
}

impl City {
    /// Sweep rows as the results file's columns (`restored_h` NaN where not restored;
    /// `assets` a list per row; a customer-hours and a person-hours column per district).
    fn rows<'py>(&self, py: Python<'py>, rows: &[Row]) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        int_column(&d, "scenario", rows, |r| r.scenario as i64)?;
        let assets = PyList::empty(py);
        for row in rows {
            assets.append(row.assets.clone())?;
        }
        d.set_item("assets", assets)?;
        int_column(&d, "strikes", rows, |r| r.assets.len() as i64)?;
        float_column(&d, "customer_hours", rows, |r| r.customer_hours)?;
        float_column(&d, "person_hours", rows, |r| r.person_hours)?;
        float_column(&d, "unserved_mwh", rows, |r| r.unserved_mwh)?;
        int_column(&d, "peak_customers", rows, |r| r.peak_customers as i64)?;
        int_column(&d, "peak_people", rows, |r| r.peak_people as i64)?;
        float_column(&d, "restored_h", rows, |r| r.restored_h.unwrap_or(f64::NAN))?;
        for (k, district) in self.city.districts.iter().enumerate() {
            let name = &district.name;
            float_column(&d, &format!("customer_hours__{name}"), rows, |r| {
                r.district_customer_hours[k]
            })?;
            float_column(&d, &format!("person_hours__{name}"), rows, |r| {
                r.district_person_hours[k]
            })?;
        }
        Ok(d)
    }
}
