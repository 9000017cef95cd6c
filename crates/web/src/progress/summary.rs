//! What « Ma progression » shows: the course's items (pages, quizzes, exercises, as the
//! progress page lists them) counted against what the learner saved, per module and per
//! learning objective.

use didact_map::{VecMap, VecSet};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

use super::document::Document;
use crate::json::{self, Json};

/// Prefix of the storage names that record a page as read (`read:<page id>`).
pub const READ_PREFIX: &str = "read:";

/// The kind of an [`Item`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A page (`data-progress-page`).
    Page,
    /// A quiz (`data-progress-quiz`).
    Quiz,
    /// A simulator exercise (`data-progress-exercise`).
    Exercise,
}

/// One thing the learner can do, as listed on the progress page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// Page id, quiz id or exercise id.
    pub id: String,
    /// The module it belongs to (its title), empty outside modules.
    pub module: String,
    /// Objective ids it serves.
    pub objectives: Vec<String>,
}

/// What the learner saved, read from a [`Document`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Saved {
    /// Page ids read.
    pub read: VecSet<String>,
    /// Quiz id → result, from the quiz widget's `results` summary.
    pub quizzes: VecMap<String, QuizResult>,
    /// Exercise ids completed, from the simulator's `exercises` summary.
    pub exercises_done: VecSet<String>,
}

/// One quiz's saved result (the quiz widget's summary entry; unknown fields are ignored).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuizResult {
    /// Percent of the points earned, a decimal string.
    pub percent: String,
    /// Exam with a pass mark: passed or not.
    #[serde(default)]
    pub passed: Option<bool>,
    /// Every question answered (practice) or the exam finished.
    #[serde(default)]
    pub completed: bool,
    /// Objective id → points.
    #[serde(default)]
    pub objectives: VecMap<String, ObjectivePoints>,
}

/// Points earned for one objective in one quiz.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ObjectivePoints {
    /// Points earned, a decimal string.
    pub earned: String,
    /// Questions graded.
    pub possible: u32,
}

/// Counts for a group of items (a module, an objective, the whole course).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Pages read, pages in the group.
    pub pages: (u32, u32),
    /// Quizzes completed, quizzes in the group.
    pub quizzes: (u32, u32),
    /// Exercises completed, exercises in the group.
    pub exercises: (u32, u32),
    /// Quiz points earned in the group (per objective for objectives, all points of the
    /// completed quizzes for modules and the course).
    ///
    /// Decimals rather than floats: the float parser and formatter would be extra code in the
    /// wasm module, where `rust_decimal` is already present.
    pub earned: Decimal,
    /// Quiz points possible, see `earned`.
    pub possible: Decimal,
}

/// The progress page's figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// The whole course.
    pub course: Tally,
    /// Module title → counts (items outside modules are under "").
    pub modules: VecMap<String, Tally>,
    /// Objective id → counts.
    pub objectives: VecMap<String, Tally>,
}

impl Tally {
    /// Score in percent, rounded, when some points were possible.
    pub fn score(&self) -> Option<u32> {
        (self.possible > Decimal::ZERO).then(|| {
            (self.earned / self.possible * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                .to_u32()
                .unwrap_or(0)
        })
    }

    /// Share of the items done, in percent (rounded down, so 100 means all done).
    pub fn percent_done(&self) -> u32 {
        let done = self.pages.0 + self.quizzes.0 + self.exercises.0;
        let total = self.pages.1 + self.quizzes.1 + self.exercises.1;
        (done * 100).checked_div(total).unwrap_or(0)
    }
}

impl Saved {
    /// Reads the saved values that matter for progress. A summary that does not parse is
    /// ignored (the widget that owns it sets it aside itself).
    pub fn from_document(document: &Document) -> Saved {
        let mut res = Saved::default();
        for (name, entry) in &document.entries {
            if let (Some(page), Some(_)) = (name.strip_prefix(READ_PREFIX), &entry.value) {
                res.read.insert(page.to_owned());
            }
        }
        if let Some(text) = document.value("results") {
            res.quizzes = members(text)
                .into_iter()
                .filter_map(|(id, value)| Some((id, json::from_value(value).ok()?)))
                .collect();
        }
        if let Some(text) = document.value("exercises") {
            res.exercises_done = members(text)
                .into_iter()
                .filter(|(_, value)| value.get("completed") == Some(&Json::Bool(true)))
                .map(|(id, _)| id)
                .collect();
        }
        res
    }

    /// Whether the quiz `id` is completed.
    pub fn quiz_done(&self, id: &str) -> bool {
        self.quizzes.get(id).is_some_and(|result| result.completed)
    }
}

/// Counts `items` against `saved`.
pub fn summarise(items: &[Item], saved: &Saved) -> Summary {
    let mut res = Summary::default();
    for item in items {
        let module = res.modules.entry(item.module.clone()).or_default();
        add(module, item, saved, None);
        add(&mut res.course, item, saved, None);
        for objective in &item.objectives {
            let tally = res.objectives.entry(objective.clone()).or_default();
            add(tally, item, saved, Some(objective));
        }
    }
    res
}

fn add(tally: &mut Tally, item: &Item, saved: &Saved, objective: Option<&str>) {
    match item.kind {
        ItemKind::Page => {
            tally.pages.1 += 1;
            tally.pages.0 += u32::from(saved.read.contains(&item.id));
        }
        ItemKind::Exercise => {
            tally.exercises.1 += 1;
            tally.exercises.0 += u32::from(saved.exercises_done.contains(&item.id));
        }
        ItemKind::Quiz => {
            tally.quizzes.1 += 1;
            tally.quizzes.0 += u32::from(saved.quiz_done(&item.id));
            let Some(result) = saved.quizzes.get(&item.id) else {
                return;
            };
            match objective {
                Some(objective) => {
                    if let Some(points) = result.objectives.get(objective) {
                        tally.earned += points.earned.parse::<Decimal>().unwrap_or_default();
                        tally.possible += Decimal::from(points.possible);
                    }
                }
                None if result.completed => {
                    tally.earned += result.percent.parse::<Decimal>().unwrap_or_default();
                    tally.possible += Decimal::ONE_HUNDRED;
                }
                None => {}
            }
        }
    }
}

/// A saved percent (`"87.5"`) as the learner reads it (`87,5`): one decimal at most, with a
/// decimal comma.
pub fn format_percent(percent: &str) -> String {
    let Ok(value) = percent.trim().parse::<Decimal>() else {
        return percent.to_owned();
    };
    value
        .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
        .replace('.', ",")
}

/// The members of a JSON object saved as text; nothing when it is not one.
fn members(text: &str) -> Vec<(String, Json)> {
    match json::parse(text) {
        Ok(Json::Object(members)) => members,
        _ => Vec::new(),
    }
}
