//! The quiz widget: makes the worksheet that `themes/default/templates/quiz.html` printed
//! interactive.
//!
//! 1. Find every `[data-quiz]` section, deobfuscate its data with the quiz id as key and parse
//!    it into a `didact_quiz::Quiz` (the build serialised the same type).
//! 2. Arrange it with the learner's seed (`didact:<course>:seed`): hide the questions not
//!    drawn, reorder the choices, build the ordering items and the matching options.
//! 3. Restore the saved state (`didact:<course>:quiz:<quiz id>`) and show its grades again.
//! 4. Translate clicks and keys into responses, grade them with `didact_quiz` and show the
//!    result; save after every change.
//!
//! Every decision about answers is `didact_quiz`'s: this module reads the form into a
//! `Response`, and writes a `Grade` back as text. Learner text only ever reaches the page
//! through `set_text_content`; `inner_html` is used for author text, which the build already
//! rendered from Markdown.

use didact_map::VecMap;
use std::cell::RefCell;
use std::rc::Rc;

use didact_quiz::{
    arrangement, blank_segments, deobfuscate, grade, grade_quiz, Advice, Answer, Arrangement,
    Grade, Mode, ObjectiveGrade, Question, QuestionKind, Quiz, QuizGrade, Response, Responses,
    Segment,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent,
};

use crate::json::{self, Json};
use crate::storage::{warn, Rejected, Store};

/// Version of the saved quiz state; a saved value of another version is set aside.
const SAVE_VERSION: u32 = 1;
/// Storage name of the learner's seed (a decimal `u64`).
const SEED_NAME: &str = "seed";
/// Storage name of the course-wide results, a [`Summary`].
const RESULTS_NAME: &str = "results";

/// Mounts every quiz of `document`. A quiz whose data cannot be read is left as a worksheet and
/// reported on the console; the other quizzes still work.
pub fn mount_all(document: &Document) {
    let Ok(roots) = document.query_selector_all("[data-quiz]") else {
        return;
    };
    if roots.length() == 0 {
        return;
    }
    let store = Rc::new(Store::open(document));
    let seed = learner_seed(&store);
    for root in node_elements(&roots) {
        let id = root.get_attribute("data-quiz-id").unwrap_or_default();
        if let Err(error) = mount(document, root, Rc::clone(&store), seed) {
            web_sys::console::error_1(&format!("didact: quiz {id:?} cannot start: {error}").into());
        }
    }
}

/// What is saved per quiz under `didact:<course>:quiz:<quiz id>`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    /// [`SAVE_VERSION`].
    version: u32,
    /// Practice: the responses of the questions validated; exam: the current responses
    /// (saved as the learner answers), then those graded.
    #[serde(default)]
    responses: Responses,
    /// The grades shown, by question id: practice, the questions validated; exam, every
    /// question once the quiz is finished.
    #[serde(default)]
    grades: VecMap<String, SavedGrade>,
    /// Number of hints revealed, by question id.
    #[serde(default)]
    hints: VecMap<String, usize>,
    /// Practice: questions validated; exam: quizzes finished. Kept by « Recommencer le quiz ».
    #[serde(default)]
    attempts: u32,
    /// Practice: every question is validated; exam: the quiz is finished.
    #[serde(default)]
    completed: bool,
}

/// One question's grade as saved: credit as decimal strings, for the progress page.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedGrade {
    earned: String,
    possible: String,
    correct: bool,
}

/// The course-wide results under `didact:<course>:results`, by quiz id.
type Summary = VecMap<String, QuizSummary>;

/// One quiz's results for the progress page.
#[derive(Debug, Serialize, Deserialize)]
struct QuizSummary {
    /// Percent of the quiz's points earned, a decimal string such as `"87.5"`.
    percent: String,
    /// Exam with a pass mark: whether the learner passed; `null` otherwise.
    passed: Option<bool>,
    /// See [`Saved::completed`].
    #[serde(default)]
    completed: bool,
    /// Points per objective id (`earned` a decimal string, `possible` a count).
    objectives: VecMap<String, ObjectiveGrade>,
}

/// One mounted quiz.
struct Widget {
    document: Document,
    root: Element,
    quiz: Quiz,
    arrangement: Arrangement,
    store: Rc<Store>,
    views: Vec<View>,
    saved: Saved,
}

/// One question shown: its index in the quiz, its display order and its element.
struct View {
    index: usize,
    order: Vec<usize>,
    element: Element,
}

fn mount(document: &Document, root: Element, store: Rc<Store>, seed: u64) -> Result<(), String> {
    let id = root
        .get_attribute("data-quiz-id")
        .ok_or("no data-quiz-id")?;
    let data = root.get_attribute("data-quiz").unwrap_or_default();
    let json = deobfuscate(&data, &id).map_err(|error| error.to_string())?;
    let didact_quiz::EmbeddedQuiz(quiz) =
        json::from_str(&json).map_err(|error: json::Error| error.to_string())?;
    let arrangement = arrangement(&quiz, seed);

    let mut views = Vec::new();
    for element in all(&root, "[data-question]") {
        let question_id = element.get_attribute("data-question").unwrap_or_default();
        let placed = arrangement.questions.iter().find(|placed| {
            quiz.questions
                .get(placed.index)
                .is_some_and(|question| question.id == question_id)
        });
        match placed {
            Some(placed) => views.push(View {
                index: placed.index,
                order: placed.order.clone(),
                element,
            }),
            None => set_hidden(&element, true),
        }
    }
    let mut widget = Widget {
        document: document.clone(),
        root,
        quiz,
        arrangement,
        saved: Saved {
            version: SAVE_VERSION,
            ..Saved::default()
        },
        store,
        views,
    };
    widget.arrange();
    for actions in all(&widget.root, "[data-actions]") {
        set_hidden(&actions, false);
    }
    widget.restore();

    let widget = Rc::new(RefCell::new(widget));
    let root = widget.borrow().root.clone();
    listen(&root, "click", &widget, Widget::on_click)?;
    listen(&root, "keydown", &widget, Widget::on_keydown)?;
    listen(&root, "change", &widget, |widget, _| widget.save_draft())?;
    listen(&root, "input", &widget, |widget, _| widget.save_draft())?;
    Ok(())
}

impl Widget {
    fn storage_name(&self) -> String {
        format!("quiz:{}", self.quiz.id)
    }

    fn question(&self, view: &View) -> &Question {
        &self.quiz.questions[view.index]
    }

    fn is_exam(&self) -> bool {
        self.quiz.mode == Mode::Exam
    }

    /// Shows the arrangement: question numbers, choice order, ordering items, matching options.
    fn arrange(&self) {
        let n_views = self.views.len();
        for (position, view) in self.views.iter().enumerate() {
            if let Some(number) = first(&view.element, "legend") {
                number.set_text_content(Some(&format!("Question {} sur {n_views}", position + 1)));
            }
            match &self.question(view).kind {
                QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => {
                    for &choice_idx in &view.order {
                        let selector = format!("[data-choice=\"{choice_idx}\"]");
                        if let Some(choice) = first(&view.element, &selector) {
                            if let Some(parent) = choice.parent_node() {
                                // Appending in display order moves each choice to its place.
                                let _ = parent.append_child(&choice);
                            }
                        }
                    }
                }
                QuestionKind::Ordering { items } => {
                    self.build_ordering(&view.element, items, &view.order);
                }
                QuestionKind::Matching { pairs } => {
                    for select in all(&view.element, "select[data-pair]") {
                        select.set_text_content(None);
                        self.append_option(&select, "", "— Choisir —");
                        let mut shown: Vec<&str> = Vec::new();
                        for &pair_idx in &view.order {
                            let Some(pair) = pairs.get(pair_idx) else {
                                continue;
                            };
                            // Pairs sharing a right side grade the same: show that text once.
                            if !shown.contains(&pair.right.as_str()) {
                                shown.push(&pair.right);
                                self.append_option(&select, &pair_idx.to_string(), &pair.right);
                            }
                        }
                    }
                }
                QuestionKind::TrueFalse { .. }
                | QuestionKind::ShortText { .. }
                | QuestionKind::Numeric { .. }
                | QuestionKind::Blanks { .. } => {}
            }
        }
    }

    fn append_option(&self, select: &Element, value: &str, text: &str) {
        if let Ok(option) = self.document.create_element("option") {
            let _ = option.set_attribute("value", value);
            option.set_text_content(Some(text));
            let _ = select.append_child(&option);
        }
    }

    /// Replaces the ordering list by `items` in `order`, each with its move buttons.
    fn build_ordering(&self, element: &Element, items: &[String], order: &[usize]) {
        let Some(list) = first(element, "[data-ordering]") else {
            return;
        };
        list.set_text_content(None);
        for &item_idx in order {
            let Some(item) = items.get(item_idx) else {
                continue;
            };
            let Ok(li) = self.document.create_element("li") else {
                continue;
            };
            let _ = li.set_attribute("class", "ordering-item");
            let _ = li.set_attribute("data-item", &item_idx.to_string());
            let _ = li.set_attribute("tabindex", "0");
            let text = self.create("span", "ordering-text");
            text.set_inner_html(item);
            let label = text.text_content().unwrap_or_default();
            let _ = li.append_child(&text);
            let buttons = self.create("span", "ordering-buttons");
            for (action, word) in [("up", "Monter"), ("down", "Descendre")] {
                let button = self.create("button", "ordering-move");
                let _ = button.set_attribute("type", "button");
                let _ = button.set_attribute("data-action", action);
                let _ = button.set_attribute("aria-label", &format!("{word} : {label}"));
                button.set_text_content(Some(word));
                let _ = buttons.append_child(&button);
            }
            let _ = li.append_child(&buttons);
            let _ = list.append_child(&li);
        }
    }

    fn create(&self, tag: &str, class: &str) -> Element {
        let element = self
            .document
            .create_element(tag)
            .expect("creating a standard element cannot fail");
        if !class.is_empty() {
            let _ = element.set_attribute("class", class);
        }
        element
    }

    /// Loads the saved state and shows it again; a bad saved value is set aside.
    fn restore(&mut self) {
        let name = self.storage_name();
        let Some(saved) = self.store.load_with(&name, parse_saved) else {
            self.show_attempts();
            return;
        };
        self.saved = saved;
        let mut restored = false;
        for view in &self.views {
            let question = self.question(view);
            let n_hints = self.saved.hints.get(&question.id).copied().unwrap_or(0);
            for hint in all(&view.element, "[data-hint]").iter().take(n_hints) {
                set_hidden(hint, false);
            }
            if let Some(response) = self.saved.responses.get(&question.id) {
                self.apply_response(view, response);
                restored = true;
            }
        }
        if self.is_exam() {
            if self.saved.completed {
                let result = grade_quiz(&self.quiz, &self.arrangement, &self.saved.responses);
                self.show_exam(&result);
            }
        } else {
            for view in &self.views {
                let question = self.question(view);
                let response = self.saved.responses.get(&question.id);
                if let (Some(response), true) =
                    (response, self.saved.grades.contains_key(&question.id))
                {
                    let grade = grade(question, response);
                    self.show_grade(view, Some(response), &grade);
                    self.lock(view, true);
                }
            }
            self.show_practice_result();
        }
        if restored {
            if let Some(note) = first(&self.root, "[data-restored]") {
                set_hidden(&note, false);
            }
        }
        self.show_attempts();
    }

    fn save(&self) {
        self.store.save_json(&self.storage_name(), &self.saved);
    }

    /// Writes this quiz's entry of the course-wide results.
    fn save_summary(&self) {
        let graded: Responses = self
            .saved
            .responses
            .iter()
            .filter(|(id, _)| self.saved.grades.contains_key(*id))
            .map(|(id, response)| (id.clone(), response.clone()))
            .collect();
        let result = grade_quiz(&self.quiz, &self.arrangement, &graded);
        let mut summary: Summary = self.store.load_json(RESULTS_NAME).unwrap_or_default();
        summary.insert(
            self.quiz.id.clone(),
            QuizSummary {
                percent: result.percent.to_string(),
                passed: result.passed,
                completed: self.saved.completed,
                objectives: result.objectives,
            },
        );
        self.store.save_json(RESULTS_NAME, &summary);
    }

    fn remove_summary(&self) {
        let mut summary: Summary = self.store.load_json(RESULTS_NAME).unwrap_or_default();
        if summary.remove(&self.quiz.id).is_some() {
            self.store.save_json(RESULTS_NAME, &summary);
        }
    }

    fn on_click(&mut self, event: &Event) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Some(button) = target.closest("[data-action]").ok().flatten() else {
            return;
        };
        let action = button.get_attribute("data-action").unwrap_or_default();
        let view_idx = self.view_of(&button);
        match (action.as_str(), view_idx) {
            ("check", Some(view_idx)) => self.check(view_idx),
            ("retry", Some(view_idx)) => self.retry(view_idx),
            ("hint", Some(view_idx)) => self.hint(view_idx),
            ("up" | "down", Some(view_idx)) => {
                if let Some(item) = button.closest("[data-item]").ok().flatten() {
                    self.move_item(view_idx, &item, action == "up", &button);
                }
            }
            ("finish", _) => self.finish(),
            ("restart", _) => self.restart(),
            _ => {}
        }
    }

    /// Alt+ArrowUp / Alt+ArrowDown on a focused ordering item moves it.
    fn on_keydown(&mut self, event: &Event) {
        let Some(event) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        let up = match event.key().as_str() {
            "ArrowUp" => true,
            "ArrowDown" => false,
            _ => return,
        };
        if !event.alt_key() {
            return;
        }
        let Some(item) = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .filter(|element| element.has_attribute("data-item"))
        else {
            return;
        };
        if let Some(view_idx) = self.view_of(&item) {
            event.prevent_default();
            self.move_item(view_idx, &item, up, &item);
        }
    }

    /// Index in `views` of the question holding `element`.
    fn view_of(&self, element: &Element) -> Option<usize> {
        let question = element.closest("[data-question]").ok().flatten()?;
        self.views
            .iter()
            .position(|view| view.element.is_same_node(Some(&question)))
    }

    /// Practice: grades one question and shows the result.
    fn check(&mut self, view_idx: usize) {
        let view = &self.views[view_idx];
        let question = self.question(view);
        let Some(response) = read_response(question, &view.element) else {
            self.show_message(view, "Répondez à la question avant de valider.");
            return;
        };
        let grade = grade(question, &response);
        self.show_grade(view, Some(&response), &grade);
        self.lock(view, true);
        focus_first(&view.element, "[data-action=\"retry\"]");
        let id = question.id.clone();
        self.saved.responses.insert(id.clone(), response);
        self.saved.grades.insert(id, saved_grade(&grade));
        self.saved.attempts += 1;
        self.saved.completed = self.views.iter().all(|view| {
            let id = &self.quiz.questions[view.index].id;
            self.saved.grades.contains_key(id)
        });
        self.save();
        self.save_summary();
        self.show_practice_result();
    }

    /// Practice: clears one question so the learner can answer it again.
    fn retry(&mut self, view_idx: usize) {
        let view = &self.views[view_idx];
        let id = self.question(view).id.clone();
        self.clear_question(view);
        self.lock(view, false);
        focus_first(&view.element, "input, select, [data-item]");
        self.saved.responses.remove(&id);
        self.saved.grades.remove(&id);
        self.saved.completed = false;
        self.save();
        self.save_summary();
        self.show_practice_result();
    }

    /// Reveals the next hint and moves the focus to it.
    fn hint(&mut self, view_idx: usize) {
        let view = &self.views[view_idx];
        let hints = all(&view.element, "[data-hint]");
        let Some(next) = hints.iter().position(|hint| hint.has_attribute("hidden")) else {
            return;
        };
        set_hidden(&hints[next], false);
        let _ = hints[next].set_attribute("tabindex", "-1");
        if let Some(hint) = hints[next].dyn_ref::<HtmlElement>() {
            let _ = hint.focus();
        }
        if next + 1 == hints.len() {
            if let Some(button) = first(&view.element, "[data-action=\"hint\"]") {
                let _ = button.set_attribute("disabled", "");
            }
        }
        let id = self.question(view).id.clone();
        self.saved.hints.insert(id, next + 1);
        self.save();
    }

    /// Moves an ordering item one place and keeps the focus on `focus`.
    fn move_item(&mut self, view_idx: usize, item: &Element, up: bool, focus: &Element) {
        if item.closest("fieldset[disabled]").ok().flatten().is_some() {
            return;
        }
        let Some(list) = item.parent_node() else {
            return;
        };
        // Moving down moves the next item up instead, so the focused item stays in place in
        // the tree; moving an element out of the tree loses its focus, restored below.
        let moved = if up {
            item.previous_element_sibling()
                .map(|previous| list.insert_before(item, Some(&previous)))
        } else {
            item.next_element_sibling()
                .map(|next| list.insert_before(&next, Some(item)))
        };
        if let Some(Err(_)) = moved {
            warn("cannot move the ordering item");
        }
        if let Some(focus) = focus.dyn_ref::<HtmlElement>() {
            let _ = focus.focus();
        }
        let view = &self.views[view_idx];
        let items = all(&view.element, "[data-item]");
        let position = items
            .iter()
            .position(|other| other.is_same_node(Some(item)))
            .unwrap_or(0);
        let text = first(item, ".ordering-text")
            .and_then(|text| text.text_content())
            .unwrap_or_default();
        if let Some(announce) = first(&view.element, "[data-announce]") {
            announce.set_text_content(Some(&format!(
                "{text} : position {} sur {}",
                position + 1,
                items.len()
            )));
        }
        self.save_draft();
    }

    /// Exam: saves the responses as the learner gives them, so a reload keeps them.
    fn save_draft(&mut self) {
        if !self.is_exam() || self.saved.completed {
            return;
        }
        self.saved.responses = self.read_all();
        self.save();
    }

    fn read_all(&self) -> Responses {
        self.views
            .iter()
            .filter_map(|view| {
                let question = self.question(view);
                read_response(question, &view.element)
                    .map(|response| (question.id.clone(), response))
            })
            .collect()
    }

    /// Exam: grades the whole quiz and shows the score and every question's correction.
    fn finish(&mut self) {
        if !self.is_exam() || self.saved.completed {
            return;
        }
        let responses = self.read_all();
        let result = grade_quiz(&self.quiz, &self.arrangement, &responses);
        self.saved.responses = responses;
        self.saved.grades = result
            .grades
            .iter()
            .map(|(id, grade)| (id.clone(), saved_grade(grade)))
            .collect();
        self.saved.attempts += 1;
        self.saved.completed = true;
        self.save();
        self.save_summary();
        self.show_exam(&result);
        self.show_attempts();
        focus_first(&self.root, "[data-result]");
    }

    /// Forgets every response (attempts are kept) and shows the quiz as new.
    fn restart(&mut self) {
        for view in &self.views {
            self.clear_question(view);
            self.lock(view, false);
            for hint in all(&view.element, "[data-hint]") {
                set_hidden(&hint, true);
            }
            if let Some(button) = first(&view.element, "[data-action=\"hint\"]") {
                let _ = button.remove_attribute("disabled");
            }
        }
        if let Some(result) = first(&self.root, "[data-result]") {
            result.set_text_content(None);
            let _ = result.remove_attribute("data-passed");
        }
        if let Some(button) = first(&self.root, "[data-action=\"finish\"]") {
            set_hidden(&button, false);
        }
        if let Some(note) = first(&self.root, "[data-restored]") {
            set_hidden(&note, true);
        }
        self.saved.responses.clear();
        self.saved.grades.clear();
        self.saved.hints.clear();
        self.saved.completed = false;
        self.save();
        if !self.is_exam() {
            self.remove_summary();
        }
        self.show_attempts();
        if let Some(view) = self.views.first() {
            focus_first(&view.element, "input, select, [data-item]");
        }
    }

    /// Locks a graded question (or unlocks it) and swaps « Valider » for « Réessayer ».
    fn lock(&self, view: &View, locked: bool) {
        if let Some(fieldset) = first(&view.element, "fieldset") {
            let _ = if locked {
                fieldset.set_attribute("disabled", "")
            } else {
                fieldset.remove_attribute("disabled")
            };
        }
        if let Some(check) = first(&view.element, "[data-action=\"check\"]") {
            set_hidden(&check, locked);
        }
        if let Some(retry) = first(&view.element, "[data-action=\"retry\"]") {
            set_hidden(&retry, !locked);
        }
    }

    fn clear_question(&self, view: &View) {
        let question = self.question(view);
        for input in all(&view.element, "input") {
            if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
                input.set_checked(false);
                if input.type_() == "text" {
                    input.set_value("");
                }
            }
        }
        for select in all(&view.element, "select") {
            if let Some(select) = select.dyn_ref::<HtmlSelectElement>() {
                select.set_value("");
            }
        }
        if let QuestionKind::Ordering { items } = &question.kind {
            self.build_ordering(&view.element, items, &view.order);
        }
        for marked in all(&view.element, "[data-mark]") {
            let _ = marked.remove_attribute("data-mark");
        }
        if let Some(feedback) = first(&view.element, "[data-feedback]") {
            feedback.set_text_content(None);
            let _ = feedback.remove_attribute("data-correct");
        }
    }

    /// Puts a saved response back into the form.
    fn apply_response(&self, view: &View, response: &Response) {
        let question = self.question(view);
        match (&question.kind, response) {
            (
                QuestionKind::Single { .. } | QuestionKind::Multiple { .. },
                Response::Choices { chosen },
            ) => {
                for input in inputs(&view.element, "[data-choice] input") {
                    let value = input.value().parse::<usize>().ok();
                    input.set_checked(value.is_some_and(|value| chosen.contains(&value)));
                }
            }
            (QuestionKind::TrueFalse { .. }, Response::TrueFalse { value }) => {
                for input in inputs(&view.element, "[data-value] input") {
                    input.set_checked(input.value() == value.to_string());
                }
            }
            (
                QuestionKind::ShortText { .. } | QuestionKind::Numeric { .. },
                Response::Text { text },
            ) => {
                for input in inputs(&view.element, "[data-text]") {
                    input.set_value(text);
                }
            }
            (QuestionKind::Ordering { items }, Response::Ordering { order }) => {
                let mut sorted = order.clone();
                sorted.sort_unstable();
                // A saved order that is not a permutation of the items is from another quiz
                // version: keep the arrangement instead.
                if sorted.iter().copied().eq(0..items.len()) {
                    self.build_ordering(&view.element, items, order);
                }
            }
            (QuestionKind::Matching { .. }, Response::Matching { chosen }) => {
                for (pair_idx, select) in all(&view.element, "select[data-pair]").iter().enumerate()
                {
                    let value = chosen
                        .get(pair_idx)
                        .copied()
                        .flatten()
                        .map(|picked| picked.to_string())
                        .unwrap_or_default();
                    set_control_value(select, &value);
                }
            }
            (QuestionKind::Blanks { text, .. }, Response::Blanks { values }) => {
                let names = blank_names(text);
                for (element, name) in all(&view.element, "[data-blank]").iter().zip(names) {
                    set_control_value(element, values.get(name).map_or("", String::as_str));
                }
            }
            _ => warn(&format!(
                "the saved response to {} does not fit its question",
                question.id
            )),
        }
    }

    fn show_message(&self, view: &View, message: &str) {
        if let Some(feedback) = first(&view.element, "[data-feedback]") {
            let _ = feedback.remove_attribute("data-correct");
            feedback.set_text_content(Some(message));
        }
    }

    /// Writes a grade into the question's feedback region and marks the parts of the form.
    fn show_grade(&self, view: &View, response: Option<&Response>, grade: &Grade) {
        let question = self.question(view);
        let Some(feedback) = first(&view.element, "[data-feedback]") else {
            return;
        };
        feedback.set_text_content(None);
        let (state, status) = match (response, grade.correct, grade.earned) {
            (None, _, _) => ("false", "Pas de réponse.".to_owned()),
            (Some(_), true, _) => ("true", "Bonne réponse !".to_owned()),
            (Some(_), false, 0) => ("false", "Réponse incorrecte.".to_owned()),
            (Some(_), false, earned) => (
                "partial",
                format!(
                    "Réponse partiellement correcte : {earned} sur {}.",
                    grade.possible
                ),
            ),
        };
        let _ = feedback.set_attribute("data-correct", state);
        let status_element = self.create("p", "feedback-status");
        status_element.set_text_content(Some(&status));
        let _ = feedback.append_child(&status_element);
        for text in &grade.feedback {
            let item = self.create("div", "feedback-item");
            item.set_inner_html(text);
            let _ = feedback.append_child(&item);
        }
        let compare = self.create("dl", "feedback-compare");
        self.append_term(
            &compare,
            "Votre réponse",
            self.describe_response(question, response),
        );
        if !grade.correct {
            self.append_term(
                &compare,
                "Bonne réponse",
                self.describe_answer(question, &grade.answer),
            );
        }
        let _ = feedback.append_child(&compare);
        if let Some(explanation) = &question.explanation {
            let element = self.create("div", "explanation");
            element.set_inner_html(explanation);
            let _ = feedback.append_child(&element);
        }
        mark_parts(question, &view.element, response, grade);
    }

    fn append_term(&self, list: &Element, term: &str, description: Element) {
        let dt = self.create("dt", "");
        dt.set_text_content(Some(term));
        let _ = list.append_child(&dt);
        let _ = list.append_child(&description);
    }

    /// The learner's response as a `<dd>`: learner text as text, author text as HTML.
    fn describe_response(&self, question: &Question, response: Option<&Response>) -> Element {
        let dd = self.create("dd", "");
        let Some(response) = response else {
            dd.set_text_content(Some("(pas de réponse)"));
            return dd;
        };
        match (&question.kind, response) {
            (
                QuestionKind::Single { choices } | QuestionKind::Multiple { choices },
                Response::Choices { chosen },
            ) => {
                let list = self.create("ul", "answer-list");
                for choice in choices
                    .iter()
                    .enumerate()
                    .filter(|(choice_idx, _)| chosen.contains(choice_idx))
                    .map(|(_, choice)| choice)
                {
                    self.append_html_item(&list, &choice.text);
                }
                let _ = dd.append_child(&list);
            }
            (_, Response::TrueFalse { value }) => dd.set_text_content(Some(true_false(*value))),
            (_, Response::Text { text }) => dd.set_text_content(Some(text)),
            (QuestionKind::Ordering { items }, Response::Ordering { order }) => {
                let list = self.create("ol", "answer-list");
                for item in order.iter().filter_map(|&item_idx| items.get(item_idx)) {
                    self.append_html_item(&list, item);
                }
                let _ = dd.append_child(&list);
            }
            (QuestionKind::Matching { pairs }, Response::Matching { chosen }) => {
                let list = self.create("ul", "answer-list");
                for (pair_idx, pair) in pairs.iter().enumerate() {
                    let picked = chosen
                        .get(pair_idx)
                        .copied()
                        .flatten()
                        .and_then(|picked| pairs.get(picked))
                        .map_or("(rien)", |picked| picked.right.as_str());
                    self.append_pair_item(&list, &pair.left, picked);
                }
                let _ = dd.append_child(&list);
            }
            (QuestionKind::Blanks { text, .. }, Response::Blanks { values }) => {
                let list = self.create("ul", "answer-list");
                for (blank_idx, name) in blank_names(text).into_iter().enumerate() {
                    let value = values.get(name).map_or("", String::as_str);
                    self.append_blank_item(&list, blank_idx, value);
                }
                let _ = dd.append_child(&list);
            }
            _ => dd.set_text_content(Some("(réponse illisible)")),
        }
        dd
    }

    /// The correct answer as a `<dd>`.
    fn describe_answer(&self, question: &Question, answer: &Answer) -> Element {
        let dd = self.create("dd", "");
        match (&question.kind, answer) {
            (
                QuestionKind::Single { choices } | QuestionKind::Multiple { choices },
                Answer::Choices { correct },
            ) => {
                let list = self.create("ul", "answer-list");
                for choice in correct
                    .iter()
                    .filter_map(|&choice_idx| choices.get(choice_idx))
                {
                    self.append_html_item(&list, &choice.text);
                }
                let _ = dd.append_child(&list);
            }
            (_, Answer::TrueFalse { value }) => dd.set_text_content(Some(true_false(*value))),
            (_, Answer::Text { text }) => dd.set_text_content(Some(text)),
            (_, Answer::Ordering { items }) => {
                let list = self.create("ol", "answer-list");
                for item in items {
                    self.append_html_item(&list, item);
                }
                let _ = dd.append_child(&list);
            }
            (QuestionKind::Matching { pairs }, Answer::Matching { rights }) => {
                let list = self.create("ul", "answer-list");
                for (pair, right) in pairs.iter().zip(rights) {
                    self.append_pair_item(&list, &pair.left, right);
                }
                let _ = dd.append_child(&list);
            }
            (QuestionKind::Blanks { text, .. }, Answer::Blanks { answers }) => {
                let list = self.create("ul", "answer-list");
                for (blank_idx, name) in blank_names(text).into_iter().enumerate() {
                    let value = answers.get(name).map_or("", String::as_str);
                    self.append_blank_item(&list, blank_idx, value);
                }
                let _ = dd.append_child(&list);
            }
            _ => {}
        }
        dd
    }

    fn append_html_item(&self, list: &Element, html: &str) {
        let li = self.create("li", "");
        li.set_inner_html(html);
        let _ = list.append_child(&li);
    }

    fn append_pair_item(&self, list: &Element, left_html: &str, right_text: &str) {
        let li = self.create("li", "");
        let left = self.create("span", "pair-left");
        left.set_inner_html(left_html);
        let right = self.create("span", "pair-right");
        right.set_text_content(Some(right_text));
        let _ = li.append_child(&left);
        let _ = li.append_child(&self.document.create_text_node(" → "));
        let _ = li.append_child(&right);
        let _ = list.append_child(&li);
    }

    fn append_blank_item(&self, list: &Element, blank_idx: usize, value: &str) {
        let li = self.create("li", "");
        let label = format!("Mot manquant n° {} : ", blank_idx + 1);
        let _ = li.append_child(&self.document.create_text_node(&label));
        let value_element = self.create("span", "blank-value");
        value_element.set_text_content(Some(if value.is_empty() { "(vide)" } else { value }));
        let _ = li.append_child(&value_element);
        let _ = list.append_child(&li);
    }

    /// Practice: the quiz score once every question is validated.
    fn show_practice_result(&self) {
        let Some(region) = first(&self.root, "[data-result]") else {
            return;
        };
        if !self.saved.completed {
            region.set_text_content(None);
            return;
        }
        let result = grade_quiz(&self.quiz, &self.arrangement, &self.saved.responses);
        region.set_text_content(None);
        let score = self.create("p", "quiz-score");
        score.set_text_content(Some(&format!(
            "Quiz terminé. Votre score : {} % ({} point{} sur {}).",
            french_number(&result.percent.to_string()),
            french_number(&result.earned.to_string()),
            plural(&result.earned.to_string()),
            result.possible
        )));
        let _ = region.append_child(&score);
        self.show_positioning(&result);
    }

    /// Positioning test: per objective, the score and where to focus (decided by `quiz`).
    fn show_positioning(&self, result: &QuizGrade) {
        let Some(block) = first(&self.root, "[data-positioning]") else {
            return;
        };
        for item in all(&block, "li[data-objective]") {
            let id = item.get_attribute("data-objective").unwrap_or_default();
            let Some(grade) = result.objectives.get(&id) else {
                continue;
            };
            if let Some(score) = first(&item, "[data-objective-score]") {
                score.set_text_content(Some(&format!(
                    "{} bonne{} réponse{} sur {}",
                    french_number(&grade.earned.to_string()),
                    plural(&grade.earned.to_string()),
                    plural(&grade.earned.to_string()),
                    grade.possible
                )));
            }
            if let (Some(advice), Some(text)) = (
                first(&item, "[data-objective-advice]"),
                Advice::for_grade(grade),
            ) {
                advice.set_text_content(Some(text.label_fr()));
                let name = match text {
                    Advice::Focus => "focus",
                    Advice::Review => "review",
                    Advice::Mastered => "mastered",
                };
                let _ = advice.set_attribute("data-advice", name);
            }
        }
        set_hidden(&block, !self.saved.completed);
    }

    /// Exam: every question's correction, the score, the pass mark and the verdict.
    fn show_exam(&self, result: &QuizGrade) {
        for view in &self.views {
            let question = self.question(view);
            if let Some(grade) = result.grades.get(&question.id) {
                self.show_grade(view, self.saved.responses.get(&question.id), grade);
            }
            self.lock(view, true);
            if let Some(retry) = first(&view.element, "[data-action=\"retry\"]") {
                set_hidden(&retry, true);
            }
        }
        if let Some(button) = first(&self.root, "[data-action=\"finish\"]") {
            set_hidden(&button, true);
        }
        let Some(region) = first(&self.root, "[data-result]") else {
            return;
        };
        region.set_text_content(None);
        let _ = region.set_attribute("tabindex", "-1");
        let score = self.create("p", "quiz-score");
        score.set_text_content(Some(&format!(
            "Votre score : {} % ({} point{} sur {}).",
            french_number(&result.percent.to_string()),
            french_number(&result.earned.to_string()),
            plural(&result.earned.to_string()),
            result.possible
        )));
        let _ = region.append_child(&score);
        if let Some(pass_mark) = self.quiz.pass_mark {
            let mark = self.create("p", "quiz-pass-mark");
            mark.set_text_content(Some(&format!("Seuil de réussite : {pass_mark} %.")));
            let _ = region.append_child(&mark);
        }
        if let Some(passed) = result.passed {
            let verdict = self.create("p", "quiz-verdict");
            verdict.set_text_content(Some(if passed {
                "Réussi : vous avez atteint le seuil."
            } else {
                "Non réussi : relisez les corrections ci-dessous, puis recommencez le quiz."
            }));
            let _ = region.set_attribute("data-passed", if passed { "true" } else { "false" });
            let _ = region.append_child(&verdict);
        }
    }

    fn show_attempts(&self) {
        let Some(attempts) = first(&self.root, "[data-attempts]") else {
            return;
        };
        let text = match (self.is_exam(), self.saved.attempts) {
            (true, 0) | (false, _) => String::new(),
            (true, n) => format!("Tentatives : {n}"),
        };
        attempts.set_text_content(Some(&text));
    }
}

/// Reads the form of one question; `None` when the learner gave nothing.
fn read_response(question: &Question, element: &Element) -> Option<Response> {
    match &question.kind {
        QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => {
            let chosen: Vec<usize> = inputs(element, "[data-choice] input")
                .iter()
                .filter(|input| input.checked())
                .filter_map(|input| input.value().parse().ok())
                .collect();
            (!chosen.is_empty()).then_some(Response::Choices { chosen })
        }
        QuestionKind::TrueFalse { .. } => inputs(element, "[data-value] input")
            .iter()
            .find(|input| input.checked())
            .map(|input| Response::TrueFalse {
                value: input.value() == "true",
            }),
        QuestionKind::ShortText { .. } | QuestionKind::Numeric { .. } => {
            let text = inputs(element, "[data-text]").first()?.value();
            (!text.trim().is_empty()).then_some(Response::Text { text })
        }
        QuestionKind::Ordering { .. } => {
            let order = all(element, "[data-item]")
                .iter()
                .filter_map(|item| item.get_attribute("data-item")?.parse().ok())
                .collect();
            Some(Response::Ordering { order })
        }
        QuestionKind::Matching { .. } => {
            let chosen: Vec<Option<usize>> = all(element, "select[data-pair]")
                .iter()
                .map(|select| control_value(select).parse().ok())
                .collect();
            chosen
                .iter()
                .any(Option::is_some)
                .then_some(Response::Matching { chosen })
        }
        QuestionKind::Blanks { text, .. } => {
            let values: VecMap<String, String> = all(element, "[data-blank]")
                .iter()
                .zip(blank_names(text))
                .map(|(control, name)| (name.to_owned(), control_value(control)))
                .collect();
            values
                .values()
                .any(|value| !value.trim().is_empty())
                .then_some(Response::Blanks { values })
        }
    }
}

/// Marks each part of the form right or wrong from [`Grade::parts`].
fn mark_parts(question: &Question, element: &Element, response: Option<&Response>, grade: &Grade) {
    let part = |part_idx: usize| grade.parts.get(part_idx).copied().unwrap_or(false);
    let mark = |target: &Element, state: &str| {
        let _ = target.set_attribute("data-mark", state);
    };
    match &question.kind {
        QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => {
            let chosen: &[usize] = match response {
                Some(Response::Choices { chosen }) => chosen,
                _ => &[],
            };
            for choice in all(element, "[data-choice]") {
                let Some(choice_idx) = choice
                    .get_attribute("data-choice")
                    .and_then(|idx| idx.parse::<usize>().ok())
                else {
                    continue;
                };
                match (chosen.contains(&choice_idx), part(choice_idx)) {
                    (true, true) => mark(&choice, "right"),
                    (true, false) => mark(&choice, "wrong"),
                    (false, false) => mark(&choice, "missed"),
                    (false, true) => {}
                }
            }
        }
        QuestionKind::TrueFalse { .. } => {
            if let Some(Response::TrueFalse { value }) = response {
                let selector = format!("[data-value=\"{value}\"]");
                if let Some(choice) = first(element, &selector) {
                    mark(&choice, if part(0) { "right" } else { "wrong" });
                }
            }
        }
        QuestionKind::ShortText { .. } | QuestionKind::Numeric { .. } => {
            mark_each(&all(element, "[data-text]"), &grade.parts);
        }
        QuestionKind::Ordering { .. } => mark_each(&all(element, "[data-item]"), &grade.parts),
        QuestionKind::Matching { .. } => {
            mark_each(&all(element, "select[data-pair]"), &grade.parts)
        }
        QuestionKind::Blanks { .. } => mark_each(&all(element, "[data-blank]"), &grade.parts),
    }
}

fn mark_each(elements: &[Element], parts: &[bool]) {
    for (element, right) in elements.iter().zip(parts) {
        let _ = element.set_attribute("data-mark", if *right { "right" } else { "wrong" });
    }
}

/// Parses a saved quiz state, telling an old version apart from a corrupt value.
fn parse_saved(text: &str) -> Result<Saved, Rejected> {
    let value = json::parse(text).map_err(|error| Rejected::Corrupt(error.to_string()))?;
    match value.get("version").and_then(Json::as_u64) {
        Some(version) if version == u64::from(SAVE_VERSION) => {}
        Some(_) => return Err(Rejected::OldVersion),
        None => return Err(Rejected::Corrupt("no version".to_owned())),
    }
    json::from_value(value).map_err(|error| Rejected::Corrupt(error.to_string()))
}

/// The learner's seed: saved once per course, so every page arranges quizzes the same way.
fn learner_seed(store: &Store) -> u64 {
    let saved = store.load_with(SEED_NAME, |text| {
        text.trim()
            .parse::<u64>()
            .map_err(|error| Rejected::Corrupt(error.to_string()))
    });
    if let Some(seed) = saved {
        return seed;
    }
    // Math.random gives 52 random bits; two draws of 32 bits make the seed.
    let half = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let seed = (half() << 32) | half();
    store.set(SEED_NAME, &seed.to_string());
    seed
}

fn saved_grade(grade: &Grade) -> SavedGrade {
    SavedGrade {
        earned: grade.earned.to_string(),
        possible: grade.possible.to_string(),
        correct: grade.correct,
    }
}

fn blank_names(text: &str) -> Vec<&str> {
    blank_segments(text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|segment| match segment {
            Segment::Blank(name) => Some(name),
            Segment::Text(_) => None,
        })
        .collect()
}

fn true_false(value: bool) -> &'static str {
    if value {
        "Vrai"
    } else {
        "Faux"
    }
}

/// `"87.5"` → `"87,5"`: decimals are written with a comma in French.
fn french_number(number: &str) -> String {
    number.replace('.', ",")
}

/// The plural `s` of « point » : French puts the singular below 2.
fn plural(number: &str) -> &'static str {
    match number.replace(',', ".").parse::<Decimal>() {
        Ok(value) if value >= Decimal::TWO => "s",
        _ => "",
    }
}

fn listen(
    target: &Element,
    kind: &str,
    widget: &Rc<RefCell<Widget>>,
    handler: fn(&mut Widget, &Event),
) -> Result<(), String> {
    let widget = Rc::clone(widget);
    let closure = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        // A handler that triggers another event synchronously (focus) must not re-enter.
        if let Ok(mut widget) = widget.try_borrow_mut() {
            handler(&mut widget, &event);
        }
    });
    target
        .add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())
        .map_err(|_| format!("cannot listen to {kind}"))?;
    // The widget lives as long as the page.
    closure.forget();
    Ok(())
}

fn node_elements(nodes: &web_sys::NodeList) -> Vec<Element> {
    (0..nodes.length())
        .filter_map(|node_idx| nodes.item(node_idx)?.dyn_into::<Element>().ok())
        .collect()
}

fn all(element: &Element, selector: &str) -> Vec<Element> {
    element
        .query_selector_all(selector)
        .map(|nodes| node_elements(&nodes))
        .unwrap_or_default()
}

fn first(element: &Element, selector: &str) -> Option<Element> {
    element.query_selector(selector).ok().flatten()
}

fn inputs(element: &Element, selector: &str) -> Vec<HtmlInputElement> {
    all(element, selector)
        .into_iter()
        .filter_map(|element| element.dyn_into::<HtmlInputElement>().ok())
        .collect()
}

fn control_value(element: &Element) -> String {
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.value()
    } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
        select.value()
    } else {
        String::new()
    }
}

fn set_control_value(element: &Element, value: &str) {
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
        select.set_value(value);
    }
}

fn set_hidden(element: &Element, hidden: bool) {
    let _ = if hidden {
        element.set_attribute("hidden", "")
    } else {
        element.remove_attribute("hidden")
    };
}

fn focus_first(element: &Element, selector: &str) {
    let target = if element.matches(selector).unwrap_or(false) {
        Some(element.clone())
    } else {
        first(element, selector)
    };
    if let Some(target) = target.and_then(|target| target.dyn_into::<HtmlElement>().ok()) {
        let _ = target.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_rejected(text: &str, old_version: bool) {
        match parse_saved(text) {
            Ok(saved) => panic!("{text} was accepted as {saved:?}"),
            Err(Rejected::OldVersion) => assert!(old_version, "{text} was called old"),
            Err(Rejected::Corrupt(_)) => assert!(!old_version, "{text} was called corrupt"),
        }
    }

    #[test]
    fn saved_state_reads_back_with_its_responses_and_grades() {
        let text = r#"{"version": 1, "responses": {"q1": {"type": "choices", "chosen": [1]}},
"grades": {"q1": {"earned": "1", "possible": "1", "correct": true}}, "attempts": 2, "completed": true}"#;
        let saved = parse_saved(text).unwrap();
        assert_eq!(saved.responses["q1"], Response::Choices { chosen: vec![1] });
        assert_eq!((saved.attempts, saved.completed), (2, true));
        assert!(saved.hints.is_empty());
        let json = serde_json::to_value(&saved).unwrap();
        assert_eq!(json["grades"]["q1"]["earned"], "1");
        assert_eq!(json["version"], SAVE_VERSION);
    }

    #[test]
    fn saved_state_of_another_version_is_old_not_corrupt() {
        check_rejected(r#"{"version": 0, "responses": "anything"}"#, true);
        check_rejected(r#"{"version": 2}"#, true);
    }

    #[test]
    fn unreadable_saved_state_is_corrupt() {
        check_rejected("{not json", false);
        check_rejected(r#"{"responses": {}}"#, false);
        check_rejected(
            r#"{"version": 1, "responses": {"q1": {"type": "essay"}}}"#,
            false,
        );
        check_rejected(r#"{"version": 1, "unknown": true}"#, false);
    }

    #[test]
    fn numbers_are_written_the_french_way() {
        assert_eq!(french_number("87.5"), "87,5");
        assert_eq!(french_number("100"), "100");
        assert_eq!(plural("1.5"), "");
        assert_eq!(plural("2"), "s");
        assert_eq!(plural("0"), "");
    }

    #[test]
    fn blank_names_follow_the_text_order() {
        assert_eq!(blank_names("<p>{{b}} et {{a}}</p>"), ["b", "a"]);
        assert!(blank_names("{{ broken").is_empty());
    }
}
