//! Lesson files: what a course author gets wrong is named by its field, and a lesson's steps
//! are found on the run they talk about.

use fota_course::lesson::{resolve, Anchor, Lesson};
use fota_sim::{Scenario, World};

fn err(text: &str) -> String {
    Lesson::from_json(text).unwrap_err().to_string()
}

#[test]
fn mistakes_name_their_field() {
    let e = err(r#"{"id":"x","title":"x","scenario":"nope","steps":[{"text":"a"}]}"#);
    assert_eq!(
        e,
        "lesson is not usable at `scenario`: no built-in scenario is called \"nope\""
    );
    let e = err(
        r#"{"id":"x","title":"x","scenario":"pull-success","steps":[{"text":"a"},
        {"text":"b","anchor":{"kind":"message","filter":"coap.tpye == 0"}}]}"#,
    );
    assert!(
        e.starts_with(
            "lesson is not usable at `steps[1].anchor.filter`: unknown field `coap.tpye`"
        ),
        "{e}"
    );
    let e = err(
        r#"{"id":"x","title":"x","scenario":"pull-success","steps":[{"text":"a","anchor":{"kind":"moment"}}]}"#,
    );
    assert!(
        e.contains("at `steps[0].anchor.kind`") && e.contains("unknown variant `moment`"),
        "{e}"
    );
    let e = err(r#"{"id":"x","title":"x","scenario":"pull-success","steps":[{"txt":"a"}]}"#);
    assert!(
        e.contains("steps[0]") && e.contains("unknown field `txt`"),
        "{e}"
    );
    let e = err(r#"{"id":"x","title":"x","scenario":"pull-success","steps":[]}"#);
    assert!(e.contains("at `steps`"), "{e}");
}

#[test]
fn anchors_find_their_moment_and_a_branch_may_have_none() {
    let mut w = World::new(Scenario::by_id("pull-success").unwrap(), 1);
    w.run_to_end();
    let write = Anchor::Message {
        filter: r#"uri == "/5/0/1" && coap.code == PUT"#.into(),
        nth: 1,
    };
    let m = resolve(&write, &w).expect("the URI write");
    let row = m.message.unwrap();
    assert_eq!(m.rows, row + 1);
    let label = fota_lwm2m::explain(&w.trace()[row].bytes, None).summary;
    assert!(label.contains("PUT /5/0/1"), "{label}");
    // State 2 appears after the last block, State 0 with Result 1 at the end.
    let downloaded = resolve(
        &Anchor::Change {
            state: Some(2),
            result: None,
        },
        &w,
    )
    .unwrap();
    let success = resolve(
        &Anchor::Change {
            state: Some(0),
            result: Some(1),
        },
        &w,
    )
    .unwrap();
    assert!(row < downloaded.rows && downloaded.rows < success.rows);
    let swap = resolve(
        &Anchor::Boot {
            event: "swap-started".into(),
            nth: 1,
        },
        &w,
    )
    .unwrap();
    assert!(downloaded.rows < swap.rows && swap.rows <= success.rows);
    let phase = resolve(
        &Anchor::Phase {
            phase: "downloading".into(),
        },
        &w,
    )
    .unwrap();
    assert!(phase.rows <= downloaded.rows);
    // A run that fails has no Result 1 to go to.
    let mut lost = World::new(Scenario::by_id("connection-lost").unwrap(), 1);
    lost.run_to_end();
    assert_eq!(
        resolve(
            &Anchor::Change {
                state: Some(0),
                result: Some(1)
            },
            &lost
        ),
        None
    );
    assert_eq!(
        resolve(
            &Anchor::Boot {
                event: "reverted".into(),
                nth: 1,
            },
            &lost
        ),
        None
    );
}

#[test]
fn the_example_in_docs_lessons_md_is_a_usable_lesson() {
    let page = include_str!("../../../docs/lessons.md");
    let json = page
        .split("```json")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/lessons.md has a JSON example");
    let lesson = Lesson::from_json(json).expect("the example reads");
    let s = Scenario::by_id(&lesson.scenario).unwrap();
    let mut w = World::new(s, 1);
    w.run_to_end();
    let told = fota_course::lesson::tell(&lesson, &w);
    for (step, t) in lesson.steps.iter().zip(&told) {
        if let Some(a) = &step.anchor {
            assert!(resolve(a, &w).is_some(), "{a:?}");
        }
        assert!(t.unfilled.is_empty(), "{t:?}");
    }
    // The Execute's message ID and time, as the run has them.
    let execute = told[1].moment.unwrap().message.unwrap();
    let mid = fota_coap::message::decode(&w.trace()[execute].bytes)
        .unwrap()
        .header
        .message_id;
    assert!(
        told[1].text.contains(&format!("message ID {mid}, at ")),
        "{}",
        told[1].text
    );
}
