//! The bundled course's own simulator exercises (part II, « Créer son compte et paramétrer sa
//! structure »), completed in Chromium and in Firefox from `file://`, one session per browser,
//! the way a learner following each exercise's instructions would:
//!
//! - each exercise starts with a mistake whose explanation (« Pourquoi ? … ») is read next to
//!   the field: a weak password, a SIRET failing Luhn, an IBAN with wrong check digits, a
//!   forbidden character in a code service, an unknown e-mail, an espace opened by a simple
//!   user, conditions not accepted, an expired activation link;
//! - then the instructions are followed with the data they give, every goal is met and the
//!   section is marked completed (attribute, status line and saved state);
//! - a reload in the middle of « Créer la structure » restores the simulated world.

use serde_json::Value;

use crate::harness::{run, Session, BROWSERS};
use crate::portal::Exercise;

const CLAIRE: &str = "claire@menuiserie-durand.example";
const CONTACT: &str = "compta@menuiserie-durand.example";
const JULIEN: &str = "julien.morel@menuiserie-durand.example";
const KARIM: &str = "karim@menuiserie-durand.example";
const BRUNO: &str = "bruno.petit@lemoine-batiment.example";
const SIRET: &str = "81452763600017";
const PASSWORD: &str = "Menuis3rie!";

#[test]
fn part_two_exercises_are_completed_after_a_mistake() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let s = &session;
            Exercise::open(s, "compte-structure/creer-compte.html", "ex-creer-compte")
                .await
                .create_and_activate_account()
                .await;
            Exercise::open(
                s,
                "compte-structure/activation-structure.html",
                "ex-creer-structure",
            )
            .await
            .create_structure()
            .await;
            Exercise::open(
                s,
                "compte-structure/gestionnaire-principal.html",
                "ex-coordonnees-bancaires",
            )
            .await
            .bank_details()
            .await;
            Exercise::open(s, "compte-structure/espaces-services.html", "ex-espace")
                .await
                .espaces()
                .await;
            Exercise::open(s, "compte-structure/espaces-services.html", "ex-service")
                .await
                .service()
                .await;
            Exercise::open(
                s,
                "compte-structure/demandes-rattachement.html",
                "ex-rattachement",
            )
            .await
            .rattachement()
            .await;
            Exercise::open(s, "compte-structure/bac-a-sable.html", "ex-bac-a-sable")
                .await
                .sandbox()
                .await;
            session.finish().await;
        });
    }
}

impl<'a> Exercise<'a> {
    /// `ex-creer-compte`: the password rules are explained, then the account is activated.
    async fn create_and_activate_account(&self) {
        self.create_claire_account().await;
        self.goal_met(0).await;
        self.activate_after_a_weak_password().await;
        self.completed().await;
        let saved = self.storage().await;
        let claire = saved["world"]["accounts"]
            .as_array()
            .and_then(|accounts| accounts.iter().find(|a| a["login"] == CLAIRE))
            .cloned()
            .unwrap_or_else(|| panic!("Claire's account is not saved: {saved}"));
        assert_eq!(claire["contact_email"], CONTACT, "{claire}");
        assert_eq!(claire["status"], "active", "{claire}");
    }

    /// Steps 1 to 3 of `ex-creer-compte` (also step 1 of `ex-creer-structure`).
    async fn create_claire_account(&self) {
        let menu_label = self
            .session
            .wait_text(
                &self.css(".sim-menu [data-nav=\"create_account\"]"),
                "Créer un compte",
            )
            .await;
        assert_eq!(menu_label, "Créer un compte");
        self.nav("create_account").await;
        self.fill("create_account", "adresse_email_connexion", CLAIRE)
            .await;
        self.fill("create_account", "nom", "Durand").await;
        self.fill("create_account", "prenom", "Claire").await;
        self.fill("create_account", "adresse_email_contact", CONTACT)
            .await;
        self.click(&self.css("form[data-form=\"create_account\"] [name=\"conditions\"]"))
            .await;
        self.submit("create_account").await;
        self.flash(&format!("Un e-mail vous a été envoyé à l’adresse {CLAIRE}"))
            .await;
    }

    /// Steps 4 and 5 of `ex-creer-compte`: a password without capital, digit or special
    /// character is refused with the simulator's rule; a good one activates the account.
    async fn activate_after_a_weak_password(&self) {
        self.nav("mailbox").await;
        // The link goes to the login address, not to the contact address (hint 2).
        let mail = self
            .session
            .wait_text(&self.css(".sim-mail"), "Activer mon compte")
            .await;
        assert!(mail.contains(&format!("À : {CLAIRE}")), "{mail}");
        self.click(&self.css(".sim-mail [data-token]")).await;
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
        assert!(
            error.contains("il manque une majuscule, un chiffre, un caractère spécial"),
            "{error}"
        );
        assert!(
            error.contains("Pourquoi ? Règle du simulateur")
                && error.contains("au moins 8 caractères"),
            "{error}"
        );
        self.expect_invalid("activate_account", "mot_de_passe")
            .await;
        self.fill("activate_account", "mot_de_passe", PASSWORD)
            .await;
        self.fill("activate_account", "confirmation_mot_de_passe", PASSWORD)
            .await;
        self.submit("activate_account").await;
        self.flash("Votre compte est activé").await;
    }

    /// `ex-creer-structure`: the account again, a reload, the login, a SIRET typo explained by
    /// Luhn, then the structure pre-filled from the register.
    async fn create_structure(&self) {
        self.create_claire_account().await;
        self.activate_after_a_weak_password().await;
        self.goal_met(0).await;
        self.goal_not_met(1).await;

        // Reload mid-exercise: the activated account is still there, the rest still to do.
        self.session.client.refresh().await.expect("reload");
        self.session.wait_runtime().await;
        self.session
            .wait_text(&self.css(".sim-session"), "Non connecté")
            .await;
        self.goal_met(0).await;
        self.goal_not_met(1).await;
        self.goal_not_met(2).await;
        let saved = self.storage().await;
        assert_eq!(saved["completed"], false, "{saved}");
        let accounts = saved["world"]["accounts"]
            .as_array()
            .unwrap_or_else(|| panic!("no accounts saved: {saved}"));
        let claire = accounts
            .iter()
            .find(|a| a["login"] == CLAIRE)
            .unwrap_or_else(|| panic!("Claire's account was not restored: {saved}"));
        assert_eq!(claire["status"], "active", "{saved}");

        // Step 2: log in (the portal shows « Se connecter » to a visitor).
        self.nav("login").await;
        self.fill("login", "identifiant", CLAIRE).await;
        self.fill("login", "mot_de_passe", PASSWORD).await;
        self.submit("login").await;
        self.flash("Bienvenue, Claire Durand").await;

        // Step 3: « Créer une structure » from the dashboard, identifier type SIRET.
        self.click(&self.css(".sim-screen [data-nav=\"create_structure\"]"))
            .await;
        self.wait_screen("create_structure").await;
        self.choose("lookup_siret", "identifier_type", "siret")
            .await;
        self.fill("lookup_siret", "siret", "81452763600018").await;
        self.submit("lookup_siret").await;
        let error = self.error("Le SIRET saisi n’est pas valide").await;
        assert!(
            error.contains("clé de contrôle")
                && error.contains("Pourquoi ?")
                && error.contains("Luhn"),
            "{error}"
        );
        self.expect_invalid("lookup_siret", "siret").await;

        // Step 4 and 5: the right SIRET, the pre-filled name and address checked.
        self.fill("lookup_siret", "siret", SIRET).await;
        self.submit("lookup_siret").await;
        let name = self
            .session
            .wait_value(
                &format!(
                    "return (document.querySelector({:?}) || {{}}).value",
                    self.css("form[data-form=\"create_structure\"] [name=\"raison_sociale\"]")
                ),
                Value::is_string,
            )
            .await;
        assert_eq!(name, "Menuiserie Durand SARL");
        for (field, expected) in [
            ("siret", SIRET),
            ("adresse", "12 rue des Artisans"),
            ("code_postal", "33000"),
            ("ville", "Bordeaux"),
        ] {
            let value = self
                .js(&format!(
                    "return document.querySelector({:?}).value",
                    self.css(&format!(
                        "form[data-form=\"create_structure\"] [name=\"{field}\"]"
                    ))
                ))
                .await;
            assert_eq!(value, expected, "pre-filled {field}");
        }
        self.submit("create_structure").await;
        self.flash("Vous en êtes le gestionnaire principal").await;
        let dashboard = self
            .session
            .wait_text(&self.css(".sim-screen"), "Gestionnaire principal")
            .await;
        assert!(dashboard.contains("Menuiserie Durand SARL"), "{dashboard}");
        self.completed().await;
    }

    /// `ex-coordonnees-bancaires`: an IBAN with wrong check digits is explained (mod 97), then
    /// the menuiserie's account and the affactureur's.
    async fn bank_details(&self) {
        self.logged_in_as("Claire Durand", CLAIRE).await;
        self.nav("bank").await;
        self.fill(
            "add_bank_account",
            "iban",
            "FR77 9999 9000 0100 0123 4560 146",
        )
        .await;
        self.fill("add_bank_account", "bic", "FICTFRP1XXX").await;
        self.fill("add_bank_account", "titulaire", "Menuiserie Durand SARL")
            .await;
        self.submit("add_bank_account").await;
        let error = self.error("chiffres de contrôle sont incorrects").await;
        assert!(
            error.contains("Pourquoi ?") && error.contains("division par 97"),
            "{error}"
        );
        self.expect_invalid("add_bank_account", "iban").await;
        self.fill(
            "add_bank_account",
            "iban",
            "FR76 9999 9000 0100 0123 4560 146",
        )
        .await;
        self.submit("add_bank_account").await;
        let flash = self
            .flash("Les coordonnées bancaires ont été ajoutées")
            .await;
        assert!(!flash.contains("Attention"), "unexpected warning: {flash}");
        self.goal_met(0).await;
        self.goal_not_met(1).await;

        self.fill(
            "add_bank_account",
            "iban",
            "FR76 9999 8000 1000 0987 6540 166",
        )
        .await;
        self.fill("add_bank_account", "bic", "FACTFRP2XXX").await;
        self.fill("add_bank_account", "titulaire", "Factor Exemple SA")
            .await;
        self.click(&self.css("form[data-form=\"add_bank_account\"] [name=\"affactureur\"]"))
            .await;
        self.submit("add_bank_account").await;
        let flash = self.flash("de l’affactureur ont été ajoutées").await;
        assert!(!flash.contains("Attention"), "unexpected warning: {flash}");
        let table = self
            .session
            .wait_text(&self.css(".sim-table"), "Factor Exemple SA")
            .await;
        assert!(
            table.contains("FR76 9999 9000 0100 0123 4560 146")
                && table.contains("FR76 9999 8000 1000 0987 6540 166"),
            "{table}"
        );
        self.completed().await;
    }

    /// `ex-espace`: Julien cannot open « Factures de travaux » himself (the gestionnaire
    /// decides); Claire opens it to him in consultation and to herself in modification.
    async fn espaces(&self) {
        self.logged_in_as("Claire Durand", CLAIRE).await;
        // The mistake: letting Julien do it from his own session.
        self.click(&self.css(".sim-session [data-nav=\"login\"]"))
            .await;
        self.wait_screen("login").await;
        self.click_button("Se connecter en tant que Julien Morel")
            .await;
        self.flash("Bienvenue, Julien Morel").await;
        self.nav("gestionnaire").await;
        self.set_espace(JULIEN, "consultation").await;
        let error = self
            .error("Seul le gestionnaire principal peut modifier l’accès à l’espace « Factures de travaux »")
            .await;
        assert!(
            error.contains("Pourquoi ? Un utilisateur peut ouvrir ou fermer lui-même l’espace « Factures émises »"),
            "{error}"
        );
        self.goal_not_met(0).await;

        // Claire, gestionnaire principale, in the Activités du gestionnaire.
        self.click(&self.css(".sim-session [data-nav=\"login\"]"))
            .await;
        self.wait_screen("login").await;
        self.click_button("Se connecter en tant que Claire Durand")
            .await;
        self.flash("Bienvenue, Claire Durand").await;
        self.nav("gestionnaire").await;
        self.set_espace(JULIEN, "consultation").await;
        self.flash(&format!(
            "Accès de {JULIEN} à l’espace « Factures de travaux » : Consultation"
        ))
        .await;
        self.goal_met(0).await;
        self.goal_not_met(1).await;
        self.set_espace(CLAIRE, "modification").await;
        self.flash(&format!(
            "Accès de {CLAIRE} à l’espace « Factures de travaux » : Modification"
        ))
        .await;
        // The users table of the Activités du gestionnaire shows both levels.
        self.row_with(JULIEN, "Factures de travaux : Consultation")
            .await;
        self.row_with(CLAIRE, "Factures de travaux : Modification")
            .await;
        self.completed().await;
    }

    /// `ex-service`: « CHANTIERS/POSE » is refused (forbidden « / »), then CHANTIERS is
    /// created and Julien attached to it.
    async fn service(&self) {
        self.logged_in_as("Claire Durand", CLAIRE).await;
        self.nav("services").await;
        self.fill("create_service", "code_service", "CHANTIERS/POSE")
            .await;
        self.fill("create_service", "libelle", "Chantiers de pose")
            .await;
        self.submit("create_service").await;
        let error = self.error("le caractère « / » n’est pas autorisé").await;
        assert!(
            error.contains(
                "Pourquoi ? Le code service est choisi par la structure. Caractères autorisés"
            ),
            "{error}"
        );
        self.expect_invalid("create_service", "code_service").await;
        self.fill("create_service", "code_service", "CHANTIERS")
            .await;
        self.submit("create_service").await;
        self.flash("Le service « CHANTIERS » a été créé").await;
        self.goal_met(0).await;
        self.goal_not_met(1).await;
        self.choose("attach_user_to_service", "code_service", "CHANTIERS")
            .await;
        self.choose("attach_user_to_service", "utilisateur", JULIEN)
            .await;
        self.submit("attach_user_to_service").await;
        self.flash(&format!("{JULIEN} est rattaché au service « CHANTIERS »"))
            .await;
        let row = self.row_with("Chantiers de pose", "Actif").await;
        assert!(row.contains("Julien Morel"), "{row}");
        self.completed().await;
    }

    /// `ex-rattachement`: attaching Karim by hand with a mistyped address is refused; his
    /// request is validated, Bruno Petit's refused with a reason he receives by e-mail.
    async fn rattachement(&self) {
        self.logged_in_as("Claire Durand", CLAIRE).await;
        self.nav("gestionnaire").await;
        let block = self
            .session
            .wait_text(
                &self.css(".sim-screen"),
                "Les demandes de rattachement à une structure",
            )
            .await;
        assert!(
            block.contains(&format!("Karim Benali ({KARIM})"))
                && block.contains(&format!("Bruno Petit ({BRUNO})")),
            "{block}"
        );
        // The mistake: a mistyped address in « Rattacher un utilisateur ».
        self.fill("attach_user", "utilisateur", "karim@menuiserie-durand.fr")
            .await;
        self.submit("attach_user").await;
        let error = self
            .error("Aucun compte Chorus Pro n’existe avec cette adresse e-mail")
            .await;
        assert!(
            error.contains("Pourquoi ? L’utilisateur doit d’abord créer son compte et l’activer."),
            "{error}"
        );
        self.expect_invalid("attach_user", "utilisateur").await;
        self.goal_not_met(1).await;

        // Step 1: validate Karim's request in the demandes block.
        self.mark_in_row(
            KARIM,
            "form[data-form=\"validate_rattachement\"] button[type=\"submit\"]",
        )
        .await;
        self.click("[data-e2e-target]").await;
        self.flash(&format!(
            "La demande de rattachement de {KARIM} a été validée"
        ))
        .await;
        self.goal_met(0).await;
        self.goal_met(1).await;
        self.goal_not_met(2).await;

        // Step 2: refuse Bruno Petit's, with a reason.
        self.mark_in_row(
            BRUNO,
            "form[data-form=\"refuse_rattachement\"] [name=\"motif\"]",
        )
        .await;
        let motif = self.element("[data-e2e-target]").await;
        motif
            .send_keys("Personne inconnue à la menuiserie")
            .await
            .expect("type the reason");
        self.mark_in_row(
            BRUNO,
            "form[data-form=\"refuse_rattachement\"] button[type=\"submit\"]",
        )
        .await;
        self.click("[data-e2e-target]").await;
        self.flash(&format!(
            "La demande de rattachement de {BRUNO} a été refusée"
        ))
        .await;
        self.session
            .wait_text(&self.css(".sim-screen"), "Aucune demande en attente")
            .await;
        self.completed().await;
        self.nav("mailbox").await;
        self.session
            .wait_text(
                &self.css(".sim-mailbox"),
                "Motif : Personne inconnue à la menuiserie",
            )
            .await;
    }

    /// `ex-bac-a-sable`: conditions not accepted, then the account (the only goal); then two of
    /// the page's ideas: an activation link left to expire and sent again, and Karim's session
    /// with the exercise password the page gives.
    async fn sandbox(&self) {
        self.nav("create_account").await;
        self.fill("create_account", "adresse_email_connexion", CLAIRE)
            .await;
        self.fill("create_account", "nom", "Durand").await;
        self.fill("create_account", "prenom", "Claire").await;
        self.submit("create_account").await;
        let error = self.error("Vous devez accepter les conditions").await;
        assert!(error.contains("Pourquoi ? La case"), "{error}");
        self.expect_invalid("create_account", "conditions").await;
        self.goal_not_met(0).await;
        self.click(&self.css("form[data-form=\"create_account\"] [name=\"conditions\"]"))
            .await;
        self.submit("create_account").await;
        self.flash("Votre compte a été créé").await;
        self.completed().await;

        // « Avancer l’horloge » past the 60 minutes, then the link has expired.
        self.nav("clock").await;
        self.click_button("+ 61 minutes").await;
        self.flash("61").await;
        self.nav("mailbox").await;
        self.click(&self.css(".sim-mail [data-token]")).await;
        self.fill("activate_account", "mot_de_passe", PASSWORD)
            .await;
        self.fill("activate_account", "confirmation_mot_de_passe", PASSWORD)
            .await;
        self.submit("activate_account").await;
        let error = self.error("Le lien d’activation a expiré").await;
        assert!(
            error
                .contains("Pourquoi ? Le lien d’activation reçu par e-mail est valable 60 minutes"),
            "{error}"
        );
        // « demandez-en un nouveau »: the newest e-mail comes first in the mailbox.
        self.nav("login").await;
        self.fill("resend_activation", "adresse_email_connexion", CLAIRE)
            .await;
        self.submit("resend_activation").await;
        self.flash("Un nouveau lien d’activation a été envoyé")
            .await;
        self.nav("mailbox").await;
        self.click(&self.css(".sim-mail [data-token]")).await;
        self.fill("activate_account", "mot_de_passe", PASSWORD)
            .await;
        self.fill("activate_account", "confirmation_mot_de_passe", PASSWORD)
            .await;
        self.submit("activate_account").await;
        self.flash("Votre compte est activé").await;

        // Karim logs in with the exercise password of the page's table.
        self.wait_screen("login").await;
        self.fill("login", "identifiant", KARIM).await;
        self.fill("login", "mot_de_passe", "Chorus!2025").await;
        self.submit("login").await;
        self.flash("Bienvenue, Karim Benali").await;
        self.completed().await;
    }

    // ----- helpers -----

    /// Waits until the portal's table row whose text contains `row_text` also shows `needle`.
    async fn row_with(&self, row_text: &str, needle: &str) -> String {
        let script = format!(
            "var row = Array.from(document.querySelectorAll({rows:?})).find(function (r) {{ return r.textContent.indexOf({row_text:?}) >= 0; }});
             return row ? row.textContent : null;",
            rows = self.css("tr")
        );
        let text = self
            .session
            .wait_value(&script, |v| v.as_str().is_some_and(|t| t.contains(needle)))
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// Marks (`data-e2e-target`) the element matching `css` in the portal's table row whose
    /// text contains `row_text`.
    async fn mark_in_row(&self, row_text: &str, css: &str) {
        let script = format!(
            "document.querySelectorAll('[data-e2e-target]').forEach(function (e) {{ e.removeAttribute('data-e2e-target'); }});
             var row = Array.from(document.querySelectorAll({rows:?})).find(function (r) {{ return r.textContent.indexOf({row_text:?}) >= 0; }});
             var el = row && row.querySelector({css:?});
             if (!el) {{ return false; }}
             el.setAttribute('data-e2e-target', '');
             return true;",
            rows = self.css("tr")
        );
        self.session.wait_value(&script, |v| v == true).await;
    }

    async fn set_espace(&self, email: &str, level: &str) {
        self.choose("set_espace_access", "utilisateur", email).await;
        self.choose("set_espace_access", "espace", "factures_de_travaux")
            .await;
        self.choose("set_espace_access", "niveau", level).await;
        self.submit("set_espace_access").await;
    }
}
