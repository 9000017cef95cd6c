//! The quiz widget end to end, on `tests/fixtures/quiz-types` (a practice quiz with one question
//! of each of the 8 types, and an exam), in Chromium and in Firefox, one session per browser:
//!
//! - every type answered wrong with the mouse, then right with the keyboard only (Tab, Space,
//!   Enter, arrows, Alt+arrows), checking the feedback a learner reads;
//! - learner text is shown as text (`<img onerror>` typed into a short answer stays text);
//! - a reload restores the graded state; a corrupt saved value is set aside without an error;
//! - « Recommencer le quiz » resets; the exam shows its score, pass mark and verdict, counts
//!   attempts and writes the course-wide results;
//! - a quiz drawn from a bank (`tests/fixtures/quiz-draw`) shows exactly the questions that
//!   `didact_quiz::arrangement` draws for the learner's seed, keeps them across visits, draws
//!   again for another learner, and grades the drawn questions only.

use std::path::Path;

use fantoccini::key::Key;
use fantoccini::Locator;
use serde_json::{json, Value};

use crate::harness::{file_url, fixture_site, run, Session, BROWSERS};

const PRACTICE: &str = "entrainement.html";
const EXAM: &str = "evaluation.html";
const QUIZ_KEY: &str = "didact:quiz-types:quiz:quiz-types";
const EXAM_KEY: &str = "didact:quiz-types:quiz:quiz-exam";
const RESULTS_KEY: &str = "didact:quiz-types:results";
const XSS: &str = "<img src=x onerror=alert(1)>";

fn site() -> &'static Path {
    fixture_site("quiz-types")
}

#[test]
fn every_question_type_is_graded_restored_and_keyboard_operable() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            session.open(&file_url(site(), PRACTICE)).await;
            let quiz = Quiz { session: &session };

            quiz.single().await;
            quiz.multiple().await;
            quiz.true_false().await;
            quiz.short_text().await;
            quiz.numeric().await;
            quiz.ordering().await;
            quiz.matching().await;
            quiz.blanks().await;
            session
                .wait_text(
                    "[data-quiz-id=\"quiz-types\"] [data-result]",
                    "Votre score : 100 %",
                )
                .await;

            let saved = session.storage(QUIZ_KEY).await;
            assert_eq!(saved["version"], 1, "{saved}");
            assert_eq!(saved["completed"], true, "{saved}");
            assert_eq!(saved["attempts"], 16, "{saved}");
            assert_eq!(
                saved["grades"]["q-multiple"],
                json!({"earned": "2", "possible": "2", "correct": true})
            );
            assert_eq!(
                saved["responses"]["q-short"],
                json!({"type": "text", "text": "siret"})
            );
            let results = session.storage(RESULTS_KEY).await;
            assert_eq!(
                results["quiz-types"],
                json!({"percent": "100", "passed": null, "completed": true, "objectives": {
                    "deposer": {"earned": "4", "possible": 4},
                    "lire": {"earned": "4", "possible": 4},
                }}),
                "{browser:?}"
            );

            // A reload shows the same graded quiz, with the learner's answers in the form.
            session.reload().await;
            session
                .wait_text(
                    "[data-quiz-id=\"quiz-types\"] [data-restored]",
                    "restaurées",
                )
                .await;
            for id in [
                "q-single",
                "q-multiple",
                "q-true-false",
                "q-short",
                "q-numeric",
                "q-ordering",
                "q-matching",
                "q-blanks",
            ] {
                quiz.feedback(id, "true", &["Bonne réponse !"]).await;
            }
            assert_eq!(
                quiz.value("[data-question=\"q-short\"] input").await,
                "siret"
            );
            assert_eq!(quiz.order("q-ordering").await, vec![0, 1, 2]);
            assert_eq!(
                quiz.selected_texts("[data-question=\"q-matching\"] select")
                    .await,
                [
                    "Taxe sur la valeur ajoutée",
                    "Hors taxes",
                    "Toutes taxes comprises"
                ]
            );
            assert_eq!(session.js("return document.querySelector('[data-question=\"q-single\"] input[value=\"1\"]').checked").await, true);
            session
                .wait_text(
                    "[data-quiz-id=\"quiz-types\"] [data-result]",
                    "Votre score : 100 %",
                )
                .await;

            // « Recommencer le quiz » clears every answer.
            session
                .click("[data-quiz-id=\"quiz-types\"] [data-action=\"restart\"]")
                .await;
            let feedback_left = session.js("return [...document.querySelectorAll('[data-quiz-id=\"quiz-types\"] [data-feedback]')].filter(f => f.textContent !== '').length").await;
            assert_eq!(feedback_left, 0);
            assert_eq!(quiz.value("[data-question=\"q-short\"] input").await, "");
            let saved = session.storage(QUIZ_KEY).await;
            assert_eq!(
                (
                    saved["responses"].clone(),
                    saved["completed"].clone(),
                    saved["attempts"].clone()
                ),
                (json!({}), json!(false), json!(16))
            );
            assert!(
                session
                    .storage(RESULTS_KEY)
                    .await
                    .get("quiz-types")
                    .is_none(),
                "{browser:?}: the practice result was not removed"
            );

            // A corrupt saved value is set aside with a warning, never an error.
            session
                .js(&format!(
                    "localStorage.setItem('{QUIZ_KEY}', '{{not json'); return null"
                ))
                .await;
            session.reload().await;
            assert_eq!(
                session
                    .js(&format!(
                        "return localStorage.getItem('{QUIZ_KEY}:corrupt')"
                    ))
                    .await,
                "{not json"
            );
            assert_eq!(
                session
                    .js(&format!("return localStorage.getItem('{QUIZ_KEY}')"))
                    .await,
                Value::Null
            );
            session
                .click("[data-question=\"q-true-false\"] input[value=\"false\"]")
                .await;
            session
                .click("[data-question=\"q-true-false\"] [data-action=\"check\"]")
                .await;
            quiz.feedback("q-true-false", "true", &["Bonne réponse !"])
                .await;
            assert_eq!(session.storage(QUIZ_KEY).await["version"], 1);

            quiz.exam().await;
            session.finish().await;
        });
    }
}

/// The checks on one page, sharing the session.
struct Quiz<'s> {
    session: &'s Session,
}

fn q(id: &str) -> String {
    format!("[data-question=\"{id}\"]")
}

impl Quiz<'_> {
    async fn single(&self) {
        let question = q("q-single");
        self.session
            .click(&format!("{question} [data-action=\"hint\"]"))
            .await;
        self.session
            .wait_text(&format!("{question} .hints"), "traversée par la Seine")
            .await;
        self.session
            .click(&format!("{question} input[value=\"0\"]"))
            .await;
        self.check_wrong(
            "q-single",
            &[
                "Réponse incorrecte.",
                "Non, Lyon est une préfecture de région.",
                "Bonne réponse",
                "Paris est la capitale",
            ],
        )
        .await;
        // Keyboard: the focus is on « Réessayer »; after it, on the first choice.
        self.retry_by_keyboard(&format!("{question} input[value=\"0\"]"))
            .await;
        self.session.keys(&[Key::Down]).await;
        self.submit_by_keyboard("q-single", &["Oui, Paris.", "Paris est la capitale"])
            .await;
    }

    async fn multiple(&self) {
        let question = q("q-multiple");
        self.session
            .click(&format!("{question} input[value=\"0\"]"))
            .await;
        self.session
            .click(&format!("{question} input[value=\"1\"]"))
            .await;
        self.check_wrong(
            "q-multiple",
            &[
                "Réponse incorrecte.",
                "3 est impair.",
                "Un nombre pair est divisible par deux.",
            ],
        )
        .await;
        self.retry_by_keyboard(&format!("{question} input[value=\"0\"]"))
            .await;
        self.session.keys(&[Key::Space]).await;
        self.session
            .tab_to(&format!("{question} input[value=\"2\"]"), 30)
            .await;
        self.session.keys(&[Key::Space]).await;
        self.submit_by_keyboard("q-multiple", &[]).await;
    }

    async fn true_false(&self) {
        let question = q("q-true-false");
        self.session
            .click(&format!("{question} input[value=\"true\"]"))
            .await;
        let feedback = self
            .check_wrong(
                "q-true-false",
                &[
                    "Réponse incorrecte.",
                    "une facture envoyée ne se modifie plus",
                    "Faux",
                ],
            )
            .await;
        assert!(
            feedback.contains("Vrai"),
            "the learner's answer is shown: {feedback}"
        );
        self.retry_by_keyboard(&format!("{question} input[value=\"true\"]"))
            .await;
        self.session.keys(&[Key::Down]).await;
        self.submit_by_keyboard("q-true-false", &["on ne modifie pas une facture envoyée"])
            .await;
    }

    async fn short_text(&self) {
        let question = q("q-short");
        self.type_into(&format!("{question} input"), XSS).await;
        let feedback = self
            .check_wrong("q-short", &["Réponse incorrecte.", XSS, "SIRET"])
            .await;
        assert!(feedback.contains(XSS), "{feedback}");
        let images = self
            .session
            .js(&format!(
                "return document.querySelectorAll('{question} img').length"
            ))
            .await;
        assert_eq!(images, 0, "learner text became markup");
        self.retry_by_keyboard(&format!("{question} input")).await;
        self.session.type_text("siret").await;
        self.submit_by_keyboard("q-short", &["Le SIRET identifie l’établissement."])
            .await;
    }

    async fn numeric(&self) {
        let question = q("q-numeric");
        self.type_into(&format!("{question} input"), "1000").await;
        self.check_wrong("q-numeric", &["Réponse incorrecte.", "1000", "1 200,00 €"])
            .await;
        self.retry_by_keyboard(&format!("{question} input")).await;
        self.session.type_text("1200").await;
        self.submit_by_keyboard("q-numeric", &[]).await;
    }

    async fn ordering(&self) {
        let question = q("q-ordering");
        let shown = self.order("q-ordering").await;
        assert_ne!(
            shown,
            vec![0, 1, 2],
            "the items are shown in the correct order"
        );
        // « Monter » on the second item swaps the first two and keeps the focus on the button.
        self.session
            .click(&format!(
                "{question} [data-item]:nth-child(2) [data-action=\"up\"]"
            ))
            .await;
        assert_eq!(
            self.order("q-ordering").await,
            vec![shown[1], shown[0], shown[2]]
        );
        self.session
            .expect_focus(&format!(
                "{question} [data-item=\"{}\"] [data-action=\"up\"]",
                shown[1]
            ))
            .await;
        self.session
            .wait_text(&format!("{question} [data-announce]"), "position 1 sur 3")
            .await;
        if self.order("q-ordering").await == vec![0, 1, 2] {
            self.session
                .click(&format!(
                    "{question} [data-item]:nth-child(1) [data-action=\"down\"]"
                ))
                .await;
        }
        self.check_wrong(
            "q-ordering",
            &["Votre réponse", "Bonne réponse", "On crée le compte"],
        )
        .await;
        // Keyboard: Alt+ArrowUp on each item in turn, from the first wanted to the last.
        self.retry_by_keyboard(&format!("{question} [data-item]:first-child"))
            .await;
        for item_idx in 0..3 {
            self.session
                .tab_to(&format!("{question} [data-item=\"{item_idx}\"]"), 30)
                .await;
            let position = self
                .order("q-ordering")
                .await
                .iter()
                .position(|&i| i == item_idx)
                .expect("item shown");
            for _ in item_idx..position {
                self.session.alt(Key::Up).await;
            }
            self.session
                .expect_focus(&format!("{question} [data-item=\"{item_idx}\"]"))
                .await;
        }
        assert_eq!(self.order("q-ordering").await, vec![0, 1, 2]);
        self.submit_by_keyboard("q-ordering", &[]).await;
    }

    async fn matching(&self) {
        let question = q("q-matching");
        let select = |pair: usize| format!("{question} select[data-pair=\"{pair}\"]");
        self.click_option(&select(0), "Hors taxes").await;
        self.click_option(&select(1), "Hors taxes").await;
        self.check_wrong(
            "q-matching",
            &[
                "Réponse partiellement correcte : 1 sur 3.",
                "TVA → Hors taxes",
                "TVA → Taxe sur la valeur ajoutée",
            ],
        )
        .await;
        self.retry_by_keyboard(&select(0)).await;
        let rights = [
            "Taxe sur la valeur ajoutée",
            "Hors taxes",
            "Toutes taxes comprises",
        ];
        for (pair, right) in rights.iter().enumerate() {
            self.session.tab_to(&select(pair), 30).await;
            self.arrow_down_to(&select(pair), right).await;
        }
        self.submit_by_keyboard("q-matching", &["HT → Hors taxes"])
            .await;
    }

    async fn blanks(&self) {
        let question = q("q-blanks");
        self.type_into(&format!("{question} input"), "guichet")
            .await;
        self.click_option(&format!("{question} select"), "facultatif")
            .await;
        self.check_wrong(
            "q-blanks",
            &[
                "Réponse incorrecte.",
                "Mot manquant n° 1 : guichet",
                "Mot manquant n° 2 : obligatoire",
            ],
        )
        .await;
        self.retry_by_keyboard(&format!("{question} input")).await;
        self.session.type_text("Service").await;
        self.session.tab_to(&format!("{question} select"), 30).await;
        self.arrow_down_to(&format!("{question} select"), "obligatoire")
            .await;
        self.submit_by_keyboard("q-blanks", &["Certains acheteurs exigent le code service."])
            .await;
    }

    async fn exam(&self) {
        let session = self.session;
        session.open(&file_url(site(), EXAM)).await;
        let root = "[data-quiz-id=\"quiz-exam\"]";
        assert_eq!(self.session.js("return document.querySelectorAll('[data-quiz-id=\"quiz-exam\"] [data-action=\"check\"]').length").await, 0);
        // 3 right out of 4: 75 %, the pass mark is 70 %.
        session
            .click(&format!("{} input[value=\"1\"]", q("e-single")))
            .await;
        session
            .click(&format!("{} input[value=\"false\"]", q("e-true-false")))
            .await;
        self.type_into(&format!("{} input", q("e-short")), "chorus pro")
            .await;
        self.type_into(&format!("{} input", q("e-numeric")), "42")
            .await;
        // Answers given so far survive a reload before the end.
        session.reload().await;
        assert_eq!(
            self.value(&format!("{} input", q("e-short"))).await,
            "chorus pro"
        );
        session
            .click(&format!("{root} [data-action=\"finish\"]"))
            .await;
        let result = session
            .wait_text(
                &format!("{root} [data-result]"),
                "Votre score : 75 % (3 points sur 4).",
            )
            .await;
        assert!(
            result.contains("Seuil de réussite : 70 %.") && result.contains("Réussi"),
            "{result}"
        );
        session
            .wait_text(&format!("{root} [data-attempts]"), "Tentatives : 1")
            .await;
        self.feedback(
            "e-true-false",
            "false",
            &[
                "Réponse incorrecte.",
                "Votre réponse",
                "Faux",
                "Bonne réponse",
                "Vrai",
            ],
        )
        .await;
        self.feedback(
            "e-single",
            "true",
            &[
                "Bonne réponse !",
                "Oui, sept jours.",
                "Du lundi au dimanche.",
            ],
        )
        .await;
        assert_eq!(
            self.session
                .js(&format!(
                    "return document.querySelector('{} input').matches(':disabled')",
                    q("e-short")
                ))
                .await,
            true
        );

        session.reload().await;
        session
            .wait_text(&format!("{root} [data-result]"), "Votre score : 75 %")
            .await;
        session
            .wait_text(&format!("{root} [data-attempts]"), "Tentatives : 1")
            .await;

        // Second attempt: 1 right out of 4 fails.
        session
            .click(&format!("{root} [data-action=\"restart\"]"))
            .await;
        session
            .click(&format!("{} input[value=\"1\"]", q("e-single")))
            .await;
        session
            .click(&format!("{root} [data-action=\"finish\"]"))
            .await;
        let result = session
            .wait_text(
                &format!("{root} [data-result]"),
                "Votre score : 25 % (1 point sur 4).",
            )
            .await;
        assert!(result.contains("Non réussi"), "{result}");
        session
            .wait_text(&format!("{root} [data-attempts]"), "Tentatives : 2")
            .await;
        self.feedback("e-short", "false", &["Pas de réponse.", "Chorus Pro"])
            .await;

        let saved = self.session.storage(EXAM_KEY).await;
        assert_eq!(
            (saved["attempts"].clone(), saved["completed"].clone()),
            (json!(2), json!(true)),
            "{saved}"
        );
        let results = self.session.storage(RESULTS_KEY).await;
        assert_eq!(
            results["quiz-exam"],
            json!({"percent": "25", "passed": false, "completed": true, "objectives": {
                "deposer": {"earned": "0", "possible": 1},
                "lire": {"earned": "1", "possible": 2},
            }})
        );
    }

    /// Validates with the mouse and checks the question's feedback is not « correct ».
    async fn check_wrong(&self, id: &str, needles: &[&str]) -> String {
        self.session
            .click(&format!("{} [data-action=\"check\"]", q(id)))
            .await;
        let state = self.wait_feedback_state(id).await;
        assert_ne!(state, "true", "{id} was graded right");
        let feedback = self.feedback(id, &state, needles).await;
        // The focus moves to « Réessayer », so the keyboard flow can go on from there.
        self.session
            .expect_focus(&format!("{} [data-action=\"retry\"]", q(id)))
            .await;
        feedback
    }

    /// « Réessayer » by the keyboard (the focus is on it after a wrong answer): Enter, then
    /// the focus is on `css`.
    async fn retry_by_keyboard(&self, css: &str) {
        self.session.keys(&[Key::Enter]).await;
        self.session.expect_focus(css).await;
    }

    /// Types `text` into the field matching `css`.
    async fn type_into(&self, css: &str, text: &str) {
        self.session
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no field `{css}`: {e}"))
            .send_keys(text)
            .await
            .expect("type");
    }

    /// Tabs to « Valider », presses Enter and checks the question is graded right.
    async fn submit_by_keyboard(&self, id: &str, needles: &[&str]) {
        self.session
            .tab_to(&format!("{} [data-action=\"check\"]", q(id)), 30)
            .await;
        self.session.keys(&[Key::Enter]).await;
        let mut all = vec!["Bonne réponse !"];
        all.extend_from_slice(needles);
        self.feedback(id, "true", &all).await;
    }

    async fn wait_feedback_state(&self, id: &str) -> String {
        let script = format!(
            "return document.querySelector('{} [data-feedback]').getAttribute('data-correct')",
            q(id)
        );
        let state = self.session.wait_value(&script, Value::is_string).await;
        state.as_str().expect("a string").to_owned()
    }

    /// Waits for the feedback of `id` in state `state` and checks it shows every needle.
    async fn feedback(&self, id: &str, state: &str, needles: &[&str]) -> String {
        let script = format!(
            "return document.querySelector('{} [data-feedback]').getAttribute('data-correct')",
            q(id)
        );
        self.session
            .wait_value(&script, |value| value == state)
            .await;
        let feedback = self
            .session
            .wait_text(
                &format!("{} [data-feedback]", q(id)),
                needles.first().copied().unwrap_or(""),
            )
            .await;
        for needle in needles {
            assert!(
                feedback.contains(needle),
                "{:?}: feedback of {id} lacks {needle:?}:\n{feedback}",
                self.session.browser
            );
        }
        feedback
    }

    async fn value(&self, css: &str) -> String {
        let value = self
            .session
            .js(&format!("return document.querySelector('{css}').value"))
            .await;
        value.as_str().unwrap_or_default().to_owned()
    }

    async fn order(&self, id: &str) -> Vec<usize> {
        let order = self.session.js(&format!("return [...document.querySelectorAll('{} [data-item]')].map(li => Number(li.dataset.item))", q(id))).await;
        serde_json::from_value(order).expect("item indices")
    }

    async fn selected_texts(&self, css: &str) -> Vec<String> {
        let texts = self.session.js(&format!("return [...document.querySelectorAll('{css}')].map(s => s.selectedOptions[0].text)")).await;
        serde_json::from_value(texts).expect("texts")
    }

    /// Clicks the option of the select `css` that reads `text`.
    async fn click_option(&self, css: &str, text: &str) {
        let script = format!("return [...document.querySelector('{css}').options].findIndex(o => o.text === '{text}') + 1");
        let nth = self.session.js(&script).await.as_u64().expect("an index");
        assert!(nth > 0, "no option {text:?} in {css}");
        self.session
            .click(&format!("{css} option:nth-child({nth})"))
            .await;
    }

    /// Presses ArrowDown on the focused select until it shows `text`.
    async fn arrow_down_to(&self, css: &str, text: &str) {
        let script = format!("return document.querySelector('{css}').selectedOptions[0].text");
        for _ in 0..10 {
            if self.session.js(&script).await == text {
                return;
            }
            self.session.keys(&[Key::Down]).await;
        }
        panic!(
            "{:?}: ArrowDown never selected {text:?} in {css}",
            self.session.browser
        );
    }
}

#[test]
fn worksheet_html_holds_no_answer() {
    let html = std::fs::read_to_string(site().join(PRACTICE)).expect("page written");
    let start = html
        .find("<section class=\"widget quiz\"")
        .expect("the quiz is on the page");
    let end = start
        + html[start..]
            .find("</section>")
            .expect("the quiz section ends");
    let widget = &html[start..end];
    // No correctness flag, no accepted answer, no blank name, no item order.
    for leak in ["data-correct", "SIRET", "1 200", "service\"", "data-item"] {
        assert!(!widget.contains(leak), "the worksheet shows {leak:?}");
    }
    // Ordering items and matching options are listed alphabetically, not in answer order.
    let activer = widget.find("Activer la structure").expect("item");
    let creer = widget.find("Créer son compte").expect("item");
    assert!(activer < creer, "ordering items are not sorted");
    assert!(widget.contains("<option value=\"\">— Choisir —</option><option>Hors taxes</option><option>Taxe sur la valeur ajoutée</option>"), "{widget}");
    for needle in [
        "inputmode=\"decimal\"",
        "data-quiz-id=\"quiz-types\"",
        "data-mode=\"practice\"",
        "aria-labelledby=",
        "role=\"status\"",
        "Valider",
        "Indice",
    ] {
        assert!(widget.contains(needle), "the worksheet lacks {needle:?}");
    }
}

/// The ids of the questions shown (not hidden), in page order.
async fn shown_questions(session: &Session) -> Vec<String> {
    let ids = session
        .js("return [...document.querySelectorAll('[data-question]')].filter(q => !q.hidden).map(q => q.dataset.question)")
        .await;
    serde_json::from_value(ids).unwrap()
}

/// The legends (« Question 1 sur 2 ») of the questions shown.
async fn shown_legends(session: &Session) -> Value {
    session
        .js("return [...document.querySelectorAll('[data-question]')].filter(q => !q.hidden).map(q => q.querySelector('legend').textContent)")
        .await
}

/// The questions `didact_quiz::arrangement` draws for `seed`, from the fixture's own YAML.
fn expected_draw(seed: u64) -> Vec<String> {
    let page = std::fs::read_to_string(
        crate::harness::repo_root().join("tests/fixtures/quiz-draw/content/01-tirage.md"),
    )
    .unwrap();
    let yaml = page
        .split("```quiz\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the fixture holds a quiz block");
    let quiz: didact_quiz::Quiz = serde_yaml::from_str(yaml).unwrap();
    didact_quiz::arrangement(&quiz, seed)
        .questions
        .iter()
        .map(|placed| quiz.questions[placed.index].id.clone())
        .collect()
}

#[test]
fn a_drawn_quiz_shows_the_learners_draw_and_grades_only_it() {
    const SEED_KEY: &str = "didact:quiz-draw:seed";
    const STATE_KEY: &str = "didact:quiz-draw:quiz:quiz-draw";
    let site = fixture_site("quiz-draw");
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let url = file_url(site, "tirage.html");
            session.open(&url).await;
            // A new learner gets a seed, and the two questions it draws.
            let seed: u64 = session
                .js(&format!("return localStorage.getItem('{SEED_KEY}')"))
                .await
                .as_str()
                .expect("the runtime saved the learner's seed")
                .parse()
                .unwrap();
            let first = expected_draw(seed);
            assert_eq!(first.len(), 2);
            assert_eq!(
                shown_questions(&session).await,
                first,
                "{browser:?}, seed {seed}"
            );
            assert_eq!(
                shown_legends(&session).await,
                json!(["Question 1 sur 2", "Question 2 sur 2"])
            );

            // The same learner sees the same draw on the next visit.
            session.reload().await;
            assert_eq!(
                shown_questions(&session).await,
                first,
                "{browser:?}: the draw changed on reload"
            );

            // Another learner (another seed) gets another draw.
            let other_seed = (1..)
                .find(|&candidate| expected_draw(candidate) != first)
                .unwrap();
            let second = expected_draw(other_seed);
            session
                .js(&format!(
                    "localStorage.setItem('{SEED_KEY}', '{other_seed}'); localStorage.removeItem('{STATE_KEY}'); return null"
                ))
                .await;
            session.reload().await;
            assert_eq!(
                shown_questions(&session).await,
                second,
                "{browser:?}, seed {other_seed}"
            );

            // Answering the two drawn questions completes the quiz: the others do not count.
            for id in &second {
                session
                    .click(&format!("[data-question=\"{id}\"] input[value=\"true\"]"))
                    .await;
                session
                    .click(&format!("[data-question=\"{id}\"] [data-action=\"check\"]"))
                    .await;
            }
            session
                .wait_text(
                    "[data-quiz-id=\"quiz-draw\"] [data-result]",
                    "Votre score : 100 %",
                )
                .await;
            let saved = session.storage(STATE_KEY).await;
            assert_eq!(saved["completed"], true, "{saved}");
            let graded: Vec<&String> = saved["grades"].as_object().unwrap().keys().collect();
            assert_eq!(graded, second.iter().collect::<Vec<_>>(), "{saved}");
            session.finish().await;
        });
    }
}
