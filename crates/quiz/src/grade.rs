//! Grading: what the learner gave ([`Response`]) against the spec, to a [`Grade`].
//!
//! Every question is worth one point. A question's credit is the fraction
//! [`Grade::earned`] / [`Grade::possible`]; no floating point is involved anywhere. A response
//! of the wrong shape, with out-of-range indices or with unreadable text is simply wrong:
//! grading never fails and never panics, whatever the page sends.

use didact_map::VecMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::normalize::{normalize_text, parse_number};
use crate::spec::{blank_segments, Blank, Choice, Mode, Question, QuestionKind, Quiz, Segment};
use crate::Arrangement;

/// What the learner gave for one question.
///
/// JSON form: `{"type": "choices", "chosen": [0, 2]}`; read by `tagged.rs` without serde's
/// buffering of internally tagged enums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// Single and multiple: authored indices of the chosen choices.
    Choices {
        /// Indices into the question's `choices`, in any order.
        chosen: Vec<usize>,
    },
    /// True/false: the learner's answer.
    TrueFalse {
        /// `true` for « vrai ».
        value: bool,
    },
    /// Short text and numeric: what the learner typed.
    Text {
        /// The raw text.
        text: String,
    },
    /// Ordering: the learner's sequence, as authored item indices (a permutation).
    Ordering {
        /// `order[position]` is the index of the item placed at that position.
        order: Vec<usize>,
    },
    /// Matching: for each pair, in authored order, the index of the pair whose right side the
    /// learner picked for its left label, or `None` when nothing was picked.
    Matching {
        /// One entry per left label.
        chosen: Vec<Option<usize>>,
    },
    /// Blanks: what the learner typed or picked, by blank name.
    Blanks {
        /// Blank name → text.
        values: VecMap<String, String>,
    },
}

/// The learner's responses to a quiz, by question id.
pub type Responses = VecMap<String, Response>;

/// The result of grading one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// Credit earned, out of [`Grade::possible`].
    pub earned: u32,
    /// What full credit is: 1, or the number of correct choices, items, pairs or blanks.
    pub possible: u32,
    /// Whether the learner earned full credit.
    pub correct: bool,
    /// Which parts are right: per choice in authored order (its tick state is right), per
    /// position of the learner's ordering, per matching pair in authored order, per blank in
    /// text order; one part for true/false, short text and numeric.
    pub parts: Vec<bool>,
    /// Feedback to show (Markdown or its HTML, as in the spec): of the chosen choices in
    /// authored order, or the true/false feedback of the value given.
    pub feedback: Vec<String>,
    /// The correct answer, to show after grading.
    pub answer: Answer,
}

/// The correct answer of a question, as shown to the learner after grading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer {
    /// Single and multiple: authored indices of the correct choices.
    Choices {
        /// Indices into `choices`.
        correct: Vec<usize>,
    },
    /// True/false: whether the statement is true.
    TrueFalse {
        /// The answer.
        value: bool,
    },
    /// Short text (the first accepted answer) and numeric (the answer and its unit).
    Text {
        /// Plain text.
        text: String,
    },
    /// Ordering: the items in the correct order.
    Ordering {
        /// The items.
        items: Vec<String>,
    },
    /// Matching: the right side of each pair, in authored order.
    Matching {
        /// Plain text, one per left label.
        rights: Vec<String>,
    },
    /// Blanks: one correct answer per blank name.
    Blanks {
        /// Blank name → answer.
        answers: VecMap<String, String>,
    },
}

/// The result of grading a whole quiz.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizGrade {
    /// Grade of every question in the arrangement, by question id; an unanswered question
    /// earns nothing.
    pub grades: VecMap<String, Grade>,
    /// Points earned, one per question at most, rounded to two decimals.
    #[serde(with = "rust_decimal::serde::str")]
    pub earned: Decimal,
    /// Number of questions graded.
    pub possible: u32,
    /// Percentage of the points earned, truncated (not rounded) to two decimals, so that it
    /// reaches the pass mark exactly when the learner passed.
    #[serde(with = "rust_decimal::serde::str")]
    pub percent: Decimal,
    /// Exam with a pass mark: whether `percent` reaches it; `None` otherwise.
    pub passed: Option<bool>,
    /// Results per objective id, for the questions that name one.
    pub objectives: VecMap<String, ObjectiveGrade>,
}

/// Points earned on the questions of one objective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectiveGrade {
    /// Points earned, rounded to two decimals.
    #[serde(with = "rust_decimal::serde::str")]
    pub earned: Decimal,
    /// Number of questions of this objective that were graded.
    pub possible: u32,
}

impl Grade {
    /// The credit as a number between 0 and 1.
    pub fn score(&self) -> Decimal {
        if self.possible == 0 {
            return Decimal::ZERO;
        }
        Decimal::from(self.earned) / Decimal::from(self.possible)
    }
}

/// Grades one response to one question.
///
/// Credit per type: single, true/false, short text and numeric are all or nothing; multiple
/// earns max(0, right ticks − wrong ticks) out of the number of correct choices; ordering
/// earns one per item at its correct position (a response that is not a permutation earns
/// nothing); matching one per correct pair; blanks one per correct blank.
pub fn grade(question: &Question, response: &Response) -> Grade {
    grade_optional(question, Some(response))
}

/// Grades the questions of `arrangement` (those drawn for this learner) and totals them.
///
/// The percentage is compared with the pass mark after rounding the exact sum to 20
/// decimals, which absorbs the last-digit error of [`Decimal`] division (⅓ + ⅓ + ⅓) while
/// keeping every real fraction of a quiz apart from the mark it does not reach.
pub fn grade_quiz(quiz: &Quiz, arrangement: &Arrangement, responses: &Responses) -> QuizGrade {
    let mut grades = VecMap::new();
    let mut total = Decimal::ZERO;
    let mut possible = 0u32;
    let mut objectives: VecMap<String, (Decimal, u32)> = VecMap::new();
    for placed in &arrangement.questions {
        let Some(question) = quiz.questions.get(placed.index) else {
            continue;
        };
        let res = grade_optional(question, responses.get(&question.id));
        let score = res.score();
        total += score;
        possible += 1;
        if let Some(objective) = &question.objective {
            let entry = objectives.entry(objective.clone()).or_default();
            entry.0 += score;
            entry.1 += 1;
        }
        grades.insert(question.id.clone(), res);
    }
    let exact_percent = if possible == 0 {
        Decimal::ZERO
    } else {
        (total * Decimal::ONE_HUNDRED / Decimal::from(possible))
            .round_dp_with_strategy(20, RoundingStrategy::MidpointNearestEven)
    };
    let passed = match (quiz.mode, quiz.pass_mark) {
        (Mode::Exam, Some(pass_mark)) => Some(exact_percent >= Decimal::from(pass_mark)),
        _ => None,
    };
    QuizGrade {
        grades,
        earned: round_points(total),
        possible,
        percent: exact_percent
            .round_dp_with_strategy(2, RoundingStrategy::ToZero)
            .normalize(),
        passed,
        objectives: objectives
            .into_iter()
            .map(|(id, (earned, possible))| {
                let earned = round_points(earned);
                (id, ObjectiveGrade { earned, possible })
            })
            .collect(),
    }
}

fn round_points(points: Decimal) -> Decimal {
    points
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Grades a response, or its absence (which earns nothing but still shows the answer).
fn grade_optional(question: &Question, response: Option<&Response>) -> Grade {
    match &question.kind {
        QuestionKind::Single { choices } => grade_single(choices, response),
        QuestionKind::Multiple { choices } => grade_multiple(choices, response),
        QuestionKind::TrueFalse {
            answer,
            feedback_true,
            feedback_false,
        } => {
            let given = match response {
                Some(Response::TrueFalse { value }) => Some(*value),
                _ => None,
            };
            let feedback = match given {
                Some(true) => feedback_true.clone(),
                Some(false) => feedback_false.clone(),
                None => None,
            };
            all_or_nothing(
                given == Some(*answer),
                feedback.into_iter().collect(),
                Answer::TrueFalse { value: *answer },
            )
        }
        QuestionKind::ShortText { answers } => {
            let right = match response {
                Some(Response::Text { text }) => matches_any(text, answers),
                _ => false,
            };
            let text = answers.first().cloned().unwrap_or_default();
            all_or_nothing(right, Vec::new(), Answer::Text { text })
        }
        QuestionKind::Numeric {
            answer,
            tolerance,
            unit,
        } => {
            let right = match response {
                Some(Response::Text { text }) => {
                    numeric_matches(text, answer, tolerance.as_deref(), unit.as_deref())
                }
                _ => false,
            };
            let text = match unit {
                Some(unit) => format!("{answer} {unit}"),
                None => answer.clone(),
            };
            all_or_nothing(right, Vec::new(), Answer::Text { text })
        }
        QuestionKind::Ordering { items } => {
            let order = match response {
                Some(Response::Ordering { order }) if is_permutation(order, items.len()) => {
                    Some(order)
                }
                _ => None,
            };
            let parts = (0..items.len())
                .map(|position| {
                    order.is_some_and(|order| items[order[position]] == items[position])
                })
                .collect();
            by_parts(
                parts,
                Vec::new(),
                Answer::Ordering {
                    items: items.clone(),
                },
            )
        }
        QuestionKind::Matching { pairs } => {
            let chosen = match response {
                Some(Response::Matching { chosen }) => chosen.as_slice(),
                _ => &[],
            };
            let parts = pairs
                .iter()
                .enumerate()
                .map(|(pair_idx, pair)| {
                    let picked = chosen.get(pair_idx).copied().flatten();
                    picked
                        .and_then(|picked| pairs.get(picked))
                        .is_some_and(|picked| picked.right == pair.right)
                })
                .collect();
            let rights = pairs.iter().map(|pair| pair.right.clone()).collect();
            by_parts(parts, Vec::new(), Answer::Matching { rights })
        }
        QuestionKind::Blanks { text, blanks } => {
            let values = match response {
                Some(Response::Blanks { values }) => Some(values),
                _ => None,
            };
            let names: Vec<&str> = blank_segments(text)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|segment| match segment {
                    Segment::Blank(name) => Some(name),
                    Segment::Text(_) => None,
                })
                .collect();
            let parts = names
                .iter()
                .map(|name| {
                    let given = values.and_then(|values| values.get(*name));
                    match (given, blanks.get(*name)) {
                        (Some(given), Some(blank)) => blank_matches(given, blank),
                        _ => false,
                    }
                })
                .collect();
            let answers = blanks
                .iter()
                .map(|(name, blank)| {
                    let answer = blank.answer.as_ref().or(blank.answers.first());
                    (name.clone(), answer.cloned().unwrap_or_default())
                })
                .collect();
            by_parts(parts, Vec::new(), Answer::Blanks { answers })
        }
    }
}

fn grade_single(choices: &[Choice], response: Option<&Response>) -> Grade {
    let chosen = chosen_flags(choices.len(), response);
    let mut picked = choices.iter().zip(&chosen).filter(|(_, chosen)| **chosen);
    let right = match (picked.next(), picked.next()) {
        (Some((choice, _)), None) => choice.correct,
        _ => false,
    };
    Grade {
        parts: tick_parts(choices, &chosen),
        ..all_or_nothing(
            right,
            chosen_feedback(choices, &chosen),
            correct_choices(choices),
        )
    }
}

fn grade_multiple(choices: &[Choice], response: Option<&Response>) -> Grade {
    let chosen = chosen_flags(choices.len(), response);
    let n_correct = choices.iter().filter(|choice| choice.correct).count();
    let (mut right_ticks, mut wrong_ticks) = (0usize, 0usize);
    for (choice, chosen) in choices.iter().zip(&chosen) {
        match (chosen, choice.correct) {
            (true, true) => right_ticks += 1,
            (true, false) => wrong_ticks += 1,
            (false, _) => {}
        }
    }
    let possible = to_u32(n_correct.max(1));
    let earned = to_u32(right_ticks.saturating_sub(wrong_ticks));
    Grade {
        earned,
        possible,
        correct: n_correct > 0 && earned == possible,
        parts: tick_parts(choices, &chosen),
        feedback: chosen_feedback(choices, &chosen),
        answer: correct_choices(choices),
    }
}

/// Which choices were chosen, ignoring indices out of range and repeats.
fn chosen_flags(n_choices: usize, response: Option<&Response>) -> Vec<bool> {
    let mut res = vec![false; n_choices];
    if let Some(Response::Choices { chosen }) = response {
        for &choice_idx in chosen {
            if let Some(flag) = res.get_mut(choice_idx) {
                *flag = true;
            }
        }
    }
    res
}

fn tick_parts(choices: &[Choice], chosen: &[bool]) -> Vec<bool> {
    choices
        .iter()
        .zip(chosen)
        .map(|(choice, chosen)| *chosen == choice.correct)
        .collect()
}

fn chosen_feedback(choices: &[Choice], chosen: &[bool]) -> Vec<String> {
    choices
        .iter()
        .zip(chosen)
        .filter(|(_, chosen)| **chosen)
        .filter_map(|(choice, _)| choice.feedback.clone())
        .collect()
}

fn correct_choices(choices: &[Choice]) -> Answer {
    let correct = choices
        .iter()
        .enumerate()
        .filter(|(_, choice)| choice.correct)
        .map(|(choice_idx, _)| choice_idx)
        .collect();
    Answer::Choices { correct }
}

fn all_or_nothing(right: bool, feedback: Vec<String>, answer: Answer) -> Grade {
    Grade {
        earned: u32::from(right),
        possible: 1,
        correct: right,
        parts: vec![right],
        feedback,
        answer,
    }
}

/// One credit per right part; a question without parts (malformed spec) is worth one point
/// that cannot be earned, so it still counts in the quiz total.
fn by_parts(parts: Vec<bool>, feedback: Vec<String>, answer: Answer) -> Grade {
    let earned = to_u32(parts.iter().filter(|right| **right).count());
    let possible = to_u32(parts.len().max(1));
    Grade {
        earned,
        possible,
        correct: !parts.is_empty() && earned == possible,
        parts,
        feedback,
        answer,
    }
}

fn matches_any(given: &str, answers: &[String]) -> bool {
    let given = normalize_text(given);
    !given.is_empty() && answers.iter().any(|answer| normalize_text(answer) == given)
}

fn numeric_matches(given: &str, answer: &str, tolerance: Option<&str>, unit: Option<&str>) -> bool {
    let (Some(given), Some(answer)) = (parse_number(given, unit), parse_number(answer, unit))
    else {
        return false;
    };
    let tolerance = match tolerance {
        None => Decimal::ZERO,
        Some(tolerance) => match parse_number(tolerance, unit) {
            Some(tolerance) if tolerance >= Decimal::ZERO => tolerance,
            _ => return false,
        },
    };
    given
        .checked_sub(answer)
        .is_some_and(|distance| distance.abs() <= tolerance)
}

fn blank_matches(given: &str, blank: &Blank) -> bool {
    match &blank.answer {
        Some(answer) if !blank.choices.is_empty() => {
            normalize_text(given) == normalize_text(answer)
        }
        _ => matches_any(given, &blank.answers),
    }
}

fn is_permutation(order: &[usize], n: usize) -> bool {
    let mut seen = vec![false; n];
    order.len() == n
        && order
            .iter()
            .all(|&i| i < n && !std::mem::replace(&mut seen[i], true))
}

/// Counts in a question never come near `u32::MAX`; saturate rather than panic if a
/// hand-made page pretends otherwise.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;

/// Where a learner should focus for one objective, after a positioning test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    /// Less than half of the points: follow this objective's parts first.
    Focus,
    /// Half or more, but less than 90 %: review this objective's parts.
    Review,
    /// 90 % or more: the objective looks mastered; the parts can be read quickly.
    Mastered,
}

impl Advice {
    /// The advice for an objective grade; `None` when no question of it was graded.
    ///
    /// Thresholds: below 50 % → [`Advice::Focus`], below 90 % → [`Advice::Review`], else
    /// [`Advice::Mastered`]. Compared exactly in decimals.
    pub fn for_grade(grade: &ObjectiveGrade) -> Option<Advice> {
        if grade.possible == 0 {
            return None;
        }
        let ratio = grade.earned / Decimal::from(grade.possible);
        Some(if ratio < Decimal::new(5, 1) {
            Advice::Focus
        } else if ratio < Decimal::new(9, 1) {
            Advice::Review
        } else {
            Advice::Mastered
        })
    }

    /// The learner-facing French text.
    pub fn label_fr(self) -> &'static str {
        match self {
            Advice::Focus => "À travailler en priorité",
            Advice::Review => "À revoir",
            Advice::Mastered => "Plutôt acquis : vous pouvez parcourir ces parties plus vite",
        }
    }
}

#[cfg(test)]
mod advice_tests {
    use super::*;

    #[track_caller]
    fn check(earned: &str, possible: u32, expected: Option<Advice>) {
        let grade = ObjectiveGrade {
            earned: earned.parse().unwrap(),
            possible,
        };
        assert_eq!(Advice::for_grade(&grade), expected);
    }

    #[test]
    fn advice_follows_the_stated_thresholds_exactly() {
        check("0", 0, None);
        check("2.49", 5, Some(Advice::Focus));
        check("2.5", 5, Some(Advice::Review));
        check("4", 5, Some(Advice::Review));
        check("4.5", 5, Some(Advice::Mastered));
        check("5", 5, Some(Advice::Mastered));
    }
}
