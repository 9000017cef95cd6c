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

use crate::harness::{run, Session, BROWSERS};
use crate::portal::{Exercise, SIM_INVOICES};

const XSS: &str = "<img src=x onerror=alert(1)>";
const INVOICE: &str = "invoice";

#[test]
fn every_invoice_exercise_is_completed_after_a_mistake() {
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            let s = &session;
            let open = |page, id| SIM_INVOICES.open(s, page, id);
            live_totals_assistant_and_hostile_text(&open("aide.html", "ex-aide").await).await;
            deposit_pdf_with_code_service(
                &open("code-service.html", "ex-facture-code-service").await,
            )
            .await;
            typed_invoice_with_engagement(&open("engagement.html", "ex-facture-engagement").await)
                .await;
            already_paid_invoice(&open("deja-payee.html", "ex-facture-deja-payee").await).await;
            avoir(&open("avoir.html", "ex-avoir").await).await;
            recycle(&open("recycler.html", "ex-recycler").await).await;
            complete_suspended(&open("completer.html", "ex-completer").await).await;
            validate_as_titulaire(&open("valider.html", "ex-valider-sous-traitant").await).await;
            works_chain(&open("travaux.html", "ex-travaux-chaine").await).await;
            sollicitation(&open("sollicitation.html", "ex-sollicitation").await).await;
            session.finish().await;
        });
    }
}

/// Help page: live totals (one rate, then two), hostile text, the assistant, then an A1.
async fn live_totals_assistant_and_hostile_text(ex: &Exercise<'_>) {
    ex.nav("assistant").await;
    ex.fill("ask_assistant", "question", "code service").await;
    ex.submit("ask_assistant").await;
    let answer = ex
        .session
        .wait_text(&ex.css("[data-answer]"), "Aide et glossaire")
        .await;
    assert!(answer.contains("code service"), "{answer}");
    let note = ex
        .session
        .wait_text(&ex.css("[data-screen]"), "Simulation")
        .await;
    assert!(note.contains("glossaire de ce cours"), "{note}");
    let link = ex
        .js(&format!(
            "return Array.from(document.querySelectorAll({:?})).map(function (a) {{ return a.getAttribute('href'); }}).join(' ')",
            ex.css("[data-answer] a")
        ))
        .await;
    assert!(
        link.as_str().unwrap_or_default().contains("aide.html"),
        "{link}"
    );

    ex.nav("invoice_entry").await;
    ex.fill(INVOICE, "lines[0].description", XSS).await;
    ex.fill(INVOICE, "lines[0].quantity", "1").await;
    ex.fill(INVOICE, "lines[0].unit_price", "19,00").await;
    ex.choose(INVOICE, "lines[0].vat_rate", "5.5").await;
    ex.total("vat", "1,05").await;
    ex.total("ttc", "20,05").await;
    ex.session
        .wait_text(&ex.css("[data-line-net=\"0\"]"), "19,00")
        .await;

    ex.intent("add_line").await;
    ex.fill(INVOICE, "lines[1].description", "Classeurs").await;
    ex.fill(INVOICE, "lines[1].quantity", "2").await;
    ex.fill(INVOICE, "lines[1].unit_price", "50").await;
    ex.choose(INVOICE, "lines[1].vat_rate", "20").await;
    ex.total("ht", "119,00").await;
    ex.total("vat", "21,05").await;
    ex.total("ttc", "140,05").await;
    let summary = ex
        .session
        .wait_text(&ex.css("[data-live-totals] table"), "20,00")
        .await;
    assert!(summary.contains("5,5"), "{summary}");

    // A hostile number is refused as text and never becomes markup.
    ex.choose(INVOICE, "cadre", "A1").await;
    ex.fill(INVOICE, "recipient_siret", "21990001600011").await;
    ex.fill(INVOICE, "number", XSS).await;
    ex.fill(INVOICE, "invoice_date", "pas une date").await;
    ex.intent("send").await;
    let error = ex.error("JJ/MM/AAAA").await;
    assert!(error.contains("Pourquoi ?"), "{error}");
    ex.no_injected_image().await;
    let value = ex.value(INVOICE, "number").await;
    assert_eq!(value, XSS);

    ex.fill(INVOICE, "number", "FAC-2025-0050").await;
    ex.fill(INVOICE, "invoice_date", "03/03/2025").await;
    ex.choose(INVOICE, "vat_regime", "TVA_SUR_DEBIT").await;
    ex.fill(INVOICE, "service_code", "SERV-FIN").await;
    ex.fill(INVOICE, "lines[0].description", "Livres").await;
    ex.intent("send").await;
    ex.flash("FAC-2025-0050").await;
    ex.completed().await;
    ex.no_injected_image().await;
}

/// Exercise 1: « Déposer une facture » from the PDF; the code service is missing.
async fn deposit_pdf_with_code_service(ex: &Exercise<'_>) {
    ex.nav("invoice_deposit").await;
    ex.choose("deposit_pdf", "document", "fac-0042").await;
    ex.submit("deposit_pdf").await;
    ex.flash("Le fichier a été lu").await;
    let number = ex.value(INVOICE, "number").await;
    assert_eq!(number, "FAC-2025-0042");
    ex.total("ttc", "234,56").await;
    ex.intent("send").await;
    let error = ex
        .error("Le code service est obligatoire pour ce destinataire")
        .await;
    assert!(
        error.contains("Pourquoi ? Ce destinataire exige un code service"),
        "{error}"
    );
    ex.expect_focus("[name=\"service_code\"]").await;

    ex.fill(INVOICE, "service_code", "SERV-FIN").await;
    ex.intent("send").await;
    ex.flash("FAC-2025-0042").await;
    ex.completed().await;
    ex.click_button("Voir le certificat de dépôt").await;
    let certificate = ex
        .session
        .wait_text(&ex.css("[data-certificate]"), "DEP-")
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
async fn typed_invoice_with_engagement(ex: &Exercise<'_>) {
    ex.nav("invoice_entry").await;
    ex.choose(INVOICE, "cadre", "A1").await;
    ex.fill(INVOICE, "recipient_siret", "26990002300012").await;
    ex.fill(INVOICE, "number", "FAC-2025-0043").await;
    ex.fill(INVOICE, "invoice_date", "01/03/2025").await;
    ex.choose(INVOICE, "vat_regime", "TVA_SUR_DEBIT").await;
    ex.fill(INVOICE, "lines[0].description", "Étagères de pharmacie")
        .await;
    ex.fill(INVOICE, "lines[0].quantity", "10").await;
    ex.fill(INVOICE, "lines[0].unit_price", "45,00").await;
    ex.fill(INVOICE, "lines[0].discount", "45,00").await;
    ex.choose(INVOICE, "lines[0].vat_rate", "20").await;
    ex.total("ttc", "486,00").await;
    // The rate rows of « Vérifier mes montants » follow the lines when the form is redrawn.
    ex.intent("add_attachment").await;
    ex.fill(INVOICE, "lines[0].net", "450,00").await;
    ex.fill(INVOICE, "vat_summary[0].base", "405,00").await;
    ex.fill(INVOICE, "vat_summary[0].vat", "81,00").await;
    ex.fill(INVOICE, "total_ht", "405,00").await;
    ex.fill(INVOICE, "total_vat", "81,00").await;
    ex.fill(INVOICE, "total_ttc", "486,00").await;
    ex.fill(INVOICE, "net_to_pay", "486,00").await;
    ex.intent("check_totals").await;
    let error = ex.error("Le montant HT de la ligne 1 est erroné").await;
    assert!(
        error.contains("Pourquoi ? Montant HT d'une ligne = quantité × prix unitaire HT − remise"),
        "{error}"
    );
    ex.expect_focus("[name=\"lines[0].net\"]").await;
    ex.fill(INVOICE, "lines[0].net", "405,00").await;
    ex.intent("check_totals").await;
    ex.session
        .wait_text(&ex.css("[data-totals-check]"), "Vos montants sont justes")
        .await;

    ex.intent("send").await;
    ex.error("Le numéro d'engagement est obligatoire pour ce destinataire")
        .await;
    ex.fill(INVOICE, "engagement", "EJ2025-0456").await;
    ex.intent("save").await;
    ex.flash("enregistrée en brouillon").await;
    ex.intent("send").await;
    ex.flash("FAC-2025-0043").await;
    ex.completed().await;
}

/// Exercise 3: an A2 invoice must be fully paid.
async fn already_paid_invoice(ex: &Exercise<'_>) {
    ex.nav("invoice_entry").await;
    ex.choose(INVOICE, "cadre", "A2").await;
    ex.fill(INVOICE, "recipient_siret", "19990005100012").await;
    ex.fill(INVOICE, "number", "FAC-2025-0044").await;
    ex.fill(INVOICE, "invoice_date", "20/02/2025").await;
    ex.choose(INVOICE, "vat_regime", "TVA_SUR_DEBIT").await;
    ex.fill(INVOICE, "lines[0].description", "Réparation du préau")
        .await;
    ex.fill(INVOICE, "lines[0].quantity", "1").await;
    ex.fill(INVOICE, "lines[0].unit_price", "2 500,00").await;
    ex.choose(INVOICE, "lines[0].vat_rate", "20").await;
    ex.intent("send").await;
    let error = ex.error("le net à payer doit être nul").await;
    assert!(error.contains("Pourquoi ? Le cadre A2"), "{error}");
    ex.fill(INVOICE, "already_paid", "3 000,00").await;
    ex.total("net", "0,00").await;
    ex.intent("send").await;
    ex.flash("FAC-2025-0044").await;
    ex.completed().await;
}

/// Exercise 4: an avoir needs the number of the invoice it corrects.
async fn avoir(ex: &Exercise<'_>) {
    ex.nav("invoice_deposit").await;
    ex.choose("deposit_pdf", "document", "avoir-0045").await;
    ex.submit("deposit_pdf").await;
    ex.flash("Le fichier a été lu").await;
    ex.fill(INVOICE, "original_number", "").await;
    ex.intent("send").await;
    ex.error("Indiquez le numéro de la facture d'origine").await;
    ex.fill(INVOICE, "original_number", "FAC-2025-0030").await;
    ex.intent("send").await;
    ex.flash("AV-2025-0045").await;
    ex.completed().await;
}

/// Exercise 5: recycling keeps the number.
async fn recycle(ex: &Exercise<'_>) {
    ex.nav("invoices").await;
    ex.fill("search_invoices", "recherche", "0030").await;
    ex.submit("search_invoices").await;
    let list = ex
        .session
        .wait_text(&ex.css("[data-results]"), "À recycler")
        .await;
    assert!(
        !list.contains("FAC-2025-0031"),
        "the search did not filter: {list}"
    );
    ex.click(&ex.css("[data-invoice-row=\"FAC-2025-0030\"] [data-nav=\"invoice\"]"))
        .await;
    ex.session
        .wait_text(&ex.css("[data-screen]"), "Erreur de destinataire")
        .await;
    ex.fill("recycle_invoice", "service_code", "SERV-FIN").await;
    ex.fill("recycle_invoice", "number", "FAC-2025-0099").await;
    ex.submit("recycle_invoice").await;
    let error = ex
        .error("Le numéro de facture ne peut pas être modifié lors d'un recyclage")
        .await;
    assert!(
        error.contains("Pourquoi ? Une facture « À recycler »"),
        "{error}"
    );
    ex.fill("recycle_invoice", "number", "FAC-2025-0030").await;
    ex.submit("recycle_invoice").await;
    ex.flash("recyclée").await;
    ex.completed().await;
}

/// Exercise 6: acknowledge the suspension in the pop-up, then add the missing document.
async fn complete_suspended(ex: &Exercise<'_>) {
    let dialog = ex
        .session
        .wait_text(&ex.css("[data-acknowledgements]"), "FAC-2025-0031")
        .await;
    assert!(
        dialog.contains("Pièces justificatives manquantes"),
        "{dialog}"
    );
    ex.nav("invoices").await;
    ex.click(&ex.css("[data-invoice-row=\"FAC-2025-0031\"] [data-nav=\"invoice\"]"))
        .await;
    ex.fill(
        "complete_invoice",
        "attachments[0].name",
        "bon-de-livraison.exe",
    )
    .await;
    ex.submit("complete_invoice").await;
    let error = ex.error("Le format .exe n'est pas accepté").await;
    assert!(error.contains("Pourquoi ?"), "{error}");
    ex.click_button("Acquitter la facture FAC-2025-0031").await;
    ex.flash("La suspension de la facture n° FAC-2025-0031 est acquittée")
        .await;
    ex.goal_met(0).await;
    ex.fill(
        "complete_invoice",
        "attachments[0].name",
        "bon-de-livraison.pdf",
    )
    .await;
    ex.submit("complete_invoice").await;
    ex.flash("est complétée").await;
    ex.completed().await;
}

/// Exercise 7: the titulaire validates the A9 invoice, then follows it to the commune.
async fn validate_as_titulaire(ex: &Exercise<'_>) {
    ex.nav("to_validate").await;
    ex.session
        .wait_text(&ex.css("[data-invoice-row=\"ST-2025-007\"]"), "Moreau")
        .await;
    ex.submit("refuse_invoice").await;
    let error = ex.error("Un motif est obligatoire").await;
    assert!(error.contains("Pourquoi ?"), "{error}");
    ex.submit("validate_invoice").await;
    ex.flash("La facture est validée").await;
    ex.goal_met(0).await;
    ex.submit("advance_to_next_event").await;
    ex.completed().await;
}

/// Exercise 8: A4 as titulaire (after an A5 refused), A15 as MOE, A19 as MOA.
async fn works_chain(ex: &Exercise<'_>) {
    ex.nav("works").await;
    ex.role("titulaire", "Vous agissez maintenant comme titulaire")
        .await;
    ex.choose("deposit_works_piece", "cadre", "A5").await;
    ex.fill("deposit_works_piece", "numero", "PD-2025-04").await;
    ex.fill("deposit_works_piece", "amount_ht", "8 200,00")
        .await;
    ex.submit("deposit_works_piece").await;
    ex.error("Ce marché a une maîtrise d'œuvre").await;
    ex.choose("deposit_works_piece", "cadre", "A4").await;
    ex.submit("deposit_works_piece").await;
    ex.flash("PD-2025-04").await;
    ex.goal_met(0).await;

    ex.role("moe", "maîtrise d'œuvre").await;
    let form = "form[data-form=\"create_etat_acompte\"][data-for-piece=\"PD-2025-04\"]";
    ex.fill_in(&ex.css(form), "numero", "EA-2025-04").await;
    ex.submit_in(form).await;
    ex.flash("L'état d'acompte (A15) est déposé").await;
    ex.goal_met(1).await;

    ex.role("moa", "maîtrise d'ouvrage").await;
    let form = "form[data-form=\"validate_etat_acompte\"][data-for-piece=\"EA-2025-04\"]";
    ex.fill_in(&ex.css(form), "numero", "EAV-2025-04").await;
    ex.submit_in(form).await;
    ex.flash("(A19) est déposé").await;
    ex.completed().await;
    ex.session
        .wait_text(&ex.css("[data-piece=\"EAV-2025-04\"]"), "A19")
        .await;
}

/// Exercise 9: a sollicitation needs a title.
async fn sollicitation(ex: &Exercise<'_>) {
    ex.nav("sollicitations").await;
    let form = "create_sollicitation";
    ex.choose(form, "category", "Facture").await;
    ex.choose(form, "subcategory", "Facture rejetée ou suspendue")
        .await;
    ex.fill(form, "invoice_number", "FAC-2025-0031").await;
    ex.fill(form, "message", XSS).await;
    ex.submit(form).await;
    let error = ex.error("Saisissez un titre").await;
    assert!(
        error.contains("Pourquoi ? Le titre résume la demande"),
        "{error}"
    );
    ex.fill(form, "title", "Pourquoi ma facture est-elle suspendue ?")
        .await;
    ex.submit(form).await;
    ex.flash("a été envoyée").await;
    ex.completed().await;
    let card = ex
        .session
        .wait_text(&ex.css("[data-sollicitation]"), "À traiter")
        .await;
    assert!(card.contains(XSS), "{card}");
    ex.no_injected_image().await;
}
