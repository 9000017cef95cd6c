use didact_map::VecMap;

use super::document::{merge, merge_import, parse_import, Document, Entry, ImportError};
use super::local::{local_document, reset, writes, Write};
use super::summary::{format_percent, summarise, Item, ItemKind, Saved};

const COURSE: &str = "chorus-pro";

fn doc(cleared: u64, entries: &[(&str, u64, Option<&str>)]) -> Document {
    let mut res = Document::new(COURSE);
    res.cleared = cleared;
    for (name, t, value) in entries {
        res.entries.insert(
            (*name).to_owned(),
            Entry {
                t: *t,
                value: value.map(str::to_owned),
            },
        );
    }
    res
}

fn values(pairs: &[(&str, &str)]) -> VecMap<String, String> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[track_caller]
fn check_import_error(text: &str, expected: ImportError) {
    assert_eq!(parse_import(text, COURSE), Err(expected));
}

// Merge.

#[test]
fn merge_keeps_the_newer_entry_of_each_name() {
    let a = doc(0, &[("quiz:a", 10, Some("old")), ("read:p1", 5, Some("1"))]);
    let b = doc(0, &[("quiz:a", 20, Some("new")), ("read:p2", 7, Some("1"))]);
    let expected = doc(
        0,
        &[
            ("quiz:a", 20, Some("new")),
            ("read:p1", 5, Some("1")),
            ("read:p2", 7, Some("1")),
        ],
    );
    assert_eq!(merge(&a, &b), expected);
    assert_eq!(merge(&b, &a), expected);
}

#[test]
fn a_newer_removal_beats_an_older_value_and_not_the_reverse() {
    let removed = doc(0, &[("quiz:a", 20, None)]);
    let saved = doc(0, &[("quiz:a", 10, Some("x"))]);
    assert_eq!(merge(&saved, &removed).value("quiz:a"), None);
    let saved_later = doc(0, &[("quiz:a", 30, Some("y"))]);
    assert_eq!(merge(&removed, &saved_later).value("quiz:a"), Some("y"));
}

#[test]
fn merge_is_commutative_associative_and_idempotent_on_ties() {
    let a = doc(0, &[("k", 10, Some("a")), ("r", 3, None)]);
    let b = doc(0, &[("k", 10, Some("b")), ("r", 3, Some("x"))]);
    let c = doc(4, &[("k", 10, None), ("z", 5, Some("z"))]);
    assert_eq!(merge(&a, &b), merge(&b, &a));
    assert_eq!(merge(&merge(&a, &b), &c), merge(&a, &merge(&b, &c)));
    assert_eq!(merge(&a, &a), a);
    // On a tie, the removal wins, then the greater text.
    assert_eq!(merge(&a, &b).value("k"), Some("b"));
    assert_eq!(merge(&a, &b).entries["r"].value, None);
}

#[test]
fn a_reset_drops_every_entry_written_before_it_on_both_sides() {
    let hub = doc(0, &[("quiz:a", 10, Some("x")), ("read:p", 50, Some("1"))]);
    let page_after_reset = doc(40, &[]);
    let merged = merge(&hub, &page_after_reset);
    assert_eq!(merged, doc(40, &[("read:p", 50, Some("1"))]));
}

// The page's own storage.

#[test]
fn local_changes_since_the_snapshot_are_stamped_now() {
    let snapshot = doc(
        0,
        &[
            ("seed", 5, Some("42")),
            ("quiz:a", 6, Some("v1")),
            ("gone", 7, Some("x")),
        ],
    );
    let current = values(&[("seed", "42"), ("quiz:a", "v2"), ("results", "{}")]);
    let local = local_document(&snapshot, &current, 100);
    assert_eq!(
        local,
        doc(
            0,
            &[
                ("gone", 100, None),
                ("quiz:a", 100, Some("v2")),
                ("results", 100, Some("{}")),
                ("seed", 5, Some("42")),
            ]
        )
    );
}

#[test]
fn a_local_change_wins_even_when_the_clock_went_back() {
    let snapshot = doc(0, &[("quiz:a", 500, Some("v1"))]);
    let local = local_document(&snapshot, &values(&[("quiz:a", "v2")]), 100);
    assert_eq!(local.entries["quiz:a"].t, 501);
}

#[test]
fn writes_turn_the_page_storage_into_the_document() {
    let merged = doc(
        0,
        &[("a", 1, Some("1")), ("b", 2, Some("new")), ("c", 3, None)],
    );
    let current = values(&[("b", "old"), ("c", "x"), ("d", "stale")]);
    assert_eq!(
        writes(&merged, &current),
        vec![
            Write::Set("a".into(), "1".into()),
            Write::Set("b".into(), "new".into()),
            Write::Remove("c".into()),
            Write::Remove("d".into()),
        ]
    );
}

#[test]
fn progress_made_on_one_page_reaches_another_through_the_hub() {
    // Page A answers a quiz; page B (its own storage, as in Firefox from file://) opens later.
    let page_a = local_document(&Document::new(COURSE), &values(&[("quiz:a", "done")]), 10);
    let hub = merge(&Document::new(COURSE), &page_a);
    let page_b = local_document(&Document::new(COURSE), &values(&[("read:p2", "1")]), 20);
    let hub = merge(&hub, &page_b);
    let expected = values(&[("quiz:a", "done"), ("read:p2", "1")]);
    assert_eq!(
        writes(&hub, &values(&[("read:p2", "1")])),
        vec![Write::Set("quiz:a".into(), "done".into())]
    );
    assert_eq!(
        hub.entries.keys().cloned().collect::<Vec<_>>(),
        expected.keys().cloned().collect::<Vec<_>>()
    );
}

#[test]
fn a_reset_wins_over_copies_held_by_pages_not_visited_since() {
    let old_page = doc(0, &[("quiz:a", 10, Some("x"))]);
    let after_reset = reset(&doc(0, &[("quiz:a", 10, Some("x"))]), 50);
    let hub = merge(&after_reset, &old_page);
    assert!(hub.entries.is_empty());
    assert_eq!(hub.cleared, 50);
}

// Import.

#[test]
fn an_export_imports_exactly_into_an_empty_browser() {
    let exported = doc(
        0,
        &[("quiz:a", 10, Some("{\"v\":1}")), ("read:p", 3, Some("1"))],
    );
    let text = exported.to_pretty_json();
    let file = parse_import(&text, COURSE).unwrap();
    assert_eq!(merge_import(&Document::new(COURSE), &file), exported);
}

#[test]
fn import_merges_and_never_loses_newer_local_progress() {
    let local = doc(
        0,
        &[("quiz:a", 50, Some("newer")), ("read:p", 1, Some("1"))],
    );
    let file = doc(
        0,
        &[("quiz:a", 10, Some("older")), ("quiz:b", 10, Some("b"))],
    );
    let res = merge_import(&local, &file);
    assert_eq!(res.value("quiz:a"), Some("newer"));
    assert_eq!(res.value("quiz:b"), Some("b"));
    assert_eq!(res.value("read:p"), Some("1"));
}

#[test]
fn import_after_a_reset_brings_the_saved_progress_back() {
    let local = doc(100, &[]);
    let file = doc(0, &[("quiz:a", 10, Some("x"))]);
    assert_eq!(merge_import(&local, &file).value("quiz:a"), Some("x"));
}

#[test]
fn import_ignores_the_reset_marker_of_the_file() {
    let local = doc(0, &[("quiz:a", 10, Some("mine"))]);
    let file = doc(500, &[]);
    assert_eq!(merge_import(&local, &file).value("quiz:a"), Some("mine"));
}

#[test]
fn a_file_that_is_not_json_is_refused() {
    check_import_error("PK\u{3}\u{4} not a progress file", ImportError::NotJson);
}

#[test]
fn a_json_file_of_another_kind_is_refused() {
    check_import_error(r#"{"invoices": []}"#, ImportError::Foreign);
    check_import_error("[1, 2]", ImportError::Foreign);
}

#[test]
fn a_file_of_an_older_or_newer_format_is_refused() {
    check_import_error(
        r#"{"format": "didact-progress", "version": 0, "course": "chorus-pro", "entries": {}}"#,
        ImportError::OldVersion(0),
    );
    check_import_error(
        r#"{"format": "didact-progress", "version": 7, "course": "chorus-pro", "entries": {}}"#,
        ImportError::NewVersion(7),
    );
}

#[test]
fn a_file_of_another_course_is_refused() {
    check_import_error(
        r#"{"format": "didact-progress", "version": 1, "course": "autre", "entries": {}}"#,
        ImportError::OtherCourse("autre".into()),
    );
}

#[test]
fn a_damaged_file_is_refused_with_the_reason() {
    let damaged = [
        r#"{"format": "didact-progress", "version": 1, "course": "chorus-pro", "entries": {"quiz:a": {"t": "hier", "value": "x"}}}"#,
        r#"{"format": "didact-progress", "version": 1, "course": "chorus-pro", "entries": {"<script>": {"t": 1, "value": "x"}}}"#,
        r#"{"format": "didact-progress", "version": 1, "course": "chorus-pro", "entries": {"results": {"t": 1, "value": "not json"}}}"#,
        r#"{"format": "didact-progress", "version": 1, "course": "chorus-pro", "extra": true}"#,
        r#"{"format": "didact-progress", "course": "chorus-pro"}"#,
    ];
    for text in damaged {
        let error = parse_import(text, COURSE).unwrap_err();
        assert!(
            matches!(error, ImportError::Damaged(_)),
            "{text}: {error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("Cette sauvegarde est endommagée"),
            "{error}"
        );
    }
}

#[test]
fn refusal_messages_are_plain_french_sentences() {
    assert_eq!(
        ImportError::OtherCourse("autre".into()).to_string(),
        "Cette sauvegarde concerne un autre cours (« autre »)."
    );
    assert_eq!(
        ImportError::Foreign.to_string(),
        "Ce fichier n’est pas une sauvegarde de progression de ce site."
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let text = format!("\u{feff}{}", doc(0, &[]).to_json());
    assert_eq!(parse_import(&text, COURSE), Ok(doc(0, &[])));
}

// Summary.

fn item(kind: ItemKind, id: &str, module: &str, objectives: &[&str]) -> Item {
    Item {
        kind,
        id: id.into(),
        module: module.into(),
        objectives: objectives.iter().map(|o| (*o).to_owned()).collect(),
    }
}

#[test]
fn progress_is_counted_per_module_and_per_objective() {
    let results = r#"{
"quiz-a": {"percent": "75", "passed": null, "completed": true, "objectives": {"comptes": {"earned": "1.5", "possible": 2}}},
"quiz-b": {"percent": "50", "passed": false, "completed": false, "objectives": {"factures": {"earned": "1", "possible": 2}}}
}"#;
    let exercises =
        r#"{"ex-1": {"completed": true, "objective": "comptes"}, "ex-2": {"completed": false}}"#;
    let saved_doc = doc(
        0,
        &[
            ("read:m1/p1", 1, Some("1")),
            ("results", 1, Some(results)),
            ("exercises", 1, Some(exercises)),
        ],
    );
    let saved = Saved::from_document(&saved_doc);
    let items = [
        item(ItemKind::Page, "m1/p1", "M1", &["comptes"]),
        item(ItemKind::Page, "m1/p2", "M1", &[]),
        item(ItemKind::Quiz, "quiz-a", "M1", &["comptes"]),
        item(ItemKind::Exercise, "ex-1", "M1", &["comptes"]),
        item(ItemKind::Quiz, "quiz-b", "M2", &["factures"]),
        item(ItemKind::Exercise, "ex-2", "M2", &["factures"]),
    ];
    let summary = summarise(&items, &saved);
    let m1 = &summary.modules["M1"];
    assert_eq!(
        (m1.pages, m1.quizzes, m1.exercises),
        ((1, 2), (1, 1), (1, 1))
    );
    assert_eq!(m1.score(), Some(75));
    let m2 = &summary.modules["M2"];
    assert_eq!(
        (m2.quizzes, m2.exercises, m2.score()),
        ((0, 1), (0, 1), None)
    );
    let comptes = &summary.objectives["comptes"];
    assert_eq!((comptes.pages, comptes.score()), ((1, 1), Some(75)));
    // An unfinished quiz still counts its answered questions for its objective.
    assert_eq!(summary.objectives["factures"].score(), Some(50));
    assert_eq!(summary.course.percent_done(), 50);
}

#[test]
fn unreadable_summaries_count_as_nothing_done() {
    let saved = Saved::from_document(&doc(
        0,
        &[("results", 1, Some("[oops")), ("exercises", 1, Some("3"))],
    ));
    assert_eq!(saved, Saved::default());
}

#[test]
fn percents_are_written_the_french_way() {
    assert_eq!(format_percent("87.5"), "87,5");
    assert_eq!(format_percent("100"), "100");
    assert_eq!(format_percent("66.666"), "66,7");
}
