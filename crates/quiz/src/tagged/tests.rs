use super::*;

/// Every question type, with and without its optional keys, and every quiz option.
const EVERY_TYPE: &str = r#"{"id": "q", "title": "T", "mode": "exam", "pass_mark": 70,
"shuffle": true, "draw": 2, "positioning": true, "questions": [
{"id": "a", "type": "single", "prompt": "P", "choices": [{"text": "x", "correct": true}, {"text": "y"}]},
{"id": "b", "type": "multiple", "objective": "o", "prompt": "P", "explanation": "E",
 "hints": ["h1", "h2"], "choices": [{"text": "x", "correct": true, "feedback": "F"}]},
{"id": "c", "type": "true_false", "prompt": "P", "answer": false, "feedback_true": "T", "feedback_false": "F"},
{"id": "d", "type": "true_false", "prompt": "P", "answer": true},
{"id": "e", "type": "short_text", "prompt": "P", "answers": ["x", "y"]},
{"id": "f", "type": "numeric", "prompt": "P", "answer": 12.5, "tolerance": "0,01", "unit": "€"},
{"id": "g", "type": "numeric", "prompt": "P", "answer": "1 234,50"},
{"id": "h", "type": "ordering", "prompt": "P", "items": ["x", "y"]},
{"id": "i", "type": "matching", "prompt": "P", "pairs": [{"left": "A1", "right": "Facture"}]},
{"id": "j", "type": "blanks", "prompt": "P", "text": "{{s}} {{t}}",
 "blanks": {"t": {"answers": ["b"]}, "s": {"choices": ["a", "c"], "answer": "a"}}}
]}"#;

#[test]
fn an_embedded_quiz_reads_back_what_the_build_wrote() {
    for authored in [
        EVERY_TYPE,
        r#"{"id": "m", "questions": [{"id": "a", "type": "ordering", "prompt": "P", "items": []}]}"#,
    ] {
        // As the build does: the author's text through the derive, then into the page.
        let quiz: Quiz = serde_json::from_str(authored).unwrap();
        let page = serde_json::to_string(&quiz).unwrap();
        let EmbeddedQuiz(read) = serde_json::from_str(&page).unwrap();
        assert_eq!(read, quiz);
    }
}

#[test]
fn an_embedded_question_without_the_keys_of_its_type_is_refused() {
    let error = serde_json::from_str::<EmbeddedQuiz>(
        r#"{"id": "q", "questions": [{"id": "a", "type": "matching", "prompt": "P"}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("missing field `pairs`"), "{error}");
    let error = serde_json::from_str::<EmbeddedQuiz>(
        r#"{"id": "q", "questions": [{"id": "a", "type": "true_false", "prompt": "P", "answer": "1"}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("not a boolean"), "{error}");
}

#[test]
fn every_response_keeps_its_json_form_and_reads_back() {
    let responses = [
        (
            Response::Choices { chosen: vec![2, 0] },
            r#"{"type":"choices","chosen":[2,0]}"#,
        ),
        (
            Response::TrueFalse { value: false },
            r#"{"type":"true_false","value":false}"#,
        ),
        (
            Response::Text {
                text: "1 234,5".into(),
            },
            r#"{"type":"text","text":"1 234,5"}"#,
        ),
        (
            Response::Ordering {
                order: vec![1, 0, 2],
            },
            r#"{"type":"ordering","order":[1,0,2]}"#,
        ),
        (
            Response::Matching {
                chosen: vec![Some(1), None],
            },
            r#"{"type":"matching","chosen":[1,null]}"#,
        ),
        (
            Response::Blanks {
                values: VecMap::from([("s".to_owned(), "a".to_owned())]),
            },
            r#"{"type":"blanks","values":{"s":"a"}}"#,
        ),
    ];
    for (response, text) in responses {
        assert_eq!(serde_json::to_string(&response).unwrap(), text);
        assert_eq!(serde_json::from_str::<Response>(text).unwrap(), response);
    }
}

#[test]
fn a_response_of_the_wrong_shape_is_refused() {
    for (text, expected) in [
        (r#"{"type":"choices"}"#, "missing field `chosen`"),
        (r#"{"type":"choices","chosen":[1,null]}"#, "null"),
        (r#"{"type":"text","text":"a","value":true}"#, "one key"),
        (
            r#"{"type":"text","text":"a","extra":1}"#,
            "unknown field `extra`",
        ),
        (r#"{"type":"essay","text":"a"}"#, "unknown variant `essay`"),
        (r#"{"text":"a"}"#, "missing field `type`"),
    ] {
        let error = serde_json::from_str::<Response>(text)
            .unwrap_err()
            .to_string();
        assert!(error.contains(expected), "{text}: {error}");
    }
}
