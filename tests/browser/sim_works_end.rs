//! The end of a works contract in the Chorus Pro practice portal, on the « Fin de marché » and
//! « Décompte tacite » pages of `tests/fixtures/sim-invoices` (the end-of-contract exercises of
//! `crates/sim/FORMAT.md`), in Chromium and in Firefox:
//!
//! - A7 → A17 → A20 → A8, the learner switching between titulaire, MOE and MOA, after a MOE
//!   mistake (a piece number already used) whose explanation (« Pourquoi ? … ») is shown;
//! - the tacit route: A22, an A23 refused before the MOA's 10 days, the clock, then the A23.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fantoccini::Locator;

use crate::harness::{build_course, file_url, repo_root, run, Session, BROWSERS};

const PORTAL: &str = "[data-sim-portal]";

fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build_course(&repo_root().join("tests/fixtures/sim-invoices")))
}

#[test]
fn the_end_of_contract_exercises_are_completed_after_a_mistake() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let portal = Portal { session: &session };
            portal.decompte_general_signed_with_reserves().await;
            portal.dgd_tacite().await;
            session.finish().await;
        });
    }
}

struct Portal<'a> {
    session: &'a Session,
}

impl Portal<'_> {
    /// A7 as titulaire, A17 as MOE (after a duplicate number), A20 as MOA, A8 as titulaire.
    async fn decompte_general_signed_with_reserves(&self) {
        self.open("fin-de-marche.html").await;
        self.nav("works").await;
        self.choose("deposit_works_piece", "cadre", "A7").await;
        self.fill("deposit_works_piece", "numero", "DF-2025-01")
            .await;
        self.fill("deposit_works_piece", "amount_ht", "98 450,00")
            .await;
        self.submit("deposit_works_piece").await;
        self.flash("DF-2025-01").await;
        self.goal_met(0).await;

        self.role("moe", "maîtrise d'œuvre").await;
        let form =
            "form[data-form=\"create_projet_decompte_general\"][data-for-piece=\"DF-2025-01\"]";
        self.fill_in(form, "numero", "DF-2025-01").await;
        self.submit_in(form).await;
        let error = self.error("porte déjà le numéro").await;
        assert!(
            error.contains("Pourquoi ? Chaque pièce du dossier de facturation a son propre numéro"),
            "{error}"
        );
        self.fill_in(form, "numero", "PDG-2025-01").await;
        self.submit_in(form).await;
        self.flash("(A17) est déposé").await;
        self.goal_met(1).await;

        self.role("moa", "maîtrise d'ouvrage").await;
        let form = "form[data-form=\"notify_decompte_general\"][data-for-piece=\"PDG-2025-01\"]";
        self.fill_in(form, "numero", "DG-2025-01").await;
        self.submit_in(form).await;
        self.flash("(A20) est notifié").await;
        self.goal_met(2).await;

        self.role("titulaire", "titulaire").await;
        let form = "form[data-form=\"sign_decompte_general\"][data-for-piece=\"DG-2025-01\"]";
        self.fill_in(form, "numero", "DGD-2025-01").await;
        self.fill_in(form, "reserves", "Travaux supplémentaires non repris")
            .await;
        self.submit_in(form).await;
        self.flash("signé avec réserves").await;
        self.completed().await;
        self.session
            .wait_text(&format!("{PORTAL} [data-piece=\"DGD-2025-01\"]"), "A8")
            .await;
    }

    /// A22 to the silent MOA; the A23 is refused before 10 days, accepted after the clock.
    async fn dgd_tacite(&self) {
        self.open("dgd-tacite.html").await;
        self.nav("works").await;
        let form = "form[data-form=\"send_projet_decompte_tacite\"][data-for-piece=\"DF-2025-01\"]";
        self.fill_in(form, "numero", "PT-2025-01").await;
        self.submit_in(form).await;
        self.flash("(A22) est envoyé").await;
        self.goal_met(0).await;

        let form = "form[data-form=\"deposit_dgd_tacite\"][data-for-piece=\"PT-2025-01\"]";
        self.fill_in(form, "numero", "DGDT-2025-01").await;
        self.submit_in(form).await;
        let error = self.error("dispose encore de 10 jour(s)").await;
        assert!(error.contains("Pourquoi ?"), "{error}");

        self.submit("advance_to_next_event").await;
        self.session
            .wait_text(&format!("{PORTAL} [data-piece=\"PT-2025-01\"]"), "tacite")
            .await;
        self.fill_in(form, "numero", "DGDT-2025-01").await;
        self.submit_in(form).await;
        self.flash("(A23) est déposé").await;
        self.completed().await;
    }

    // Helpers.

    async fn open(&self, page: &str) {
        self.session.open(&file_url(site(), page)).await;
        self.session
            .wait_text(&format!("{PORTAL} .sim-brand"), "Chorus Pro")
            .await;
    }

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

    async fn role(&self, role: &str, label: &str) {
        self.choose("switch_works_role", "role", role).await;
        self.submit("switch_works_role").await;
        self.flash(label).await;
    }

    async fn control_in(&self, form: &str, name: &str) -> fantoccini::elements::Element {
        let css = format!("{PORTAL} {form} [name=\"{name}\"]");
        self.session
            .client
            .wait()
            .at_most(std::time::Duration::from_secs(10))
            .for_element(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("no field `{css}`: {e}"))
    }

    async fn fill_in(&self, form: &str, name: &str, value: &str) {
        let input = self.control_in(form, name).await;
        input.clear().await.expect("clear the field");
        input.send_keys(value).await.expect("type into the field");
    }

    async fn fill(&self, form: &str, name: &str, value: &str) {
        self.fill_in(&format!("form[data-form=\"{form}\"]"), name, value)
            .await;
    }

    async fn choose(&self, form: &str, name: &str, value: &str) {
        self.control_in(&format!("form[data-form=\"{form}\"]"), name)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("cannot choose {value} in {name}: {e}"));
    }

    async fn submit_in(&self, form: &str) {
        self.session
            .click(&format!("{PORTAL} {form} button[type=\"submit\"]"))
            .await;
    }

    async fn submit(&self, form: &str) {
        self.submit_in(&format!("form[data-form=\"{form}\"]")).await;
    }

    async fn flash(&self, needle: &str) -> String {
        self.session
            .wait_text(&format!("{PORTAL} [data-flash]"), needle)
            .await
    }

    async fn error(&self, needle: &str) -> String {
        let script = format!("return Array.from(document.querySelectorAll('{PORTAL} .sim-error')).map(function (e) {{ return e.textContent; }}).join('\\n')");
        let text = self
            .session
            .wait_value(&script, |v| v.as_str().is_some_and(|t| t.contains(needle)))
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    async fn goal_met(&self, idx: usize) {
        let script = format!(
            "return document.querySelector('[data-goal=\"{idx}\"]').getAttribute('data-met')"
        );
        self.session.wait_value(&script, |v| v == "true").await;
    }

    async fn completed(&self) {
        self.session
            .wait_text("[data-exercise] [data-status]", "Exercice réussi")
            .await;
    }
}
