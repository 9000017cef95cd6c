//! The Chorus Pro practice portal end to end, on `tests/fixtures/sim` (six exercises and a
//! bac à sable), in Chromium and in Firefox, one session per browser:
//!
//! - every exercise is completed through the portal's screens, after a mistake whose
//!   explanation (« Pourquoi ? … ») the learner reads next to the field;
//! - learner text is shown as text (`<img onerror>` typed as a name and as a service label);
//! - a reload restores the simulated world; a corrupt saved value is set aside and the learner
//!   is offered « Réinitialiser l’exercice »;
//! - the state and the course-wide summary are saved under their documented keys.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fantoccini::Locator;
use serde_json::Value;

use crate::harness::{build_course, file_url, repo_root, run, Session, BROWSERS};

const XSS: &str = "<img src=x onerror=alert(1)>";
const PORTAL: &str = "[data-sim-portal]";
const PAUL: &str = "paul.durand@menuiserie-durand.fr";
const KEY_PREFIX: &str = "didact:sim-fixture:exercise:";
const SUMMARY_KEY: &str = "didact:sim-fixture:exercises";

fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build_course(&repo_root().join("tests/fixtures/sim")))
}

#[test]
fn every_exercise_is_completed_after_a_mistake_and_saved() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let portal = Portal { session: &session };
            portal.create_and_activate_account().await;
            portal.create_structure().await;
            portal.rattachement_validated_by_the_gestionnaire().await;
            portal.create_service_and_attach_a_user().await;
            portal.give_an_espace().await;
            portal.bank_details_with_affactureur().await;
            portal.corrupt_state_offers_a_reset().await;
            portal.sandbox().await;
            session.finish().await;
        });
    }
}

struct Portal<'a> {
    session: &'a Session,
}

impl Portal<'_> {
    /// Exercise 1: a refused account (conditions not accepted), a reload, a weak password.
    async fn create_and_activate_account(&self) {
        self.open("compte.html").await;
        let text = self
            .js("return document.querySelector('[data-exercise]').innerText")
            .await;
        let text = text.as_str().unwrap_or_default();
        assert!(
            text.contains("Simulation d’entraînement : rien n’est envoyé à Chorus Pro"),
            "{text}"
        );
        assert!(text.contains("Chorus Pro — simulateur"), "{text}");
        assert!(
            !text.contains("nécessite JavaScript"),
            "the fallback note is still shown: {text}"
        );

        self.nav("create_account").await;
        self.fill("create_account", "adresse_email_connexion", PAUL)
            .await;
        self.fill("create_account", "nom", XSS).await;
        self.fill("create_account", "prenom", "Paul").await;
        self.submit("create_account").await;
        let error = self.error("Vous devez accepter les conditions").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        let invalid = self.js(&format!("return document.querySelector('{PORTAL} [name=\"conditions\"]').getAttribute('aria-invalid')")).await;
        assert_eq!(invalid, "true");
        self.expect_focus("[name=\"conditions\"]").await;

        self.click(&format!(
            "{PORTAL} form[data-form=\"create_account\"] [name=\"conditions\"]"
        ))
        .await;
        self.submit("create_account").await;
        self.flash("Votre compte a été créé").await;
        self.goal_met(0).await;

        // Reload mid-exercise: the account and its e-mail are still there.
        self.session.client.refresh().await.expect("reload");
        self.session.wait_runtime().await;
        self.goal_met(0).await;
        let saved = self.storage("ex-compte").await;
        assert_eq!(saved["version"], 1, "{saved}");
        assert_eq!(saved["completed"], false, "{saved}");
        assert_eq!(saved["world"]["accounts"][0]["login"], PAUL, "{saved}");

        self.nav("mailbox").await;
        self.session
            .wait_text(
                &format!("{PORTAL} .sim-mail"),
                "Chorus Pro : activez votre compte",
            )
            .await;
        self.click(&format!("{PORTAL} .sim-mail [data-token]"))
            .await;
        self.fill("activate_account", "mot_de_passe", "menuiserie")
            .await;
        self.fill(
            "activate_account",
            "confirmation_mot_de_passe",
            "menuiserie",
        )
        .await;
        self.submit("activate_account").await;
        let error = self.error("ne respecte pas les règles de sécurité").await;
        assert!(error.contains("Pourquoi ? Règle du simulateur"), "{error}");
        self.fill("activate_account", "mot_de_passe", "Menuis3rie!")
            .await;
        self.fill(
            "activate_account",
            "confirmation_mot_de_passe",
            "Menuis3rie!",
        )
        .await;
        self.submit("activate_account").await;
        self.flash("Votre compte est activé").await;
        self.completed().await;

        // The hostile name is text on the login screen (« Se connecter en tant que … »).
        let people = self
            .session
            .wait_text(&format!("{PORTAL} .sim-people"), XSS)
            .await;
        assert!(
            people.contains(&format!("Se connecter en tant que Paul {XSS}")),
            "{people}"
        );
        self.no_injected_image().await;

        self.click("[data-exercise] [data-action=\"hint\"]").await;
        self.session
            .wait_text(
                "[data-exercise] [data-hint]:not([hidden])",
                "messagerie simulée",
            )
            .await;
    }

    /// Exercise 2: an invalid SIRET, then the structure pre-filled from the register.
    async fn create_structure(&self) {
        self.open("structure.html").await;
        self.session
            .wait_text(
                &format!("{PORTAL} .sim-session"),
                &format!("Connecté : Paul Durand ({PAUL})"),
            )
            .await;
        self.nav("create_structure").await;
        self.fill("lookup_siret", "siret", "81452763600018").await;
        self.submit("lookup_siret").await;
        let error = self.error("SIRET").await;
        assert!(
            error.contains("Pourquoi ?") && error.contains("Luhn"),
            "{error}"
        );
        self.fill("lookup_siret", "siret", "81452763600017").await;
        self.submit("lookup_siret").await;
        let name = self
            .wait_js("return (document.querySelector('[data-sim-portal] [name=\"raison_sociale\"]') || {}).value", |v| v.is_string())
            .await;
        assert_eq!(name, "Menuiserie Durand SARL");
        let city = self
            .js("return document.querySelector('[data-sim-portal] [name=\"ville\"]').value")
            .await;
        assert_eq!(city, "Bordeaux");
        self.submit("create_structure").await;
        self.flash("Vous en êtes le gestionnaire principal").await;
        self.completed().await;
    }

    /// Exercise 3: Luc's search is too short, then he asks; Claire validates.
    async fn rattachement_validated_by_the_gestionnaire(&self) {
        self.open("rattachement.html").await;
        self.click_button("Se connecter en tant que Luc Bernard")
            .await;
        self.flash("Bienvenue, Luc Bernard").await;
        self.nav("rattachement").await;
        self.fill("search_structures", "recherche", "84").await;
        self.submit("search_structures").await;
        let error = self.error("3").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.fill("search_structures", "recherche", "84260937200011")
            .await;
        self.submit("search_structures").await;
        self.session
            .wait_text(
                &format!("{PORTAL} [data-results]"),
                "Papeterie du Centre SARL",
            )
            .await;
        self.submit("request_rattachement").await;
        self.flash("a été envoyée").await;
        self.goal_met(0).await;

        self.nav("login").await;
        self.click_button("Se connecter en tant que Claire Petit")
            .await;
        self.flash("Bienvenue, Claire Petit").await;
        self.nav("gestionnaire").await;
        self.session
            .wait_text(
                &format!("{PORTAL} .sim-screen"),
                "luc.bernard@papeterie-du-centre.fr",
            )
            .await;
        self.submit("validate_rattachement").await;
        self.flash("a été validée").await;
        self.completed().await;
    }

    /// Exercise 4: a code service with a forbidden character, a hostile label, a user attached.
    async fn create_service_and_attach_a_user(&self) {
        self.open("services.html").await;
        self.nav("services").await;
        self.fill("create_service", "code_service", "ATELIER/1")
            .await;
        self.fill("create_service", "libelle", XSS).await;
        self.submit("create_service").await;
        let error = self.error("« / »").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.expect_focus("[name=\"code_service\"]").await;
        self.fill("create_service", "code_service", "ATELIER").await;
        self.submit("create_service").await;
        self.flash("Le service « ATELIER » a été créé").await;
        self.goal_met(0).await;
        self.session
            .wait_text(&format!("{PORTAL} .sim-table"), XSS)
            .await;
        self.no_injected_image().await;

        self.choose("attach_user_to_service", "code_service", "ATELIER")
            .await;
        self.choose(
            "attach_user_to_service",
            "utilisateur",
            "julie.martin@menuiserie-durand.fr",
        )
        .await;
        self.submit("attach_user_to_service").await;
        self.flash("est rattaché au service").await;
        self.completed().await;
    }

    /// Exercise 5: a wrong password, then Claire opens « Factures de travaux » to Luc.
    async fn give_an_espace(&self) {
        self.open("espaces.html").await;
        self.fill(
            "login",
            "identifiant",
            "claire.petit@papeterie-du-centre.fr",
        )
        .await;
        self.fill("login", "mot_de_passe", "chorus2025").await;
        self.submit("login").await;
        let error = self.error("Identifiant ou mot de passe incorrect").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.fill("login", "mot_de_passe", "Chorus!2025").await;
        self.submit("login").await;
        self.flash("Bienvenue, Claire Petit").await;
        self.nav("gestionnaire").await;
        self.choose(
            "set_espace_access",
            "utilisateur",
            "luc.bernard@papeterie-du-centre.fr",
        )
        .await;
        self.choose("set_espace_access", "espace", "factures_de_travaux")
            .await;
        self.choose("set_espace_access", "niveau", "consultation")
            .await;
        self.submit("set_espace_access").await;
        self.flash("Factures de travaux").await;
        self.completed().await;
    }

    /// Exercise 6: a wrong IBAN key, then the structure's account and the affactureur's.
    async fn bank_details_with_affactureur(&self) {
        self.open("coordonnees-bancaires.html").await;
        self.nav("bank").await;
        self.fill(
            "add_bank_account",
            "iban",
            "FR76 9999 9000 0100 0123 4560 147",
        )
        .await;
        self.fill("add_bank_account", "bic", "FICTFRP1XXX").await;
        self.fill("add_bank_account", "titulaire", "Menuiserie Durand SARL")
            .await;
        self.submit("add_bank_account").await;
        let error = self.error("IBAN").await;
        assert!(
            error.contains("Pourquoi ?") && error.contains("97"),
            "{error}"
        );
        self.expect_focus("[name=\"iban\"]").await;
        self.fill(
            "add_bank_account",
            "iban",
            "FR76 9999 9000 0100 0123 4560 146",
        )
        .await;
        self.submit("add_bank_account").await;
        self.flash("Les coordonnées bancaires ont été ajoutées")
            .await;
        self.goal_met(0).await;

        self.fill(
            "add_bank_account",
            "iban",
            "FR76 9999 8000 1000 0987 6540 166",
        )
        .await;
        self.fill("add_bank_account", "bic", "FACTFRP2XXX").await;
        self.fill("add_bank_account", "titulaire", "Factor Exemple SA")
            .await;
        self.click(&format!(
            "{PORTAL} form[data-form=\"add_bank_account\"] [name=\"affactureur\"]"
        ))
        .await;
        self.submit("add_bank_account").await;
        self.flash("de l’affactureur").await;
        self.completed().await;

        let summary = self
            .js(&format!(
                "return JSON.parse(localStorage.getItem('{SUMMARY_KEY}'))"
            ))
            .await;
        assert_eq!(summary["ex-banque"]["completed"], true, "{summary}");
        assert_eq!(summary["ex-banque"]["objective"], "comptes", "{summary}");
    }

    /// A corrupt saved value is set aside and « Réinitialiser l’exercice » starts again.
    async fn corrupt_state_offers_a_reset(&self) {
        let key = format!("{KEY_PREFIX}ex-banque");
        let bad = "{\"version\": 1, \"world\": 42";
        self.js(&format!(
            "localStorage.setItem('{key}', '{bad}'); return null"
        ))
        .await;
        self.session.client.refresh().await.expect("reload");
        self.session.wait_runtime().await;
        self.session
            .wait_text(
                "[data-exercise] [data-reset-offer]",
                "Réinitialiser l’exercice",
            )
            .await;
        let kept = self
            .js(&format!("return localStorage.getItem('{key}:corrupt')"))
            .await;
        assert_eq!(kept, bad);
        let hidden = self
            .js(&format!("return document.querySelector('{PORTAL}').hidden"))
            .await;
        assert_eq!(hidden, true);
        self.click("[data-exercise] [data-action=\"reset\"]").await;
        self.session
            .wait_text(&format!("{PORTAL} .sim-session"), "Connecté : Paul Durand")
            .await;
        let offer = self
            .js("return document.querySelector('[data-reset-offer]').hidden")
            .await;
        assert_eq!(offer, true);
        let met = self
            .js("return document.querySelector('[data-goal=\"0\"]').getAttribute('data-met')")
            .await;
        assert_eq!(met, "false");
        let saved = self.storage("ex-banque").await;
        assert_eq!(saved["completed"], false, "{saved}");
    }

    /// The bac à sable opens on its default scenario, with the scenario's people; the clock
    /// makes an activation link expire.
    async fn sandbox(&self) {
        self.open("bac-a-sable.html").await;
        self.session
            .wait_text(
                &format!("{PORTAL} .sim-people"),
                "Se connecter en tant que Claire Petit",
            )
            .await;
        // Nina's activation link (sent at minute 0) expires after 60 simulated minutes.
        self.nav("clock").await;
        self.click_button("+ 61 minutes").await;
        self.flash("61 minute(s)").await;
        self.session
            .wait_text(&format!("{PORTAL} .sim-header"), "jour 1, 01 h 01")
            .await;
        self.nav("mailbox").await;
        self.session
            .wait_text(
                &format!("{PORTAL} .sim-mail"),
                "nina.roux@papeterie-du-centre.fr",
            )
            .await;
        self.click(&format!("{PORTAL} .sim-mail [data-token]"))
            .await;
        self.fill("activate_account", "mot_de_passe", "Papet3rie!")
            .await;
        self.fill(
            "activate_account",
            "confirmation_mot_de_passe",
            "Papet3rie!",
        )
        .await;
        self.submit("activate_account").await;
        let error = self.error("a expiré").await;
        assert!(
            error
                .contains("Pourquoi ? Le lien d’activation reçu par e-mail est valable 60 minutes"),
            "{error}"
        );
        self.expect_focus("form[data-form=\"activate_account\"] [data-form-errors]")
            .await;
    }

    async fn open(&self, page: &str) {
        self.session.open(&file_url(site(), page)).await;
        self.session
            .wait_text(&format!("{PORTAL} .sim-header"), "Chorus Pro — simulateur")
            .await;
    }

    async fn js(&self, script: &str) -> Value {
        self.session
            .client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
    }

    async fn wait_js(&self, script: &str, ok: impl Fn(&Value) -> bool) -> Value {
        self.session.wait_value(script, ok).await
    }

    async fn storage(&self, id: &str) -> Value {
        let key = format!("{KEY_PREFIX}{id}");
        let text = self
            .js(&format!("return localStorage.getItem('{key}')"))
            .await;
        let text = text
            .as_str()
            .unwrap_or_else(|| panic!("nothing saved under {key}"));
        serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("{key} holds invalid JSON {text}: {e}"))
    }

    async fn click(&self, css: &str) {
        self.session.click(css).await;
    }

    /// Clicks the portal button whose text contains `text`.
    async fn click_button(&self, text: &str) {
        let script = format!(
            "var b = Array.from(document.querySelectorAll('{PORTAL} button')).find(function (b) {{ return b.textContent.indexOf({text:?}) >= 0; }}); if (b) {{ b.click(); return true; }} return false;"
        );
        self.wait_js(&script, |v| v == true).await;
    }

    async fn nav(&self, screen: &str) {
        self.click(&format!("{PORTAL} .sim-menu [data-nav=\"{screen}\"], {PORTAL} .sim-session [data-nav=\"{screen}\"]")).await;
        self.session.wait_value(&format!("return document.querySelector('{PORTAL} [data-screen]').getAttribute('data-screen')"), |v| v == screen).await;
    }

    async fn control(&self, form: &str, name: &str) -> fantoccini::elements::Element {
        let css = format!("{PORTAL} form[data-form=\"{form}\"] [name=\"{name}\"]");
        self.session
            .client
            .wait()
            .at_most(std::time::Duration::from_secs(10))
            .for_element(Locator::Css(&css))
            .await
            .unwrap_or_else(|e| panic!("no field `{css}`: {e}"))
    }

    async fn fill(&self, form: &str, name: &str, value: &str) {
        let input = self.control(form, name).await;
        input.clear().await.expect("clear the field");
        input.send_keys(value).await.expect("type into the field");
    }

    async fn choose(&self, form: &str, name: &str, value: &str) {
        let select = self.control(form, name).await;
        select
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("cannot choose {value} in {name}: {e}"));
    }

    async fn submit(&self, form: &str) {
        self.click(&format!(
            "{PORTAL} form[data-form=\"{form}\"] button[type=\"submit\"]"
        ))
        .await;
    }

    /// The success message of the last action.
    async fn flash(&self, needle: &str) -> String {
        self.session
            .wait_text(&format!("{PORTAL} [data-flash]"), needle)
            .await
    }

    /// The errors shown in the portal, once one contains `needle`.
    async fn error(&self, needle: &str) -> String {
        let script = format!("return Array.from(document.querySelectorAll('{PORTAL} .sim-error')).map(function (e) {{ return e.textContent; }}).join('\\n')");
        let text = self
            .wait_js(&script, |v| v.as_str().is_some_and(|t| t.contains(needle)))
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    async fn expect_focus(&self, css: &str) {
        let script = format!(
            "return document.activeElement && document.activeElement.matches('{PORTAL} {css}')"
        );
        self.wait_js(&script, |v| v == true).await;
    }

    async fn goal_met(&self, idx: usize) {
        let script = format!(
            "return document.querySelector('[data-goal=\"{idx}\"]').getAttribute('data-met')"
        );
        self.wait_js(&script, |v| v == "true").await;
        self.session
            .wait_text(&format!("[data-goal=\"{idx}\"]"), "Atteint")
            .await;
    }

    async fn completed(&self) {
        self.session
            .wait_text("[data-exercise] [data-status]", "Exercice réussi")
            .await;
        let flag = self
            .js("return document.querySelector('[data-exercise]').getAttribute('data-completed')")
            .await;
        assert_eq!(flag, "true");
        let id = self
            .js("return document.querySelector('[data-exercise]').getAttribute('data-exercise-id')")
            .await;
        let saved = self.storage(id.as_str().unwrap_or_default()).await;
        assert_eq!(saved["completed"], true, "{saved}");
    }

    async fn no_injected_image(&self) {
        let images = self
            .js(&format!(
                "return document.querySelectorAll('{PORTAL} img').length"
            ))
            .await;
        assert_eq!(images, 0, "learner text was inserted as HTML");
    }
}
