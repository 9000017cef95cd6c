use super::*;

/// Checks `quiz` (JSON) with the objectives `comptes` and `factures` declared, and asserts the
/// problems found as `(code, path)` pairs, in order.
#[track_caller]
fn check(quiz: &str, expected: &[(&str, &str)]) -> Vec<Problem> {
    let quiz: Quiz = serde_json::from_str(quiz).expect("test quiz is valid");
    let ctx = CheckContext {
        objectives: vec!["comptes".into(), "factures".into()],
    };
    let res = check_quiz(&quiz, &ctx);
    let found: Vec<(&str, &str)> = res
        .iter()
        .map(|problem| (problem.code, problem.path.as_str()))
        .collect();
    assert_eq!(found, expected, "{res:#?}");
    for problem in &res {
        let first = problem
            .message
            .chars()
            .next()
            .expect("message is not empty");
        assert!(
            !first.is_uppercase() && !problem.message.ends_with('.'),
            "{problem:?}"
        );
    }
    res
}

/// A quiz holding `question` (the JSON of one question object) and nothing wrong elsewhere.
fn with_question(question: &str) -> String {
    format!(r#"{{"id": "q", "questions": [{question}]}}"#)
}

const TWO_CHOICES: &str = r#"[{"text": "a", "correct": true}, {"text": "b"}]"#;

#[test]
fn valid_quiz_of_every_type_has_no_problems() {
    check(
        r#"{"id": "quiz-ok", "mode": "exam", "pass_mark": 70, "draw": 8, "questions": [
{"id": "a", "objective": "comptes", "type": "single", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": "b"}]},
{"id": "b", "type": "multiple", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": "b", "correct": true}]},
{"id": "c", "type": "true_false", "prompt": "P", "answer": true},
{"id": "d", "type": "short_text", "prompt": "P", "answers": ["x"]},
{"id": "e", "type": "numeric", "prompt": "P", "answer": "1 234,50 €", "tolerance": "0", "unit": "€"},
{"id": "f", "type": "ordering", "prompt": "P", "items": ["x", "y"]},
{"id": "g", "type": "matching", "prompt": "P", "pairs": [{"left": "A", "right": "1"}, {"left": "B", "right": "1"}]},
{"id": "h", "type": "blanks", "prompt": "P", "text": "{{s}} {{t}}", "blanks": {"s": {"answers": ["x"]}, "t": {"choices": ["a", "b"], "answer": "b"}}}
]}"#,
        &[],
    );
}

#[test]
fn single_without_exactly_one_correct_choice_is_an_error() {
    let res = check(
        &with_question(
            r#"{"id": "a", "type": "single", "prompt": "P", "choices": [{"text": "a"}, {"text": "b"}]}"#,
        ),
        &[("quiz-single-correct-count", "questions[0].choices")],
    );
    assert_eq!(res[0].severity, Severity::Error);
    assert!(res[0].message.ends_with("found 0"), "{}", res[0].message);
    assert!(res[0].help.is_some());
    check(
        &with_question(
            r#"{"id": "a", "type": "single", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": "b", "correct": true}]}"#,
        ),
        &[("quiz-single-correct-count", "questions[0].choices")],
    );
}

#[test]
fn multiple_without_correct_choice_is_an_error() {
    check(
        &with_question(
            r#"{"id": "a", "type": "multiple", "prompt": "P", "choices": [{"text": "a"}, {"text": "b"}]}"#,
        ),
        &[("quiz-multiple-no-correct", "questions[0].choices")],
    );
}

#[test]
fn too_few_or_empty_choices_are_errors() {
    check(
        &with_question(
            r#"{"id": "a", "type": "single", "prompt": "P", "choices": [{"text": "a", "correct": true}]}"#,
        ),
        &[("quiz-too-few-choices", "questions[0].choices")],
    );
    check(
        &with_question(
            r#"{"id": "a", "type": "multiple", "prompt": "P", "choices": [{"text": "a", "correct": true}, {"text": " "}]}"#,
        ),
        &[("quiz-empty-choice", "questions[0].choices[1].text")],
    );
}

#[test]
fn empty_prompt_is_an_error() {
    check(
        &with_question(&format!(
            r#"{{"id": "a", "type": "single", "prompt": " \n", "choices": {TWO_CHOICES}}}"#
        )),
        &[("quiz-empty-prompt", "questions[0].prompt")],
    );
}

#[test]
fn unknown_objective_is_an_error() {
    let res = check(
        &with_question(&format!(
            r#"{{"id": "a", "objective": "compte", "type": "single", "prompt": "P", "choices": {TWO_CHOICES}}}"#
        )),
        &[("quiz-unknown-objective", "questions[0].objective")],
    );
    assert_eq!(
        res[0].help.as_deref(),
        Some("declared objectives: comptes, factures")
    );
}

#[test]
fn duplicate_and_invalid_ids_are_errors() {
    check(
        &format!(
            r#"{{"id": "quiz 1", "questions": [
{{"id": "a", "type": "true_false", "prompt": "P", "answer": true}},
{{"id": "b", "type": "true_false", "prompt": "P", "answer": true}},
{{"id": "a", "type": "true_false", "prompt": "P", "answer": true}},
{{"id": "", "type": "single", "prompt": "P", "choices": {TWO_CHOICES}}}
]}}"#
        ),
        &[
            ("quiz-invalid-id", "id"),
            ("quiz-duplicate-question-id", "questions[2].id"),
            ("quiz-invalid-id", "questions[3].id"),
        ],
    );
}

#[test]
fn quiz_without_questions_is_an_error() {
    check(
        r#"{"id": "q", "questions": []}"#,
        &[("quiz-no-questions", "questions")],
    );
}

const ONE_TRUE_FALSE: &str = r#"[{"id": "a", "type": "true_false", "prompt": "P", "answer": true},
{"id": "b", "type": "true_false", "prompt": "P", "answer": true}]"#;

#[test]
fn pass_mark_outside_a_percentage_is_an_error() {
    for pass_mark in ["-1", "101"] {
        check(
            &format!(
                r#"{{"id": "q", "mode": "exam", "pass_mark": {pass_mark}, "questions": {ONE_TRUE_FALSE}}}"#
            ),
            &[("quiz-pass-mark-range", "pass_mark")],
        );
    }
    for pass_mark in ["0", "100"] {
        check(
            &format!(
                r#"{{"id": "q", "mode": "exam", "pass_mark": {pass_mark}, "questions": {ONE_TRUE_FALSE}}}"#
            ),
            &[],
        );
    }
}

#[test]
fn pass_mark_in_practice_mode_is_a_warning() {
    let res = check(
        &format!(r#"{{"id": "q", "pass_mark": 50, "questions": {ONE_TRUE_FALSE}}}"#),
        &[("quiz-pass-mark-in-practice", "pass_mark")],
    );
    assert_eq!(res[0].severity, Severity::Warning);
}

#[test]
fn draw_of_zero_or_more_than_the_pool_is_an_error() {
    check(
        &format!(r#"{{"id": "q", "draw": 0, "questions": {ONE_TRUE_FALSE}}}"#),
        &[("quiz-draw-zero", "draw")],
    );
    let res = check(
        &format!(r#"{{"id": "q", "draw": 3, "questions": {ONE_TRUE_FALSE}}}"#),
        &[("quiz-draw-too-large", "draw")],
    );
    assert_eq!(res[0].message, "cannot draw 3 questions from a pool of 2");
    check(
        &format!(r#"{{"id": "q", "draw": 2, "questions": {ONE_TRUE_FALSE}}}"#),
        &[],
    );
}

#[test]
fn short_text_without_answers_is_an_error() {
    check(
        &with_question(r#"{"id": "a", "type": "short_text", "prompt": "P", "answers": []}"#),
        &[("quiz-empty-answers", "questions[0].answers")],
    );
    check(
        &with_question(
            r#"{"id": "a", "type": "short_text", "prompt": "P", "answers": ["x", "\u00a0"]}"#,
        ),
        &[("quiz-empty-answer", "questions[0].answers[1]")],
    );
}

#[test]
fn numeric_answer_or_tolerance_that_does_not_parse_is_an_error() {
    check(
        &with_question(
            r#"{"id": "a", "type": "numeric", "prompt": "P", "answer": "1.234,5", "tolerance": "un"}"#,
        ),
        &[
            ("quiz-numeric-unparsable", "questions[0].answer"),
            ("quiz-numeric-unparsable", "questions[0].tolerance"),
        ],
    );
    check(
        &with_question(r#"{"id": "a", "type": "numeric", "prompt": "P", "answer": "12 €"}"#),
        &[("quiz-numeric-unparsable", "questions[0].answer")],
    );
    check(
        &with_question(
            r#"{"id": "a", "type": "numeric", "prompt": "P", "answer": 12.5, "tolerance": 1}"#,
        ),
        &[],
    );
}

#[test]
fn negative_tolerance_is_an_error() {
    check(
        &with_question(
            r#"{"id": "a", "type": "numeric", "prompt": "P", "answer": "12", "tolerance": "-0,5"}"#,
        ),
        &[("quiz-numeric-negative-tolerance", "questions[0].tolerance")],
    );
}

#[test]
fn ordering_with_fewer_than_two_or_repeated_items_is_an_error() {
    check(
        &with_question(r#"{"id": "a", "type": "ordering", "prompt": "P", "items": ["x"]}"#),
        &[("quiz-ordering-too-short", "questions[0].items")],
    );
    check(
        &with_question(
            r#"{"id": "a", "type": "ordering", "prompt": "P", "items": ["x", "y", "x"]}"#,
        ),
        &[("quiz-ordering-duplicate-item", "questions[0].items[2]")],
    );
}

#[test]
fn matching_with_fewer_than_two_pairs_or_repeated_left_is_an_error() {
    check(
        &with_question(
            r#"{"id": "a", "type": "matching", "prompt": "P", "pairs": [{"left": "A", "right": "1"}]}"#,
        ),
        &[("quiz-matching-too-short", "questions[0].pairs")],
    );
    check(
        &with_question(
            r#"{"id": "a", "type": "matching", "prompt": "P", "pairs": [{"left": "A", "right": "1"}, {"left": "A", "right": "2"}]}"#,
        ),
        &[("quiz-matching-duplicate-left", "questions[0].pairs[1].left")],
    );
}

/// A quiz with one blanks question of this text and blanks map (JSON).
fn blanks(text: &str, blanks: &str) -> String {
    with_question(&format!(
        r#"{{"id": "a", "type": "blanks", "prompt": "P", "text": "{text}", "blanks": {blanks}}}"#
    ))
}

#[test]
fn placeholders_and_blanks_must_match() {
    check(
        &blanks(
            "{{a}} {{b}}",
            r#"{"a": {"answers": ["x"]}, "c": {"answers": ["x"]}}"#,
        ),
        &[
            ("quiz-blank-undeclared", "questions[0].text"),
            ("quiz-blank-unused", "questions[0].blanks.c"),
        ],
    );
    check(
        &blanks("{{a}} {{a}}", r#"{"a": {"answers": ["x"]}}"#),
        &[("quiz-blank-repeated", "questions[0].text")],
    );
    check(
        &blanks("no blank", "{}"),
        &[("quiz-blanks-none", "questions[0].text")],
    );
    check(
        &blanks("{{a b}}", r#"{"a": {"answers": ["x"]}}"#),
        &[("quiz-blank-malformed", "questions[0].text")],
    );
}

#[test]
fn each_blank_needs_answers_or_choices_with_an_answer() {
    check(
        &blanks("{{a}}", r#"{"a": {}}"#),
        &[("quiz-empty-answers", "questions[0].blanks.a.answers")],
    );
    check(
        &blanks("{{a}}", r#"{"a": {"answers": ["x"], "answer": "x"}}"#),
        &[(
            "quiz-blank-answer-without-choices",
            "questions[0].blanks.a.answer",
        )],
    );
    check(
        &blanks(
            "{{a}}",
            r#"{"a": {"answers": ["x"], "choices": ["x", "y"], "answer": "x"}}"#,
        ),
        &[("quiz-blank-mixed", "questions[0].blanks.a.answers")],
    );
    check(
        &blanks("{{a}}", r#"{"a": {"choices": ["x", "y"]}}"#),
        &[("quiz-blank-missing-answer", "questions[0].blanks.a")],
    );
    check(
        &blanks("{{a}}", r#"{"a": {"choices": ["x", "y"], "answer": "z"}}"#),
        &[(
            "quiz-blank-answer-not-a-choice",
            "questions[0].blanks.a.answer",
        )],
    );
    check(
        &blanks("{{a}}", r#"{"a": {"choices": ["x"], "answer": "x"}}"#),
        &[("quiz-too-few-choices", "questions[0].blanks.a.choices")],
    );
}

#[test]
fn every_problem_of_a_quiz_is_reported_in_one_run() {
    check(
        r#"{"id": "q", "draw": 0, "questions": [
{"id": "a", "type": "single", "prompt": "", "choices": [{"text": "x"}, {"text": "y"}]},
{"id": "a", "type": "ordering", "prompt": "P", "items": []}
]}"#,
        &[
            ("quiz-draw-zero", "draw"),
            ("quiz-empty-prompt", "questions[0].prompt"),
            ("quiz-single-correct-count", "questions[0].choices"),
            ("quiz-duplicate-question-id", "questions[1].id"),
            ("quiz-ordering-too-short", "questions[1].items"),
        ],
    );
}
