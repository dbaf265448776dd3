//! Human names of assets, for timelines, plans and the dashboard: the name the city or the
//! grid file gives, else one made from the network (`substation 12 (Centre)`,
//! `line 7–29`), so a reader never has to decode `branch:41`.

use super::City;
use crate::scenario::AssetId;

impl City {
    /// The asset's human name. A pump station is named by the city; a bus as the substation
    /// of the district holding the largest share of its load, after the grid file's
    /// `mpc.bus_name` when it has one; a branch as a line or a transformer (a
    /// branch with a tap ratio) between its buses; a generator by its bus. Assets that are
    /// not in the city (a scenario checks them first) get their kind and number.
    pub fn asset_name(&self, asset: &AssetId) -> String {
        match asset {
            AssetId::PumpStation(id) => self
                .pump_stations
                .iter()
                .find(|s| &s.id == id)
                .map_or_else(|| format!("pump station {id}"), |s| s.name.clone()),
            AssetId::Bus(bus) => self.substation_name(*bus),
            AssetId::Branch(position) => match self.case.branches.get(*position) {
                Some(branch) => {
                    let kind = if branch.tap_ratio == 0.0 {
                        "line"
                    } else {
                        "transformer"
                    };
                    format!("{kind} {}–{}", branch.from, branch.to)
                }
                None => format!("branch {}", position + 1),
            },
            AssetId::Generator(position) => match self.case.generators.get(*position) {
                Some(generator) => format!("generator at {}", self.substation_name(generator.bus)),
                None => format!("generator {}", position + 1),
            },
            AssetId::Pipe(id) => format!("pipe {id}"),
            AssetId::Tank(id) => format!("tank {id}"),
            AssetId::Facility(id) => self
                .facilities
                .iter()
                .find(|f| &f.id == id)
                .map_or_else(|| format!("facility {id}"), |f| f.name.clone()),
        }
    }

    /// `substation N (district)`, the district holding the largest share of the bus's
    /// load (the first on a tie; none when no district does), after the grid file's
    /// `mpc.bus_name` when it has one: `Glen Lyn V1, substation 12 (Centre)`.
    fn substation_name(&self, bus: u32) -> String {
        let mut served_by: Option<(&str, f64)> = None;
        for district in &self.districts {
            for share in district.buses.iter().filter(|s| s.bus == bus) {
                if served_by.is_none_or(|(_, best)| share.share > best) {
                    served_by = Some((&district.name, share.share));
                }
            }
        }
        let substation = match served_by {
            Some((district, _)) => format!("substation {bus} ({district})"),
            None => format!("substation {bus}"),
        };
        let bus_name = self
            .case
            .buses
            .iter()
            .find(|b| b.id == bus)
            .and_then(|b| b.name.as_deref())
            .map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|name| !name.is_empty());
        match bus_name {
            Some(name) => format!("{name}, {substation}"),
            None => substation,
        }
    }
}
