//! The Chorus Pro practice portal end to end, on `tests/fixtures/sim` (six exercises and a
//! bac à sable), in Chromium and in Firefox, one session per browser:
//!
//! - every exercise is completed through the portal's screens, after a mistake whose
//!   explanation (« Pourquoi ? … ») the learner reads next to the field;
//! - learner text is shown as text (`<img onerror>` typed as a name and as a service label);
//! - a reload restores the simulated world; a corrupt saved value is set aside and the learner
//!   is offered « Réinitialiser l’exercice »;
//! - the state and the course-wide summary are saved under their documented keys.

use crate::harness::{run, Session, BROWSERS};
use crate::portal::{Exercise, SIM};

const XSS: &str = "<img src=x onerror=alert(1)>";
const PAUL: &str = "paul.durand@menuiserie-durand.fr";
const SUMMARY_KEY: &str = "didact:sim-fixture:exercises";

#[test]
fn every_exercise_is_completed_after_a_mistake_and_saved() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let s = &session;
            create_and_activate_account(&SIM.open(s, "compte.html", "ex-compte").await).await;
            create_structure(&SIM.open(s, "structure.html", "ex-structure").await).await;
            let rattachement = SIM.open(s, "rattachement.html", "ex-rattachement").await;
            rattachement_validated_by_the_gestionnaire(&rattachement).await;
            let services = SIM.open(s, "services.html", "ex-services").await;
            create_service_and_attach_a_user(&services).await;
            give_an_espace(&SIM.open(s, "espaces.html", "ex-espaces").await).await;
            let banque = SIM.open(s, "coordonnees-bancaires.html", "ex-banque").await;
            bank_details_with_affactureur(&banque).await;
            corrupt_state_offers_a_reset(&banque).await;
            sandbox(&SIM.open(s, "bac-a-sable.html", "ex-bac-a-sable").await).await;
            session.finish().await;
        });
    }
}

/// Exercise 1: a refused account (conditions not accepted), a reload, a weak password.
async fn create_and_activate_account(ex: &Exercise<'_>) {
    let text = ex
        .js(&format!(
            "return document.querySelector({:?}).innerText",
            ex.scope()
        ))
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

    ex.nav("create_account").await;
    ex.fill("create_account", "adresse_email_connexion", PAUL)
        .await;
    ex.fill("create_account", "nom", XSS).await;
    ex.fill("create_account", "prenom", "Paul").await;
    ex.submit("create_account").await;
    let error = ex.error("Vous devez accepter les conditions").await;
    assert!(error.contains("Pourquoi ?"), "{error}");
    let invalid = ex
        .js(&format!(
            "return document.querySelector({:?}).getAttribute('aria-invalid')",
            ex.css("[name=\"conditions\"]")
        ))
        .await;
    assert_eq!(invalid, "true");
    ex.expect_focus("[name=\"conditions\"]").await;

    ex.click(&ex.control_css("create_account", "conditions"))
        .await;
    ex.submit("create_account").await;
    ex.flash("Votre compte a été créé").await;
    ex.goal_met(0).await;

    // Reload mid-exercise: the account and its e-mail are still there.
    ex.session.reload().await;
    ex.goal_met(0).await;
    let saved = ex.storage().await;
    assert_eq!(saved["version"], 1, "{saved}");
    assert_eq!(saved["completed"], false, "{saved}");
    assert_eq!(saved["world"]["accounts"][0]["login"], PAUL, "{saved}");

    ex.nav("mailbox").await;
    ex.session
        .wait_text(&ex.css(".sim-mail"), "Chorus Pro : activez votre compte")
        .await;
    ex.click(&ex.css(".sim-mail [data-token]")).await;
    ex.fill("activate_account", "mot_de_passe", "menuiserie")
        .await;
    ex.fill(
        "activate_account",
        "confirmation_mot_de_passe",
        "menuiserie",
    )
    .await;
    ex.submit("activate_account").await;
    let error = ex.error("ne respecte pas les règles de sécurité").await;
    assert!(error.contains("Pourquoi ? Règle du simulateur"), "{error}");
    ex.fill("activate_account", "mot_de_passe", "Menuis3rie!")
        .await;
    ex.fill(
        "activate_account",
        "confirmation_mot_de_passe",
        "Menuis3rie!",
    )
    .await;
    ex.submit("activate_account").await;
    ex.flash("Votre compte est activé").await;
    ex.completed().await;

    // The hostile name is text on the login screen (« Se connecter en tant que … »).
    let people = ex.session.wait_text(&ex.css(".sim-people"), XSS).await;
    assert!(
        people.contains(&format!("Se connecter en tant que Paul {XSS}")),
        "{people}"
    );
    ex.no_injected_image().await;

    ex.click(&ex.within("[data-action=\"hint\"]")).await;
    ex.session
        .wait_text(
            &ex.within("[data-hint]:not([hidden])"),
            "messagerie simulée",
        )
        .await;
}

/// Exercise 2: an invalid SIRET, then the structure pre-filled from the register.
async fn create_structure(ex: &Exercise<'_>) {
    ex.session
        .wait_text(
            &ex.css(".sim-session"),
            &format!("Connecté : Paul Durand ({PAUL})"),
        )
        .await;
    ex.nav("create_structure").await;
    ex.fill("lookup_siret", "siret", "81452763600018").await;
    ex.submit("lookup_siret").await;
    let error = ex.error("SIRET").await;
    assert!(
        error.contains("Pourquoi ?") && error.contains("Luhn"),
        "{error}"
    );
    ex.fill("lookup_siret", "siret", "81452763600017").await;
    ex.submit("lookup_siret").await;
    let name = ex
        .session
        .wait_value(
            &format!(
                "return (document.querySelector({:?}) || {{}}).value",
                ex.css("[name=\"raison_sociale\"]")
            ),
            |v| v.is_string(),
        )
        .await;
    assert_eq!(name, "Menuiserie Durand SARL");
    let city = ex
        .js(&format!(
            "return document.querySelector({:?}).value",
            ex.css("[name=\"ville\"]")
        ))
        .await;
    assert_eq!(city, "Bordeaux");
    ex.submit("create_structure").await;
    ex.flash("Vous en êtes le gestionnaire principal").await;
    ex.completed().await;
}

/// Exercise 3: Luc's search is too short, then he asks; Claire validates.
async fn rattachement_validated_by_the_gestionnaire(ex: &Exercise<'_>) {
    ex.click_button("Se connecter en tant que Luc Bernard")
        .await;
    ex.flash("Bienvenue, Luc Bernard").await;
    ex.nav("rattachement").await;
    ex.fill("search_structures", "recherche", "84").await;
    ex.submit("search_structures").await;
    let error = ex.error("3").await;
    assert!(error.contains("Pourquoi ?"), "{error}");
    ex.fill("search_structures", "recherche", "84260937200011")
        .await;
    ex.submit("search_structures").await;
    ex.session
        .wait_text(&ex.css("[data-results]"), "Papeterie du Centre SARL")
        .await;
    ex.submit("request_rattachement").await;
    ex.flash("a été envoyée").await;
    ex.goal_met(0).await;

    ex.nav("login").await;
    ex.click_button("Se connecter en tant que Claire Petit")
        .await;
    ex.flash("Bienvenue, Claire Petit").await;
    ex.nav("gestionnaire").await;
    ex.session
        .wait_text(&ex.css(".sim-screen"), "luc.bernard@papeterie-du-centre.fr")
        .await;
    ex.submit("validate_rattachement").await;
    ex.flash("a été validée").await;
    ex.completed().await;
}

/// Exercise 4: a code service with a forbidden character, a hostile label, a user attached.
async fn create_service_and_attach_a_user(ex: &Exercise<'_>) {
    ex.nav("services").await;
    ex.fill("create_service", "code_service", "ATELIER/1").await;
    ex.fill("create_service", "libelle", XSS).await;
    ex.submit("create_service").await;
    let error = ex.error("« / »").await;
    assert!(error.contains("Pourquoi ?"), "{error}");
    ex.expect_focus("[name=\"code_service\"]").await;
    ex.fill("create_service", "code_service", "ATELIER").await;
    ex.submit("create_service").await;
    ex.flash("Le service « ATELIER » a été créé").await;
    ex.goal_met(0).await;
    ex.session.wait_text(&ex.css(".sim-table"), XSS).await;
    ex.no_injected_image().await;

    ex.choose("attach_user_to_service", "code_service", "ATELIER")
        .await;
    ex.choose(
        "attach_user_to_service",
        "utilisateur",
        "julie.martin@menuiserie-durand.fr",
    )
    .await;
    ex.submit("attach_user_to_service").await;
    ex.flash("est rattaché au service").await;
    ex.completed().await;
}

/// Exercise 5: a wrong password, then Claire opens « Factures de travaux » to Luc.
async fn give_an_espace(ex: &Exercise<'_>) {
    ex.fill(
        "login",
        "identifiant",
        "claire.petit@papeterie-du-centre.fr",
    )
    .await;
    ex.fill("login", "mot_de_passe", "chorus2025").await;
    ex.submit("login").await;
    let error = ex.error("Identifiant ou mot de passe incorrect").await;
    assert!(error.contains("Pourquoi ?"), "{error}");
    ex.fill("login", "mot_de_passe", "Chorus!2025").await;
    ex.submit("login").await;
    ex.flash("Bienvenue, Claire Petit").await;
    ex.nav("gestionnaire").await;
    ex.choose(
        "set_espace_access",
        "utilisateur",
        "luc.bernard@papeterie-du-centre.fr",
    )
    .await;
    ex.choose("set_espace_access", "espace", "factures_de_travaux")
        .await;
    ex.choose("set_espace_access", "niveau", "consultation")
        .await;
    ex.submit("set_espace_access").await;
    ex.flash("Factures de travaux").await;
    ex.completed().await;
}

/// Exercise 6: a wrong IBAN key, then the structure's account and the affactureur's.
async fn bank_details_with_affactureur(ex: &Exercise<'_>) {
    ex.nav("bank").await;
    ex.fill(
        "add_bank_account",
        "iban",
        "FR76 9999 9000 0100 0123 4560 147",
    )
    .await;
    ex.fill("add_bank_account", "bic", "FICTFRP1XXX").await;
    ex.fill("add_bank_account", "titulaire", "Menuiserie Durand SARL")
        .await;
    ex.submit("add_bank_account").await;
    let error = ex.error("IBAN").await;
    assert!(
        error.contains("Pourquoi ?") && error.contains("97"),
        "{error}"
    );
    ex.expect_focus("[name=\"iban\"]").await;
    ex.fill(
        "add_bank_account",
        "iban",
        "FR76 9999 9000 0100 0123 4560 146",
    )
    .await;
    ex.submit("add_bank_account").await;
    ex.flash("Les coordonnées bancaires ont été ajoutées").await;
    ex.goal_met(0).await;

    ex.fill(
        "add_bank_account",
        "iban",
        "FR76 9999 8000 1000 0987 6540 166",
    )
    .await;
    ex.fill("add_bank_account", "bic", "FACTFRP2XXX").await;
    ex.fill("add_bank_account", "titulaire", "Factor Exemple SA")
        .await;
    ex.click(&ex.control_css("add_bank_account", "affactureur"))
        .await;
    ex.submit("add_bank_account").await;
    ex.flash("de l’affactureur").await;
    ex.completed().await;

    let summary = ex
        .js(&format!(
            "return JSON.parse(localStorage.getItem('{SUMMARY_KEY}'))"
        ))
        .await;
    assert_eq!(summary["ex-banque"]["completed"], true, "{summary}");
    assert_eq!(summary["ex-banque"]["objective"], "comptes", "{summary}");
}

/// A corrupt saved value is set aside and « Réinitialiser l’exercice » starts again.
async fn corrupt_state_offers_a_reset(ex: &Exercise<'_>) {
    let key = ex.storage_key();
    let bad = "{\"version\": 1, \"world\": 42";
    ex.js(&format!(
        "localStorage.setItem('{key}', '{bad}'); return null"
    ))
    .await;
    ex.session.reload().await;
    ex.session
        .wait_text(&ex.within("[data-reset-offer]"), "Réinitialiser l’exercice")
        .await;
    let kept = ex
        .js(&format!("return localStorage.getItem('{key}:corrupt')"))
        .await;
    assert_eq!(kept, bad);
    let hidden = ex
        .js(&format!(
            "return document.querySelector({:?}).hidden",
            ex.within("[data-sim-portal]")
        ))
        .await;
    assert_eq!(hidden, true);
    ex.click(&ex.within("[data-action=\"reset\"]")).await;
    ex.session
        .wait_text(&ex.css(".sim-session"), "Connecté : Paul Durand")
        .await;
    let offer = ex
        .js("return document.querySelector('[data-reset-offer]').hidden")
        .await;
    assert_eq!(offer, true);
    let met = ex
        .js("return document.querySelector('[data-goal=\"0\"]').getAttribute('data-met')")
        .await;
    assert_eq!(met, "false");
    let saved = ex.storage().await;
    assert_eq!(saved["completed"], false, "{saved}");
}

/// The bac à sable opens on its default scenario, with the scenario's people; the clock
/// makes an activation link expire.
async fn sandbox(ex: &Exercise<'_>) {
    ex.session
        .wait_text(
            &ex.css(".sim-people"),
            "Se connecter en tant que Claire Petit",
        )
        .await;
    // Nina's activation link (sent at minute 0) expires after 60 simulated minutes.
    ex.nav("clock").await;
    ex.click_button("+ 61 minutes").await;
    ex.flash("61 minute(s)").await;
    ex.session
        .wait_text(&ex.css(".sim-header"), "jour 1, 01 h 01")
        .await;
    ex.nav("mailbox").await;
    ex.session
        .wait_text(&ex.css(".sim-mail"), "nina.roux@papeterie-du-centre.fr")
        .await;
    ex.click(&ex.css(".sim-mail [data-token]")).await;
    ex.fill("activate_account", "mot_de_passe", "Papet3rie!")
        .await;
    ex.fill(
        "activate_account",
        "confirmation_mot_de_passe",
        "Papet3rie!",
    )
    .await;
    ex.submit("activate_account").await;
    let error = ex.error("a expiré").await;
    assert!(
        error.contains("Pourquoi ? Le lien d’activation reçu par e-mail est valable 60 minutes"),
        "{error}"
    );
    ex.expect_focus("form[data-form=\"activate_account\"] [data-form-errors]")
        .await;
}
