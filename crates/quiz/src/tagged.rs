//! Reading the internally tagged values of the browser's JSON without serde's buffering.
//!
//! serde's derive reads an internally tagged enum (`{"type": "…", …}`) by first copying the
//! whole value into a private `Content` tree, then deserialising the variant from that copy:
//! every type inside is compiled a second time, against the copy, and a flattened field does
//! the same to its whole struct. In the wasm runtime that was a twentieth of the module. The
//! types here read the same JSON as one flat struct of optional keys, then build the variant
//! the `type` names.
//!
//! [`Response`] (saved answers) is always read this way. A [`Quiz`] is read this way only from
//! a page ([`EmbeddedQuiz`]): authors' YAML keeps the derive, whose messages (« unknown field
//! `choise`, expected one of … ») the build turns into diagnostics with a suggestion.

use didact_map::VecMap;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::grade::Response;
use crate::spec::{Blank, Choice, Mode, Pair, Question, QuestionKind, Quiz};

/// A key the `type` of a tagged value requires.
fn required<T, E: de::Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

/// The `type` of a [`Response`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ResponseTag {
    Choices,
    TrueFalse,
    Text,
    Ordering,
    Matching,
    Blanks,
}

/// Every key a [`Response`] may have. `chosen` is a list of indices for `choices` and of
/// optional indices for `matching`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseFields {
    #[serde(rename = "type")]
    kind: ResponseTag,
    chosen: Option<Vec<Option<usize>>>,
    value: Option<bool>,
    text: Option<String>,
    order: Option<Vec<usize>>,
    values: Option<VecMap<String, String>>,
}

impl<'de> Deserialize<'de> for Response {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = ResponseFields::deserialize(deserializer)?;
        let present = [
            fields.chosen.is_some(),
            fields.value.is_some(),
            fields.text.is_some(),
            fields.order.is_some(),
            fields.values.is_some(),
        ];
        if present.into_iter().filter(|&is| is).count() > 1 {
            return Err(de::Error::custom("a response has the one key of its type"));
        }
        Ok(match fields.kind {
            ResponseTag::Choices => Response::Choices {
                chosen: required(fields.chosen, "chosen")?
                    .into_iter()
                    .map(|index| index.ok_or_else(|| de::Error::custom("a chosen index is null")))
                    .collect::<Result<_, _>>()?,
            },
            ResponseTag::TrueFalse => Response::TrueFalse {
                value: required(fields.value, "value")?,
            },
            ResponseTag::Text => Response::Text {
                text: required(fields.text, "text")?,
            },
            ResponseTag::Ordering => Response::Ordering {
                order: required(fields.order, "order")?,
            },
            ResponseTag::Matching => Response::Matching {
                chosen: required(fields.chosen, "chosen")?,
            },
            ResponseTag::Blanks => Response::Blanks {
                values: required(fields.values, "values")?,
            },
        })
    }
}

/// A quiz as the build embeds it in a page (`serde_json::to_string(&quiz)`), read without
/// buffering its questions (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedQuiz(pub Quiz);

/// [`Quiz`]'s keys.
#[derive(Deserialize)]
struct QuizFields {
    id: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    pass_mark: Option<i64>,
    #[serde(default)]
    shuffle: bool,
    #[serde(default)]
    draw: Option<u32>,
    #[serde(default)]
    positioning: bool,
    questions: Vec<EmbeddedQuestion>,
}

impl<'de> Deserialize<'de> for EmbeddedQuiz {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = QuizFields::deserialize(deserializer)?;
        Ok(EmbeddedQuiz(Quiz {
            id: fields.id,
            title: fields.title,
            mode: fields.mode,
            pass_mark: fields.pass_mark,
            shuffle: fields.shuffle,
            draw: fields.draw,
            positioning: fields.positioning,
            questions: fields
                .questions
                .into_iter()
                .map(|question| question.0)
                .collect(),
        }))
    }
}

/// The `type` of a question.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    Single,
    Multiple,
    TrueFalse,
    ShortText,
    Numeric,
    Ordering,
    Matching,
    Blanks,
}

/// The value of `answer`: a boolean for `true_false`, a number as text for `numeric`.
enum Scalar {
    Bool(bool),
    Text(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a boolean or a number as text")
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(value))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(value.to_owned()))
            }
        }

        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// A [`Question`]'s keys and those of every type.
#[derive(Deserialize)]
struct QuestionFields {
    id: String,
    #[serde(default)]
    objective: Option<String>,
    prompt: String,
    #[serde(default)]
    explanation: Option<String>,
    #[serde(default)]
    hints: Vec<String>,
    #[serde(rename = "type")]
    kind: KindTag,
    choices: Option<Vec<Choice>>,
    answer: Option<Scalar>,
    feedback_true: Option<String>,
    feedback_false: Option<String>,
    answers: Option<Vec<String>>,
    tolerance: Option<String>,
    unit: Option<String>,
    items: Option<Vec<String>>,
    pairs: Option<Vec<Pair>>,
    text: Option<String>,
    blanks: Option<VecMap<String, Blank>>,
}

/// One question of an [`EmbeddedQuiz`].
struct EmbeddedQuestion(Question);

impl<'de> Deserialize<'de> for EmbeddedQuestion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = QuestionFields::deserialize(deserializer)?;
        let kind = match fields.kind {
            KindTag::Single => QuestionKind::Single {
                choices: required(fields.choices, "choices")?,
            },
            KindTag::Multiple => QuestionKind::Multiple {
                choices: required(fields.choices, "choices")?,
            },
            KindTag::TrueFalse => QuestionKind::TrueFalse {
                answer: match required(fields.answer, "answer")? {
                    Scalar::Bool(answer) => answer,
                    Scalar::Text(_) => return Err(de::Error::custom("`answer` is not a boolean")),
                },
                feedback_true: fields.feedback_true,
                feedback_false: fields.feedback_false,
            },
            KindTag::ShortText => QuestionKind::ShortText {
                answers: required(fields.answers, "answers")?,
            },
            KindTag::Numeric => QuestionKind::Numeric {
                answer: match required(fields.answer, "answer")? {
                    Scalar::Text(answer) => answer,
                    Scalar::Bool(_) => return Err(de::Error::custom("`answer` is not a number")),
                },
                tolerance: fields.tolerance,
                unit: fields.unit,
            },
            KindTag::Ordering => QuestionKind::Ordering {
                items: required(fields.items, "items")?,
            },
            KindTag::Matching => QuestionKind::Matching {
                pairs: required(fields.pairs, "pairs")?,
            },
            KindTag::Blanks => QuestionKind::Blanks {
                text: required(fields.text, "text")?,
                blanks: required(fields.blanks, "blanks")?,
            },
        };
        Ok(EmbeddedQuestion(Question {
            id: fields.id,
            objective: fields.objective,
            prompt: fields.prompt,
            explanation: fields.explanation,
            hints: fields.hints,
            kind,
        }))
    }
}

#[cfg(test)]
mod tests;
