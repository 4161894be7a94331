//! The CLI as a course author or a script uses it: exit codes, JSON shape, messages.

mod common;

use common::cli;

#[test]
fn run_pull_success_json_reports_result_1_and_exits_0() {
    let out = cli(&["run", "pull-success", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "pull-success");
    assert_eq!(v["seed"], 1);
    assert_eq!(v["final"]["state"], 0);
    assert_eq!(v["final"]["result"], 1);
    assert_eq!(v["final"]["firmware_version"], "2.0.0");
    assert_eq!(
        v["result_history"],
        serde_json::json!([[1, 0], [2, 0], [3, 0], [0, 1]])
    );
    assert_eq!(v["expectations"]["met"], true);
    assert_eq!(v["expectations"]["failed"], serde_json::json!([]));
    assert_eq!(v["dropped"], 0);
    assert!(
        v["datagrams"].as_u64().unwrap() > 128,
        "64 blocks, each asked and answered"
    );
    assert!(v["virtual_ms"].as_u64().unwrap() > 0);
}

#[test]
fn bad_scenario_id_exits_2_with_one_clear_line() {
    let out = cli(&["run", "no-such-scenario", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("no scenario named \"no-such-scenario\""),
        "{err}"
    );
    assert!(
        err.contains("pull-success"),
        "the message lists the known ids: {err}"
    );
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["run", "pull-success", "--seed", "x"][..],
        &["launch"],
        &["run"],
        &["run", "--file", "/nonexistent.json"],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}

#[test]
fn unmet_expectations_exit_1() {
    let dir = std::env::temp_dir().join(format!("fota-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wrong-version.json");
    std::fs::write(
        &path,
        r#"{"id":"wrong","title":"expects a version that is not delivered",
            "image":{"version":"2.0.0","size":4096,"path":"/fw/a.bin"},
            "expect":{"firmware_version":"3.0.0"}}"#,
    )
    .unwrap();
    let out = cli(&["run", "--file", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["expectations"]["met"], false);
    assert_eq!(
        v["expectations"]["failed"][0],
        "/3/0/3 Firmware Version: expected 3.0.0, got 2.0.0"
    );
}

#[test]
fn image_build_then_inspect_reports_every_check() {
    let dir = std::env::temp_dir().join(format!("fota-cli-img-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.bin");
    let out = cli(&[
        "image",
        "build",
        "--version",
        "2.1.0",
        "--security-counter",
        "4",
        "--size",
        "8192",
        "--behaviour",
        "hang",
        "-o",
        good.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::metadata(&good).unwrap().len(), 8192);
    let out = cli(&["image", "inspect", good.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], true);
    let names: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "header",
            "sizes",
            "hash",
            "key",
            "signature",
            "security counter",
            "manifest"
        ]
    );
    assert!(v["checks"][6]["detail"]
        .as_str()
        .unwrap()
        .contains("behaviour hang"));

    let unknown = dir.join("unknown.bin");
    cli(&[
        "image",
        "build",
        "--version",
        "2.1.0",
        "--key",
        "unknown",
        "-o",
        unknown.to_str().unwrap(),
    ]);
    let out = cli(&["image", "inspect", unknown.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1), "an untrusted key is invalid");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            v["valid"].as_bool(),
            v["checks"][3]["name"].as_str(),
            v["checks"][3]["ok"].as_bool()
        ),
        (Some(false), Some("key"), Some(false))
    );

    for args in [
        &["image", "build", "--version", "2.x", "-o", "/tmp/x"][..],
        &[
            "image",
            "build",
            "--version",
            "1.0.0",
            "--size",
            "10",
            "-o",
            "/tmp/x",
        ],
        &["image", "inspect", "/nonexistent"],
    ] {
        assert_eq!(cli(args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn powercut_sweep_reports_no_brick() {
    let out = cli(&["powercut", "--strategy", "overwrite", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["strategy"], "overwrite");
    assert_eq!(v["bricked"], 0);
    assert_eq!(v["cut_points"], v["operations"]);
    let booted = v["booted_old"].as_u64().unwrap() + v["booted_new"].as_u64().unwrap();
    assert_eq!(booted, v["cut_points"].as_u64().unwrap());
    assert_eq!(
        cli(&["powercut", "--strategy", "nope"]).status.code(),
        Some(2)
    );
}

/// BOOT-8: `powercut --all` sweeps every geometry a scenario may have, second cuts included.
#[test]
fn powercut_all_sweeps_every_geometry_of_a_strategy() {
    let out = cli(&["powercut", "--all", "--strategy", "overwrite", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports = v.as_array().unwrap();
    assert_eq!(
        reports.len(),
        5 * 2 * 3,
        "alignments x erased values x image sizes"
    );
    let mut seen: Vec<(u64, u64, String)> = Vec::new();
    for r in reports {
        assert_eq!(r["strategy"], "overwrite");
        assert_eq!(
            (r["bricked"].as_u64(), r["misplaced"].as_u64()),
            (Some(0), Some(0)),
            "{r}"
        );
        assert_eq!(r["cut_points"], r["operations"], "{r}");
        assert!(
            r["second_cuts"].as_u64().unwrap() >= r["cut_points"].as_u64().unwrap(),
            "{r}"
        );
        assert_eq!(r["after_second_cut"]["bricked"], 0, "{r}");
        let key = (
            r["align"].as_u64().unwrap(),
            r["erased"].as_u64().unwrap(),
            r["image"].as_str().unwrap().to_string(),
        );
        assert!(!seen.contains(&key), "{key:?} twice");
        seen.push(key);
    }
    let text = cli(&["powercut", "--all", "--strategy", "overwrite"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("overwrite align 16 erased 0x00 image largest (28672 bytes) upgrade:"),
        "{text}"
    );
    assert!(text.contains("30 geometries:"), "{text}");
}

#[test]
fn docs_rules_page_matches_the_rule_table() {
    let out = cli(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/RULES.md"))
        .expect("docs/RULES.md exists");
    assert!(
        page == String::from_utf8(out.stdout).unwrap(),
        "docs/RULES.md is out of date: run `cargo run -p fota-sandbox -- rules > docs/RULES.md`"
    );
}

/// The docs page `doc` is what the command prints today; its text.
fn docs_page_is_current(args: &[&str], doc: &str) -> String {
    let out = cli(args);
    let path = format!("{}/../../docs/{doc}", env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("docs/{doc}: {e}"));
    assert!(
        file == String::from_utf8(out.stdout).unwrap(),
        "docs/{doc} is out of date: run `cargo run -p fota-sandbox -- {} > docs/{doc}`",
        args.join(" ")
    );
    file
}

#[test]
fn docs_lesson_schema_matches_the_lesson_types() {
    let file = docs_page_is_current(&["lesson", "schema"], "lesson.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields are refused"
    );
    for field in ["id", "title", "scenario", "steps"] {
        assert!(
            schema["required"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == field),
            "{field} is required"
        );
    }
}

#[test]
fn docs_schema_matches_the_scenario_types() {
    let file = docs_page_is_current(&["schema"], "scenario.schema.json");
    let schema: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields are refused"
    );
    for field in ["version", "faults", "network", "narration", "expect"] {
        assert!(schema["properties"][field].is_object(), "{field}");
    }
}

#[test]
fn every_example_in_the_scenario_docs_is_a_usable_scenario() {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/scenarios.md"
    ))
    .unwrap();
    let examples: Vec<&str> = page
        .split("```json\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect();
    assert!(examples.len() >= 2);
    for text in examples {
        if let Err(e) = fota_sim::Scenario::from_json(text) {
            panic!("{e}\n{text}");
        }
    }
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fota-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn a_scenario_file_runs_by_its_path_and_validate_names_the_bad_field() {
    let good = scratch("good.json");
    std::fs::write(
        &good,
        r#"{"version":1,"id":"mine","title":"mine",
            "image":{"version":"2.0.0","size":4096,"path":"/fw/a.bin"},
            "expect":{"result":1}}"#,
    )
    .unwrap();
    let out = cli(&["validate", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("scenario mine is usable"));
    let out = cli(&["run", good.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(0));

    let bad = scratch("bad.json");
    std::fs::write(
        &bad,
        r#"{"version":1,"id":"mine","title":"mine",
            "image":{"version":"2.0.0","size":4096,"path":"/fw/a.bin"},
            "network":{"loss_percent":130}}"#,
    )
    .unwrap();
    let out = cli(&["validate", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("at `network.loss_percent`: 130 is above 100"),
        "{err}"
    );
}

#[test]
fn scenarios_lists_every_builtin_with_its_topic() {
    let out = cli(&["scenarios"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.lines().count(),
        fota_sim::Scenario::builtin().len(),
        "{text}"
    );
    let line = text.lines().find(|l| l.starts_with("lossy-link")).unwrap();
    assert!(line.contains("network"), "{line}");
}

#[test]
fn run_writes_a_trace_file_that_is_the_same_for_the_same_seed() {
    let (a, b) = (scratch("a.json"), scratch("b.json"));
    for path in [&a, &b] {
        let out = cli(&[
            "run",
            "lossy-link",
            "--seed",
            "4",
            "--trace",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.code().is_some());
    }
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    assert_eq!(a, b, "byte-identical");
    let v: serde_json::Value = serde_json::from_slice(&a).unwrap();
    assert_eq!(v["format"], "fota-sandbox-trace");
    assert_eq!(v["seed"], 4);
    let rows = v["datagrams"].as_array().unwrap();
    assert!(rows.iter().any(|d| d["fate"] == "dropped"));
    assert!(rows[0]["hex"].as_str().unwrap().starts_with("4"), "a CON");
}

#[test]
fn lessons_are_listed_and_a_lesson_file_is_checked_against_its_run() {
    let out = cli(&["lessons"]);
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        list.contains("four-steps") && list.contains("pull-success"),
        "{list}"
    );
    let dir = std::env::temp_dir().join(format!("fota-lessons-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    };
    let good = write(
        "good.json",
        r#"{"id":"g","title":"g","scenario":"rollback","steps":[{"text":"a"},
            {"text":"b","anchor":{"kind":"change","state":0,"result":8}}]}"#,
    );
    let out = cli(&["lesson", "check", &good]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The rollback run never reports Result 1: step 2 has nowhere to go.
    let gone = write(
        "gone.json",
        r#"{"id":"g","title":"g","scenario":"rollback","steps":[{"text":"a"},
            {"text":"b","anchor":{"kind":"change","state":0,"result":1}}]}"#,
    );
    let out = cli(&["lesson", "check", &gone]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("step 2 (`steps[1].anchor`) matches nothing"),
        "{err}"
    );
    let bad = write(
        "bad.json",
        r#"{"id":"g","title":"g","scenario":"rollback","steps":[{"text":"a","anchor":{"kind":"message","filter":"uri =="}}]}"#,
    );
    let out = cli(&["lesson", "check", &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at `steps[0].anchor.filter`"));
    // Text quotes the run: the URI the server wrote, the block the first Block2 asks for.
    let quoting = write(
        "quoting.json",
        r#"{"id":"q","title":"q","scenario":"pull-success","steps":[
            {"text":"wrote {uri}: {coap.code}","anchor":{"kind":"message","filter":"uri == \"/5/0/1\" && coap.code == PUT"}},
            {"text":"{coap.type} block {coap.opt.block_number} of {coap.opt.block_size}","anchor":{"kind":"message","filter":"to == repository"}},
            {"text":"now {state}, {result}","anchor":{"kind":"change","state":2}}]}"#,
    );
    let out = cli(&["lesson", "check", &quoting]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(": wrote /5/0/1: PUT"), "{text}");
    assert!(text.contains(": CON block 0 of 512 bytes"), "{text}");
    assert!(
        text.contains(": now 2 (Downloaded), 0 (Initial value)"),
        "{text}"
    );
    // A message without an ETag has none to quote.
    let unfilled = write(
        "unfilled.json",
        r#"{"id":"q","title":"q","scenario":"pull-success","steps":[
            {"text":"etag {coap.opt.etag}","anchor":{"kind":"message","filter":"uri == \"/rd\""}}]}"#,
    );
    let out = cli(&["lesson", "check", &unfilled]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("{coap.opt.etag} has no value"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn challenge_check_fails_the_start_passes_the_solution_and_names_a_bad_field() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../course/challenges/result-7.json"
    );
    let start = cli(&["challenge", "check", file]);
    assert_eq!(start.status.code(), Some(1));
    let text = String::from_utf8_lossy(&start.stdout);
    assert!(
        text.contains("Update Result is 1; this challenge wants 7"),
        "{text}"
    );
    let solved = cli(&["challenge", "check", file, "--solution"]);
    assert_eq!(solved.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&solved.stdout).contains("solved"));
    let bad = scratch("bad-challenge.json");
    std::fs::write(
        &bad,
        r#"{"version": 1, "id": "x", "title": "x", "scenario": "nope"}"#,
    )
    .unwrap();
    let out = cli(&["challenge", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing field `task`"), "{err}");
}

#[test]
fn docs_challenge_schema_matches_the_challenge_types() {
    docs_page_is_current(&["challenge", "schema"], "challenge.schema.json");
}

#[test]
fn challenges_are_listed_with_lesson_par_and_seeds() {
    let out = cli(&["challenges"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("result-7 "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("states-results") && line.contains("par 1"),
        "{line}"
    );
    assert_eq!(
        text.lines().count(),
        fota_course::challenge::builtin().len()
    );
}

#[test]
fn a_class_table_from_progress_codes_counts_what_each_student_solved() {
    use fota_course::challenge::{grade, Attempt, Progress};
    let c = fota_course::challenge::by_id("result-7").unwrap();
    let mut ada = Progress::default();
    ada.record(&c.id, &grade(&c, &Attempt::solution(&c).unwrap()).unwrap());
    let mut bob = Progress::default();
    bob.record(&c.id, &grade(&c, &Attempt::default()).unwrap());
    bob.record(&c.id, &grade(&c, &Attempt::default()).unwrap());
    let codes = scratch("codes.txt");
    std::fs::write(
        &codes,
        format!(
            "# workshop 1\n{}\n{}\nnot a code\n",
            ada.code("Ada"),
            bob.code("Bob")
        ),
    )
    .unwrap();
    let out = cli(&["challenge", "grade", codes.to_str().unwrap()]);
    // One line is not a code: said on stderr, and the exit says so.
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(":4: this is not a progress code"));
    let text = String::from_utf8_lossy(&out.stdout);
    let n = fota_course::challenge::builtin().len();
    let column = fota_course::challenge::builtin()
        .iter()
        .position(|b| b.id == "result-7")
        .unwrap();
    let cells = |name: &str| -> Vec<String> {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap();
        line.split_whitespace().map(str::to_string).collect()
    };
    let (a, b) = (cells("Ada"), cells("Bob"));
    assert_eq!(a[1], format!("1/{n}"));
    assert_eq!(a[2 + column], "✓");
    assert_eq!(b[1], format!("0/{n}"));
    assert_eq!(b[2 + column], "×2");
}
