//! A small safe layer over EPANET 2.3's C toolkit (`epanet-sys`): one [`Project`] per
//! simulation, every call checked, error codes turned into [`EpanetError`] with EPANET's
//! own message, warnings (codes 1–6) returned as values.
//!
//! Why not the `epanet` crate: its `run_h` returns warnings as errors and drops the
//! simulation time with them (Net6 stops at warning 4 that way), it panics on paths with
//! NUL bytes, and it opens the file before a report callback can be set, so input errors
//! could not be captured with their lines.
//!
//! EPANET is thread-safe per project handle, except while reading an input file: its
//! parser tokenises with C's `strtok`, whose state is global. [`Project::open`] therefore
//! holds a process-wide lock while parsing; everything else runs in parallel.
#![allow(unsafe_code)]

use epanet_sys as ffi;
use std::ffi::{CStr, CString, c_char, c_int, c_long, c_void};
use std::path::Path;
use std::sync::Mutex;

/// Serialises `EN_open`, whose parser uses the global state of `strtok`.
static OPEN_LOCK: Mutex<()> = Mutex::new(());

/// An EPANET error (code ≥ 100) with EPANET's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpanetError {
    /// EPANET's error code.
    pub code: i32,
    /// EPANET's message for the code.
    pub message: String,
    /// Lines EPANET reported while the call ran (input errors and their echoed lines).
    pub report: Vec<String>,
}

/// EPANET's message for an error or warning code.
pub fn error_message(code: i32) -> String {
    let mut buffer = [0 as c_char; ffi::EN_SizeLimits_EN_MAXMSG as usize + 1];
    // SAFETY: the buffer holds MAXMSG + 1 characters, as EN_geterror requires.
    let status = unsafe {
        ffi::EN_geterror(
            code,
            buffer.as_mut_ptr(),
            ffi::EN_SizeLimits_EN_MAXMSG as c_int,
        )
    };
    if status != 0 {
        return format!("EPANET code {code}");
    }
    // SAFETY: EN_geterror writes a NUL-terminated string into the buffer.
    unsafe { CStr::from_ptr(buffer.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// Lines EPANET writes to its report, captured instead of printed.
#[derive(Default)]
struct ReportSink {
    lines: Mutex<Vec<String>>,
}

/// Receives EPANET's report lines (`EN_setreportcallback`).
extern "C" fn collect_report_line(
    user_data: *mut c_void,
    _project: *mut c_void,
    line: *const c_char,
) {
    if user_data.is_null() || line.is_null() {
        return;
    }
    // SAFETY: `user_data` is the `ReportSink` boxed in the `Project` that registered this
    // callback, alive until the project is deleted; `line` is a NUL-terminated string
    // valid for the duration of the call.
    let (sink, text) = unsafe { (&*(user_data as *const ReportSink), CStr::from_ptr(line)) };
    if let Ok(mut lines) = sink.lines.lock() {
        lines.push(text.to_string_lossy().into_owned());
    }
}

/// One EPANET project: a network read from an input file, with its hydraulic solver.
pub struct Project {
    handle: ffi::EN_Project,
    sink: Box<ReportSink>,
    hydraulics_open: bool,
    /// EPANET's report file: a fresh, private (0600) file made by us, never a name
    /// someone else could have planted a link at; held only to be removed when dropped.
    _report_file: tempfile::NamedTempFile,
}

// SAFETY: an EPANET project's data is reached only through its handle, which `Project`
// owns exclusively; EPANET keeps no per-thread state for a project, and the one global
// (the parser's `strtok` state) is guarded by `OPEN_LOCK`. `Project` is not `Sync`.
unsafe impl Send for Project {}

/// Result of a call that can raise a warning: the value and the warning code (0 if none).
pub type WithWarning<T> = (T, i32);

impl Project {
    /// Reads `path`.
    ///
    /// EPANET writes input errors to its report file, and resets any report callback while
    /// opening, so the report goes to a private temporary file, read back when opening
    /// fails and removed when the project is dropped. Once open, report lines go to memory
    /// and hydraulic status reporting is off: nothing ever reaches standard output.
    pub fn open(path: &Path) -> Result<Self, EpanetError> {
        let invalid_path = || EpanetError {
            code: 302,
            message: error_message(302),
            report: vec![format!(
                "the path {} is not valid UTF-8 or contains a NUL",
                path.display()
            )],
        };
        let text = path
            .to_str()
            .and_then(|p| CString::new(p).ok())
            .ok_or_else(invalid_path)?;
        let report_file = tempfile::Builder::new()
            .prefix("lifeline-epanet-")
            .suffix(".rpt")
            .tempfile()
            .map_err(|e| EpanetError {
                code: 303,
                message: error_message(303),
                report: vec![format!(
                    "cannot create a report file in {}: {e}",
                    std::env::temp_dir().display()
                )],
            })?;
        let report_name = report_file
            .path()
            .to_str()
            .and_then(|p| CString::new(p).ok())
            .ok_or_else(invalid_path)?;
        let mut handle: ffi::EN_Project = std::ptr::null_mut();
        // SAFETY: EN_createproject writes a new handle into `handle`.
        let code = unsafe { ffi::EN_createproject(&mut handle) };
        if code != 0 || handle.is_null() {
            return Err(EpanetError {
                code,
                message: error_message(code),
                report: Vec::new(),
            });
        }
        let empty = c"";
        let code = {
            let _guard = OPEN_LOCK
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // SAFETY: valid handle and NUL-terminated paths.
            unsafe { ffi::EN_open(handle, text.as_ptr(), report_name.as_ptr(), empty.as_ptr()) }
        };
        if code >= 100 {
            // Deleting the project closes the report file, which can then be read.
            drop_handle(handle, false);
            let report = std::fs::read_to_string(report_file.path())
                .map(|text| text.lines().map(str::to_string).collect())
                .unwrap_or_default();
            return Err(EpanetError {
                code,
                message: error_message(code),
                report,
            });
        }
        let project = Self {
            handle,
            sink: Box::default(),
            hydraulics_open: false,
            _report_file: report_file,
        };
        let sink_pointer = &*project.sink as *const ReportSink as *mut c_void;
        // SAFETY: the handle is valid and open; the sink lives in a Box owned by the
        // project (its address is stable) until the handle is deleted in Drop.
        project.check(unsafe { ffi::EN_setreportcallbackuserdata(handle, sink_pointer) })?;
        project.check(unsafe { ffi::EN_setreportcallback(handle, Some(collect_report_line)) })?;
        project.check(unsafe {
            ffi::EN_setstatusreport(handle, ffi::EN_StatusReport_EN_NO_REPORT as c_int)
        })?;
        Ok(project)
    }

    /// Turns a return code into `Ok(warning code)` (0 when none) or an error.
    fn check(&self, code: c_int) -> Result<i32, EpanetError> {
        if code >= 100 {
            Err(EpanetError {
                code,
                message: error_message(code),
                report: self.take_report(),
            })
        } else {
            Ok(code)
        }
    }

    /// The report lines gathered since the last call, emptied.
    pub fn take_report(&self) -> Vec<String> {
        self.sink
            .lines
            .lock()
            .map(|mut lines| std::mem::take(&mut *lines))
            .unwrap_or_default()
    }

    /// `EN_getcount`.
    pub fn count(&self, object: ffi::EN_CountType) -> Result<usize, EpanetError> {
        let mut value: c_int = 0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe { ffi::EN_getcount(self.handle, object as c_int, &mut value) })?;
        Ok(value.max(0) as usize)
    }

    fn id(
        &self,
        index: usize,
        get: unsafe extern "C" fn(ffi::EN_Project, c_int, *mut c_char) -> c_int,
    ) -> Result<String, EpanetError> {
        let mut buffer = [0 as c_char; ffi::EN_SizeLimits_EN_MAXID as usize + 1];
        // SAFETY: the buffer holds MAXID + 1 characters, as the ID getters require.
        self.check(unsafe { get(self.handle, index as c_int, buffer.as_mut_ptr()) })?;
        // SAFETY: the getter wrote a NUL-terminated string.
        Ok(unsafe { CStr::from_ptr(buffer.as_ptr()) }
            .to_string_lossy()
            .into_owned())
    }

    /// ID of node `index` (1-based).
    pub fn node_id(&self, index: usize) -> Result<String, EpanetError> {
        self.id(index, ffi::EN_getnodeid)
    }

    /// ID of link `index` (1-based).
    pub fn link_id(&self, index: usize) -> Result<String, EpanetError> {
        self.id(index, ffi::EN_getlinkid)
    }

    /// `EN_getnodetype`.
    pub fn node_type(&self, index: usize) -> Result<i32, EpanetError> {
        let mut value: c_int = 0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe { ffi::EN_getnodetype(self.handle, index as c_int, &mut value) })?;
        Ok(value)
    }

    /// `EN_getlinktype`.
    pub fn link_type(&self, index: usize) -> Result<i32, EpanetError> {
        let mut value: c_int = 0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe { ffi::EN_getlinktype(self.handle, index as c_int, &mut value) })?;
        Ok(value)
    }

    /// `EN_getlinknodes`: (start, end) node indices.
    pub fn link_nodes(&self, index: usize) -> Result<(usize, usize), EpanetError> {
        let (mut from, mut to): (c_int, c_int) = (0, 0);
        // SAFETY: valid handle and out-pointers.
        self.check(unsafe {
            ffi::EN_getlinknodes(self.handle, index as c_int, &mut from, &mut to)
        })?;
        Ok((from.max(0) as usize, to.max(0) as usize))
    }

    /// `EN_getnodevalue`.
    pub fn node_value(
        &self,
        index: usize,
        property: ffi::EN_NodeProperty,
    ) -> Result<f64, EpanetError> {
        let mut value = 0.0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe {
            ffi::EN_getnodevalue(self.handle, index as c_int, property as c_int, &mut value)
        })?;
        Ok(value)
    }

    /// `EN_getnodevalues`: the property of every node into `out` (length = node count).
    pub fn node_values(
        &self,
        property: ffi::EN_NodeProperty,
        out: &mut [f64],
    ) -> Result<(), EpanetError> {
        assert_eq!(out.len(), self.count(ffi::EN_CountType_EN_NODECOUNT)?);
        // SAFETY: `out` holds one value per node, as EN_getnodevalues writes.
        self.check(unsafe {
            ffi::EN_getnodevalues(self.handle, property as c_int, out.as_mut_ptr())
        })?;
        Ok(())
    }

    /// `EN_getlinkvalue`.
    pub fn link_value(
        &self,
        index: usize,
        property: ffi::EN_LinkProperty,
    ) -> Result<f64, EpanetError> {
        let mut value = 0.0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe {
            ffi::EN_getlinkvalue(self.handle, index as c_int, property as c_int, &mut value)
        })?;
        Ok(value)
    }

    /// `EN_getlinkvalues`: the property of every link into `out` (length = link count).
    pub fn link_values(
        &self,
        property: ffi::EN_LinkProperty,
        out: &mut [f64],
    ) -> Result<(), EpanetError> {
        assert_eq!(out.len(), self.count(ffi::EN_CountType_EN_LINKCOUNT)?);
        // SAFETY: `out` holds one value per link, as EN_getlinkvalues writes.
        self.check(unsafe {
            ffi::EN_getlinkvalues(self.handle, property as c_int, out.as_mut_ptr())
        })?;
        Ok(())
    }

    /// `EN_setlinkvalue`.
    pub fn set_link_value(
        &self,
        index: usize,
        property: ffi::EN_LinkProperty,
        value: f64,
    ) -> Result<(), EpanetError> {
        // SAFETY: valid handle.
        self.check(unsafe {
            ffi::EN_setlinkvalue(self.handle, index as c_int, property as c_int, value)
        })?;
        Ok(())
    }

    /// `EN_getcoord`: node `index`'s (x, y) in the file's [COORDINATES], if it has any.
    pub fn node_coordinates(&self, index: usize) -> Option<(f64, f64)> {
        let (mut x, mut y) = (0.0, 0.0);
        // SAFETY: valid handle and out-pointers; a node without coordinates is an error
        // code, not undefined behaviour.
        let code = unsafe { ffi::EN_getcoord(self.handle, index as c_int, &mut x, &mut y) };
        (code == 0 && x.is_finite() && y.is_finite()).then_some((x, y))
    }

    /// `EN_getpumptype`: the pump's head curve type (`EN_PumpType`).
    pub fn pump_type(&self, index: usize) -> Result<i32, EpanetError> {
        let mut value = 0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe { ffi::EN_getpumptype(self.handle, index as c_int, &mut value) })?;
        Ok(value)
    }

    /// The points (x, y) of curve `index` (`EN_getcurvelen`, `EN_getcurvevalue`).
    pub fn curve_points(&self, index: usize) -> Result<Vec<(f64, f64)>, EpanetError> {
        let mut len = 0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe { ffi::EN_getcurvelen(self.handle, index as c_int, &mut len) })?;
        let mut points = Vec::with_capacity(len.max(0) as usize);
        for point in 1..=len {
            let (mut x, mut y) = (0.0, 0.0);
            // SAFETY: valid handle, point within the curve's length, out-pointers.
            self.check(unsafe {
                ffi::EN_getcurvevalue(self.handle, index as c_int, point, &mut x, &mut y)
            })?;
            points.push((x, y));
        }
        Ok(points)
    }

    /// `EN_getflowunits`.
    pub fn flow_units(&self) -> Result<i32, EpanetError> {
        let mut value: c_int = 0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe { ffi::EN_getflowunits(self.handle, &mut value) })?;
        Ok(value)
    }

    /// `EN_getoption`.
    pub fn option(&self, option: ffi::EN_Option) -> Result<f64, EpanetError> {
        let mut value = 0.0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe { ffi::EN_getoption(self.handle, option as c_int, &mut value) })?;
        Ok(value)
    }

    /// `EN_setoption`.
    pub fn set_option(&self, option: ffi::EN_Option, value: f64) -> Result<(), EpanetError> {
        // SAFETY: valid handle.
        self.check(unsafe { ffi::EN_setoption(self.handle, option as c_int, value) })?;
        Ok(())
    }

    /// `EN_gettimeparam`, seconds.
    pub fn time_parameter(&self, parameter: ffi::EN_TimeParameter) -> Result<i64, EpanetError> {
        let mut value: c_long = 0;
        // SAFETY: valid handle and out-pointer.
        self.check(unsafe { ffi::EN_gettimeparam(self.handle, parameter as c_int, &mut value) })?;
        Ok(value as i64)
    }

    /// `EN_settimeparam`, seconds.
    pub fn set_time_parameter(
        &self,
        parameter: ffi::EN_TimeParameter,
        value: i64,
    ) -> Result<(), EpanetError> {
        // SAFETY: valid handle.
        self.check(unsafe {
            ffi::EN_settimeparam(self.handle, parameter as c_int, value as c_long)
        })?;
        Ok(())
    }

    /// `EN_setdemandmodel` (pressures in the project's pressure units).
    pub fn set_demand_model(
        &self,
        model: ffi::EN_DemandModel,
        p_min: f64,
        p_req: f64,
        exponent: f64,
    ) -> Result<(), EpanetError> {
        // SAFETY: valid handle.
        self.check(unsafe {
            ffi::EN_setdemandmodel(self.handle, model as c_int, p_min, p_req, exponent)
        })?;
        Ok(())
    }

    /// `EN_getcontrol`: (type, link index, setting, node index, level).
    pub fn control(&self, index: usize) -> Result<(i32, usize, f64, usize, f64), EpanetError> {
        let (mut kind, mut link, mut setting, mut node, mut level): (
            c_int,
            c_int,
            f64,
            c_int,
            f64,
        ) = (0, 0, 0.0, 0, 0.0);
        // SAFETY: valid handle and out-pointers.
        self.check(unsafe {
            ffi::EN_getcontrol(
                self.handle,
                index as c_int,
                &mut kind,
                &mut link,
                &mut setting,
                &mut node,
                &mut level,
            )
        })?;
        Ok((
            kind,
            link.max(0) as usize,
            setting,
            node.max(0) as usize,
            level,
        ))
    }

    /// `EN_setcontrolenabled`.
    pub fn set_control_enabled(&self, index: usize, enabled: bool) -> Result<(), EpanetError> {
        // SAFETY: valid handle.
        self.check(unsafe {
            ffi::EN_setcontrolenabled(self.handle, index as c_int, c_int::from(enabled))
        })?;
        Ok(())
    }

    /// `EN_getrule`: (premises, THEN actions, ELSE actions).
    pub fn rule(&self, index: usize) -> Result<(usize, usize, usize), EpanetError> {
        let (mut premises, mut then_actions, mut else_actions): (c_int, c_int, c_int) = (0, 0, 0);
        let mut priority = 0.0;
        // SAFETY: valid handle and out-pointers.
        self.check(unsafe {
            ffi::EN_getrule(
                self.handle,
                index as c_int,
                &mut premises,
                &mut then_actions,
                &mut else_actions,
                &mut priority,
            )
        })?;
        Ok((
            premises.max(0) as usize,
            then_actions.max(0) as usize,
            else_actions.max(0) as usize,
        ))
    }

    /// A rule's THEN (`then == true`) or ELSE action: (link index, status, setting).
    pub fn rule_action(
        &self,
        rule: usize,
        action: usize,
        then: bool,
    ) -> Result<(usize, i32, f64), EpanetError> {
        let (mut link, mut status, mut setting): (c_int, c_int, f64) = (0, 0, 0.0);
        let get = if then {
            ffi::EN_getthenaction
        } else {
            ffi::EN_getelseaction
        };
        // SAFETY: valid handle and out-pointers.
        self.check(unsafe {
            get(
                self.handle,
                rule as c_int,
                action as c_int,
                &mut link,
                &mut status,
                &mut setting,
            )
        })?;
        Ok((link.max(0) as usize, status, setting))
    }

    /// Sets a rule's THEN or ELSE action.
    pub fn set_rule_action(
        &self,
        rule: usize,
        action: usize,
        then: bool,
        link: usize,
        status: i32,
        setting: f64,
    ) -> Result<(), EpanetError> {
        let set = if then {
            ffi::EN_setthenaction
        } else {
            ffi::EN_setelseaction
        };
        // SAFETY: valid handle.
        self.check(unsafe {
            set(
                self.handle,
                rule as c_int,
                action as c_int,
                link as c_int,
                status,
                setting,
            )
        })?;
        Ok(())
    }

    /// `EN_openH`.
    pub fn open_hydraulics(&mut self) -> Result<(), EpanetError> {
        // SAFETY: valid handle.
        self.check(unsafe { ffi::EN_openH(self.handle) })?;
        self.hydraulics_open = true;
        Ok(())
    }

    /// `EN_initH` with flows re-initialised (so that every run from time 0 is the same,
    /// whatever ran before) and nothing saved to a file.
    pub fn init_hydraulics(&self) -> Result<(), EpanetError> {
        // SAFETY: valid handle.
        self.check(unsafe {
            ffi::EN_initH(self.handle, ffi::EN_InitHydOption_EN_INITFLOW as c_int)
        })?;
        Ok(())
    }

    /// `EN_runH`: solves at the current time; returns the time (s) and any warning.
    pub fn run_hydraulics(&self) -> Result<WithWarning<i64>, EpanetError> {
        let mut time: c_long = 0;
        // SAFETY: valid handle and out-pointer.
        let warning = self.check(unsafe { ffi::EN_runH(self.handle, &mut time) })?;
        Ok((time as i64, warning))
    }

    /// `EN_nextH`: advances the clock; returns the step taken (s, 0 at the end) and any
    /// warning.
    pub fn next_hydraulics(&self) -> Result<WithWarning<i64>, EpanetError> {
        let mut step: c_long = 0;
        // SAFETY: valid handle and out-pointer.
        let warning = self.check(unsafe { ffi::EN_nextH(self.handle, &mut step) })?;
        Ok((step as i64, warning))
    }

    /// `EN_closeH`.
    pub fn close_hydraulics(&mut self) -> Result<(), EpanetError> {
        if self.hydraulics_open {
            self.hydraulics_open = false;
            // SAFETY: valid handle with the hydraulic solver open.
            self.check(unsafe { ffi::EN_closeH(self.handle) })?;
        }
        Ok(())
    }
}

/// Closes and deletes a project handle. Errors on the way out cannot be reported and
/// leave nothing behind.
fn drop_handle(handle: ffi::EN_Project, hydraulics_open: bool) {
    // SAFETY: the handle is valid and owned by the caller, which never uses it again.
    unsafe {
        if hydraulics_open {
            ffi::EN_closeH(handle);
        }
        ffi::EN_close(handle);
        ffi::EN_deleteproject(handle);
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        // The handle first: it closes the report file, which then goes with the field.
        drop_handle(self.handle, self.hydraulics_open);
    }
}
