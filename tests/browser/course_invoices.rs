//! The bundled course's invoice, works and help exercises (parts III to V), completed in
//! Chromium and in Firefox from `file://`, one session per browser, the way a learner following
//! each exercise's instructions would:
//!
//! - each exercise starts with a mistake whose explanation (« Pourquoi ? … ») is read: a code
//!   service left out of a deposited PDF, a wrong VAT rate caught by « Vérifier mes montants »,
//!   an A2 left to pay, an avoir without the code service of its original invoice, a recycled
//!   invoice sent back unchanged, an attachment name over 50 characters, a refusal without
//!   reason, an A5 in a contract with a maîtrise d'œuvre (then an amount disagreement given as
//!   a refusal reason), a sollicitation without title;
//! - then the instructions are followed with the data they give, every goal is met and the
//!   section is marked completed (attribute, status line and saved state).

use std::time::Duration;

use serde_json::Value;

use crate::harness::{run, Session, BROWSERS};
use crate::portal::Exercise;

const INVOICE: &str = "invoice";

#[test]
fn parts_three_to_five_exercises_are_completed_after_a_mistake() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let s = &session;
            let deposer = "factures-emises/deposer.html";
            Exercise::open(s, deposer, "ex-facture-a1-service")
                .await
                .a1_with_code_service()
                .await;
            Exercise::open(s, deposer, "ex-facture-a1-engagement")
                .await
                .a1_with_engagement()
                .await;
            Exercise::open(s, deposer, "ex-facture-a2-payee")
                .await
                .a2_already_paid()
                .await;
            Exercise::open(s, deposer, "ex-avoir").await.avoir().await;
            Exercise::open(s, "factures-emises/suivre.html", "ex-recycler")
                .await
                .recycle()
                .await;
            Exercise::open(s, "factures-emises/suivre.html", "ex-suspendue")
                .await
                .complete_suspended()
                .await;
            Exercise::open(s, "factures-emises/sous-cotraitants.html", "ex-valider-a9")
                .await
                .validate_a9()
                .await;
            Exercise::open(
                s,
                "factures-travaux/deposer-travaux.html",
                "ex-travaux-a4-a15-a19",
            )
            .await
            .works_chain()
            .await;
            Exercise::open(
                s,
                "aide-sollicitation/sollicitation.html",
                "ex-sollicitation",
            )
            .await
            .sollicitation()
            .await;
            session.finish().await;
        });
    }
}

impl<'a> Exercise<'a> {
    /// `ex-facture-a1-service` (cas 1): the PDF is deposited, read, sent without the code
    /// service it does not carry (refused), then with ECOLES and the bank account.
    async fn a1_with_code_service(&self) {
        self.nav("invoice_deposit").await;
        self.choose("deposit_pdf", "document", "dur-25-017").await;
        self.submit("deposit_pdf").await;
        self.flash("Le fichier a été lu").await;
        self.wait_screen("invoice_entry").await;
        // Step 2: what the simulator read.
        for (name, expected) in [
            ("cadre", "A1"),
            ("recipient_siret", "21990001600011"),
            ("number", "DUR-25-017"),
            ("invoice_date", "07/03/2025"),
            ("service_code", ""),
        ] {
            assert_eq!(self.value(INVOICE, name).await, expected, "read {name}");
        }
        self.total("ht", "1 000,00").await;
        self.total("ttc", "1 200,00").await;

        // The mistake: sending before adding the code service.
        self.intent("send").await;
        let error = self
            .error("Le code service est obligatoire pour ce destinataire")
            .await;
        assert!(
            error.contains("Pourquoi ? Ce destinataire exige un code service"),
            "{error}"
        );
        self.expect_invalid(INVOICE, "service_code").await;
        self.goal_not_met(0).await;

        // Steps 3 to 5.
        self.fill(INVOICE, "service_code", "ECOLES").await;
        self.choose_labelled(INVOICE, "bank_account", "Menuiserie Durand SARL")
            .await;
        self.intent("send").await;
        self.flash("La facture n° DUR-25-017 est validée").await;
        self.completed().await;
    }

    /// `ex-facture-a1-engagement` (cas 2): the paper invoice typed line by line; a wrong rate
    /// on the fourth line is caught when the invoice's totals are compared, then it is sent.
    async fn a1_with_engagement(&self) {
        self.nav("invoice_entry").await;
        let paper = self
            .text(
                &self.css("[data-document=\"na-2025-0112\"]"),
                "NA-2025-0112",
            )
            .await;
        assert!(
            paper.contains("26990002300012") && paper.contains("BC-2025-00142"),
            "{paper}"
        );
        // Steps 2 to 4.
        self.choose(INVOICE, "cadre", "A1").await;
        self.fill(INVOICE, "recipient_siret", "26990002300012")
            .await;
        self.fill(INVOICE, "engagement", "BC-2025-00142").await;
        self.fill(INVOICE, "number", "NA-2025-0112").await;
        self.fill(INVOICE, "invoice_date", "10/03/2025").await;
        self.choose(INVOICE, "vat_regime", "TVA_SUR_DEBIT").await;
        // Step 5: four lines; the last one typed at 5,5 % instead of 2,1 % (the mistake).
        let lines = [
            ("Produits d’entretien (taux normal)", "10", "25,00", "20"),
            ("Article au taux intermédiaire", "1", "120,50", "10"),
            ("Article au taux réduit", "3", "29,99", "5.5"),
            ("Article au taux particulier", "2", "7,50", "5.5"),
        ];
        for (idx, (description, quantity, price, rate)) in lines.iter().enumerate() {
            if idx > 0 {
                self.intent("add_line").await;
            }
            self.fill(INVOICE, &format!("lines[{idx}].description"), description)
                .await;
            self.fill(INVOICE, &format!("lines[{idx}].quantity"), quantity)
                .await;
            self.fill(INVOICE, &format!("lines[{idx}].unit_price"), price)
                .await;
            self.choose(INVOICE, &format!("lines[{idx}].vat_rate"), rate)
                .await;
        }
        self.total("ht", "475,47").await;
        // Step 6: the invoice's totals, copied into « Vérifier mes montants ».
        for (name, amount) in [
            ("total_ht", "475,47"),
            ("total_vat", "67,32"),
            ("total_ttc", "542,79"),
            ("net_to_pay", "542,79"),
        ] {
            self.fill(INVOICE, name, amount).await;
        }
        self.intent("check_totals").await;
        let error = self.error("Le montant total de TVA est erroné").await;
        assert!(
            error.contains("Pourquoi ? Total TVA = somme des montants de TVA de chaque taux"),
            "{error}"
        );
        self.expect_invalid(INVOICE, "total_vat").await;

        // The rate of the fourth line corrected: the totals now match the invoice.
        self.choose(INVOICE, "lines[3].vat_rate", "2.1").await;
        self.total("vat", "67,32").await;
        self.total("ttc", "542,79").await;
        self.intent("check_totals").await;
        self.text(&self.css("[data-totals-check]"), "Vos montants sont justes")
            .await;
        self.goal_not_met(0).await;
        self.intent("send").await;
        self.flash("La facture n° NA-2025-0112 est validée").await;
        self.completed().await;
    }

    /// `ex-facture-a2-payee` (cas 3): an A2 sent before the amount already paid is given is
    /// refused; with 20,05 € paid, the net is nil and it is sent.
    async fn a2_already_paid(&self) {
        self.nav("invoice_entry").await;
        self.choose(INVOICE, "cadre", "A2").await;
        self.fill(INVOICE, "recipient_siret", "19990005100012")
            .await;
        self.fill(INVOICE, "number", "PAP-2025-0312").await;
        self.fill(INVOICE, "invoice_date", "05/03/2025").await;
        self.choose(INVOICE, "vat_regime", "TVA_SUR_DEBIT").await;
        self.fill(INVOICE, "lines[0].description", "Lot de livres de poche")
            .await;
        self.fill(INVOICE, "lines[0].quantity", "1").await;
        self.fill(INVOICE, "lines[0].unit_price", "19,00").await;
        self.choose(INVOICE, "lines[0].vat_rate", "5.5").await;
        self.total("vat", "1,05").await;
        self.total("ttc", "20,05").await;

        // The mistake: step 5 skipped.
        self.intent("send").await;
        let error = self.error("le net à payer doit être nul").await;
        assert!(
            error.contains(
                "Pourquoi ? Le cadre A2 sert à déposer une facture déjà payée en totalité"
            ),
            "{error}"
        );
        self.expect_invalid(INVOICE, "already_paid").await;
        self.goal_not_met(0).await;

        self.fill(INVOICE, "already_paid", "20,05").await;
        self.total("net", "0,00").await;
        self.intent("send").await;
        self.flash("La facture n° PAP-2025-0312 est validée").await;
        self.completed().await;
    }

    /// `ex-avoir` (cas 4): the original invoice looked up in the tracking list, the avoir's PDF
    /// deposited and sent without code service (refused), then with the original's SERV-FIN.
    async fn avoir(&self) {
        // Step 1: the original invoice and its recipient.
        self.nav("invoices").await;
        self.open_invoice("FAC-2025-0001").await;
        let detail = self.text(&self.css(".sim-summary"), "Code service").await;
        assert!(
            detail.contains("SERV-FIN") && detail.contains("21990001600011"),
            "{detail}"
        );

        // Steps 2 and 3.
        self.nav("invoice_deposit").await;
        self.choose("deposit_pdf", "document", "dur-25-018").await;
        self.submit("deposit_pdf").await;
        self.flash("Le fichier a été lu").await;
        self.wait_screen("invoice_entry").await;
        for (name, expected) in [
            ("kind", "AVOIR"),
            ("number", "DUR-25-018"),
            ("original_number", "FAC-2025-0001"),
            ("recipient_siret", "21990001600011"),
        ] {
            assert_eq!(self.value(INVOICE, name).await, expected, "read {name}");
        }
        self.total("ht", "100,00").await;
        self.total("ttc", "120,00").await;

        // The mistake: the PDF carries no code service.
        self.intent("send").await;
        let error = self
            .error("Le code service est obligatoire pour ce destinataire")
            .await;
        assert!(
            error.contains("Pourquoi ? Ce destinataire exige un code service"),
            "{error}"
        );
        self.expect_invalid(INVOICE, "service_code").await;

        // Steps 4 and 5.
        self.fill(INVOICE, "service_code", "SERV-FIN").await;
        self.intent("send").await;
        self.flash("La facture n° DUR-25-018 est validée").await;
        self.completed().await;
    }

    /// `ex-recycler`: the reason read, the invoice sent back unchanged (refused), then with the
    /// code service the reason names.
    async fn recycle(&self) {
        self.nav("invoices").await;
        self.open_invoice("NA-2025-0098").await;
        self.text(&self.css("[data-invoice-status]"), "À recycler")
            .await;
        self.text(
            &self.css(".sim-screen"),
            "Code service erroné : ce contrat relève du service financier (SERV-FIN).",
        )
        .await;

        // The mistake: recycling without correcting anything.
        self.submit("recycle_invoice").await;
        let error = self
            .error("Corrigez le SIRET du destinataire, le code service ou le numéro d'engagement")
            .await;
        assert!(
            error.contains("Pourquoi ? Une facture « À recycler » a une erreur d'acheminement"),
            "{error}"
        );
        self.expect_invalid("recycle_invoice", "recipient_siret")
            .await;
        self.goal_not_met(0).await;

        // Steps 2 and 3: only the code service; the number stays.
        assert_eq!(
            self.value("recycle_invoice", "number").await,
            "NA-2025-0098"
        );
        self.fill("recycle_invoice", "service_code", "SERV-FIN")
            .await;
        self.submit("recycle_invoice").await;
        self.flash("La facture n° NA-2025-0098 a été recyclée")
            .await;
        self.completed().await;
    }

    /// `ex-suspendue`: the suspension acknowledged from the invoice, its reason read, an
    /// attachment name over 50 characters refused, then the signed delivery note.
    async fn complete_suspended(&self) {
        // More than 7 days: the pop-up cannot be put off.
        let dialog = self
            .text(&self.css("[data-acknowledgements]"), "NA-2025-0101")
            .await;
        assert!(
            dialog.contains("bon de livraison signé") && !dialog.contains("Plus tard"),
            "{dialog}"
        );
        // Step 1: open the invoice and acknowledge.
        self.nav("invoices").await;
        self.open_invoice("NA-2025-0101").await;
        self.text(&self.css("[data-invoice-status]"), "Suspendue")
            .await;
        self.click(&self.css(
            ".sim-screen .sim-actions form[data-form=\"acknowledge_invoice\"] button[type=\"submit\"]",
        ))
        .await;
        self.flash("La suspension de la facture n° NA-2025-0101 est acquittée")
            .await;
        self.goal_met(0).await;
        self.goal_not_met(1).await;
        // Step 2: the reason names the missing document.
        self.text(
            &self.css(".sim-screen"),
            "Pièce justificative manquante : bon de livraison signé.",
        )
        .await;

        // The mistake: a file name over 50 characters.
        self.fill(
            "complete_invoice",
            "attachments[0].name",
            "BL-2025-0117-bon-de-livraison-signe-centre-hospitalier.pdf",
        )
        .await;
        self.submit("complete_invoice").await;
        let error = self.error("dépasse 50 caractères").await;
        assert!(
            error.contains("Pourquoi ? Le nom d'une pièce jointe fait au plus 50 caractères"),
            "{error}"
        );

        // Steps 3 and 4.
        self.fill(
            "complete_invoice",
            "attachments[0].name",
            "BL-2025-0117-signe.pdf",
        )
        .await;
        self.submit("complete_invoice").await;
        self.flash("La facture n° NA-2025-0101 est complétée").await;
        self.text(&self.css("[data-invoice-status]"), "Complétée")
            .await;
        self.completed().await;
    }

    /// `ex-valider-a9`: a refusal without reason is refused; the A9 is validated, then time
    /// moves on until the commune has it.
    async fn validate_a9(&self) {
        self.nav("to_validate").await;
        let card = self
            .text(
                &self.css("[data-invoice-row=\"MOR-2025-014\"]"),
                "12 000,00",
            )
            .await;
        assert!(card.contains("Moreau Électricité"), "{card}");
        assert!(card.contains("Commune de Saint-Exemple"), "{card}");

        // The mistake: « Refuser » with no reason.
        self.submit("refuse_invoice").await;
        let error = self.error("Un motif est obligatoire.").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.goal_not_met(0).await;

        // Step 3.
        self.fill("validate_invoice", "commentaire", "Travaux réalisés")
            .await;
        self.submit("validate_invoice").await;
        self.flash("La facture est validée").await;
        self.goal_met(0).await;
        self.goal_not_met(1).await;

        // Step 4: time moves on until the invoice is made available to the commune.
        let goal = format!(
            "var g = document.querySelector({:?}); return !!g && g.getAttribute('data-met') === 'true'",
            format!("{} ul[data-goals] > li[data-goal=\"1\"]", self.scope())
        );
        self.advance_until(&goal).await;
        self.completed().await;
    }

    /// `ex-travaux-a4-a15-a19`: an A5 refused (the contract has a MOE), the A4; as MOE an
    /// amount disagreement refused as a reason, then the A15 at the amount accepted; as MOA the
    /// A19.
    async fn works_chain(&self) {
        self.nav("works").await;
        self.switch_role("titulaire").await;
        // The mistake: the contract has a maîtrise d'œuvre, so no A5.
        self.choose("deposit_works_piece", "cadre", "A5").await;
        self.fill("deposit_works_piece", "numero", "PD-2025-03")
            .await;
        self.fill("deposit_works_piece", "amount_ht", "7 557,20")
            .await;
        self.choose("deposit_works_piece", "vat_rate", "10").await;
        self.submit("deposit_works_piece").await;
        let error = self.error("Ce marché a une maîtrise d'œuvre").await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.goal_not_met(0).await;

        // Step 1.
        self.choose("deposit_works_piece", "cadre", "A4").await;
        self.submit("deposit_works_piece").await;
        self.flash("PD-2025-03").await;
        let row = self
            .text(&self.css("[data-piece=\"PD-2025-03\"]"), "7 557,20")
            .await;
        assert!(row.contains("A4") && row.contains("10"), "{row}");
        self.goal_met(0).await;

        // Step 2, with a second mistake: refusing the projet for its amount.
        self.switch_role("moe").await;
        let refuse = self.css("form[data-form=\"refuse_works_piece\"]");
        self.fill_in(&refuse, "motif", "Erreur de montant").await;
        self.click(&format!("{refuse} button[type=\"submit\"]"))
            .await;
        let error = self
            .error("Un désaccord sur le montant n'est pas un motif de refus")
            .await;
        assert!(error.contains("Pourquoi ?"), "{error}");
        self.goal_not_met(1).await;
        let form =
            self.css("form[data-form=\"create_etat_acompte\"][data-for-piece=\"PD-2025-03\"]");
        self.fill_in(&form, "numero", "EA-2025-03").await;
        self.fill_in(&form, "amount_ht", "6 717,20").await;
        self.click(&format!("{form} button[type=\"submit\"]")).await;
        self.flash("L'état d'acompte (A15) est déposé").await;
        self.goal_met(1).await;

        // Step 3.
        self.switch_role("moa").await;
        let form =
            self.css("form[data-form=\"validate_etat_acompte\"][data-for-piece=\"EA-2025-03\"]");
        self.fill_in(&form, "numero", "EAV-2025-03").await;
        self.fill_in(&form, "amount_ht", "6 717,20").await;
        self.click(&format!("{form} button[type=\"submit\"]")).await;
        self.flash("L'état d'acompte validé (A19) est déposé").await;
        self.completed().await;
        let row = self
            .text(&self.css("[data-piece=\"EAV-2025-03\"]"), "6 717,20")
            .await;
        assert!(row.contains("A19") && row.contains("EA-2025-03"), "{row}");
    }

    /// `ex-sollicitation`: sent without title (refused), then with it; time moves on until the
    /// answer arrives.
    async fn sollicitation(&self) {
        self.nav("sollicitations").await;
        let form = "create_sollicitation";
        let structure = self.value(form, "structure_siret").await;
        assert_eq!(structure, "81452763600017");
        self.choose(form, "category", "Facture").await;
        self.choose(form, "subcategory", "Paiement d'une facture")
            .await;
        self.fill(form, "invoice_number", "DUR-25-009").await;
        self.fill(
            form,
            "message",
            "Menuiserie Durand SARL, facture DUR-25-009 de 3 000,00 € TTC, mise à disposition de la Commune de Saint-Exemple le 27/01/2025 : elle n'est toujours pas payée après 30 jours. Pouvez-vous nous indiquer où en est son paiement ?",
        )
        .await;
        // The mistake: no title.
        self.submit(form).await;
        let error = self.error("Saisissez un titre").await;
        assert!(
            error.contains("Pourquoi ? Le titre résume la demande"),
            "{error}"
        );
        self.expect_invalid(form, "title").await;
        self.goal_not_met(0).await;

        self.fill(form, "title", "Facture DUR-25-009 non payée")
            .await;
        self.submit(form).await;
        self.flash("a été envoyée").await;
        self.completed().await;
        // Step 5: the answer, after the simulated time moves on.
        let answered = format!(
            "var c = document.querySelector({:?}); return !!c && c.textContent.indexOf('votre facture DUR-25-009 a bien été reçue') >= 0",
            self.css("[data-sollicitation]")
        );
        self.advance_until(&answered).await;
        let card = self
            .text(&self.css("[data-sollicitation]"), "Réponse")
            .await;
        assert!(card.contains("Facture DUR-25-009 non payée"), "{card}");
    }

    // ----- helpers -----

    /// « Consulter » on the row of invoice `number` in « Suivi des factures ».
    async fn open_invoice(&self, number: &str) {
        self.click(&self.css(&format!(
            "[data-invoice-row=\"{number}\"] [data-nav=\"invoice\"]"
        )))
        .await;
        self.wait_screen("invoice").await;
        self.text(&self.css(".sim-screen-title"), number).await;
    }

    /// « Jusqu’au prochain événement », as many times as it takes (at most ten) for `script`
    /// to return true.
    async fn advance_until(&self, script: &str) {
        let button = self
            .css(".sim-header form[data-form=\"advance_to_next_event\"] button[type=\"submit\"]");
        for _ in 0..10 {
            self.click(&button).await;
            for _ in 0..20 {
                if self.js(script).await == true {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("{}: still not true after ten events: {script}", self.id);
    }

    async fn switch_role(&self, role: &str) {
        self.role(role, "Vous agissez maintenant comme").await;
        self.session
            .wait_value(
                &format!(
                    "var e = document.querySelector({:?}); return e && e.getAttribute('data-works-role')",
                    self.css("[data-works-role]")
                ),
                |v| v == role,
            )
            .await;
    }

    /// Chooses the option of `name` whose label contains `label`.
    async fn choose_labelled(&self, form: &str, name: &str, label: &str) {
        let script = format!(
            "var s = document.querySelector({:?}); var o = s && Array.from(s.options).find(function (o) {{ return o.value && o.textContent.indexOf({label:?}) >= 0; }}); return o ? o.value : null;",
            self.control_css(form, name)
        );
        let value = self.session.wait_value(&script, Value::is_string).await;
        self.choose(form, name, value.as_str().unwrap_or_default())
            .await;
    }
}
