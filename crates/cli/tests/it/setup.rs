//! `scripts/ensure-build-deps`, the README's first step: it finds libclang exactly as
//! bindgen does, so a machine with only `libclang-cpp` (which bindgen cannot load) gets
//! `libclang-dev` installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/ensure-build-deps")
}

/// The packages the script would install with `LIFELINE_LIBCLANG_DIRS` set to a folder
/// holding `files` (empty files stand for the libraries).
fn would_install(files: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        std::fs::write(dir.path().join(file), b"").unwrap();
    }
    let output = Command::new("bash")
        .arg(script())
        .arg("--dry-run")
        .env("LIFELINE_LIBCLANG_DIRS", dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn only_libclang_cpp_is_not_enough_for_bindgen() {
    let packages = would_install(&["libclang-cpp.so.14", "libclang-cpp.so"]);
    assert!(
        packages.contains(&"libclang-dev".to_string()),
        "{packages:?}"
    );
}

#[test]
fn every_name_bindgen_loads_counts_as_libclang() {
    for name in [
        "libclang.so",
        "libclang-14.so",
        "libclang.so.1",
        "libclang-14.so.1",
        "libclang-14.0.6.so",
    ] {
        let packages = would_install(&[name, "libclang-cpp.so.14"]);
        assert!(
            !packages.contains(&"libclang-dev".to_string()),
            "{name}: {packages:?}"
        );
    }
}

#[test]
fn an_empty_folder_needs_libclang_and_unknown_arguments_are_refused() {
    assert!(would_install(&[]).contains(&"libclang-dev".to_string()));
    let output = Command::new("bash")
        .arg(script())
        .arg("--install-everything")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown argument"));
}

/// The library crates speak of request fields, never of this program's flags: their
/// messages reach API users too. Every string literal in their sources (comments aside)
/// is searched for a `--flag`.
#[test]
fn library_crates_name_no_command_line_flag() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    for name in [
        "core",
        "power",
        "water",
        "cascade",
        "restore",
        "schedule",
        "incidents",
        "sweep",
        "server",
        "app",
        "demo-city",
    ] {
        let mut files = vec![crates.join(name).join("src")];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (number, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") || code.starts_with("#[cfg(test)]") {
                    continue;
                }
                if flag_in_string(line) {
                    found.push(format!("{}:{}: {}", path.display(), number + 1, code));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "library text names a flag:\n{}",
        found.join("\n")
    );
}

/// Whether a string literal on `line` holds `--` followed by a letter.
fn flag_in_string(line: &str) -> bool {
    let mut in_string = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' && (i == 0 || bytes[i - 1] != b'\\') {
            in_string = !in_string;
        } else if in_string
            && bytes[i..].starts_with(b"--")
            && bytes.get(i + 2).is_some_and(u8::is_ascii_lowercase)
        {
            return true;
        }
    }
    false
}
