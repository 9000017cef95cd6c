//! The quiz spec types: what authors write in a ```` ```quiz ```` directive (docs/formats.md).
//!
//! The build deserialises the directive's YAML into [`Quiz`], checks it, renders its Markdown
//! fields in place with [`Quiz::map_text`] and serialises the same value into the page, where
//! the runtime deserialises it again to arrange and grade. Unknown keys and unknown question
//! types are serde errors.

use didact_map::VecMap;

use serde::{Deserialize, Deserializer, Serialize};

/// One quiz: a list of questions with how they are presented and graded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    /// Unique in the course; also the learner's storage key for this quiz.
    pub id: String,
    /// Plain text title (not Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Immediate feedback ([`Mode::Practice`], the default) or graded at the end.
    #[serde(default, skip_serializing_if = "Mode::is_practice")]
    pub mode: Mode,
    /// Exam only: percent of the total needed to pass, `0..=100`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_mark: Option<i64>,
    /// Shuffle the choices of single and multiple questions (deterministic per learner).
    #[serde(default, skip_serializing_if = "is_false")]
    pub shuffle: bool,
    /// Draw this many questions from the pool (deterministic per learner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<u32>,
    /// A positioning test: once every question is answered, the learner sees, per learning
    /// objective, their score and an [`crate::Advice`] on where to focus.
    #[serde(default, skip_serializing_if = "is_false")]
    pub positioning: bool,
    /// The pool of questions, in authored order.
    pub questions: Vec<Question>,
}

/// How a quiz gives feedback.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Each question is graded, with feedback, as soon as it is answered.
    #[default]
    Practice,
    /// The quiz is graded at the end, against [`Quiz::pass_mark`].
    Exam,
}

/// One question: the keys every type shares, and its type with the keys of that type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Unique in the course.
    pub id: String,
    /// An objective id declared in `book.toml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    /// Markdown (block).
    pub prompt: String,
    /// Markdown (block) shown after answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Markdown (block), revealed one at a time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// The `type` key and the keys that belong to it.
    // serde cannot deny unknown keys on a struct with a flattened field, so the variants of
    // `QuestionKind` deny them instead: they see every key `Question` does not claim.
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// A question's type (the `type` key) and its type-specific keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum QuestionKind {
    /// Exactly one correct choice; the learner picks one.
    Single {
        /// The choices, in authored order.
        choices: Vec<Choice>,
    },
    /// One or more correct choices; the learner ticks any number.
    /// Credit is max(0, right ticks − wrong ticks) / number of correct choices.
    Multiple {
        /// The choices, in authored order.
        choices: Vec<Choice>,
    },
    /// A statement that is true or false.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
        /// Markdown (block) shown when the learner answers « vrai ».
        #[serde(default, skip_serializing_if = "Option::is_none")]
        feedback_true: Option<String>,
        /// Markdown (block) shown when the learner answers « faux ».
        #[serde(default, skip_serializing_if = "Option::is_none")]
        feedback_false: Option<String>,
    },
    /// Free text compared with accepted answers after [`normalize_text`](crate::normalize_text).
    ShortText {
        /// Accepted answers (plain text).
        answers: Vec<String>,
    },
    /// A number, parsed with [`parse_number`](crate::parse_number).
    Numeric {
        /// The expected number as authored, e.g. `"1 234,50"`.
        #[serde(deserialize_with = "number_text")]
        answer: String,
        /// Largest accepted distance from the answer, e.g. `"0,01"`; exact when absent.
        #[serde(
            default,
            deserialize_with = "optional_number_text",
            skip_serializing_if = "Option::is_none"
        )]
        tolerance: Option<String>,
        /// Unit shown after the field and accepted after the number, e.g. `"€"`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
    },
    /// Items to put back in order; always shown shuffled.
    Ordering {
        /// Markdown (inline), in the correct order.
        items: Vec<String>,
    },
    /// Left labels, each matched with a right side picked in a select.
    Matching {
        /// The correct pairs.
        pairs: Vec<Pair>,
    },
    /// A text with `{{name}}` placeholders, each a blank to fill in.
    Blanks {
        /// Markdown (block) with `{{name}}` placeholders.
        text: String,
        /// The blanks by name.
        blanks: VecMap<String, Blank>,
    },
}

/// One choice of a single or multiple question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Markdown (inline).
    pub text: String,
    /// Whether ticking this choice is right.
    #[serde(default, skip_serializing_if = "is_false")]
    pub correct: bool,
    /// Markdown (block) shown when the learner picked this choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// One correct pair of a matching question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    /// Markdown (inline), the label the learner matches.
    pub left: String,
    /// Plain text: it is shown as an option of a select, which cannot hold markup.
    pub right: String,
}

/// One blank of a blanks question: either free text with accepted `answers`,
/// or a select of `choices` whose correct one is `answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blank {
    /// Accepted answers of a free-text blank (plain text, compared after normalisation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    /// Options of a select blank (plain text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// The correct option of a select blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

/// Which Markdown flavour a text field holds, for [`Quiz::map_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Paragraphs, lists…: prompt, feedback, explanation, hints, blanks text.
    Block,
    /// A single line of inline Markdown: choice text, ordering item, matching left label.
    Inline,
}

/// One piece of a blanks text, see [`blank_segments`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text shown as is.
    Text(&'a str),
    /// A `{{name}}` placeholder, holding the name.
    Blank(&'a str),
}

impl Quiz {
    /// Calls `f` on every Markdown field, so the build can replace the source by its HTML.
    ///
    /// Plain-text fields (ids, title, accepted answers, numbers, matching right sides, blank
    /// choices) are left alone: grading compares them with what the learner typed or picked.
    /// `{{name}}` placeholders in a blanks text must survive rendering; they do with any
    /// CommonMark renderer, because names hold only letters, digits, `-` and `_`.
    pub fn map_text(&mut self, mut f: impl FnMut(Markup, &mut String)) {
        for question in &mut self.questions {
            f(Markup::Block, &mut question.prompt);
            if let Some(explanation) = &mut question.explanation {
                f(Markup::Block, explanation);
            }
            for hint in &mut question.hints {
                f(Markup::Block, hint);
            }
            match &mut question.kind {
                QuestionKind::Single { choices } | QuestionKind::Multiple { choices } => {
                    for choice in choices {
                        f(Markup::Inline, &mut choice.text);
                        if let Some(feedback) = &mut choice.feedback {
                            f(Markup::Block, feedback);
                        }
                    }
                }
                QuestionKind::TrueFalse {
                    feedback_true,
                    feedback_false,
                    ..
                } => {
                    for feedback in [feedback_true, feedback_false].into_iter().flatten() {
                        f(Markup::Block, feedback);
                    }
                }
                QuestionKind::Ordering { items } => {
                    for item in items {
                        f(Markup::Inline, item);
                    }
                }
                QuestionKind::Matching { pairs } => {
                    for pair in pairs {
                        f(Markup::Inline, &mut pair.left);
                    }
                }
                QuestionKind::Blanks { text, .. } => f(Markup::Block, text),
                QuestionKind::ShortText { .. } | QuestionKind::Numeric { .. } => {}
            }
        }
    }
}

/// The quiz id followed by every question id, for the course-wide uniqueness check.
pub fn ids(quiz: &Quiz) -> impl Iterator<Item = &str> {
    std::iter::once(quiz.id.as_str()).chain(quiz.questions.iter().map(|q| q.id.as_str()))
}

/// Splits a blanks text into text and `{{name}}` placeholders, or returns the byte offset of
/// a `{{` that does not open a valid placeholder (no closing `}}`, or a name that is empty or
/// holds something other than ASCII letters, digits, `-` and `_`).
///
/// ```
/// use didact_quiz::{blank_segments, Segment};
/// assert_eq!(
///     blank_segments("Le code {{service}}."),
///     Ok(vec![Segment::Text("Le code "), Segment::Blank("service"), Segment::Text(".")]),
/// );
/// ```
pub fn blank_segments(text: &str) -> Result<Vec<Segment<'_>>, usize> {
    let mut res = Vec::new();
    let mut rest_start = 0;
    while let Some(found) = text[rest_start..].find("{{") {
        let open = rest_start + found;
        let name_start = open + 2;
        let close = text[name_start..]
            .find("}}")
            .map(|found| name_start + found)
            .ok_or(open)?;
        let name = &text[name_start..close];
        if !is_id(name) {
            return Err(open);
        }
        if open > rest_start {
            res.push(Segment::Text(&text[rest_start..open]));
        }
        res.push(Segment::Blank(name));
        rest_start = close + 2;
    }
    if rest_start < text.len() {
        res.push(Segment::Text(&text[rest_start..]));
    }
    Ok(res)
}

/// Whether `s` is a valid id or blank name: non-empty ASCII letters, digits, `-` and `_`.
pub(crate) fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Mode {
    fn is_practice(&self) -> bool {
        *self == Mode::Practice
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Accepts a number written as a YAML/JSON number as well as a string, keeping it as text:
/// authors write `answer: 12.5` as often as `answer: "12,5"`.
fn number_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(NumberTextVisitor)
}

fn optional_number_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    number_text(deserializer).map(Some)
}

struct NumberTextVisitor;

impl serde::de::Visitor<'_> for NumberTextVisitor {
    type Value = String;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a number or a string such as \"1 234,50\"")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<String, E> {
        // `Display` of f64 is the shortest text that reads back as the same value, so
        // `12.5` stays "12.5" and `0.1` stays "0.1".
        Ok(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn parse(json: &str) -> Result<Quiz, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[track_caller]
    fn check_error(json: &str, expected_part: &str) {
        let err = parse(json).expect_err("the spec should be rejected");
        assert!(err.contains(expected_part), "{err}");
    }

    const SINGLE: &str = r#"{"id": "q", "questions": [
{"id": "a", "type": "single", "prompt": "P", "choices": [{"text": "x", "correct": true}, {"text": "y"}]}
]}"#;

    #[test]
    fn minimal_quiz_parses_with_defaults() {
        let quiz = parse(SINGLE).unwrap();
        assert_eq!(quiz.mode, Mode::Practice);
        assert!(!quiz.shuffle);
        assert_eq!(quiz.draw, None);
        let QuestionKind::Single { choices } = &quiz.questions[0].kind else {
            panic!(
                "expected a single question, got {:?}",
                quiz.questions[0].kind
            );
        };
        assert!(choices[0].correct && !choices[1].correct);
    }

    #[test]
    fn every_question_type_parses() {
        let quiz = parse(
            r#"{"id": "q", "mode": "exam", "pass_mark": 70, "shuffle": true, "draw": 2, "questions": [
{"id": "a", "type": "multiple", "prompt": "P", "choices": [{"text": "x", "correct": true, "feedback": "F"}]},
{"id": "b", "type": "true_false", "prompt": "P", "answer": false, "feedback_true": "T"},
{"id": "c", "type": "short_text", "prompt": "P", "answers": ["x"]},
{"id": "d", "type": "numeric", "prompt": "P", "answer": 12.5, "tolerance": "0,01", "unit": "€"},
{"id": "e", "type": "ordering", "prompt": "P", "items": ["x", "y"]},
{"id": "f", "type": "matching", "prompt": "P", "pairs": [{"left": "A1", "right": "Facture"}]},
{"id": "g", "type": "blanks", "prompt": "P", "text": "{{s}}", "blanks": {"s": {"choices": ["a"], "answer": "a"}}}
]}"#,
        )
        .unwrap();
        assert_eq!(quiz.mode, Mode::Exam);
        assert_eq!(quiz.questions.len(), 7);
        assert_eq!(
            quiz.questions[3].kind,
            QuestionKind::Numeric {
                answer: "12.5".into(),
                tolerance: Some("0,01".into()),
                unit: Some("€".into()),
            }
        );
    }

    #[test]
    fn unknown_question_key_is_an_error() {
        check_error(
            r#"{"id": "q", "questions": [{"id": "a", "type": "true_false", "prompt": "P", "answer": true, "choices": []}]}"#,
            "unknown field `choices`",
        );
    }

    #[test]
    fn unknown_question_type_is_an_error() {
        check_error(
            r#"{"id": "q", "questions": [{"id": "a", "type": "essay", "prompt": "P"}]}"#,
            "unknown variant `essay`",
        );
    }

    #[test]
    fn unknown_quiz_choice_pair_and_blank_keys_are_errors() {
        check_error(r#"{"id": "q", "titel": "T", "questions": []}"#, "titel");
        check_error(
            r#"{"id": "q", "questions": [{"id": "a", "type": "single", "prompt": "P", "choices": [{"text": "x", "corect": true}]}]}"#,
            "corect",
        );
        check_error(
            r#"{"id": "q", "questions": [{"id": "a", "type": "matching", "prompt": "P", "pairs": [{"left": "x", "rigth": "y"}]}]}"#,
            "rigth",
        );
        check_error(
            r#"{"id": "q", "questions": [{"id": "a", "type": "blanks", "prompt": "P", "text": "", "blanks": {"s": {"anwsers": []}}}]}"#,
            "anwsers",
        );
    }

    #[test]
    fn missing_type_is_an_error() {
        check_error(
            r#"{"id": "q", "questions": [{"id": "a", "prompt": "P"}]}"#,
            "missing field `type`",
        );
    }

    #[test]
    fn serialising_and_parsing_again_gives_the_same_quiz() {
        let quiz = parse(SINGLE).unwrap();
        let json = serde_json::to_string(&quiz).unwrap();
        assert_eq!(parse(&json).unwrap(), quiz);
        // Defaults are left out, so the page stays small.
        assert!(
            !json.contains("mode") && !json.contains("\"correct\":false"),
            "{json}"
        );
    }

    #[test]
    fn map_text_visits_markdown_fields_only() {
        let mut quiz = parse(
            r#"{"id": "q", "title": "T", "questions": [
{"id": "a", "type": "single", "prompt": "p", "explanation": "e", "hints": ["h"], "choices": [{"text": "c", "feedback": "f"}]},
{"id": "b", "type": "true_false", "prompt": "p", "answer": true, "feedback_true": "t", "feedback_false": "f"},
{"id": "c", "type": "short_text", "prompt": "p", "answers": ["kept"]},
{"id": "d", "type": "numeric", "prompt": "p", "answer": "1", "unit": "kept"},
{"id": "e", "type": "ordering", "prompt": "p", "items": ["i"]},
{"id": "f", "type": "matching", "prompt": "p", "pairs": [{"left": "l", "right": "kept"}]},
{"id": "g", "type": "blanks", "prompt": "p", "text": "{{s}}", "blanks": {"s": {"choices": ["kept"], "answer": "kept"}}}
]}"#,
        )
        .unwrap();
        let mut seen = Vec::new();
        quiz.map_text(|markup, text| {
            seen.push((markup, text.clone()));
            text.insert(0, '<');
        });
        let inline: Vec<&str> = seen
            .iter()
            .filter(|(markup, _)| *markup == Markup::Inline)
            .map(|(_, text)| text.as_str())
            .collect();
        assert_eq!(inline, ["c", "i", "l"]);
        assert_eq!(seen.len(), 16);
        let json = serde_json::to_string(&quiz).unwrap();
        assert!(!json.contains("\"<kept"), "{json}");
        assert!(json.contains("\"<{{s}}\""), "{json}");
        assert_eq!(quiz.title.as_deref(), Some("T"));
    }

    #[test]
    fn ids_lists_the_quiz_then_its_questions() {
        let quiz = parse(SINGLE).unwrap();
        assert_eq!(ids(&quiz).collect::<Vec<_>>(), ["q", "a"]);
    }

    #[track_caller]
    fn check_segments(text: &str, expected: Result<Vec<Segment>, usize>) {
        assert_eq!(blank_segments(text), expected);
    }

    #[test]
    fn blank_segments_split_text_and_placeholders() {
        use Segment::{Blank, Text};
        check_segments("", Ok(vec![]));
        check_segments("{{a}}{{b-2}}", Ok(vec![Blank("a"), Blank("b-2")]));
        check_segments(
            "x {{a_b}} y",
            Ok(vec![Text("x "), Blank("a_b"), Text(" y")]),
        );
        check_segments("é {{a}", Err(3));
        check_segments("{{}}", Err(0));
        check_segments("{{a b}}", Err(0));
        check_segments("a } b", Ok(vec![Text("a } b")]));
    }
}
