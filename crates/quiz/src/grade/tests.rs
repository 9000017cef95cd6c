use super::*;
use crate::arrangement;

/// Grades `response` (JSON) to `question` (JSON), asserts the credit earned and returns the
/// grade for further assertions.
#[track_caller]
fn check(question: &str, response: &str, earned: u32, possible: u32) -> Grade {
    let question: Question = serde_json::from_str(question).expect("test question is valid");
    let response: Response = serde_json::from_str(response).expect("test response is valid");
    let res = grade(&question, &response);
    assert_eq!((res.earned, res.possible), (earned, possible), "{res:?}");
    assert_eq!(res.correct, earned == possible, "{res:?}");
    res
}

const SINGLE: &str = r#"{"id": "q", "type": "single", "prompt": "P", "choices": [
{"text": "a", "feedback": "not a"},
{"text": "b", "correct": true, "feedback": "yes b"},
{"text": "c"}
]}"#;

#[test]
fn single_right_choice_earns_the_point_and_its_feedback() {
    let res = check(SINGLE, r#"{"type": "choices", "chosen": [1]}"#, 1, 1);
    assert_eq!(res.feedback, ["yes b"]);
    assert_eq!(res.parts, [true, true, true]);
    assert_eq!(res.answer, Answer::Choices { correct: vec![1] });
}

#[test]
fn single_wrong_choice_earns_nothing() {
    let res = check(SINGLE, r#"{"type": "choices", "chosen": [0]}"#, 0, 1);
    assert_eq!(res.feedback, ["not a"]);
    assert_eq!(res.parts, [false, false, true]);
}

#[test]
fn single_with_several_choices_is_wrong_even_with_the_right_one() {
    check(SINGLE, r#"{"type": "choices", "chosen": [1, 2]}"#, 0, 1);
    check(SINGLE, r#"{"type": "choices", "chosen": []}"#, 0, 1);
}

#[test]
fn single_ignores_repeated_and_out_of_range_indices() {
    check(SINGLE, r#"{"type": "choices", "chosen": [1, 1, 99]}"#, 1, 1);
}

const MULTIPLE: &str = r#"{"id": "q", "type": "multiple", "prompt": "P", "choices": [
{"text": "a", "correct": true},
{"text": "b", "correct": true},
{"text": "c", "correct": true},
{"text": "d", "feedback": "not d"}
]}"#;

#[test]
fn multiple_all_correct_choices_earn_full_credit() {
    check(
        MULTIPLE,
        r#"{"type": "choices", "chosen": [2, 0, 1]}"#,
        3,
        3,
    );
}

#[test]
fn multiple_partial_answer_earns_partial_credit() {
    let res = check(MULTIPLE, r#"{"type": "choices", "chosen": [0, 1]}"#, 2, 3);
    assert_eq!(res.parts, [true, true, false, true]);
    assert_eq!(res.score(), Decimal::from(2) / Decimal::from(3));
}

#[test]
fn multiple_wrong_ticks_cancel_right_ones_down_to_zero() {
    let res = check(
        MULTIPLE,
        r#"{"type": "choices", "chosen": [0, 1, 3]}"#,
        1,
        3,
    );
    assert_eq!(res.feedback, ["not d"]);
    check(MULTIPLE, r#"{"type": "choices", "chosen": [0, 3]}"#, 0, 3);
    check(MULTIPLE, r#"{"type": "choices", "chosen": [3]}"#, 0, 3);
}

#[test]
fn multiple_ticking_everything_does_not_earn_full_credit() {
    check(
        MULTIPLE,
        r#"{"type": "choices", "chosen": [0, 1, 2, 3]}"#,
        2,
        3,
    );
}

const TRUE_FALSE: &str = r#"{"id": "q", "type": "true_false", "prompt": "P", "answer": false,
"feedback_true": "ft", "feedback_false": "ff"}"#;

#[test]
fn true_false_is_graded_with_the_feedback_of_the_value_given() {
    let res = check(
        TRUE_FALSE,
        r#"{"type": "true_false", "value": false}"#,
        1,
        1,
    );
    assert_eq!(res.feedback, ["ff"]);
    let res = check(TRUE_FALSE, r#"{"type": "true_false", "value": true}"#, 0, 1);
    assert_eq!(res.feedback, ["ft"]);
    assert_eq!(res.answer, Answer::TrueFalse { value: false });
}

const SHORT_TEXT: &str = r#"{"id": "q", "type": "short_text", "prompt": "P",
"answers": ["mise à disposition", "l’entité"]}"#;

#[test]
fn short_text_matches_after_folding_case_accents_spaces_and_apostrophes() {
    for text in [
        "Mise à disposition",
        "mise a disposition",
        "  MISE  A\u{a0}DISPOSITION ",
        "mise\u{202f}à disposition",
        "l'entite",
        "L’Entité",
    ] {
        let response = serde_json::json!({"type": "text", "text": text}).to_string();
        check(SHORT_TEXT, &response, 1, 1);
    }
}

#[test]
fn short_text_other_text_is_wrong() {
    for text in [
        "mise à dispo",
        "",
        "  ",
        "misea disposition",
        "<script>alert(1)</script>",
    ] {
        let response = serde_json::json!({"type": "text", "text": text}).to_string();
        let res = check(SHORT_TEXT, &response, 0, 1);
        assert_eq!(
            res.answer,
            Answer::Text {
                text: "mise à disposition".into()
            }
        );
    }
}

const NUMERIC: &str =
    r#"{"id": "q", "type": "numeric", "prompt": "P", "answer": "1 234,50", "unit": "€"}"#;
const NUMERIC_TOLERANCE: &str =
    r#"{"id": "q", "type": "numeric", "prompt": "P", "answer": "1234,5", "tolerance": "0,01"}"#;
const NUMERIC_NEGATIVE: &str = r#"{"id": "q", "type": "numeric", "prompt": "P", "answer": "-20"}"#;

#[track_caller]
fn check_number(question: &str, text: &str, earned: u32) {
    let response = serde_json::json!({"type": "text", "text": text}).to_string();
    check(question, &response, earned, 1);
}

#[test]
fn numeric_accepts_the_same_number_written_differently() {
    for text in [
        "1234.5",
        "1 234,50",
        "1234,5",
        "1\u{a0}234,50 €",
        "1234,50€",
        "+1234.500",
    ] {
        check_number(NUMERIC, text, 1);
    }
}

#[test]
fn numeric_within_tolerance_is_right() {
    check_number(NUMERIC_TOLERANCE, "1234,505", 1);
    check_number(NUMERIC_TOLERANCE, "1234,51", 1);
    check_number(NUMERIC_TOLERANCE, "1234,49", 1);
    check_number(NUMERIC_TOLERANCE, "1234,489", 0);
    check_number(NUMERIC_TOLERANCE, "1234,52", 0);
}

#[test]
fn numeric_without_tolerance_is_exact() {
    check_number(NUMERIC, "1234,505", 0);
    check_number(NUMERIC, "1234,51", 0);
}

#[test]
fn numeric_negative_answers_need_the_sign() {
    check_number(NUMERIC_NEGATIVE, "-20", 1);
    check_number(NUMERIC_NEGATIVE, "\u{2212}20,00", 1);
    check_number(NUMERIC_NEGATIVE, "20", 0);
}

#[test]
fn numeric_garbage_and_ambiguous_input_is_simply_wrong() {
    for text in [
        "<img src=x onerror=alert(1)>",
        "",
        "douze",
        "1.234,5",
        "1 234 €€",
        "NaN",
        "1e3",
    ] {
        check_number(NUMERIC, text, 0);
    }
}

#[test]
fn numeric_answer_is_shown_with_its_unit() {
    let res = check(NUMERIC, r#"{"type": "text", "text": "0"}"#, 0, 1);
    assert_eq!(
        res.answer,
        Answer::Text {
            text: "1 234,50 €".into()
        }
    );
}

#[test]
fn numeric_with_unreadable_spec_is_never_right() {
    let question = r#"{"id": "q", "type": "numeric", "prompt": "P", "answer": "douze"}"#;
    check_number(question, "12", 0);
    let question =
        r#"{"id": "q", "type": "numeric", "prompt": "P", "answer": "12", "tolerance": "-1"}"#;
    check_number(question, "12", 0);
}

const ORDERING: &str =
    r#"{"id": "q", "type": "ordering", "prompt": "P", "items": ["a", "b", "c", "d"]}"#;

#[test]
fn ordering_correct_sequence_earns_full_credit() {
    let res = check(
        ORDERING,
        r#"{"type": "ordering", "order": [0, 1, 2, 3]}"#,
        4,
        4,
    );
    assert_eq!(
        res.answer,
        Answer::Ordering {
            items: vec!["a".into(), "b".into(), "c".into(), "d".into()]
        }
    );
}

#[test]
fn ordering_earns_one_per_item_in_place() {
    let res = check(
        ORDERING,
        r#"{"type": "ordering", "order": [0, 2, 1, 3]}"#,
        2,
        4,
    );
    assert_eq!(res.parts, [true, false, false, true]);
    check(
        ORDERING,
        r#"{"type": "ordering", "order": [3, 2, 1, 0]}"#,
        0,
        4,
    );
}

#[test]
fn ordering_that_is_not_a_permutation_earns_nothing() {
    for order in [
        "[0, 1, 2]",
        "[0, 1, 2, 3, 3]",
        "[0, 0, 2, 3]",
        "[0, 1, 2, 4]",
    ] {
        let response = format!(r#"{{"type": "ordering", "order": {order}}}"#);
        let res = check(ORDERING, &response, 0, 4);
        assert_eq!(res.parts, [false; 4]);
    }
}

const MATCHING: &str = r#"{"id": "q", "type": "matching", "prompt": "P", "pairs": [
{"left": "A1", "right": "Facture"},
{"left": "A2", "right": "Avoir"},
{"left": "A9", "right": "Facture"}
]}"#;

#[test]
fn matching_earns_one_per_right_pair() {
    check(
        MATCHING,
        r#"{"type": "matching", "chosen": [0, 1, 2]}"#,
        3,
        3,
    );
    let res = check(
        MATCHING,
        r#"{"type": "matching", "chosen": [1, 0, 2]}"#,
        1,
        3,
    );
    assert_eq!(res.parts, [false, false, true]);
}

#[test]
fn matching_identical_right_sides_are_interchangeable() {
    check(
        MATCHING,
        r#"{"type": "matching", "chosen": [2, 1, 0]}"#,
        3,
        3,
    );
}

#[test]
fn matching_missing_or_out_of_range_picks_are_wrong() {
    check(
        MATCHING,
        r#"{"type": "matching", "chosen": [0, null]}"#,
        1,
        3,
    );
    check(
        MATCHING,
        r#"{"type": "matching", "chosen": [7, 1, 2]}"#,
        2,
        3,
    );
}

const BLANKS: &str = r#"{"id": "q", "type": "blanks", "prompt": "P",
"text": "Le {{code}} identifie le {{destinataire}}.",
"blanks": {
  "code": {"answers": ["code service", "service"]},
  "destinataire": {"choices": ["service", "fournisseur"], "answer": "service"}
}}"#;

#[test]
fn blanks_all_right_earn_full_credit() {
    let res = check(
        BLANKS,
        r#"{"type": "blanks", "values": {"code": "Code  Service", "destinataire": "service"}}"#,
        2,
        2,
    );
    let expected: VecMap<String, String> = [("code", "code service"), ("destinataire", "service")]
        .map(|(name, answer)| (name.to_owned(), answer.to_owned()))
        .into();
    assert_eq!(res.answer, Answer::Blanks { answers: expected });
}

#[test]
fn blanks_earn_one_per_right_blank_in_text_order() {
    let res = check(
        BLANKS,
        r#"{"type": "blanks", "values": {"code": "siret", "destinataire": "service"}}"#,
        1,
        2,
    );
    assert_eq!(res.parts, [false, true]);
    let res = check(
        BLANKS,
        r#"{"type": "blanks", "values": {"code": "service"}}"#,
        1,
        2,
    );
    assert_eq!(res.parts, [true, false]);
    check(
        BLANKS,
        r#"{"type": "blanks", "values": {"destinataire": "fournisseur", "other": "x"}}"#,
        0,
        2,
    );
}

#[test]
fn response_of_another_type_is_wrong_and_still_shows_the_answer() {
    let res = check(SINGLE, r#"{"type": "true_false", "value": true}"#, 0, 1);
    assert_eq!(res.answer, Answer::Choices { correct: vec![1] });
    check(MULTIPLE, r#"{"type": "text", "text": "a"}"#, 0, 3);
    check(TRUE_FALSE, r#"{"type": "choices", "chosen": [0]}"#, 0, 1);
    check(SHORT_TEXT, r#"{"type": "true_false", "value": true}"#, 0, 1);
    check(NUMERIC, r#"{"type": "blanks", "values": {}}"#, 0, 1);
    check(
        ORDERING,
        r#"{"type": "matching", "chosen": [0, 1, 2, 3]}"#,
        0,
        4,
    );
    check(
        MATCHING,
        r#"{"type": "ordering", "order": [0, 1, 2]}"#,
        0,
        3,
    );
    check(BLANKS, r#"{"type": "text", "text": "service"}"#, 0, 2);
}

#[test]
fn malformed_specs_grade_without_panicking() {
    let no_choices = r#"{"id": "q", "type": "multiple", "prompt": "P", "choices": []}"#;
    check(no_choices, r#"{"type": "choices", "chosen": [0]}"#, 0, 1);
    let no_items = r#"{"id": "q", "type": "ordering", "prompt": "P", "items": []}"#;
    check(no_items, r#"{"type": "ordering", "order": []}"#, 0, 1);
    let bad_text = r#"{"id": "q", "type": "blanks", "prompt": "P", "text": "{{x", "blanks": {}}"#;
    check(
        bad_text,
        r#"{"type": "blanks", "values": {"x": "y"}}"#,
        0,
        1,
    );
}

#[test]
fn unknown_response_keys_are_rejected() {
    let err = serde_json::from_str::<Response>(r#"{"type": "text", "text": "a", "extra": 1}"#);
    assert!(err.is_err());
}

// Whole quizzes.

const EXAM: &str = r#"{"id": "exam", "mode": "exam", "pass_mark": 70, "questions": [
{"id": "s", "objective": "comptes", "type": "single", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": "b"}]},
{"id": "m", "objective": "factures", "type": "multiple", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": "b", "correct": true}, {"text": "c", "correct": true}]},
{"id": "t", "objective": "factures", "type": "true_false", "prompt": "P", "answer": true},
{"id": "x", "type": "short_text", "prompt": "P", "answers": ["x"]}
]}"#;

/// Grades `responses` (JSON object by question id) to `quiz` (JSON) with the arrangement of
/// seed 0, and returns the quiz grade.
#[track_caller]
fn check_quiz_grade(quiz: &str, responses: &str) -> QuizGrade {
    let quiz: Quiz = serde_json::from_str(quiz).expect("test quiz is valid");
    let responses: Responses = serde_json::from_str(responses).expect("test responses are valid");
    grade_quiz(&quiz, &arrangement(&quiz, 0), &responses)
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

#[test]
fn quiz_total_sums_question_scores_and_counts_unanswered_as_zero() {
    let res = check_quiz_grade(
        EXAM,
        r#"{
"s": {"type": "choices", "chosen": [0]},
"m": {"type": "choices", "chosen": [0, 1]},
"t": {"type": "true_false", "value": true}
}"#,
    );
    assert_eq!(res.possible, 4);
    assert_eq!(res.earned, dec("2.67"));
    assert_eq!(res.percent, dec("66.66"));
    assert_eq!(res.passed, Some(false));
    assert_eq!(res.grades.len(), 4);
    assert_eq!(res.grades["x"].earned, 0);
    assert_eq!(
        res.objectives["factures"],
        ObjectiveGrade {
            earned: dec("1.67"),
            possible: 2
        }
    );
    assert_eq!(
        res.objectives["comptes"],
        ObjectiveGrade {
            earned: dec("1"),
            possible: 1
        }
    );
}

#[test]
fn quiz_reaching_the_pass_mark_exactly_passes() {
    // ⅓ + ⅓ + ⅓ must count as exactly one point for the pass mark.
    let quiz = r#"{"id": "e", "mode": "exam", "pass_mark": 50, "questions": [
{"id": "m", "type": "multiple", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": "b", "correct": true}, {"text": "c", "correct": true}]},
{"id": "n", "type": "multiple", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": "b", "correct": true}, {"text": "c", "correct": true}]},
{"id": "o", "type": "multiple", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": "b", "correct": true}, {"text": "c", "correct": true}]},
{"id": "p", "type": "true_false", "prompt": "P", "answer": true},
{"id": "q", "type": "true_false", "prompt": "P", "answer": true},
{"id": "r", "type": "true_false", "prompt": "P", "answer": true}
]}"#;
    let res = check_quiz_grade(
        quiz,
        r#"{
"m": {"type": "choices", "chosen": [0]},
"n": {"type": "choices", "chosen": [0]},
"o": {"type": "choices", "chosen": [0]},
"p": {"type": "true_false", "value": true},
"q": {"type": "true_false", "value": true}
}"#,
    );
    assert_eq!(res.earned, dec("3"));
    assert_eq!(res.percent, dec("50"));
    assert_eq!(res.passed, Some(true));
}

#[test]
fn practice_quiz_has_no_pass_decision() {
    let practice = EXAM.replace(r#""mode": "exam", "#, "");
    let res = check_quiz_grade(&practice, "{}");
    assert_eq!(res.passed, None);
    assert_eq!(res.percent, dec("0"));
}

#[test]
fn quiz_grade_counts_only_the_drawn_questions() {
    let drawn = EXAM.replace(r#""pass_mark": 70,"#, r#""pass_mark": 70, "draw": 2,"#);
    let res = check_quiz_grade(&drawn, "{}");
    assert_eq!(res.possible, 2);
    assert_eq!(res.grades.len(), 2);
}

#[test]
fn quiz_grade_serialises_amounts_as_strings() {
    let res = check_quiz_grade(EXAM, r#"{"s": {"type": "choices", "chosen": [0]}}"#);
    let json = serde_json::to_value(&res).unwrap();
    assert_eq!(json["percent"], "25");
    assert_eq!(json["earned"], "1");
}

proptest::proptest! {
    #[test]
    fn grading_arbitrary_text_never_panics(text in "\\PC*") {
        let response = Response::Text { text: text.clone() };
        for question in [SHORT_TEXT, NUMERIC, NUMERIC_TOLERANCE] {
            let question: Question = serde_json::from_str(question).unwrap();
            let res = grade(&question, &response);
            proptest::prop_assert!(res.earned <= res.possible);
        }
        let values = [("code".to_owned(), text.clone())].into();
        let question: Question = serde_json::from_str(BLANKS).unwrap();
        grade(&question, &Response::Blanks { values });
        crate::parse_number(&text, Some(&text));
        crate::normalize_text(&text);
    }

    #[test]
    fn grading_arbitrary_indices_never_panics(indices in proptest::collection::vec(0usize..10, 0..8)) {
        for question in [SINGLE, MULTIPLE, ORDERING] {
            let question: Question = serde_json::from_str(question).unwrap();
            for response in [
                Response::Choices { chosen: indices.clone() },
                Response::Ordering { order: indices.clone() },
                Response::Matching { chosen: indices.iter().map(|i| Some(*i)).collect() },
            ] {
                let res = grade(&question, &response);
                proptest::prop_assert!(res.earned <= res.possible);
            }
        }
    }
}
