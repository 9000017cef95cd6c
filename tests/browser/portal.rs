//! A simulator exercise seen from a browser test: the helpers every end-to-end test of the
//! Chorus Pro portal shares, on the bundled course (`course_exercises.rs`,
//! `course_invoices.rs`) and on the fixture courses (`sim*.rs`). Every selector is scoped to
//! the exercise's section, since a page may hold several.

use std::path::Path;
use std::time::Duration;

use fantoccini::Locator;
use serde_json::Value;

use crate::harness::{bundled_site, file_url, fixture_site, Session};

/// A fixture course of `tests/fixtures` holding simulator exercises.
pub struct Fixture {
    /// Its folder in `tests/fixtures`.
    pub dir: &'static str,
    /// Its course id, which names its saved state (`didact:<course>:…`).
    pub course: &'static str,
}

/// `tests/fixtures/sim`: the account and structure exercises, and a bac à sable.
pub const SIM: Fixture = Fixture {
    dir: "sim",
    course: "sim-fixture",
};

/// `tests/fixtures/sim-invoices`: the invoice and works exercises, and a help page.
pub const SIM_INVOICES: Fixture = Fixture {
    dir: "sim-invoices",
    course: "sim-invoices",
};

impl Fixture {
    pub fn site(&self) -> &'static Path {
        fixture_site(self.dir)
    }

    /// Opens the exercise `id` on `page` of this fixture course.
    pub async fn open<'a>(
        &self,
        session: &'a Session,
        page: &str,
        id: &'static str,
    ) -> Exercise<'a> {
        Exercise::open_in(session, self.site(), self.course, page, id).await
    }
}

/// One simulator exercise, in one browser session.
pub struct Exercise<'a> {
    pub session: &'a Session,
    pub id: &'static str,
    /// The course id, which names the saved state.
    course: &'static str,
}

impl<'a> Exercise<'a> {
    /// Opens the exercise `id` on `page` of the bundled course.
    pub async fn open(session: &'a Session, page: &str, id: &'static str) -> Exercise<'a> {
        Self::open_in(session, bundled_site(), "chorus-pro", page, id).await
    }

    /// Opens the exercise `id` on `page` of the course built in `site`, whose id is `course`;
    /// waits for its portal and checks it starts not completed.
    pub async fn open_in(
        session: &'a Session,
        site: &Path,
        course: &'static str,
        page: &str,
        id: &'static str,
    ) -> Exercise<'a> {
        session.open(&file_url(site, page)).await;
        let exercise = Exercise {
            session,
            id,
            course,
        };
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

    /// `inner`, inside this exercise's section (instructions, goals, hints, status).
    pub fn within(&self, inner: &str) -> String {
        format!("{} {inner}", self.scope())
    }

    /// `inner`, inside this exercise's portal.
    pub fn css(&self, inner: &str) -> String {
        format!("{} [data-sim-portal] {inner}", self.scope())
    }

    pub async fn js(&self, script: &str) -> Value {
        self.session.js(script).await
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

    /// Goes to `screen` through the portal's menu (or the session bar's link).
    pub async fn nav(&self, screen: &str) {
        let link = format!("[data-nav=\"{screen}\"]");
        self.click(&format!(
            "{}, {}",
            self.css(&format!(".sim-menu {link}")),
            self.css(&format!(".sim-session {link}"))
        ))
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
        if !value.is_empty() {
            input.send_keys(value).await.expect("type into the field");
        }
    }

    /// The value of the control `name` of `form`.
    pub async fn value(&self, form: &str, name: &str) -> String {
        self.element(&self.control_css(form, name)).await;
        let value = self
            .js(&format!(
                "return document.querySelector({:?}).value",
                self.control_css(form, name)
            ))
            .await;
        value.as_str().unwrap_or_default().to_owned()
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
        self.submit_in(&format!("form[data-form=\"{form}\"]")).await;
    }

    /// Submits the portal form matching `form_css`.
    pub async fn submit_in(&self, form_css: &str) {
        self.click(&self.css(&format!("{form_css} button[type=\"submit\"]")))
            .await;
    }

    /// Clicks the portal button whose text contains `text`.
    pub async fn click_button(&self, text: &str) {
        let script = format!(
            "var b = Array.from(document.querySelectorAll({:?})).find(function (b) {{ return b.textContent.indexOf({text:?}) >= 0; }}); if (b) {{ b.click(); return true; }} return false;",
            self.css("button")
        );
        self.session.wait_value(&script, |v| v == true).await;
    }

    /// Clicks a button of the invoice form by its intent (save, send, add_line…).
    pub async fn intent(&self, intent: &str) {
        self.click(&self.css(&format!(
            "form[data-form=\"invoice\"] button[name=\"intent\"][value=\"{intent}\"]"
        )))
        .await;
    }

    /// Waits for a live total of the invoice form (`ht`, `vat`, `ttc`, `net`) to show `amount`.
    pub async fn total(&self, key: &str, amount: &str) {
        self.text(&self.css(&format!("[data-total=\"{key}\"]")), amount)
            .await;
    }

    /// Acts as `role` in a works contract (« Vous agissez maintenant comme … »): the success
    /// message shows `label`.
    pub async fn role(&self, role: &str, label: &str) {
        self.choose("switch_works_role", "role", role).await;
        self.submit("switch_works_role").await;
        self.flash(label).await;
    }

    /// The session bar names the signed-in user.
    pub async fn logged_in_as(&self, name: &str, email: &str) {
        self.session
            .wait_text(
                &self.css(".sim-session"),
                &format!("Connecté : {name} ({email})"),
            )
            .await;
    }

    /// The focus is on the portal element matching `inner`.
    pub async fn expect_focus(&self, inner: &str) {
        self.session.expect_focus(&self.css(inner)).await;
    }

    /// Learner text was shown as text: the portal holds no image.
    pub async fn no_injected_image(&self) {
        let images = self
            .js(&format!(
                "return document.querySelectorAll({:?}).length",
                self.css("img")
            ))
            .await;
        assert_eq!(images, 0, "learner text was inserted as HTML");
    }

    /// The success message of the last action, once it contains `needle`.
    pub async fn flash(&self, needle: &str) -> String {
        self.text(&self.css("[data-flash]"), needle).await
    }

    /// The errors shown in the portal, once one contains `needle`.
    pub async fn error(&self, needle: &str) -> String {
        self.error_in("", needle).await
    }

    /// The errors shown inside the portal element matching `inner`, once one contains `needle`.
    pub async fn error_in(&self, inner: &str, needle: &str) -> String {
        let script = format!(
            "return Array.from(document.querySelectorAll({:?})).map(function (e) {{ return e.textContent; }}).join('\\n')",
            self.css(&format!("{inner} .sim-error"))
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

    /// The `localStorage` key of this exercise's saved state.
    pub fn storage_key(&self) -> String {
        format!("didact:{}:exercise:{}", self.course, self.id)
    }

    pub async fn storage(&self) -> Value {
        self.session.storage(&self.storage_key()).await
    }
}
