//! The invoice part of the Chorus Pro practice portal end to end, on
//! `tests/fixtures/sim-invoices` (the nine exercises of `crates/sim/FORMAT.md` and a help
//! page), in Chromium and in Firefox, one session per browser:
//!
//! - each exercise is completed after a mistake whose explanation (« Pourquoi ? … ») is shown:
//!   a missing code service refused at sending, a wrong typed amount pointing at its line, an
//!   A2 left to pay, an avoir without its original invoice, a locked field edited while
//!   recycling, a refused attachment, a refusal without reason, an A5 in a contract with a MOE,
//!   a sollicitation without title;
//! - the totals are recomputed live (19,00 € at 5,5 % gives 1,05 € of VAT; several rates);
//! - the certificat de dépôt is shown; the help assistant answers from the course;
//! - learner text is shown as text.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use fantoccini::Locator;
use serde_json::Value;

use crate::harness::{build_course, file_url, repo_root, run, Session, BROWSERS};

const XSS: &str = "<img src=x onerror=alert(1)>";
const PORTAL: &str = "[data-sim-portal]";
const INVOICE: &str = "invoice";

fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build_course(&repo_root().join("tests/fixtures/sim-invoices")))
}

#[test]
fn every_invoice_exercise_is_completed_after_a_mistake() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let portal = Portal { session: &session };
            portal.live_totals_assistant_and_hostile_text().await;
            portal.deposit_pdf_with_code_service().await;
            portal.typed_invoice_with_engagement().await;
            portal.already_paid_invoice().await;
            portal.avoir().await;
            portal.recycle().await;
            portal.complete_suspended().await;
            portal.validate_as_titulaire().await;
            portal.works_chain().await;
            portal.sollicitation().await;
            session.finish().await;
        });
    }
}

struct Portal<'a> {
    session: &'a Session,
}

impl Portal<'_> {
    /// Help page: live totals (one rate, then two), hostile text, the assistant, then an A1.
    async fn live_totals_assistant_and_hostile_text(&self) {
        self.open("aide.html").await;
        self.nav("assistant").await;
        self.fill("ask_assistant", "question", "code service").await;
        self.submit("ask_assistant").await;
        let answer = self
            .session
            .wait_text(&format!("{PORTAL} [data-answer]"), "Aide et glossaire")
            .await;
        assert!(answer.contains("code service"), "{answer}");
        let note = self
            .session
            .wait_text(&format!("{PORTAL} [data-screen]"), "Simulation")
            .await;
        assert!(note.contains("glossaire de ce cours"), "{note}");
        let link = self
            .js(&format!(
                "return Array.from(document.querySelectorAll('{PORTAL} [data-answer] a')).map(function (a) {{ return a.getAttribute('href'); }}).join(' ')"
            ))
            .await;
        assert!(
            link.as_str().unwrap_or_default().contains("aide.html"),
            "{link}"
        );

        self.nav("invoice_entry").await;
        self.fill(INVOICE, "lines[0].description", XSS).await;
        self.fill(INVOICE, "lines[0].quantity", "1").await;
        self.fill(INVOICE, "lines[0].unit_price", "19,00").await;
        self.choose(INVOICE, "lines[0].vat_rate", "5.5").await;
        self.total("vat", "1,05").await;
        self.total("ttc", "20,05").await;
        self.session
            .wait_text(&format!("{PORTAL} [data-line-net=\"0\"]"), "19,00")
            .await;

        self.intent("add_line").await;
        self.fill(INVOICE, "lines[1].description", "Classeurs")
            .await;
        self.fill(INVOICE, "lines[1].quantity", "2").await;
        self.fill(INVOICE, "lines[1].unit_price", "50").await;
        self.choose(INVOICE, "lines[1].vat_rate", "20").await;
        self.total("ht", "119,00").await;
        self.total("vat", "21,05").await;
        self.total("ttc", "140,05").await;
        let summary = self
            .session
            .wait_text(&format!("{PORTAL} [data-live-totals] table"), "20,00")
            .await;
        assert!(summary.contains("5,5"), "{summary}");

        // A hostile number is refused as text and never becomes markup.
        self.choose(INVOICE, "cadre", "A1").await;
        self.fill(INVOICE, "recipient_siret", "21990001600011")
            .await;
        self.fill(INVOICE, "number", XSS).await;
        self.fill(INVOICE, "invoice_date", "pas une date").await;
        self.intent("send").await;
        let error = self.error("JJ/MM/AAAA").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.no_injected_image().await;
        let value = self
            .js(&format!(
                "return document.querySelector('{PORTAL} form[data-form=\"invoice\"] [name=\"number\"]').value"
            ))
            .await;
        assert_eq!(value, XSS);

        self.fill(INVOICE, "number", "FAC-2025-0050").await;
        self.fill(INVOICE, "invoice_date", "03/03/2025").await;
        self.choose(INVOICE, "vat_regime", "TVA_SUR_DEBIT").await;
        self.fill(INVOICE, "service_code", "SERV-FIN").await;
        self.fill(INVOICE, "lines[0].description", "Livres").await;
        self.intent("send").await;
        self.flash("FAC-2025-0050").await;
        self.completed().await;
        self.no_injected_image().await;
    }

    /// Exercise 1: « Déposer une facture » from the PDF; the code service is missing.
    async fn deposit_pdf_with_code_service(&self) {
        self.open("code-service.html").await;
        self.nav("invoice_deposit").await;
        self.choose("deposit_pdf", "document", "fac-0042").await;
        self.submit("deposit_pdf").await;
        self.flash("Le fichier a été lu").await;
        let number = self
            .js(&format!(
                "return document.querySelector('{PORTAL} form[data-form=\"invoice\"] [name=\"number\"]').value"
            ))
            .await;
        assert_eq!(number, "FAC-2025-0042");
        self.total("ttc", "234,56").await;
        self.intent("send").await;
        let error = self
            .error("Le code service est obligatoire pour ce destinataire")
            .await;
        assert!(
            error.contains("Pourquoi ? Ce destinataire exige un code service"),
            "{error}"
        );
        self.expect_focus("[name=\"service_code\"]").await;

        self.fill(INVOICE, "service_code", "SERV-FIN").await;
        self.intent("send").await;
        self.flash("FAC-2025-0042").await;
        self.completed().await;
        self.click_button("Voir le certificat de dépôt").await;
        let certificate = self
            .session
            .wait_text(&format!("{PORTAL} [data-certificate]"), "DEP-")
            .await;
        for needle in [
            "FAC-2025-0042",
            "Commune de Saint-Exemple",
            "SERV-FIN",
            "234,56",
        ] {
            assert!(
                certificate.contains(needle),
                "{needle} not in {certificate}"
            );
        }
    }

    /// Exercise 2: a paper invoice typed by hand; a wrong line amount, then no engagement.
    async fn typed_invoice_with_engagement(&self) {
        self.open("engagement.html").await;
        self.nav("invoice_entry").await;
        self.choose(INVOICE, "cadre", "A1").await;
        self.fill(INVOICE, "recipient_siret", "26990002300012")
            .await;
        self.fill(INVOICE, "number", "FAC-2025-0043").await;
        self.fill(INVOICE, "invoice_date", "01/03/2025").await;
        self.choose(INVOICE, "vat_regime", "TVA_SUR_DEBIT").await;
        self.fill(INVOICE, "lines[0].description", "Étagères de pharmacie")
            .await;
        self.fill(INVOICE, "lines[0].quantity", "10").await;
        self.fill(INVOICE, "lines[0].unit_price", "45,00").await;
        self.fill(INVOICE, "lines[0].discount", "45,00").await;
        self.choose(INVOICE, "lines[0].vat_rate", "20").await;
        self.total("ttc", "486,00").await;
        // The rate rows of « Vérifier mes montants » follow the lines when the form is redrawn.
        self.intent("add_attachment").await;
        self.fill(INVOICE, "lines[0].net", "450,00").await;
        self.fill(INVOICE, "vat_summary[0].base", "405,00").await;
        self.fill(INVOICE, "vat_summary[0].vat", "81,00").await;
        self.fill(INVOICE, "total_ht", "405,00").await;
        self.fill(INVOICE, "total_vat", "81,00").await;
        self.fill(INVOICE, "total_ttc", "486,00").await;
        self.fill(INVOICE, "net_to_pay", "486,00").await;
        self.intent("check_totals").await;
        let error = self.error("Le montant HT de la ligne 1 est erroné").await;
        assert!(
            error.contains(
                "Pourquoi ? Montant HT d'une ligne = quantité × prix unitaire HT − remise"
            ),
            "{error}"
        );
        self.expect_focus("[name=\"lines[0].net\"]").await;
        self.fill(INVOICE, "lines[0].net", "405,00").await;
        self.intent("check_totals").await;
        self.session
            .wait_text(
                &format!("{PORTAL} [data-totals-check]"),
                "Vos montants sont justes",
            )
            .await;

        self.intent("send").await;
        self.error("Le numéro d'engagement est obligatoire pour ce destinataire")
            .await;
        self.fill(INVOICE, "engagement", "EJ2025-0456").await;
        self.intent("save").await;
        self.flash("enregistrée en brouillon").await;
        self.intent("send").await;
        self.flash("FAC-2025-0043").await;
        self.completed().await;
    }

    /// Exercise 3: an A2 invoice must be fully paid.
    async fn already_paid_invoice(&self) {
        self.open("deja-payee.html").await;
        self.nav("invoice_entry").await;
        self.choose(INVOICE, "cadre", "A2").await;
        self.fill(INVOICE, "recipient_siret", "19990005100012")
            .await;
        self.fill(INVOICE, "number", "FAC-2025-0044").await;
        self.fill(INVOICE, "invoice_date", "20/02/2025").await;
        self.choose(INVOICE, "vat_regime", "TVA_SUR_DEBIT").await;
        self.fill(INVOICE, "lines[0].description", "Réparation du préau")
            .await;
        self.fill(INVOICE, "lines[0].quantity", "1").await;
        self.fill(INVOICE, "lines[0].unit_price", "2 500,00").await;
        self.choose(INVOICE, "lines[0].vat_rate", "20").await;
        self.intent("send").await;
        let error = self.error("le net à payer doit être nul").await;
        assert!(error.contains("Pourquoi ? Le cadre A2"), "{error}");
        self.fill(INVOICE, "already_paid", "3 000,00").await;
        self.total("net", "0,00").await;
        self.intent("send").await;
        self.flash("FAC-2025-0044").await;
        self.completed().await;
    }

    /// Exercise 4: an avoir needs the number of the invoice it corrects.
    async fn avoir(&self) {
        self.open("avoir.html").await;
        self.nav("invoice_deposit").await;
        self.choose("deposit_pdf", "document", "avoir-0045").await;
        self.submit("deposit_pdf").await;
        self.flash("Le fichier a été lu").await;
        self.fill(INVOICE, "original_number", "").await;
        self.intent("send").await;
        self.error("Indiquez le numéro de la facture d'origine")
            .await;
        self.fill(INVOICE, "original_number", "FAC-2025-0030").await;
        self.intent("send").await;
        self.flash("AV-2025-0045").await;
        self.completed().await;
    }

    /// Exercise 5: recycling keeps the number.
    async fn recycle(&self) {
        self.open("recycler.html").await;
        self.nav("invoices").await;
        self.fill("search_invoices", "recherche", "0030").await;
        self.submit("search_invoices").await;
        let list = self
            .session
            .wait_text(&format!("{PORTAL} [data-results]"), "À recycler")
            .await;
        assert!(
            !list.contains("FAC-2025-0031"),
            "the search did not filter: {list}"
        );
        self.click(&format!(
            "{PORTAL} [data-invoice-row=\"FAC-2025-0030\"] [data-nav=\"invoice\"]"
        ))
        .await;
        self.session
            .wait_text(&format!("{PORTAL} [data-screen]"), "Erreur de destinataire")
            .await;
        self.fill("recycle_invoice", "service_code", "SERV-FIN")
            .await;
        self.fill("recycle_invoice", "number", "FAC-2025-0099")
            .await;
        self.submit("recycle_invoice").await;
        let error = self
            .error("Le numéro de facture ne peut pas être modifié lors d'un recyclage")
            .await;
        assert!(
            error.contains("Pourquoi ? Une facture « À recycler »"),
            "{error}"
        );
        self.fill("recycle_invoice", "number", "FAC-2025-0030")
            .await;
        self.submit("recycle_invoice").await;
        self.flash("recyclée").await;
        self.completed().await;
    }

    /// Exercise 6: acknowledge the suspension in the pop-up, then add the missing document.
    async fn complete_suspended(&self) {
        self.open("completer.html").await;
        let dialog = self
            .session
            .wait_text(
                &format!("{PORTAL} [data-acknowledgements]"),
                "FAC-2025-0031",
            )
            .await;
        assert!(
            dialog.contains("Pièces justificatives manquantes"),
            "{dialog}"
        );
        self.nav("invoices").await;
        self.click(&format!(
            "{PORTAL} [data-invoice-row=\"FAC-2025-0031\"] [data-nav=\"invoice\"]"
        ))
        .await;
        self.fill(
            "complete_invoice",
            "attachments[0].name",
            "bon-de-livraison.exe",
        )
        .await;
        self.submit("complete_invoice").await;
        let error = self.error("Le format .exe n'est pas accepté").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.click_button("Acquitter la facture FAC-2025-0031")
            .await;
        self.flash("La suspension de la facture n° FAC-2025-0031 est acquittée")
            .await;
        self.goal_met(0).await;
        self.fill(
            "complete_invoice",
            "attachments[0].name",
            "bon-de-livraison.pdf",
        )
        .await;
        self.submit("complete_invoice").await;
        self.flash("est complétée").await;
        self.completed().await;
    }

    /// Exercise 7: the titulaire validates the A9 invoice, then follows it to the commune.
    async fn validate_as_titulaire(&self) {
        self.open("valider.html").await;
        self.nav("to_validate").await;
        self.session
            .wait_text(
                &format!("{PORTAL} [data-invoice-row=\"ST-2025-007\"]"),
                "Moreau",
            )
            .await;
        self.submit("refuse_invoice").await;
        let error = self.error("Un motif est obligatoire").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.submit("validate_invoice").await;
        self.flash("La facture est validée").await;
        self.goal_met(0).await;
        self.submit("advance_to_next_event").await;
        self.completed().await;
    }

    /// Exercise 8: A4 as titulaire (after an A5 refused), A15 as MOE, A19 as MOA.
    async fn works_chain(&self) {
        self.open("travaux.html").await;
        self.nav("works").await;
        self.choose("switch_works_role", "role", "titulaire").await;
        self.submit("switch_works_role").await;
        self.flash("Vous agissez maintenant comme titulaire").await;
        self.choose("deposit_works_piece", "cadre", "A5").await;
        self.fill("deposit_works_piece", "numero", "PD-2025-04")
            .await;
        self.fill("deposit_works_piece", "amount_ht", "8 200,00")
            .await;
        self.submit("deposit_works_piece").await;
        self.error("Ce marché a une maîtrise d'œuvre").await;
        self.choose("deposit_works_piece", "cadre", "A4").await;
        self.submit("deposit_works_piece").await;
        self.flash("PD-2025-04").await;
        self.goal_met(0).await;

        self.choose("switch_works_role", "role", "moe").await;
        self.submit("switch_works_role").await;
        self.flash("maîtrise d'œuvre").await;
        let form = "form[data-form=\"create_etat_acompte\"][data-for-piece=\"PD-2025-04\"]";
        self.fill_in(form, "numero", "EA-2025-04").await;
        self.click(&format!("{PORTAL} {form} button[type=\"submit\"]"))
            .await;
        self.flash("L'état d'acompte (A15) est déposé").await;
        self.goal_met(1).await;

        self.choose("switch_works_role", "role", "moa").await;
        self.submit("switch_works_role").await;
        self.flash("maîtrise d'ouvrage").await;
        let form = "form[data-form=\"validate_etat_acompte\"][data-for-piece=\"EA-2025-04\"]";
        self.fill_in(form, "numero", "EAV-2025-04").await;
        self.click(&format!("{PORTAL} {form} button[type=\"submit\"]"))
            .await;
        self.flash("(A19) est déposé").await;
        self.completed().await;
        self.session
            .wait_text(&format!("{PORTAL} [data-piece=\"EAV-2025-04\"]"), "A19")
            .await;
    }

    /// Exercise 9: a sollicitation needs a title.
    async fn sollicitation(&self) {
        self.open("sollicitation.html").await;
        self.nav("sollicitations").await;
        let form = "create_sollicitation";
        self.choose(form, "category", "Facture").await;
        self.choose(form, "subcategory", "Facture rejetée ou suspendue")
            .await;
        self.fill(form, "invoice_number", "FAC-2025-0031").await;
        self.fill(form, "message", XSS).await;
        self.submit(form).await;
        let error = self.error("Saisissez un titre").await;
        assert!(
            error.contains("Pourquoi ? Le titre résume la demande"),
            "{error}"
        );
        self.fill(form, "title", "Pourquoi ma facture est-elle suspendue ?")
            .await;
        self.submit(form).await;
        self.flash("a été envoyée").await;
        self.completed().await;
        let card = self
            .session
            .wait_text(&format!("{PORTAL} [data-sollicitation]"), "À traiter")
            .await;
        assert!(card.contains(XSS), "{card}");
        self.no_injected_image().await;
    }

    // Helpers.

    async fn open(&self, page: &str) {
        self.session.open(&file_url(site(), page)).await;
        self.session
            .wait_text(&format!("{PORTAL} .sim-brand"), "Chorus Pro")
            .await;
    }

    async fn js(&self, script: &str) -> Value {
        self.session
            .client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {script}: {e}"))
    }

    async fn click(&self, css: &str) {
        self.session.click(css).await;
    }

    /// Clicks the portal button whose text contains `text`.
    async fn click_button(&self, text: &str) {
        let script = format!(
            "var b = Array.from(document.querySelectorAll('{PORTAL} button')).find(function (b) {{ return b.textContent.indexOf({text:?}) >= 0; }}); if (b) {{ b.click(); return true; }} return false;"
        );
        self.session.wait_value(&script, |v| v == true).await;
    }

    async fn nav(&self, screen: &str) {
        self.click(&format!("{PORTAL} .sim-menu [data-nav=\"{screen}\"]"))
            .await;
        self.session
            .wait_value(
                &format!("return document.querySelector('{PORTAL} [data-screen]').getAttribute('data-screen')"),
                |v| v == screen,
            )
            .await;
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
        if !value.is_empty() {
            input.send_keys(value).await.expect("type into the field");
        }
    }

    async fn fill(&self, form: &str, name: &str, value: &str) {
        self.fill_in(&format!("form[data-form=\"{form}\"]"), name, value)
            .await;
    }

    async fn choose(&self, form: &str, name: &str, value: &str) {
        let select = self
            .control_in(&format!("form[data-form=\"{form}\"]"), name)
            .await;
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

    /// Clicks a button of the invoice form by its intent (save, send, add_line…).
    async fn intent(&self, intent: &str) {
        self.click(&format!(
            "{PORTAL} form[data-form=\"{INVOICE}\"] button[name=\"intent\"][value=\"{intent}\"]"
        ))
        .await;
    }

    /// Waits for a live total (`ht`, `vat`, `ttc`, `net`) to show `needle`.
    async fn total(&self, key: &str, needle: &str) {
        self.session
            .wait_text(&format!("{PORTAL} [data-total=\"{key}\"]"), needle)
            .await;
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

    async fn expect_focus(&self, css: &str) {
        let script = format!(
            "return document.activeElement && document.activeElement.matches('{PORTAL} {css}')"
        );
        self.session.wait_value(&script, |v| v == true).await;
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

    async fn no_injected_image(&self) {
        let images = self
            .js(&format!(
                "return document.querySelectorAll('{PORTAL} img').length"
            ))
            .await;
        assert_eq!(images, 0, "learner text was inserted as HTML");
    }
}
