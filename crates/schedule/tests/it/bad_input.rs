//! Bad input: every malformed file names its line and column; rules that cannot hold
//! say why.

use lifeline_schedule::{Rules, capacity, group};

fn message<T: std::fmt::Debug>(result: Result<T, lifeline_schedule::ScheduleError>) -> String {
    result.unwrap_err().to_string()
}

#[test]
fn malformed_capacity_files_are_located() {
    let text = "from_h,available_mw\n0,900\n6,abc\n";
    assert_eq!(
        message(capacity::from_csv("cap.csv", text, 24, 1.0)),
        "cap.csv:3:3: available_mw: expected a number, got 'abc'"
    );
    let text = "from_h,available_mw\n0,900\n6,-5\n";
    assert_eq!(
        message(capacity::from_csv("cap.csv", text, 24, 1.0)),
        "cap.csv:3:3: available_mw: capacity cannot be negative, got -5 MW"
    );
    let text = "from_h,available_mw\n0,900\n6\n";
    assert_eq!(
        message(capacity::from_csv("cap.csv", text, 24, 1.0)),
        "cap.csv:3:1: row has 1 fields, expected 2 (from_h,available_mw)"
    );
    let text = "from_h,available_mw\n2,900\n";
    assert!(message(capacity::from_csv("cap.csv", text, 24, 1.0)).contains("must start at hour 0"));
    let text = "from_h,available_mw\n0,900\n6,800\n6,700\n";
    assert!(
        message(capacity::from_csv("cap.csv", text, 24, 1.0))
            .contains("cap.csv:4:1: from_h: steps must be in increasing time order")
    );
    let text = "hour,mw\n0,900\n";
    assert!(message(capacity::from_csv("cap.csv", text, 24, 1.0)).contains("no column 'from_h'"));
    assert!(message(capacity::from_csv("cap.csv", "", 24, 1.0)).contains("the file is empty"));
}

#[test]
fn capacity_steps_fill_the_slots() {
    let text = "# a comment\nfrom_h,available_mw\n0,900\n1.5,800\n";
    let capacity = capacity::from_csv("cap.csv", text, 4, 0.5).unwrap();
    assert_eq!(capacity, [900.0, 900.0, 900.0, 800.0]);
}

#[test]
fn malformed_group_files_are_located() {
    let text = "group,critical,load_mw\n1.1,false,40\n1.1,false,30\n";
    assert_eq!(
        message(group::from_csv("groups.csv", text)),
        "groups.csv:3:1: group '1.1' is listed twice"
    );
    let text = "group,critical,load_mw\n1.1,maybe,40\n";
    assert_eq!(
        message(group::from_csv("groups.csv", text)),
        "groups.csv:2:5: critical: expected true or false, got 'maybe'"
    );
    let text = "group,critical,load_mw\n1.1,false,-4\n";
    assert_eq!(
        message(group::from_csv("groups.csv", text)),
        "groups.csv:2:11: load_mw: expected 0 MW or more, got -4"
    );
}

#[test]
fn rules_that_cannot_hold_say_why() {
    assert!(message(Rules::new(45, 4.0, 1.0)).contains("60 or 30 minutes, got 45"));
    assert!(message(Rules::new(60, 0.0, 1.0)).contains("at least one slot"));
    assert!(
        message(Rules::new(60, 2.5, 1.0)).contains("whole number of 60-minute slots, got 2.5 h")
    );
    assert!(message(Rules::new(30, 2.5, -1.0)).contains("minimum on time"));
    let rules = Rules::new(30, 2.5, 1.0).unwrap();
    assert_eq!((rules.max_off_slots, rules.min_on_slots), (5, 2));
}

#[test]
fn overlapping_stage_windows_and_unknown_groups_are_refused() {
    use lifeline_schedule::stages;
    let text = "from_h,to_h,groups_off\n0,6,2\n4,8,3\n";
    assert_eq!(
        message(stages::from_csv("stages.csv", text, 24, 1.0)),
        "stages.csv:3:1: overlapping rules: stage window 4–8 h overlaps 0–6 h on line 2"
    );
    let text = "from_h,to_h,groups_off\n6,4,2\n";
    assert!(
        message(stages::from_csv("stages.csv", text, 24, 1.0)).contains("must end after it starts")
    );
    let text = "from_h,to_h,groups_off\n0,4,two\n";
    assert_eq!(
        message(stages::from_csv("stages.csv", text, 24, 1.0)),
        "stages.csv:2:5: groups_off: expected a whole number of groups, got 'two'"
    );
    let stages = stages::from_csv("stages.csv", "from_h,to_h,groups_off\n1,3,2\n", 4, 1.0).unwrap();
    assert_eq!(stages, [None, Some(2), Some(2), None]);
    let mut groups = group::from_csv(
        "g.csv",
        "group,critical,load_mw\n1.1,false,10\n1.2,false,10\n",
    )
    .unwrap();
    assert_eq!(
        message(group::exempt(&mut groups, &["3.3".to_string()])),
        "exempt: unknown group '3.3'; the groups are 1.1, 1.2"
    );
    group::exempt(&mut groups, &["1.2".to_string()]).unwrap();
    assert!(groups[1].critical);
}

#[test]
fn hourly_group_loads_are_read_and_checked() {
    let mut groups = group::from_csv(
        "g.csv",
        "group,critical,load_mw\n1.1,false,10\n1.2,false,10\n",
    )
    .unwrap();
    let text = "group,from_h,load_mw\n1.1,0,8\n1.1,2,12\n";
    group::profiles_from_csv(&mut groups, "loads.csv", text, 4, 1.0).unwrap();
    assert_eq!(groups[0].profile_mw, [8.0, 8.0, 12.0, 12.0]);
    assert_eq!(groups[0].load_at(3), 12.0);
    assert_eq!(groups[1].load_at(3), 10.0);
    let text = "group,from_h,load_mw\n1.3,0,8\n";
    assert_eq!(
        message(group::profiles_from_csv(
            &mut groups,
            "loads.csv",
            text,
            4,
            1.0
        )),
        "loads.csv:2:1: unknown group '1.3': the groups are 1.1, 1.2"
    );
    let text = "group,from_h,load_mw\n1.1,0,8\n1.1,0,9\n";
    assert!(
        message(group::profiles_from_csv(
            &mut groups,
            "loads.csv",
            text,
            4,
            1.0
        ))
        .contains("loads.csv:3:5: from_h: steps of group '1.1' must be in increasing time order")
    );
}
