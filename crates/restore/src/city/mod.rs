//! Restoration problems from a city and a scenario, and what a plan costs there.
//!
//! Every struck asset is a job: its skill follows its kind (grid assets need power
//! crews, water assets water crews), its repair time is the strike's `repair_h` (work on
//! site) or the city's default for the kind, its release is the time it was hit. Crews
//! are the city's, or `crews` generic crews with both skills spread over the city's
//! depots. Travel is the distance between the depot's and the asset's district centres
//! (from the map) at the city's `travel_kmh`.
//!
//! Cost of a plan ([`CascadeCost`]): the cascade run with each asset repaired when the
//! plan says, weighted: `homes` per customer-hour without power and per person-hour
//! without water, each facility kind per hour without power, `pump_station` per hour a
//! station is stopped. It takes a full hydraulic simulation (about a second on the demo
//! city), so planners search with [`Surrogate`]: the same power side exactly (one grid
//! solve per distinct set of assets out, remembered), pump stations with their diesel
//! rule, and water from one calibration run of the cascade with nothing repaired: a
//! district loses water when the stations that served it in that run have been stopped
//! longer than it took there, and then as many people as there. The calibration runs as
//! long as the slowest dispatch rule's plan, so backup fuel runs out in it as it would in
//! the plans. The surrogate knows no refill time after a station restarts and nothing of
//! a district that loses water with only some of its stations down, so it undercounts
//! water when crews are few; studies therefore rank the final plans by the cascade.
//!
//! A grid solve that fails is never a cost: the plan's evaluation fails with it (and the
//! surrogate counts it in its [`SurrogateReport`]). An island that does not converge is
//! taken down, as the cascade does, and counted apart.
//!
//! * [`problem`]: the problem from the city and scenario (jobs, crews, travel, precedence).
//! * [`cascade_cost`]: the weighted cost of a cascade run, and plans run through it.
//! * [`surrogate`]: the fast cost.
//! * `power`: the grid side both the surrogate and the jobs' cost rates use.

pub mod cascade_cost;
mod power;
pub mod problem;
pub mod surrogate;

pub use cascade_cost::{CascadeCost, weighted_cost};
pub use problem::{CityOptions, CityProblem};
pub use surrogate::{Surrogate, SurrogateReport};
