//! `[OPTIONS]` and `[TIMES]` (EPANET's `optionchoice`, `optionvalue`, `timedata`).

use super::text::{find_match, hours, matches, setting_number};
use super::{MIN_P_DIFF, Reader};
use crate::model::{DemandModel, FlowUnits, HeadLossFormula, PressureUnits};

/// The option keywords, for problems.
const OPTION_KEYWORDS: &str = "UNITS, PRESSURE, HEADLOSS, HYDRAULICS, QUALITY, MAP, VERIFY, UNBALANCED, PATTERN, DEMAND MODEL, DEMAND MULTIPLIER, BACKFLOW ALLOWED, SEGMENTS, TOLERANCE, DIFFUSIVITY, DAMPLIMIT, FLOWCHANGE, HEADERROR, MINIMUM PRESSURE, REQUIRED PRESSURE, PRESSURE EXPONENT, VISCOSITY, SPECIFIC GRAVITY, TRIALS, ACCURACY, HTOL, QTOL, RQTOL, CHECKFREQ, MAXCHECK, EMITTER EXPONENT";

/// The time keywords, for problems.
const TIME_KEYWORDS: &str = "DURATION, HYDRAULIC TIMESTEP, QUALITY TIMESTEP, RULE TIMESTEP, MINIMUM TRAVELTIME, PATTERN TIMESTEP, PATTERN START, REPORT TIMESTEP, REPORT START, START CLOCKTIME, STATISTIC";

impl Reader {
    /// `optiondata`: a choice option, else a value option.
    pub(super) fn option(&mut self, tok: &[&str]) -> Result<(), String> {
        let n = tok.len() - 1;
        if matches(tok[0], "HYDR") && n >= 1 {
            self.unsupported(
                "option HYDRAULICS USE/SAVE: hydraulics files are not supported by the native engine; remove the option or use --engine epanet".to_string(),
            );
            return Ok(());
        }
        if let Some(result) = self.option_choice(tok, n) {
            return result;
        }
        self.option_value(tok, n)
    }

    /// `optionchoice`: `None` when the line is a value option.
    fn option_choice(&mut self, tok: &[&str], n: usize) -> Option<Result<(), String>> {
        let key = tok[0];
        let missing = |what: &str| Some(Err(format!("option {key}: missing its value ({what})")));
        let bad = |i: usize, what: &str| {
            Some(Err(format!(
                "option {key}: '{}' is not valid; expected {what}",
                tok[i]
            )))
        };
        let s = &mut self.settings;
        if matches(key, "UNIT") {
            let units = "CFS, GPM, MGD, IMGD, AFD, LPS, LPM, MLD, CMH, CMD, CMS or SI";
            let Some(t) = tok.get(1) else {
                return missing(units);
            };
            let Some(flow) = flow_units(t) else {
                return bad(1, units);
            };
            s.flow = flow;
        } else if matches(key, "PRESSURE") {
            let units = "PSI, KPA, METERS, BAR or FEET, or EXPONENT value";
            let Some(t) = tok.get(1) else {
                return missing(units);
            };
            if matches(t, "EXP") {
                return None;
            }
            let list = ["PSI", "KPA", "METERS", "BAR", "FEET"];
            let all = [
                PressureUnits::Psi,
                PressureUnits::Kpa,
                PressureUnits::Meters,
                PressureUnits::Bar,
                PressureUnits::Feet,
            ];
            let Some(i) = find_match(t, &list) else {
                return bad(1, units);
            };
            s.pressure = Some(all[i]);
        } else if matches(key, "HEADL") {
            let Some(t) = tok.get(1) else {
                return missing("H-W, D-W or C-M");
            };
            s.formula = if matches(t, "H-W") {
                HeadLossFormula::HazenWilliams
            } else if matches(t, "D-W") {
                HeadLossFormula::DarcyWeisbach
            } else if matches(t, "C-M") {
                HeadLossFormula::ChezyManning
            } else {
                return bad(1, "H-W, D-W or C-M");
            };
        } else if matches(key, "HYDR") {
            // Without a value: nothing to do (with one: refused by `option`).
        } else if matches(key, "QUAL") || matches(key, "MAP") || matches(key, "VERI") {
            // Water quality, map file, verification: no effect on hydraulics.
        } else if matches(key, "UNBA") {
            let Some(t) = tok.get(1) else {
                return missing("STOP or CONTINUE [n]");
            };
            if matches(t, "STOP") {
                s.extra_iter = -1;
            } else if matches(t, "CONT") {
                s.extra_iter = match tok.get(2) {
                    None => 0,
                    Some(v) => match v.parse::<i32>() {
                        Ok(v) => v,
                        Err(_) => return bad(2, "a whole number of extra trials"),
                    },
                };
            } else {
                return bad(1, "STOP or CONTINUE [n]");
            }
        } else if matches(key, "PATT") {
            let Some(t) = tok.get(1) else {
                return missing("a pattern ID");
            };
            s.default_pattern_id = t.chars().take(super::text::MAX_ID).collect();
        } else if matches(key, "DEMAND") {
            if n < 2 {
                return missing("MODEL DDA|PDA or MULTIPLIER value");
            }
            if !matches(tok[1], "MODEL") {
                return None;
            }
            s.demand_model = match find_match(tok[2], &["DDA", "PDA"]) {
                Some(0) => DemandModel::DemandDriven,
                Some(_) => DemandModel::PressureDriven,
                None => return bad(2, "DDA or PDA"),
            };
        } else if matches(key, "BACK") {
            if n < 2 {
                return missing("ALLOWED YES|NO");
            }
            if !matches(tok[1], "ALLOW") {
                return None;
            }
            s.emitter_backflow = match find_match(tok[2], &["NO", "YES"]) {
                Some(i) => i == 1,
                None => return bad(2, "YES or NO"),
            };
        } else {
            return None;
        }
        Some(Ok(()))
    }

    /// `optionvalue`: `keyword [second-word] value`.
    fn option_value(&mut self, tok: &[&str], n: usize) -> Result<(), String> {
        let key = tok[0];
        let two_words = ["SPEC", "EMIT", "DEMAND", "MINI", "REQ", "PRESSURE", "PREC"];
        let nvalue = if two_words.iter().any(|k| matches(key, k)) {
            2
        } else {
            1
        };
        let known = [
            "SEGM",
            "TOLER",
            "DIFF",
            "DAMPLIMIT",
            "FLOWCHANGE",
            "HEADERROR",
            "MINI",
            "REQ",
            "PRESSURE",
            "VISC",
            "SPEC",
            "TRIAL",
            "ACCU",
            "HTOL",
            "QTOL",
            "RQTOL",
            "CHECKFREQ",
            "MAXCHECK",
            "EMIT",
            "DEMAND",
        ];
        if !known.iter().any(|k| matches(key, k)) {
            return Err(format!(
                "unknown option {key}; expected one of {OPTION_KEYWORDS}"
            ));
        }
        if matches(key, "SEGM") {
            return Ok(());
        }
        let name = tok[..nvalue.min(tok.len())].join(" ");
        let Some(t) = tok.get(nvalue).filter(|_| n >= nvalue) else {
            return Err(format!("option {name}: missing its value"));
        };
        let y = setting_number(t, || format!("option {name}"))?;
        let s = &mut self.settings;
        let negative = || Err(format!("option {name} must not be negative, got {t}"));
        if matches(key, "TOLER") || matches(key, "DIFF") {
            return if y < 0.0 { negative() } else { Ok(()) };
        }
        if matches(key, "DAMPLIMIT") {
            s.damp_limit = y;
            return Ok(());
        }
        if matches(key, "FLOWCHANGE") || matches(key, "HEADERROR") {
            if y < 0.0 {
                return negative();
            }
            if matches(key, "FLOWCHANGE") {
                s.flow_change = y;
            } else {
                s.head_error = y;
            }
            return Ok(());
        }
        let pda = || {
            Err(format!(
                "option {name}: the required pressure must exceed the minimum pressure by at least {MIN_P_DIFF}"
            ))
        };
        if matches(key, "MINI") {
            if y < 0.0 {
                return negative();
            }
            if s.p_req == MIN_P_DIFF {
                s.p_req = y + MIN_P_DIFF;
            } else if s.p_req - y < MIN_P_DIFF {
                return pda();
            }
            s.p_min = y;
            return Ok(());
        }
        if matches(key, "REQ") {
            if y < 0.0 {
                return negative();
            }
            if y - s.p_min < MIN_P_DIFF {
                return pda();
            }
            s.p_req = y;
            return Ok(());
        }
        if matches(key, "PRESSURE") {
            if y < 0.0 {
                return negative();
            }
            s.p_exp = y;
            return Ok(());
        }
        if y <= 0.0 {
            return Err(format!("option {name} must be positive, got {t}"));
        }
        self.positive_option(key, &name, y)
    }

    /// The options of `optionvalue` that must be positive.
    fn positive_option(&mut self, key: &str, name: &str, y: f64) -> Result<(), String> {
        let s = &mut self.settings;
        if matches(key, "VISC") {
            s.viscosity = Some(y);
        } else if matches(key, "SPEC") {
            s.sp_grav = y;
        } else if matches(key, "TRIAL") {
            s.max_iter = y as i32 as u32;
        } else if matches(key, "ACCU") {
            s.hacc = y.clamp(1e-5, 1e-1);
        } else if matches(key, "HTOL") {
            s.htol = y;
        } else if matches(key, "QTOL") {
            s.qtol = y;
        } else if matches(key, "RQTOL") {
            if y >= 1.0 {
                return Err(format!("option {name} must be below 1, got {y}"));
            }
            s.rqtol = y;
        } else if matches(key, "CHECKFREQ") {
            s.check_freq = y as i32 as u32;
        } else if matches(key, "MAXCHECK") {
            s.max_check = y as i32 as u32;
        } else if matches(key, "EMIT") {
            s.qexp = 1.0 / y;
        } else {
            s.demand_mult = y;
        }
        Ok(())
    }

    /// `timedata`: `keyword [second-word] value [units]`.
    pub(super) fn time(&mut self, tok: &[&str]) -> Result<(), String> {
        let n = tok.len() - 1;
        let key = tok[0];
        if n < 1 {
            return Err(format!("time {key}: missing its value"));
        }
        if matches(key, "STAT") {
            return match find_match(
                tok[n],
                &["NONE", "NO", "AVERAGE", "MINIMUM", "MAXIMUM", "RANGE"],
            ) {
                Some(_) => Ok(()),
                None => Err(format!(
                    "time STATISTIC: '{}' is not valid; expected NONE, AVERAGE, MINIMUM, MAXIMUM or RANGE",
                    tok[n]
                )),
            };
        }
        let keys = [
            "DURA", "HYDR", "QUAL", "RULE", "MINI", "PATT", "REPO", "STAR",
        ];
        let Some(which) = find_match(key, &keys) else {
            return Err(format!(
                "unknown time keyword {key}; expected one of {TIME_KEYWORDS}"
            ));
        };
        let name = tok[..n].join(" ");
        let y = match super::text::parse_float(tok[n]) {
            Some(y) => Some(y),
            None => hours(tok[n], "").or_else(|| hours(tok[n - 1], tok[n])),
        };
        let y = y.filter(|y| y.is_finite() && (0.0..=1e9).contains(y)).ok_or_else(|| {
            format!(
                "time {name}: '{}' is not a valid time; expected h, h:mm or h:mm:ss, or a number with SEC, MIN, HOURS, DAYS, or a clock time with AM/PM",
                tok[n]
            )
        })?;
        let t = (3600.0 * y + 0.5) as i64;
        let s = &mut self.settings;
        let second = |s: &mut i64, start: &mut i64| {
            if matches(tok[1], "TIME") {
                *s = t;
            } else if matches(tok[1], "STAR") {
                *start = t;
            } else {
                return Err(format!(
                    "time {key}: '{}' must be TIMESTEP or START",
                    tok[1]
                ));
            }
            Ok(())
        };
        match which {
            0 => s.duration = t,
            1 => s.hydraulic_step = t,
            2 | 4 => {}
            3 => s.rule_step = t,
            5 => second(&mut s.pattern_step, &mut s.pattern_start)?,
            6 => second(&mut s.report_step, &mut s.report_start)?,
            _ => s.start_clock = t % crate::model::SECONDS_PER_DAY,
        }
        Ok(())
    }
}

/// EPANET's `getunitsoption`: the flow units a keyword names (`SI` is LPS).
fn flow_units(t: &str) -> Option<FlowUnits> {
    let list = [
        ("CFS", FlowUnits::Cfs),
        ("GPM", FlowUnits::Gpm),
        ("AFD", FlowUnits::Afd),
        ("MGD", FlowUnits::Mgd),
        ("IMGD", FlowUnits::Imgd),
        ("LPS", FlowUnits::Lps),
        ("LPM", FlowUnits::Lpm),
        ("CMH", FlowUnits::Cmh),
        ("CMD", FlowUnits::Cmd),
        ("MLD", FlowUnits::Mld),
        ("CMS", FlowUnits::Cms),
        ("SI", FlowUnits::Lps),
    ];
    list.iter().find(|(k, _)| matches(t, k)).map(|(_, f)| *f)
}
