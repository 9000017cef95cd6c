//! A bundled-course simulator exercise seen from a browser test: the helpers the end-to-end
//! tests of the course's exercises share (`course_exercises.rs`, `course_invoices.rs`).
//! Every selector is scoped to the exercise's section, since a page may hold several.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::Value;

use crate::harness::{bundled_site, file_url, Session};

const STORAGE_PREFIX: &str = "didact:chorus-pro:exercise:";

/// One exercise of the bundled course, in one browser session.
pub struct Exercise<'a> {
    pub session: &'a Session,
    pub id: &'static str,
}

impl<'a> Exercise<'a> {
    pub async fn open(session: &'a Session, page: &str, id: &'static str) -> Exercise<'a> {
        session.open(&file_url(bundled_site(), page)).await;
        let exercise = Exercise { session, id };
        exercise
            .session
            .wait_text(&exercise.css(".sim-header"), "Chorus Pro — simulateur")
            .await;
        let status = exercise
            .js(&format!(
                "return document.querySelector({:?}).getAttribute('data-completed')",
                exercise.scope()
            ))
            .await;
        assert_eq!(status, "false", "{id} starts not completed");
        exercise
    }

    pub fn scope(&self) -> String {
        format!("section[data-exercise-id=\"{}\"]", self.id)
    }

    /// `inner`, inside this exercise's portal.
    pub fn css(&self, inner: &str) -> String {
        format!("{} [data-sim-portal] {inner}", self.scope())
    }

    pub async fn js(&self, script: &str) -> Value {
        self.session
            .client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
    }

    pub async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.session
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element `{css}`: {e}"))
    }

    pub async fn click(&self, css: &str) {
        self.session.click(css).await;
    }

    /// Waits until the element matching `css` shows `needle` (non-breaking spaces read as
    /// spaces, so amounts compare as « 1 200,00 »); returns its text.
    pub async fn text(&self, css: &str, needle: &str) -> String {
        let script = format!(
            "var e = document.querySelector({css:?}); return e ? e.textContent.replace(/[\\u00a0\\u202f]/g, ' ') : null;"
        );
        let text = self
            .session
            .wait_value(&script, |v| v.as_str().is_some_and(|t| t.contains(needle)))
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    pub async fn wait_screen(&self, screen: &str) {
        self.session
            .wait_value(
                &format!(
                    "var s = document.querySelector({:?}); return s && s.getAttribute('data-screen')",
                    self.css("[data-screen]")
                ),
                |v| v == screen,
            )
            .await;
    }

    /// Goes to `screen` through the portal's menu.
    pub async fn nav(&self, screen: &str) {
        self.click(&self.css(&format!(".sim-menu [data-nav=\"{screen}\"]")))
            .await;
        self.wait_screen(screen).await;
    }

    pub fn control_css(&self, form: &str, name: &str) -> String {
        self.css(&format!("form[data-form=\"{form}\"] [name=\"{name}\"]"))
    }

    /// Types `value` into the control `name` of the form matching `form_css`.
    pub async fn fill_in(&self, form_css: &str, name: &str, value: &str) {
        let input = self.element(&format!("{form_css} [name=\"{name}\"]")).await;
        input.clear().await.expect("clear the field");
        input.send_keys(value).await.expect("type into the field");
    }

    pub async fn fill(&self, form: &str, name: &str, value: &str) {
        self.fill_in(
            &self.css(&format!("form[data-form=\"{form}\"]")),
            name,
            value,
        )
        .await;
    }

    pub async fn choose(&self, form: &str, name: &str, value: &str) {
        if value.contains('\'') {
            // fantoccini puts the value in a CSS selector unescaped: choose it as the browser's
            // own list would, by setting the value and announcing the change.
            self.element(&self.control_css(form, name)).await;
            let script = format!(
                "var s = document.querySelector({:?}); s.value = {value:?}; s.dispatchEvent(new Event('input', {{ bubbles: true }})); s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value;",
                self.control_css(form, name)
            );
            assert_eq!(self.js(&script).await, value, "no option {value} in {name}");
            return;
        }
        self.element(&self.control_css(form, name))
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("cannot choose {value} in {name}: {e}"));
    }

    pub async fn submit(&self, form: &str) {
        self.click(&self.css(&format!(
            "form[data-form=\"{form}\"] button[type=\"submit\"]"
        )))
        .await;
    }

    /// The success message of the last action, once it contains `needle`.
    pub async fn flash(&self, needle: &str) -> String {
        self.text(&self.css("[data-flash]"), needle).await
    }

    /// The errors shown in the portal, once one contains `needle`.
    pub async fn error(&self, needle: &str) -> String {
        let script = format!(
            "return Array.from(document.querySelectorAll({:?})).map(function (e) {{ return e.textContent; }}).join('\\n')",
            self.css(".sim-error")
        );
        let text = self
            .session
            .wait_value(&script, |v| v.as_str().is_some_and(|t| t.contains(needle)))
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// The field is marked invalid and has the focus, as after a refusal.
    pub async fn expect_invalid(&self, form: &str, name: &str) {
        let css = self.control_css(form, name);
        let script = format!(
            "var c = document.querySelector({css:?}); return !!c && c.getAttribute('aria-invalid') === 'true' && document.activeElement === c"
        );
        self.session.wait_value(&script, |v| v == true).await;
    }

    pub async fn goal_state(&self, idx: usize, met: &str) {
        let script = format!(
            "var g = document.querySelector({:?}); return g && g.getAttribute('data-met')",
            format!("{} ul[data-goals] > li[data-goal=\"{idx}\"]", self.scope())
        );
        self.session.wait_value(&script, |v| v == met).await;
    }

    pub async fn goal_met(&self, idx: usize) {
        self.goal_state(idx, "true").await;
        self.session
            .wait_text(
                &format!("{} [data-goal=\"{idx}\"] [data-goal-state]", self.scope()),
                "Atteint",
            )
            .await;
    }

    pub async fn goal_not_met(&self, idx: usize) {
        self.goal_state(idx, "false").await;
    }

    /// Every goal is met, the section says so and the saved state is completed.
    pub async fn completed(&self) {
        self.session
            .wait_text(
                &format!("{} [data-status]", self.scope()),
                "Exercice réussi : tous les objectifs sont atteints.",
            )
            .await;
        let goals = self
            .js(&format!(
                "return Array.from(document.querySelectorAll({:?})).map(function (g) {{ return g.getAttribute('data-met'); }})",
                format!("{} ul[data-goals] > li[data-goal]", self.scope())
            ))
            .await;
        let goals = goals.as_array().cloned().unwrap_or_default();
        assert!(!goals.is_empty(), "{} shows no goal", self.id);
        assert!(
            goals.iter().all(|g| g == "true"),
            "{}: goals {goals:?}",
            self.id
        );
        let flag = self
            .js(&format!(
                "return document.querySelector({:?}).getAttribute('data-completed')",
                self.scope()
            ))
            .await;
        assert_eq!(flag, "true", "{} is not marked completed", self.id);
        let saved = self.storage().await;
        assert_eq!(saved["completed"], true, "{saved}");
    }

    pub async fn storage(&self) -> Value {
        let key = format!("{STORAGE_PREFIX}{}", self.id);
        let text = self
            .js(&format!("return localStorage.getItem({key:?})"))
            .await;
        let text = text
            .as_str()
            .unwrap_or_else(|| panic!("nothing saved under {key}"));
        serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("{key} holds invalid JSON {text}: {e}"))
    }
}
