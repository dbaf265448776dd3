//! Per-asset state timelines, recorded as changes, addressed by position: the engine's
//! loop never builds or looks up an asset's text.

use crate::result::{AssetTimeline, StateChange};

/// Timelines of every struck asset, pump station and facility, in that order (an asset
/// that is both struck and a pump station has one timeline, placed with the struck).
#[derive(Default)]
pub(crate) struct Timelines {
    entries: Vec<AssetTimeline>,
}

impl Timelines {
    pub(crate) fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// Adds a timeline starting in `state` at 0 h; its position.
    pub(crate) fn track(&mut self, asset: String, name: String, state: &str) -> usize {
        self.entries.push(AssetTimeline {
            asset,
            name,
            changes: vec![StateChange {
                t_h: 0.0,
                state: state.to_string(),
            }],
        });
        self.entries.len() - 1
    }

    /// Records that timeline `index` is in `state` from `time_s` (nothing if it already
    /// is; a change at the same time replaces the last).
    pub(crate) fn set(&mut self, index: usize, time_s: i64, state: &str) {
        let changes = &mut self.entries[index].changes;
        let t_h = super::hours(time_s);
        match changes.last_mut() {
            Some(last) if last.state == state => {}
            Some(last) if last.t_h == t_h => state.clone_into(&mut last.state),
            _ => changes.push(StateChange {
                t_h,
                state: state.to_string(),
            }),
        }
    }

    pub(crate) fn into_entries(self) -> Vec<AssetTimeline> {
        self.entries
    }
}
