//! A sous-traitant's works piece in the Chorus Pro practice portal, on the « Travaux
//! sous-traités » page of `tests/fixtures/sim-invoices`, in Chromium and in Firefox: the
//! learner, as titulaire, first refuses the A10 without a reason (the explanation
//! « Pourquoi ? … » is shown next to the reason), then validates it; the simulated MOE
//! deposits its état d'acompte after the clock, which meets the goal.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fantoccini::Locator;

use crate::harness::{build_course, file_url, repo_root, run, Session, BROWSERS};

const PORTAL: &str = "[data-sim-portal]";
const PIECE: &str = "ST-PD-2025-04";

fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build_course(&repo_root().join("tests/fixtures/sim-invoices")))
}

#[test]
fn the_titulaire_validates_the_subcontractor_piece_after_a_refusal_without_reason() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let portal = Portal { session: &session };
            portal.refuse_without_reason_then_validate().await;
            session.finish().await;
        });
    }
}

struct Portal<'a> {
    session: &'a Session,
}

impl Portal<'_> {
    async fn refuse_without_reason_then_validate(&self) {
        self.session
            .open(&file_url(site(), "travaux-sous-traitant.html"))
            .await;
        self.session
            .wait_text(&format!("{PORTAL} .sim-brand"), "Chorus Pro")
            .await;
        self.nav("works").await;
        let row = format!("{PORTAL} [data-piece=\"{PIECE}\"]");
        self.session
            .wait_text(&row, "À valider par le titulaire")
            .await;

        let refuse = format!("form[data-form=\"refuse_works_piece\"][data-for-piece=\"{PIECE}\"]");
        self.submit_in(&refuse).await;
        let error = self
            .error_in(&refuse, "Un motif de refus est obligatoire")
            .await;
        assert!(
            error.contains("Pourquoi ? Un refus arrête le circuit de facturation de la pièce"),
            "{error}"
        );
        let invalid = self
            .session
            .wait_value(
                &format!("return document.querySelector('{PORTAL} {refuse} [name=\"motif\"]').getAttribute('aria-invalid')"),
                |v| !v.is_null(),
            )
            .await;
        assert_eq!(
            invalid, "true",
            "the reason is marked as the field in error"
        );
        self.session
            .wait_text(&row, "À valider par le titulaire")
            .await;

        let validate =
            format!("form[data-form=\"validate_works_piece\"][data-for-piece=\"{PIECE}\"]");
        let note = self.control_text(&validate, ".sim-note").await;
        assert!(note.contains("16/04/2025 (15 jours)"), "{note}");
        assert!(note.contains("validée tacitement"), "{note}");
        self.submit_in(&validate).await;
        self.session
            .wait_text(&format!("{PORTAL} [data-flash]"), "validée")
            .await;
        self.session.wait_text(&row, "Mise à disposition MOE").await;
        let left = self
            .session
            .wait_value(
                &format!("return document.querySelectorAll('{PORTAL} {validate}').length"),
                |v| v.is_number(),
            )
            .await;
        assert_eq!(
            left, 0,
            "a validated piece is no longer offered for validation"
        );

        self.submit_in("form[data-form=\"advance_to_next_event\"]")
            .await;
        self.session
            .wait_value(
                "return document.querySelector('[data-goal=\"0\"]').getAttribute('data-met')",
                |v| v == "true",
            )
            .await;
        self.session
            .wait_text("[data-exercise] [data-status]", "Exercice réussi")
            .await;
        self.session.wait_text(&row, "Prise en compte MOE").await;
    }

    // Helpers.

    async fn nav(&self, screen: &str) {
        self.session
            .click(&format!("{PORTAL} .sim-menu [data-nav=\"{screen}\"]"))
            .await;
        self.session
            .wait_value(
                &format!("return document.querySelector('{PORTAL} [data-screen]').getAttribute('data-screen')"),
                |v| v == screen,
            )
            .await;
    }

    async fn control_text(&self, form: &str, css: &str) -> String {
        let css = format!("{PORTAL} {form} {css}");
        self.session
            .client
            .wait()
            .at_most(std::time::Duration::from_secs(10))
            .for_element(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("no element `{css}`: {e}"))
            .text()
            .await
            .expect("read the element's text")
    }

    async fn submit_in(&self, form: &str) {
        self.session
            .click(&format!("{PORTAL} {form} button[type=\"submit\"]"))
            .await;
    }

    /// The errors shown inside `form`, once one of them contains `needle`.
    async fn error_in(&self, form: &str, needle: &str) -> String {
        let script = format!("return Array.from(document.querySelectorAll('{PORTAL} {form} .sim-error')).map(function (e) {{ return e.textContent; }}).join('\\n')");
        let text = self
            .session
            .wait_value(&script, |v| v.as_str().is_some_and(|t| t.contains(needle)))
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }
}
