//! Checking a quiz spec for authoring mistakes, reported as [`Problem`]s with a field path.

use std::collections::BTreeSet;

use didact_map::VecMap;

use rust_decimal::Decimal;

use crate::normalize::{normalize_text, parse_number};
use crate::spec::{blank_segments, is_id, Blank, Choice, Mode, QuestionKind, Quiz, Segment};

/// What [`check_quiz`] needs to know about the rest of the course.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckContext {
    /// The objective ids declared in `book.toml`.
    pub objectives: Vec<String>,
}

/// A mistake in a quiz spec. The caller turns it into a diagnostic, mapping `path` to a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Whether the build must stop.
    pub severity: Severity,
    /// Stable kebab-case code, e.g. `quiz-single-correct-count`.
    pub code: &'static str,
    /// Lower case, no trailing period.
    pub message: String,
    /// Path of the offending field from the quiz root, e.g. `questions[2].choices`.
    pub path: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The quiz cannot be graded as authored.
    Error,
    /// The quiz works, but something in it is ignored or probably unintended.
    Warning,
}

/// Checks `quiz` for everything serde cannot: counts of correct choices, numbers that do not
/// parse, blanks that do not match their placeholders, unknown objectives, and so on.
/// Returns every problem found; none means the quiz is fine. Ids that must be unique across
/// the course are the caller's to check, with [`ids`](crate::ids).
pub fn check_quiz(quiz: &Quiz, ctx: &CheckContext) -> Vec<Problem> {
    let mut checker = Checker { res: Vec::new() };
    checker.quiz(quiz, ctx);
    checker.res
}

struct Checker {
    res: Vec<Problem>,
}

impl Checker {
    fn error(&mut self, code: &'static str, path: String, message: String, help: Option<&str>) {
        self.push(Severity::Error, code, path, message, help);
    }

    fn warning(&mut self, code: &'static str, path: String, message: String, help: Option<&str>) {
        self.push(Severity::Warning, code, path, message, help);
    }

    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        path: String,
        message: String,
        help: Option<&str>,
    ) {
        self.res.push(Problem {
            severity,
            code,
            message,
            path,
            help: help.map(str::to_owned),
        });
    }

    fn id(&mut self, id: &str, path: String) {
        if !is_id(id) {
            self.error(
                "quiz-invalid-id",
                path,
                format!("id `{id}` is not a valid id"),
                Some("use letters, digits, `-` and `_` only, e.g. `quiz-vocabulaire`"),
            );
        }
    }

    fn quiz(&mut self, quiz: &Quiz, ctx: &CheckContext) {
        self.id(&quiz.id, "id".into());
        if quiz.questions.is_empty() {
            self.error(
                "quiz-no-questions",
                "questions".into(),
                "the quiz has no questions".into(),
                None,
            );
        }
        if let Some(pass_mark) = quiz.pass_mark {
            if !(0..=100).contains(&pass_mark) {
                self.error(
                    "quiz-pass-mark-range",
                    "pass_mark".into(),
                    format!("pass mark {pass_mark} is not a percentage between 0 and 100"),
                    None,
                );
            } else if quiz.mode == Mode::Practice {
                self.warning(
                    "quiz-pass-mark-in-practice",
                    "pass_mark".into(),
                    "a pass mark is ignored in practice mode".into(),
                    Some("add `mode: exam`, or remove `pass_mark`"),
                );
            }
        }
        match quiz.draw {
            Some(0) => self.error(
                "quiz-draw-zero",
                "draw".into(),
                "drawing zero questions leaves the quiz empty".into(),
                Some("remove `draw` to show every question"),
            ),
            Some(draw) if usize::try_from(draw).map_or(true, |d| d > quiz.questions.len()) => {
                self.error(
                    "quiz-draw-too-large",
                    "draw".into(),
                    format!(
                        "cannot draw {draw} questions from a pool of {}",
                        quiz.questions.len()
                    ),
                    None,
                );
            }
            _ => {}
        }

        let mut seen_ids = BTreeSet::new();
        for (question_idx, question) in quiz.questions.iter().enumerate() {
            let path = format!("questions[{question_idx}]");
            self.id(&question.id, format!("{path}.id"));
            if !seen_ids.insert(question.id.as_str()) {
                self.error(
                    "quiz-duplicate-question-id",
                    format!("{path}.id"),
                    format!("question id `{}` is used twice in this quiz", question.id),
                    None,
                );
            }
            if question.prompt.trim().is_empty() {
                self.error(
                    "quiz-empty-prompt",
                    format!("{path}.prompt"),
                    "the question has an empty prompt".into(),
                    None,
                );
            }
            if let Some(objective) = &question.objective {
                if !ctx.objectives.contains(objective) {
                    self.error(
                        "quiz-unknown-objective",
                        format!("{path}.objective"),
                        format!("objective `{objective}` is not declared in book.toml"),
                        Some(&objective_help(ctx)),
                    );
                }
            }
            self.kind(&question.kind, &path);
        }
    }

    fn kind(&mut self, kind: &QuestionKind, path: &str) {
        match kind {
            QuestionKind::Single { choices } => {
                self.choices(choices, path);
                let n_correct = choices.iter().filter(|choice| choice.correct).count();
                if n_correct != 1 {
                    self.error(
                        "quiz-single-correct-count",
                        format!("{path}.choices"),
                        format!(
                            "a single-choice question needs exactly one correct choice, found {n_correct}"
                        ),
                        Some("mark one choice with `correct: true`, or use `type: multiple`"),
                    );
                }
            }
            QuestionKind::Multiple { choices } => {
                self.choices(choices, path);
                if !choices.iter().any(|choice| choice.correct) {
                    self.error(
                        "quiz-multiple-no-correct",
                        format!("{path}.choices"),
                        "a multiple-choice question needs at least one correct choice".into(),
                        Some("mark the correct choices with `correct: true`"),
                    );
                }
            }
            QuestionKind::TrueFalse { .. } => {}
            QuestionKind::ShortText { answers } => {
                self.answers(answers, &format!("{path}.answers"));
            }
            QuestionKind::Numeric {
                answer,
                tolerance,
                unit,
            } => {
                let unit = unit.as_deref();
                if parse_number(answer, unit).is_none() {
                    self.unparsable_number(answer, format!("{path}.answer"));
                }
                if let Some(tolerance) = tolerance {
                    match parse_number(tolerance, unit) {
                        None => self.unparsable_number(tolerance, format!("{path}.tolerance")),
                        Some(value) if value < Decimal::ZERO => self.error(
                            "quiz-numeric-negative-tolerance",
                            format!("{path}.tolerance"),
                            format!("tolerance `{tolerance}` is negative"),
                            None,
                        ),
                        Some(_) => {}
                    }
                }
            }
            QuestionKind::Ordering { items } => {
                if items.len() < 2 {
                    self.error(
                        "quiz-ordering-too-short",
                        format!("{path}.items"),
                        format!(
                            "an ordering question needs at least two items, found {}",
                            items.len()
                        ),
                        None,
                    );
                }
                let mut seen = BTreeSet::new();
                for (item_idx, item) in items.iter().enumerate() {
                    if !seen.insert(item.as_str()) {
                        self.error(
                            "quiz-ordering-duplicate-item",
                            format!("{path}.items[{item_idx}]"),
                            format!("item `{item}` appears twice"),
                            Some("items must read differently so the learner can tell them apart"),
                        );
                    }
                }
            }
            QuestionKind::Matching { pairs } => {
                if pairs.len() < 2 {
                    self.error(
                        "quiz-matching-too-short",
                        format!("{path}.pairs"),
                        format!(
                            "a matching question needs at least two pairs, found {}",
                            pairs.len()
                        ),
                        None,
                    );
                }
                let mut seen = BTreeSet::new();
                for (pair_idx, pair) in pairs.iter().enumerate() {
                    if !seen.insert(pair.left.as_str()) {
                        self.error(
                            "quiz-matching-duplicate-left",
                            format!("{path}.pairs[{pair_idx}].left"),
                            format!("left label `{}` appears twice", pair.left),
                            None,
                        );
                    }
                }
            }
            QuestionKind::Blanks { text, blanks } => self.blanks(text, blanks, path),
        }
    }

    fn choices(&mut self, choices: &[Choice], path: &str) {
        if choices.len() < 2 {
            self.error(
                "quiz-too-few-choices",
                format!("{path}.choices"),
                format!(
                    "a choice question needs at least two choices, found {}",
                    choices.len()
                ),
                None,
            );
        }
        for (choice_idx, choice) in choices.iter().enumerate() {
            if choice.text.trim().is_empty() {
                self.error(
                    "quiz-empty-choice",
                    format!("{path}.choices[{choice_idx}].text"),
                    "the choice has no text".into(),
                    None,
                );
            }
        }
    }

    fn answers(&mut self, answers: &[String], path: &str) {
        if answers.is_empty() {
            self.error(
                "quiz-empty-answers",
                path.into(),
                "no accepted answer is given".into(),
                Some("list the accepted answers, e.g. `answers: [\"mise à disposition\"]`"),
            );
        }
        for (answer_idx, answer) in answers.iter().enumerate() {
            if normalize_text(answer).is_empty() {
                self.error(
                    "quiz-empty-answer",
                    format!("{path}[{answer_idx}]"),
                    "an accepted answer is empty".into(),
                    None,
                );
            }
        }
    }

    fn unparsable_number(&mut self, text: &str, path: String) {
        self.error(
            "quiz-numeric-unparsable",
            path,
            format!("`{text}` is not a number"),
            Some("write digits with one decimal comma or point, e.g. \"1 234,50\""),
        );
    }

    fn blanks(&mut self, text: &str, blanks: &VecMap<String, Blank>, path: &str) {
        let segments = match blank_segments(text) {
            Ok(segments) => segments,
            Err(offset) => {
                self.error(
                    "quiz-blank-malformed",
                    format!("{path}.text"),
                    format!("the placeholder at byte {offset} is not of the form `{{{{name}}}}`"),
                    Some("names use letters, digits, `-` and `_`, e.g. `{{service}}`"),
                );
                return;
            }
        };
        let mut used = BTreeSet::new();
        for segment in segments {
            let Segment::Blank(name) = segment else {
                continue;
            };
            if !used.insert(name) {
                self.error(
                    "quiz-blank-repeated",
                    format!("{path}.text"),
                    format!("blank `{name}` appears more than once in the text"),
                    Some("give each placeholder its own name"),
                );
            } else if !blanks.contains_key(name) {
                self.error(
                    "quiz-blank-undeclared",
                    format!("{path}.text"),
                    format!("placeholder `{{{{{name}}}}}` has no entry in `blanks`"),
                    None,
                );
            }
        }
        if used.is_empty() {
            self.error(
                "quiz-blanks-none",
                format!("{path}.text"),
                "the text has no `{{name}}` placeholder".into(),
                None,
            );
        }
        for (name, blank) in blanks {
            let blank_path = format!("{path}.blanks.{name}");
            if !used.contains(name.as_str()) {
                self.error(
                    "quiz-blank-unused",
                    blank_path.clone(),
                    format!("blank `{name}` does not appear in the text"),
                    Some(&format!(
                        "add `{{{{{name}}}}}` to the text, or remove the blank"
                    )),
                );
            }
            self.blank(blank, &blank_path);
        }
    }

    fn blank(&mut self, blank: &Blank, path: &str) {
        if blank.choices.is_empty() {
            if blank.answer.is_some() {
                self.error(
                    "quiz-blank-answer-without-choices",
                    format!("{path}.answer"),
                    "`answer` belongs to a blank with `choices`".into(),
                    Some("write `answers: [...]` for a blank the learner types in"),
                );
            }
            self.answers(&blank.answers, &format!("{path}.answers"));
            return;
        }
        if !blank.answers.is_empty() {
            self.error(
                "quiz-blank-mixed",
                format!("{path}.answers"),
                "a blank has either `answers` or `choices` with `answer`, not both".into(),
                None,
            );
        }
        if blank.choices.len() < 2 {
            self.error(
                "quiz-too-few-choices",
                format!("{path}.choices"),
                format!(
                    "a select blank needs at least two choices, found {}",
                    blank.choices.len()
                ),
                None,
            );
        }
        match &blank.answer {
            None => self.error(
                "quiz-blank-missing-answer",
                path.into(),
                "a blank with `choices` needs an `answer`".into(),
                None,
            ),
            Some(answer) if !blank.choices.contains(answer) => self.error(
                "quiz-blank-answer-not-a-choice",
                format!("{path}.answer"),
                format!("answer `{answer}` is not one of the choices"),
                None,
            ),
            Some(_) => {}
        }
    }
}

fn objective_help(ctx: &CheckContext) -> String {
    if ctx.objectives.is_empty() {
        "declare objectives with `[[objectives]]` in book.toml".into()
    } else {
        format!("declared objectives: {}", ctx.objectives.join(", "))
    }
}

#[cfg(test)]
mod tests;
