//! Bad input never panics: each gets EPANET's code and message, and the line where EPANET
//! names one.

use crate::support::{data_dir, write_network};
use lifeline_water::{DemandModel, Engine, LinkChange, Simulation, SimulationOptions, WaterError};

const NET1: &str = include_str!("../../../../data/epanet/Net1.inp");

/// EPANET's engine, whose messages these tests pin.
fn epanet() -> SimulationOptions {
    SimulationOptions {
        engine: Engine::Epanet,
        ..SimulationOptions::default()
    }
}

/// Opens `text` as a network with EPANET and returns the error's code and message,
/// after checking that the default engine refuses it too, at every line EPANET names.
fn open_error(text: &str) -> (i32, String) {
    let (_dir, path) = write_network("bad.inp", text);
    let file = path.display().to_string();
    let error = Simulation::open(&path, epanet()).err().expect("an error");
    let code = match &error {
        WaterError::Epanet { code, .. } => *code,
        other => panic!("not an EPANET error: {other:?}"),
    };
    let message = error.to_string().replace(&file, "bad.inp");
    let native = Simulation::open(&path, SimulationOptions::default())
        .err()
        .expect("the default engine refuses it too")
        .to_string()
        .replace(&file, "bad.inp");
    for line in message.lines().filter_map(|l| l.split(':').nth(1)) {
        if line.parse::<u32>().is_ok() {
            assert!(
                native.contains(&format!("bad.inp:{line}:")),
                "EPANET names line {line}, the default engine does not:\n{native}\n--\n{message}"
            );
        }
    }
    (code, message)
}

#[test]
fn missing_file() {
    let error = Simulation::open("no/such/net.inp".as_ref(), epanet())
        .err()
        .unwrap();
    assert_eq!(
        error.to_string(),
        "no/such/net.inp: Error 302: cannot open input file"
    );
    let error = Simulation::open("no/such/net.inp".as_ref(), SimulationOptions::default())
        .err()
        .unwrap();
    assert_eq!(
        error.to_string(),
        "no/such/net.inp: cannot read the file: No such file or directory (os error 2)"
    );
}

#[test]
fn unknown_section() {
    let (code, message) = open_error(&NET1.replace("[JUNCTIONS]", "[FOO]\n x 1\n[JUNCTIONS]"));
    assert_eq!(code, 200);
    assert_eq!(
        message,
        "bad.inp:6: Error 299: invalid section keyword [FOO]: section contents ignored: `[FOO]`\n\
         bad.inp: Error 200: one or more errors in input file"
    );
}

#[test]
fn unknown_node_in_a_pipe() {
    let text = NET1.replace(
        " 11              \t11              \t12 ",
        " 11              \t11              \t99 ",
    );
    let (code, message) = open_error(&text);
    assert_eq!(code, 200);
    assert_eq!(
        message.lines().next().unwrap(),
        "bad.inp:29: Error 203: undefined node 99 in [PIPES] section: `11 11 99 5280 14 100 0 Open ;`"
    );
}

#[test]
fn wrong_units_keyword() {
    let (_, message) = open_error(&NET1.replace("GPM", "GPX"));
    assert_eq!(
        message.lines().next().unwrap(),
        "bad.inp:132: Error 213: invalid option value GPX in [OPTIONS] section: `Units GPX`"
    );
}

#[test]
fn negative_diameter() {
    let (_, message) = open_error(&NET1.replace("10530       \t18 ", "10530       \t-18 "));
    assert_eq!(
        message.lines().next().unwrap(),
        "bad.inp:28: Error 202: illegal numeric value -18 in [PIPES] section: `10 10 11 10530 -18 100 0 Open ;`"
    );
}

#[test]
fn disconnected_node() {
    let (code, message) = open_error(&NET1.replace("[RESERVOIRS]", " 99  700  0\n[RESERVOIRS]"));
    assert_eq!(code, 233);
    assert_eq!(
        message,
        "bad.inp:18: Error 234: network has an unconnected node with ID:  99\n\
         bad.inp: Error 233: network has unconnected nodes"
    );
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "\0\0\0",
        "[PIPES]\n1 2 3 x y z",
        "[TIMES]\nDuration 25:xx",
        &NET1[..NET1.len() / 2],
    ] {
        let (_dir, path) = write_network("garbage.inp", text);
        assert!(
            Simulation::open(&path, SimulationOptions::default()).is_err(),
            "{text:?}"
        );
    }
}

#[test]
fn bad_requests_are_explained() {
    let path = data_dir().join("Net1.inp");
    let mut simulation = Simulation::open(&path, SimulationOptions::default()).unwrap();
    let error = simulation.change_link("99", LinkChange::Close).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("unknown link '99'; did you mean 9?"),
        "{error}"
    );
    let error = simulation
        .change_link("10", LinkChange::Speed(0.8))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("link '10' is not a pump: only pumps have a speed"),
        "{error}"
    );
    let error = simulation
        .change_link("9", LinkChange::Speed(-1.0))
        .unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("pump speed must be 0 or more, got -1"),
        "{error}"
    );

    let options = SimulationOptions {
        demand_model: Some(DemandModel::PressureDriven {
            min_pressure_m: 10.0,
            required_pressure_m: 10.0,
            exponent: 0.5,
        }),
        ..Default::default()
    };
    let error = Simulation::open(&path, options).err().unwrap();
    assert!(
        error
            .to_string()
            .contains("required pressure 10 m must exceed the minimum 10 m"),
        "{error}"
    );
}

#[test]
fn nan_infinite_and_absurd_numbers_are_refused_at_their_line() {
    let text = NET1.replace("10530       \t18 ", "NaN       \t18 ");
    let (_dir, path) = write_network("bad.inp", &text);
    let error = Simulation::open(&path, SimulationOptions::default())
        .err()
        .expect("an error");
    assert!(matches!(error, WaterError::BadNumbers { .. }), "{error:?}");
    let message = error
        .to_string()
        .replace(&path.display().to_string(), "bad.inp");
    assert_eq!(
        message,
        "bad.inp:28: [PIPES] 10: length must be a finite number of at most 1e9 in size, got NaN"
    );
    let text = NET1.replace(" 10              \t710 ", " 10              \t1e308 ");
    let (_dir, path) = write_network("bad.inp", &text);
    let error = Simulation::open(&path, SimulationOptions::default())
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .contains("elevation must be a finite number of at most 1e9 in size, got 1e308"),
        "{error}"
    );
}

#[test]
fn errors_on_repeated_rows_point_at_each_row() {
    // The same bad pipe row twice (a bad diameter, then a duplicate id): each error at its
    // own line, not both at the first.
    let row = NET1.lines().nth(27).unwrap();
    let bad = row.replacen("\t18 ", "\t-18 ", 1);
    let text = NET1.replacen(row, &format!("{bad}\n{bad}"), 1);
    let (_, message) = open_error(&text);
    let lines: Vec<&str> = message.lines().collect();
    assert!(lines[0].starts_with("bad.inp:28: Error 202"), "{message}");
    assert!(lines[1].starts_with("bad.inp:29: Error 215"), "{message}");
}
