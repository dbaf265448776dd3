//! Load shedding by priority class: the lowest class is shed first, every bus of a class
//! in proportion to its load, and a class is touched only when the classes below it are
//! fully shed. Hospitals, water works and other critical loads sit in the highest class
//! and go last.
//!
//! pandapower and lightsim2grid do not shed: an island short of generation simply makes
//! the slack produce beyond its limits. InfraRisk sheds proportionally without classes.

/// Priority class of a bus's load: higher is more critical (0 = ordinary customers).
pub type LoadPriority = u8;

/// Sheds `amount_mw` from `loads_mw` (one per bus; only positive loads can be shed).
/// Returns the MW shed at each bus and the part of `amount_mw` that could not be shed
/// because every sheddable load is already gone.
pub fn shed_by_priority(
    loads_mw: &[f64],
    priority: &[LoadPriority],
    amount_mw: f64,
) -> (Vec<f64>, f64) {
    debug_assert_eq!(loads_mw.len(), priority.len());
    let mut shed = vec![0.0; loads_mw.len()];
    let mut remaining = amount_mw.max(0.0);
    let mut classes: Vec<LoadPriority> = priority.to_vec();
    classes.sort_unstable();
    classes.dedup();
    for class in classes {
        if remaining <= 0.0 {
            break;
        }
        let class_load: f64 = loads_mw
            .iter()
            .zip(priority)
            .filter(|&(&load, &p)| p == class && load > 0.0)
            .map(|(&load, _)| load)
            .sum();
        if class_load <= 0.0 {
            continue;
        }
        let fraction = (remaining / class_load).min(1.0);
        for ((out, &load), &p) in shed.iter_mut().zip(loads_mw).zip(priority) {
            if p == class && load > 0.0 {
                *out = load * fraction;
            }
        }
        remaining -= class_load * fraction;
        if fraction < 1.0 {
            remaining = 0.0;
        }
    }
    (shed, remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_class_goes_first_and_proportionally() {
        let loads = [100.0, 50.0, 80.0, -10.0];
        let priority = [0, 0, 2, 0];
        let (shed, short) = shed_by_priority(&loads, &priority, 30.0);
        assert_eq!(short, 0.0);
        assert!((shed[0] - 20.0).abs() < 1e-12 && (shed[1] - 10.0).abs() < 1e-12);
        assert_eq!(shed[2], 0.0);
        assert_eq!(
            shed[3], 0.0,
            "generation embedded as negative load is never shed"
        );
    }

    #[test]
    fn critical_loads_are_shed_only_after_the_rest() {
        let loads = [100.0, 50.0, 80.0];
        let priority = [0, 0, 2];
        let (shed, short) = shed_by_priority(&loads, &priority, 190.0);
        assert_eq!(short, 0.0);
        assert_eq!(&shed[..2], &[100.0, 50.0]);
        assert!((shed[2] - 40.0).abs() < 1e-12);
    }

    #[test]
    fn reports_what_cannot_be_shed() {
        let (shed, short) = shed_by_priority(&[10.0, 20.0], &[0, 1], 45.0);
        assert_eq!(shed, vec![10.0, 20.0]);
        assert!((short - 15.0).abs() < 1e-12);
    }
}
